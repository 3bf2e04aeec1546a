"""Aggregated columns (聚合栏目): a column that gathers the items of other sites' columns.

The portal's 政策文件 can list every department's 政策文件, and a 专题 column every item tagged
with its topic. Such a column reads the cross-department projection (`PublishedItem`), never the
other schemas, newest first, with the department of each item. Its cached copies depend on the
departments it reads from: a publish in one of them makes it stale, a publish elsewhere does not.
"""

from django.db.models import Q


def is_aggregated(column) -> bool:
    return bool(getattr(column, "aggregate_column_type", "") or getattr(column, "aggregate_topic", ""))


def source_filter(column) -> Q:
    """Which projected items the column gathers: the chosen column type and/or topic, from the
    chosen departments (all active sites when none is chosen)."""
    from tenants.models import Department

    sources = Q(kind="article", department__status=Department.Status.ACTIVE)
    if column.aggregate_column_type:
        sources &= Q(column_type=column.aggregate_column_type)
    if column.aggregate_topic:
        sources &= Q(topics__contains=[column.aggregate_topic])
    if column.aggregate_departments:
        sources &= Q(department__schema_name__in=column.aggregate_departments)
    return sources


def aggregated_items(column):
    """The column's items, newest first, each with its department."""
    from portal.models import PublishedItem

    return (
        PublishedItem.objects.filter(source_filter(column)).select_related("department")
        .only("id", "title", "url", "publish_time", "summary", "source", "updated_at",
              "department__name", "department__schema_name")
        .order_by("-publish_time", "-id")
    )


def cache_tags(column) -> list[str]:
    """What the column's cached pages depend on besides its own site: each source department's
    content (a publish there writes its schema and bumps `site:<schema>`), or every department's
    projection when it reads them all; the department list (a suspended one drops out)."""
    if column.aggregate_departments:
        return [*(f"site:{schema}" for schema in column.aggregate_departments), "departments"]
    return ["projection", "departments"]


def department_choices() -> list[tuple[str, str]]:
    """The sites an aggregated column can read from, in the centre's order."""
    from tenants.models import Department

    sites = Department.objects.filter(kind__in=[Department.Kind.PORTAL, Department.Kind.BUREAU, Department.Kind.TOWN])
    return list(sites.order_by("sort_order", "id").values_list("schema_name", "name"))
