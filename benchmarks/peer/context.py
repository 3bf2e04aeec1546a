"""The page frame of the peer, written the way a single-site Wagtail project usually writes it:
the identity from settings, the menu from the site's home page on every request."""

from django.conf import settings
from wagtail.models import Site

from themes.services import default_theme


class PeerSite:
    """What the templates read of `department`."""

    is_portal = False
    is_site = True

    def __init__(self):
        self.name = settings.PEER_SITE["name"]
        self.host_prefix = settings.PEER_SITE["host_prefix"]
        self.hostname = f"{self.host_prefix}.{settings.DOMAIN_SUFFIX}"


def site_frame(request):
    theme = default_theme()
    identity = theme.as_identity()
    site = Site.find_for_request(request)
    department = PeerSite()
    navigation = []
    if site is not None:
        for column in site.root_page.get_children().live().in_menu().only("title", "url_path"):
            url = column.get_url(request)
            navigation.append({"title": column.title, "url": url, "current": request.path.startswith(url)})
    port = "" if settings.PUBLIC_PORT in ("", "80") else f":{settings.PUBLIC_PORT}"
    return {
        "identity": identity, "theme": theme, "department": department,
        "theme_modes": {"grey": False, "elderly": False, "plain": False, "elderly_central": False},
        "portal_url": f"{settings.PUBLIC_SCHEME}://www.{settings.DOMAIN_SUFFIX}{port}/",
        "site_name": f"{identity['site_name']} {department.name}", "site_domain": department.hostname,
        "navigation": navigation,
    }
