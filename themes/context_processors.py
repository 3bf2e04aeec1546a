"""Everything the page frame needs: the district's identity, this site and its navigation."""

from django.core.cache import cache, caches
from django.db.models.signals import post_delete, post_save
from wagtail.signals import post_page_move

NAV_CACHE_SECONDS = 300
NAV_KEY = "theme:nav"  # the cache's key function prefixes the schema: one navigation per site
PORTAL_URL_KEY = "theme:portal_url"


def site_relative_url(url_path: str) -> str:
    """Each site's root is its HomePage at depth 2: '/home/news/' is served as '/news/'."""
    return "/" + url_path.lstrip("/").partition("/")[2]


def forget_navigation(sender=None, instance=None, **kwargs):
    """A home page or column was saved (published, unpublished, renamed), deleted or a page moved:
    rebuild the navigation of the schema it lives in (the one the connection uses right now). The
    portal's department was saved: look its address up again."""
    from portal.render_caches import forget
    from wagtail.models import Page

    from tenants.models import Department

    if kwargs.get("signal") is post_page_move or (isinstance(instance, Page) and (instance.depth or 0) <= 3):
        # Now and after the commit: a page rendered in between must not keep the old menu.
        forget(NAV_KEY)
    elif isinstance(instance, Department) and instance.kind == "portal":
        caches["shared"].delete(PORTAL_URL_KEY)  # the header's link to the portal


# Connected when this module is first imported (the first rendered template, or app loading).
for _signal in (post_save, post_delete, post_page_move):
    _signal.connect(forget_navigation, dispatch_uid="themes.forget_navigation")


def _navigation():
    """Top-level columns of this site; cached under a schema-specific key."""
    key = NAV_KEY
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


ELDERLY_COOKIE = "theme_elderly"
PLAIN_COOKIE = "theme_plain"


def visitor_modes(request) -> dict:
    """Grey and elderly modes come from the central schedule; a visitor may turn the elderly mode
    on or off for themselves (a cookie) and ask for the plain version (`?plain=1` or a cookie)."""
    from .services import active_modes

    central = active_modes()
    elderly_choice = request.COOKIES.get(ELDERLY_COOKIE)
    elderly = elderly_choice == "1" or (elderly_choice != "0" and "elderly" in central)
    plain = request.GET.get("plain") == "1" or request.COOKIES.get(PLAIN_COOKIE) == "1"
    return {"grey": "grey" in central, "elderly": elderly, "plain": plain, "elderly_central": "elderly" in central}


def site_frame(request):
    from tenants.models import Department

    from .services import theme_for

    department = getattr(request, "tenant", None)
    theme = theme_for(request)
    identity = theme.as_identity()
    # The portal's address is the same for every site: the shared cache (no schema in the key)
    # looks it up once, not once per department.
    portal_url = caches["shared"].get(PORTAL_URL_KEY)
    if portal_url is None:
        portal = Department.objects.filter(kind="portal").only("host_prefix").first()
        portal_url = portal.base_url + "/" if portal else "/"
        caches["shared"].set(PORTAL_URL_KEY, portal_url, NAV_CACHE_SECONDS)
    context = {
        "identity": identity, "theme": theme, "theme_modes": visitor_modes(request),
        "department": department, "portal_url": portal_url,
    }
    if department is not None and department.is_site:
        context["site_name"] = (
            identity["site_name"] if department.is_portal else f"{identity['site_name']} {department.name}"
        )
        context["site_domain"] = department.hostname
        # The cached list is shared by every visitor; mark where this one is on a copy.
        context["navigation"] = [
            {**item, "current": request.path.startswith(item["url"])} for item in _navigation()
        ]
    return context
