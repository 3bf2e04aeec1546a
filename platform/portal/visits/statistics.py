"""What the counters say, for the 访问统计 screens and the yearly statement.

Unique visitors of a period are the sum of each day's unique visitors: visitors are told apart
by a salt that changes every day, so by design nobody can tell that two days' visitors are the
same person. That is also how 独立用户访问总量 is read for the yearly statement.
"""

from datetime import date, timedelta

from django.db.models import Count, Sum

from .models import ColumnVisits, PageVisits, SiteVisits


def _in_range(queryset, department, start: date, end: date):
    queryset = queryset.filter(day__gte=start, day__lte=end)
    return queryset if department is None else queryset.filter(department=department)


def visit_totals(department, start: date, end: date) -> dict[str, int]:
    """网站总访问量 and 独立用户访问总量 of one department's site (None: every site) for the days
    `start`..`end` inclusive (Beijing time): `{"page_views": n, "unique_visitors": n}`."""
    sums = _in_range(SiteVisits.objects, department, start, end).aggregate(
        page_views=Sum("page_views"), unique_visitors=Sum("unique_visitors"))
    return {name: int(value or 0) for name, value in sums.items()}


def daily(department, start: date, end: date) -> list[dict]:
    """One entry per day of the period, days without visits included (as 0)."""
    found = {row["day"]: row for row in _in_range(SiteVisits.objects, department, start, end)
             .values("day").annotate(page_views=Sum("page_views"), unique_visitors=Sum("unique_visitors"))}
    days = []
    day = start
    while day <= end:
        row = found.get(day, {})
        days.append({"day": day, "page_views": row.get("page_views", 0),
                     "unique_visitors": row.get("unique_visitors", 0)})
        day += timedelta(days=1)
    return days


def monthly(department, start: date, end: date) -> list[dict]:
    """The same, one entry per month (for periods too long to draw day by day)."""
    months: dict[str, dict] = {}
    for entry in daily(department, start, end):
        month = months.setdefault(entry["day"].strftime("%Y-%m"), {"month": entry["day"].strftime("%Y-%m"),
                                                                   "page_views": 0, "unique_visitors": 0})
        month["page_views"] += entry["page_views"]
        month["unique_visitors"] += entry["unique_visitors"]
    return list(months.values())


def by_site(start: date, end: date) -> list[dict]:
    """Every site with visits in the period, most viewed first."""
    return list(_in_range(SiteVisits.objects, None, start, end)
                .values("department__name", "department__host_prefix")
                .annotate(page_views=Sum("page_views"), unique_visitors=Sum("unique_visitors"))
                .order_by("-page_views", "department__name"))


def top_pages(department, start: date, end: date, limit: int = 20) -> list[dict]:
    return list(_in_range(PageVisits.objects, department, start, end)
                .values("department", "department__name", "path")
                .annotate(page_views=Sum("page_views"), unique_visitors=Sum("unique_visitors"))
                .order_by("-page_views", "path")[:limit])


def top_columns(department, start: date, end: date, limit: int = 20) -> list[dict]:
    return list(_in_range(ColumnVisits.objects, department, start, end)
                .values("department", "department__name", "column_path")
                .annotate(page_views=Sum("page_views"), unique_visitors=Sum("unique_visitors"))
                .order_by("-page_views", "column_path")[:limit])


def page_titles(rows: list[dict]) -> list[dict]:
    """The newest title each listed page had (titles change; the counters keep the path), and
    its address."""
    from tenants.models import Department

    base_urls = {department.pk: department.base_url
                 for department in Department.objects.filter(pk__in={row["department"] for row in rows})}
    for row in rows:
        row["url"] = base_urls[row["department"]] + row["path"]
        row["title"] = (PageVisits.objects.filter(department=row["department"], path=row["path"])
                        .exclude(title="").order_by("-day").values_list("title", flat=True).first() or "")
    return rows


def column_titles(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["title"] = (ColumnVisits.objects.filter(department=row["department"], column_path=row["column_path"])
                        .exclude(column_title="").order_by("-day").values_list("column_title", flat=True)
                        .first() or "")
    return rows


def top_search_terms(department, start: date, end: date, limit: int = 20) -> list[dict]:
    """The most searched words of the search log (searches on the department's site: those
    limited to it); no visitor digest leaves the log."""
    from datetime import datetime, time

    from django.utils import timezone

    from search.models import QueryLog

    zone = timezone.get_current_timezone()
    logs = QueryLog.objects.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=zone),
                                   created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    if department is not None:
        logs = logs.filter(department=department.host_prefix)
    return list(logs.values("query").annotate(searches=Count("id")).order_by("-searches", "query")[:limit])
