"""Copies the store's visit counters into PostgreSQL, in bulk, and keeps the tables to size.

Run by the scheduler (`portal.scheduling.core_jobs`). Each run writes every pending day's totals
so far (the rows are replaced, not added to, so a run repeated after a crash counts nothing
twice) and removes a day from the store once the following day is over too, when no process can
still hold views of it. Paths are resolved to their page and column (栏目) here, from the
department's page tree, so counting needs no database at all.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from . import counting
from .models import RAW_KEEP_DAYS, ColumnVisits, PageVisits, SiteVisits

logger = logging.getLogger(__name__)
HOME_TITLE = "首页"
# How fresh the admin screens are; the store keeps the counters meanwhile.
FLUSH_EVERY = timedelta(minutes=5)


def column_of(path: str) -> str:
    """`/news/2026/a/` → `/news/`; the home page is its own column `/`."""
    first = path.strip("/").split("/", 1)[0]
    return f"/{first}/" if first else "/"


def _department(host: str):
    from tenants.middleware import department_for_host
    from tenants.models import Domain

    try:
        return department_for_host(host)
    except Domain.DoesNotExist:
        return None


def _titles(department, paths) -> dict[str, tuple[int, str]]:
    """path → (page id, title) for the paths that are pages of the department's site."""
    from wagtail.models import Page, Site

    with tenant_context(department):
        site = Site.objects.select_related("root_page").order_by("-is_default_site", "id").first()
        if site is None:
            return {}
        root = site.root_page.url_path
        wanted = {root + path.lstrip("/"): path for path in paths}
        return {wanted[url_path]: (page_id, title) for url_path, page_id, title
                in Page.objects.filter(url_path__in=list(wanted)).values_list("url_path", "id", "title")}


def _write_day(client, department, day: date, day_text: str, host: str, views: dict[str, int]) -> None:
    columns = defaultdict(list)
    for path in views:
        columns[column_of(path)].append(path)
    titles = _titles(department, set(views) | set(columns))
    pipe = client.pipeline(transaction=False)
    paths = list(views)
    for path in paths:
        pipe.pfcount(counting.page_visitors_key(day_text, host, path))
    column_paths = list(columns)
    for column in column_paths:
        pipe.pfcount(*(counting.page_visitors_key(day_text, host, path) for path in columns[column]))
    pipe.pfcount(counting.site_visitors_key(day_text, host))
    counted = pipe.execute()
    page_rows = [
        PageVisits(department=department, day=day, path=path, page_id=titles.get(path, (None, ""))[0],
                   title=titles.get(path, (None, ""))[1][:255], column_path=column_of(path),
                   page_views=views[path], unique_visitors=visitors)
        for path, visitors in zip(paths, counted, strict=False)
    ]
    column_rows = [
        ColumnVisits(department=department, day=day, column_path=column,
                     column_title=HOME_TITLE if column == "/" else titles.get(column, (None, ""))[1][:255],
                     page_views=sum(views[path] for path in columns[column]), unique_visitors=visitors)
        for column, visitors in zip(column_paths, counted[len(paths):], strict=False)
    ]
    site_row = SiteVisits(department=department, day=day, page_views=sum(views.values()),
                          unique_visitors=counted[-1])
    counters = ["page_views", "unique_visitors"]
    with transaction.atomic():
        PageVisits.objects.bulk_create(page_rows, batch_size=1000, update_conflicts=True,
                                       unique_fields=["department", "day", "path"],
                                       update_fields=["page_id", "title", "column_path", *counters])
        ColumnVisits.objects.bulk_create(column_rows, batch_size=1000, update_conflicts=True,
                                         unique_fields=["department", "day", "column_path"],
                                         update_fields=["column_title", *counters])
        SiteVisits.objects.bulk_create([site_row], update_conflicts=True,
                                       unique_fields=["department", "day"], update_fields=counters)


def flush_to_database(today: date | None = None) -> int:
    """Write every pending day's counters to the tables; the number of page views written."""
    client = counting.store()
    today = today or timezone.localdate()
    written = 0
    for day_text in sorted(value.decode() for value in client.smembers(counting.days_key())):
        day = date.fromisoformat(day_text)
        views_by_host: dict[str, dict[str, int]] = defaultdict(dict)
        for field, value in client.hgetall(counting.views_key(day_text)).items():
            host, path = field.decode().split("\n", 1)
            views_by_host[host][path] = int(value)
        for host, views in views_by_host.items():
            department = _department(host)
            if department is None:
                logger.info("访问统计：%s 不是任何单位的网址，其 %s 次访问未计入", host, sum(views.values()))
                continue
            _write_day(client, department, day, day_text, host, views)
            written += sum(views.values())
        if day < today - timedelta(days=1):
            keys = [counting.views_key(day_text)]
            for host, views in views_by_host.items():
                keys.append(counting.site_visitors_key(day_text, host))
                keys.extend(counting.page_visitors_key(day_text, host, path) for path in views)
            pipe = client.pipeline(transaction=False)
            for start in range(0, len(keys), 1000):
                pipe.delete(*keys[start:start + 1000])
            pipe.srem(counting.days_key(), day_text)
            pipe.execute()
    return written


def purge_raw_counters(today: date | None = None) -> int:
    """Page and column counters older than RAW_KEEP_DAYS go; the per-site rows stay for ever."""
    cutoff = (today or timezone.localdate()) - timedelta(days=RAW_KEEP_DAYS)
    pages, _ = PageVisits.objects.filter(day__lt=cutoff).delete()
    columns, _ = ColumnVisits.objects.filter(day__lt=cutoff).delete()
    return pages + columns
