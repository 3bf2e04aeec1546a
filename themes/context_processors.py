"""Everything the page frame needs: the district's identity, this site and its navigation."""

from django.conf import settings
from django.core.cache import cache

NAV_CACHE_SECONDS = 300


def site_relative_url(url_path: str) -> str:
    """Each site's root is its HomePage at depth 2: '/home/news/' is served as '/news/'."""
    return "/" + url_path.lstrip("/").partition("/")[2]


def _navigation(site_root_id):
    """Top-level columns of this site; cached under a schema-specific key."""
    key = f"theme:nav:{site_root_id}"
    nav = cache.get(key)
    if nav is None:
        from portal.pages.models import ColumnPage

        nav = [
            {"title": column.title, "url": site_relative_url(column.url_path)}
            for column in ColumnPage.objects.filter(depth=3).live().in_menu().only("title", "url_path")
            .order_by("path")
        ]
        cache.set(key, nav, NAV_CACHE_SECONDS)
    return nav


def site_frame(request):
    from tenants.models import Department

    department = getattr(request, "tenant", None)
    identity = dict(settings.SITE_IDENTITY)
    portal_url = cache.get("theme:portal_url")
    if portal_url is None:
        portal = Department.objects.filter(kind="portal").only("host_prefix").first()
        portal_url = portal.base_url + "/" if portal else "/"
        cache.set("theme:portal_url", portal_url, NAV_CACHE_SECONDS)
    context = {"identity": identity, "department": department, "portal_url": portal_url}
    if department is not None and department.is_site:
        context["site_name"] = identity["site_name"] if department.is_portal else f"{identity['site_name']} {department.name}"
        context["site_domain"] = department.hostname
        context["navigation"] = _navigation(department.pk)
    return context
