"""What the homepages show. The portal reads the cross-department projection; a department
homepage reads its own columns."""

from django.conf import settings

from .models import PublishedItem

HOMEPAGE_ITEMS = 8


def portal_latest(column_type: str, limit: int = HOMEPAGE_ITEMS, exclude_portal: bool = True):
    items = (
        PublishedItem.objects.filter(column_type=column_type, department__status="active")
        .select_related("department")
        .only("title", "url", "publish_time", "department__name", "department__host_prefix")
        .order_by("-publish_time", "-id")
    )
    if exclude_portal:
        items = items.exclude(department__kind="portal")
    return list(items[:limit])


def _featured_items(column_types) -> dict[str, list]:
    """Department items the centre approved for these homepage columns (信息发布申请表), by
    column type, read in one query."""
    from portal.homepage_requests.services import featured_by_column

    items = {}
    for column_type, requests in featured_by_column(column_types).items():
        for homepage_request in requests:
            if homepage_request.item is not None:
                homepage_request.item.featured = True
                items.setdefault(column_type, []).append(homepage_request.item)
    return items


LISTED_COLUMN_TYPES = ("news", "notice", "policy", "interpretation")


def latest_in_columns(columns, limit: int = HOMEPAGE_ITEMS) -> dict[int, list]:
    """The newest live, public articles of each column, by column id, in one query (a row
    number per column) however many columns the homepage shows."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber, Substr

    from portal.pages.models import ArticlePage

    if not columns:
        return {}
    by_path = {column.path: column.pk for column in columns}
    path_length = len(columns[0].path)
    articles = (
        ArticlePage.objects.live().public()
        .filter(depth=columns[0].depth + 1)
        .annotate(column_path=Substr("path", 1, path_length))
        .filter(column_path__in=list(by_path))
        .annotate(rank=Window(RowNumber(), partition_by=[F("column_path")],
                              order_by=[F("publish_time").desc(), F("id").desc()]))
        .filter(rank__lte=limit)
        .order_by("column_path", "rank")
        .only("id", "title", "url_path", "publish_time", "path", "depth")
    )
    latest = {pk: [] for pk in by_path.values()}
    for article in articles:
        latest[by_path[article.column_path]].append(article)
    return latest


def _latest_statement(request):
    """The newest published 政府网站工作年度报表, which the portal's homepage shows prominently."""
    from portal.delivery.policy import depends_on
    from portal.statement.service import latest_published

    depends_on(request, "model:statement.statement")
    return latest_published()


def homepage_context(page, request) -> dict:
    from portal.pages.models import ColumnPage

    department = getattr(request, "tenant", None)
    is_portal = department is not None and department.is_portal
    columns = list(ColumnPage.objects.child_of(page).live().public())
    listed = [column for column in columns if column.column_type in LISTED_COLUMN_TYPES]
    latest = latest_in_columns(listed)
    featured = _featured_items({column.column_type for column in listed}) if is_portal else {}
    blocks = [
        {"column": column, "items": (featured.get(column.column_type, []) + latest[column.pk])[:HOMEPAGE_ITEMS]}
        for column in listed
    ]
    context = {"columns": columns, "column_blocks": blocks}
    if is_portal:
        context["department_news"] = portal_latest("news")
        context["department_notices"] = portal_latest("notice")
        from tenants.models import Department

        context["departments"] = Department.objects.filter(
            kind__in=["bureau", "town"], status="active"
        ).only("name", "host_prefix", "kind")
        context["portal_suffix"] = settings.DOMAIN_SUFFIX
        context["statement"] = _latest_statement(request)
    return context
