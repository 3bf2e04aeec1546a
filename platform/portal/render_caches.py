"""Per-site caches of what every page render reads and what rarely changes: the Wagtail `Site`
with its home page, and which parts of the page tree carry view restrictions.

Without them each uncached page pays a query for the site, one for its home page, two for the
view restrictions Wagtail checks before serving and one more for every `.public()` list on the
page. The entries live in the default cache, whose keys carry the schema (one entry per site, on
every app server when the cache is a shared store), and are dropped when what they hold changes:
at once, so that this process sees the change, and again after the commit, so that a request that
refilled the entry from the old rows in between cannot keep it (`forget`).
"""

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_SECONDS = 300
SITES_KEY = "render:sites"
RESTRICTIONS_KEY = "render:restrictions"


def forget(*keys: str) -> None:
    """Drop cache entries of the current site now and again after the commit."""
    schema = getattr(connection, "schema_name", None)
    cache.delete_many(keys)

    def again():
        if schema is None:
            cache.delete_many(keys)
            return
        from django_tenants.utils import schema_context

        with schema_context(schema):
            cache.delete_many(keys)

    transaction.on_commit(again)


# --- the Wagtail site and its home page --------------------------------------------------------


def _sites() -> list:
    sites = cache.get(SITES_KEY)
    if sites is None:
        from wagtail.models import Site

        sites = list(Site.objects.select_related("root_page"))
        for site in sites:
            # Routing starts at the specific home page: keep it with the site.
            site.root_page = site.root_page.specific
        cache.set(SITES_KEY, sites, CACHE_SECONDS)
    return sites


def site_for_hostname(hostname: str, port: int):
    """Wagtail's own choice (`wagtail.models.sites.get_site_for_hostname`) among the cached
    sites: hostname and port, then hostname of the default site, then the default site (or the
    only other hostname match), else None."""
    ranked = []
    for site in _sites():
        if site.hostname == hostname and site.port == port:
            rank = 0
        elif site.hostname == hostname and site.is_default_site:
            rank = 1
        elif site.is_default_site:
            rank = 2
        elif site.hostname == hostname:
            rank = 3
        else:
            continue
        ranked.append((rank, site))
    ranked.sort(key=lambda pair: pair[0])
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0][0] in (0, 1):
        return ranked[0][1]
    if ranked[0][0] == 2:
        return ranked[len(ranked) == 2][1]
    return None


class SiteMiddleware:
    """Gives Wagtail the request's site from the cache (`Site.find_for_request` reads it from
    `request._wagtail_site`), so neither routing nor `{% pageurl %}` asks the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(connection, "schema_name", None) != "public":
            hostname = split_domain_port(request._get_raw_host())[0]
            port = request.get_port()
            request._wagtail_site = site_for_hostname(hostname, int(port) if port.isdigit() else port)
        return self.get_response(request)


# --- view restrictions -------------------------------------------------------------------------


def _restrictions() -> dict:
    """`{"covering": [(restriction id, path)], "paths": [path]}` of the current site.

    `covering` follows Wagtail's `Page.get_view_restrictions`: a restriction on a page covers its
    subtree and the subtrees of the page's aliases; one set on an alias itself counts for nothing.
    `paths` follows Wagtail's `PageQuerySet.private_q`: the subtree of every restricted page."""
    value = cache.get(RESTRICTIONS_KEY)
    if value is None:
        from wagtail.models import Page, PageViewRestriction

        rows = list(PageViewRestriction.objects.values_list("id", "page_id", "page__path", "page__alias_of_id"))
        covering = []
        if rows:
            aliases = {page_id: (path, source) for page_id, path, source in
                       Page.objects.filter(alias_of__isnull=False).values_list("id", "path", "alias_of_id")}

            def source_of(page_id):
                seen = set()
                while page_id in aliases and page_id not in seen:
                    seen.add(page_id)
                    page_id = aliases[page_id][1]
                return page_id

            alias_paths = {}
            for alias_id, (path, _source) in aliases.items():
                alias_paths.setdefault(source_of(alias_id), []).append(path)
            for restriction_id, page_id, path, alias_of in rows:
                if alias_of is None:
                    covering.extend((restriction_id, covered) for covered in [path, *alias_paths.get(page_id, [])])
        value = {"covering": covering, "paths": sorted({path for _, _, path, _ in rows})}
        cache.set(RESTRICTIONS_KEY, value, CACHE_SECONDS)
    return value


def restriction_ids_for(path: str) -> list[int]:
    """Ids of the view restrictions that apply to the page at this tree path."""
    return sorted({restriction_id for restriction_id, covered in _restrictions()["covering"]
                   if path.startswith(covered)})


def restricted_paths() -> list[str]:
    """Tree paths of the restricted pages: they and their descendants are not public."""
    return _restrictions()["paths"]


# --- invalidation --------------------------------------------------------------------------------


def _on_page_change(sender, instance=None, **kwargs):
    from wagtail.models import Page, PageViewRestriction, Site

    if isinstance(instance, PageViewRestriction):
        forget(RESTRICTIONS_KEY)
    elif isinstance(instance, Site):
        forget(SITES_KEY)
    elif isinstance(instance, Page):
        keys = []
        if (instance.depth or 0) <= 2 or kwargs.get("signal") is post_page_move:
            keys.append(SITES_KEY)  # a home page: the cached site holds it
        if instance.alias_of_id or kwargs.get("signal") is post_page_move:
            keys.append(RESTRICTIONS_KEY)  # alias pages and moved subtrees change covered paths
        if keys:
            forget(*keys)


for _signal in (post_save, post_delete, post_page_move, page_published, page_unpublished):
    _signal.connect(_on_page_change, dispatch_uid="portal.render_caches")
