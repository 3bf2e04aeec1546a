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


def _featured_items(column_type: str) -> list:
    """Department items the centre approved for this homepage column (信息发布申请表)."""
    from portal.homepage_requests.services import featured

    items = []
    for homepage_request in featured(column_type):
        if homepage_request.item is not None:
            homepage_request.item.featured = True
            items.append(homepage_request.item)
    return items


def homepage_context(page, request) -> dict:
    from portal.pages.models import ArticlePage, ColumnPage

    department = getattr(request, "tenant", None)
    columns = list(ColumnPage.objects.child_of(page).live().public().specific())
    blocks = []
    for column in columns:
        if column.column_type in ("news", "notice", "policy", "interpretation"):
            latest = list(
                ArticlePage.objects.child_of(column).live().public()
                .order_by("-publish_time", "-id")
                .only("id", "title", "url_path", "publish_time", "path", "depth")[:HOMEPAGE_ITEMS]
            )
            if department is not None and department.is_portal:
                latest = _featured_items(column.column_type) + latest
            blocks.append({"column": column, "items": latest[:HOMEPAGE_ITEMS]})
    context = {"columns": columns, "column_blocks": blocks}
    if department is not None and department.is_portal:
        context["department_news"] = portal_latest("news")
        context["department_notices"] = portal_latest("notice")
        from tenants.models import Department

        context["departments"] = Department.objects.filter(
            kind__in=["bureau", "town"], status="active"
        ).only("name", "host_prefix", "kind")
        context["portal_suffix"] = settings.DOMAIN_SUFFIX
    return context
