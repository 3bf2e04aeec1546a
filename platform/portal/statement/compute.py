"""Every computed field of the statement for one year, from the platform's own figures.

The statement is the portal's and covers every department channel, so each figure is the sum
over all sites: visits from `portal.visits`, items from the `PublishedItem` projection, 专题 from
each site's schema, 留言/征集调查/在线访谈 from the plugins' `performance_figures`, security from
the 事件记录 and the `security_checks` hook, accounts from the 政务新媒体 register. A plugin that no
site uses gives `None` (未开展) for its fields, not zeros.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

# Column types (portal.pages.columns.ColumnType) behind the 信息发布 figures.
ABOUT_TYPES = ("about",)
NEWS_TYPES = ("news", "notice")
DISCLOSURE_TYPES = ("disclosure",)
INTERPRETATION_TYPES = ("interpretation",)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _sites():
    from tenants.models import Department

    return list(Department.sites().order_by("sort_order", "pk"))


def basic_information(portal) -> dict:
    from themes.services import live_theme

    theme = live_theme()
    return {
        "site_name": theme.site_name, "homepage_url": f"{portal.base_url}/" if portal else "",
        "sponsor": theme.sponsor, "site_type": "政府门户网站", "site_code": theme.site_code,
        "icp_number": theme.icp_number, "police_number": theme.police_number,
    }


def visits(start: date, end: date) -> dict:
    from portal.visits.statistics import visit_totals

    totals = visit_totals(None, start, end)
    return {"unique_visitors": totals["unique_visitors"], "page_views": totals["page_views"]}


def items(start: date, end: date) -> dict:
    """Items first published in the year and still live, by the type of their column."""
    from portal.models import PublishedItem

    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)

    def of(types):
        return Count("pk", filter=Q(column_type__in=types))

    return PublishedItem.objects.filter(publish_time__gte=since, publish_time__lt=until).aggregate(
        items_total=Count("pk"), items_about=of(ABOUT_TYPES), items_news=of(NEWS_TYPES),
        items_disclosure=of(DISCLOSURE_TYPES), interpretation_materials=of(INTERPRETATION_TYPES))


def topics(sites, start: date, end: date) -> dict:
    from django_tenants.utils import tenant_context

    from portal.topics.figures import topic_counts

    maintained = opened = 0
    for site in sites:
        with tenant_context(site):
            counts = topic_counts(start, end)
        maintained += counts["maintained"]
        opened += counts["opened"]
    return {"topics_maintained": maintained, "topics_opened": opened}


def _summed(sections: list[dict], names: tuple[str, ...]) -> dict | None:
    """The named figures added up over the sites that have the section; None when none has."""
    if not sections:
        return None
    return {name: sum(int(section.get(name) or 0) for section in sections) for name in names}


def interaction(sites, start: date, end: date) -> dict:
    from portal.plugins import performance_figures

    by_section: dict[str, list[dict]] = {}
    for site in sites:
        for section, values in performance_figures(site, start, end).items():
            by_section.setdefault(section, []).append(values)
    figures = {}
    mailbox = by_section.get("mailbox", [])
    letters = _summed(mailbox, ("received", "replied", "published"))
    replied_days = [(section["avg_working_days"], section.get("replied") or 0) for section in mailbox
                    if section.get("avg_working_days") is not None]
    weight = sum(replied for _avg, replied in replied_days)
    figures.update({
        "unified_platform": bool(mailbox),
        "letters_received": letters and letters["received"],
        "letters_closed": letters and letters["replied"],
        "letters_published": letters and letters["published"],
        # The average of the sites' averages, weighted by their replies: the average of all replies.
        "letters_avg_days": (round(sum(avg * replied for avg, replied in replied_days) / weight, 1)
                             if weight else (0 if letters else None)),
    })
    consultation = _summed(by_section.get("consultation", []), ("periods", "opinions_received", "results_published"))
    figures.update({
        "consultation_periods": consultation and consultation["periods"],
        "consultation_opinions": consultation and consultation["opinions_received"],
        "consultation_results": consultation and consultation["results_published"],
    })
    interviews = _summed(by_section.get("interviews", []), ("interviews", "questions_received", "questions_answered"))
    figures.update({
        "interviews": interviews and interviews["interviews"],
        "interview_questions": interviews and interviews["questions_received"],
        "interview_answers": interviews and interviews["questions_answered"],
    })
    return figures


def security(start: date, end: date) -> dict:
    from portal.accounts.models import CentralRoleAssignment
    from portal.operations.figures import security_figures

    figures = security_figures(start, end)
    return {
        "security_checks": figures["checks"], "problems_found": figures["problems_found"],
        "problems_fixed": figures["problems_fixed"], "monitoring": figures["checks"] > 0,
        "security_officer": CentralRoleAssignment.objects.filter(role="security_admin").exists(),
    }


def newmedia(start: date, end: date) -> dict:
    from portal.newmedia.figures import yearly_accounts

    accounts = yearly_accounts(start, end)
    listed = {
        platform: [{"name": a["name"], "posts": a["posts"], "followers": a["followers"]} for a in section["accounts"]]
        for platform, section in accounts.items()
    }
    return {"has_newmedia": any(listed.values()), **listed}


def compute(year: int) -> dict:
    """`{field key: value}` for every computed field of `year`'s statement."""
    start, end = year_bounds(year)
    sites = _sites()
    portal = next((site for site in sites if site.is_portal), None)
    return {
        **basic_information(portal), **visits(start, end), **items(start, end), **topics(sites, start, end),
        **interaction(sites, start, end), **security(start, end), **newmedia(start, end),
        "search_service": True, "accessibility": True,
    }


def with_totals(computed: dict, manual: dict) -> dict:
    """Fields that add a computed part to parts entered by hand (解读信息发布总数)."""
    parts = [computed.get("interpretation_materials"), manual.get("interpretation_products"),
             manual.get("media_commentaries")]
    return {**computed, "interpretation_total": sum(int(part or 0) for part in parts)}
