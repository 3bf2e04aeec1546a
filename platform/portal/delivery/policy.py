"""Which public pages may be shared between anonymous visitors, and what each depends on.

This is the one list. A view that is not named here (or marked with `cacheable`) is never stored,
so a new personal page cannot be cached by accident. Each entry names the query parameters the
page reads (a request with any other parameter is answered but not stored, so made-up addresses
cannot fill the store) and the tags beyond those every page has (its own department, the theme,
its plugin settings; on the portal also the projection and the department list).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Cacheable:
    params: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Also depends on the cross-department projection when served on the portal.
    portal_projection: bool = True


# Every page accepts `plain` (the plain version is a variant of the same page).
COMMON_PARAMS = ("plain",)

# By URL name (namespace:name for plugins).
VIEWS: dict[str, Cacheable] = {
    # Department and portal homepages, column lists with their pagination, articles and catalogue
    # entries (Wagtail pages; which page types, see PAGE_TYPES).
    "wagtail_serve": Cacheable(params=("page",)),
    "site_map": Cacheable(),
    "about_site": Cacheable(),
    "column_rss": Cacheable(),
    "column_atom": Cacheable(),
    "items_api": Cacheable(params=("department", "column_type", "page"), tags=("projection",)),
    # sitemap.xml and robots.txt (portal.sitemaps): a site's own pages and projected items; the
    # portal's index also counts every department's items (its projection and department tags).
    "sitemap_xml": Cacheable(),
    "sitemap_section": Cacheable(params=("p",)),
    "robots_txt": Cacheable(),
}
# Plugins mark their own shareable views with `cacheable` (the mailbox's published letters, the
# disclosure catalogue and 年报), like a plugin installed from elsewhere would.

# Wagtail page types whose public view is the same for every visitor (subclasses included, e.g.
# the disclosure catalogue entry is an article). Pages behind a view restriction never get here
# anonymously: Wagtail answers them with a login redirect or a password form.
PAGE_TYPES = ("pages.HomePage", "pages.ColumnPage", "pages.ArticlePage")

# Views marked with the decorator (every plugin's shareable pages).
_marked: dict[object, Cacheable] = {}


def cacheable(params: tuple[str, ...] = (), tags: tuple[str, ...] = ()):
    """Mark a view as the same for every anonymous visitor: it is stored in the page cache.

    `params` are the query parameters it reads; `tags` what it depends on beyond its own
    department's content (e.g. `model:<app>.<model>` for a public-schema model). A tag may name
    the URL's keyword arguments, `interviews:transcript:{pk}`, so one object's change (bumped with
    `portal.delivery.changed`) leaves the pages of every other object cached.
    """

    def mark(view):
        _marked[view] = Cacheable(params=tuple(params), tags=tuple(tags))
        return view

    return mark


def for_view(resolver_match) -> Cacheable | None:
    if resolver_match is None:
        return None
    view = resolver_match.func
    while view is not None:  # through wrappers such as the plugin-enabled guard (functools.wraps)
        marked = _marked.get(view)
        if marked is not None:
            return marked
        view = getattr(view, "__wrapped__", None)
    return VIEWS.get(resolver_match.view_name)


def depends_on(request, *tags: str) -> None:
    """The page being rendered also depends on `tags`, which only the view knows (an aggregated
    column reads the departments it gathers from). Call it before reading what the tags cover:
    their versions are taken now, so a change committed after this makes the copy stale."""
    from . import store

    render = getattr(request, "delivery", None)
    if render is None or render.spec is None:
        return
    new = [tag for tag in dict.fromkeys(tags) if tag not in render.tags]
    if new:
        render.tags.extend(new)
        render.versions.update(store.versions(new))


def page_type_allowed(page) -> bool:
    from django.apps import apps

    return isinstance(page, tuple(apps.get_model(name) for name in PAGE_TYPES))


def tags_for(spec: Cacheable, department, url_kwargs: dict | None = None) -> list[str]:
    own = [tag.format(**url_kwargs) if url_kwargs and "{" in tag else tag for tag in spec.tags]
    tags = ["all", "theme", f"site:{department.schema_name}", *own]
    if department.is_portal and spec.portal_projection:
        tags += ["projection", "departments"]
    return list(dict.fromkeys(tags))
