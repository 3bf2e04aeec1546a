"""`sitemap.xml` and `robots.txt` of every site, for search engines (sitemaps.org protocol 0.9).

Each site's `/sitemap.xml` is a sitemap index of its own sections: `sitemap-pages.xml` (the home
page, the columns and any other page that is not an item) and `sitemap-items.xml` (its live,
public items, read from the projection). The portal's index also names every active
department's sections on the department's own host, so one address covers the whole district;
the number of item files per department comes from one grouped count over the projection, never
from the departments' schemas. No file holds more than 50,000 addresses (`?p=2` … beyond), every
address is absolute on the host it was asked on, and `lastmod` is a W3C datetime.

`robots.txt` keeps crawlers out of the admin and the lookups by query code (the plugins name
theirs through the `robots_disallow` hook) and names the sitemap. All of these are shared pages
of the page cache (`delivery.policy`), so a publish refreshes them like any other page.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse

URLS_PER_FILE = 50_000  # the protocol's limit per file
SECTIONS = ("pages", "items")


def _origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"


class PageSitemap(Sitemap):
    """The site's pages other than items: home, columns, plugin pages. An aggregated column's
    last change is its newest gathered item's."""

    limit = URLS_PER_FILE

    def __init__(self, request):
        self.request = request

    def items(self):
        from wagtail.models import Page

        from portal.pages.models import ArticlePage, HomePage

        home = HomePage.objects.filter(depth=2).first()
        if home is None:
            return Page.objects.none()
        return (
            Page.objects.descendant_of(home, inclusive=True).live().public().not_type(ArticlePage)
            .select_related("columnpage").order_by("path")
            .only("id", "url_path", "last_published_at", "depth", "path", "content_type_id",
                  "columnpage__aggregate_column_type", "columnpage__aggregate_topic",
                  "columnpage__aggregate_departments")
        )

    def location(self, page):
        from themes.context_processors import site_relative_url

        return site_relative_url(page.url_path)

    def lastmod(self, page):
        from portal.delivery.policy import depends_on
        from portal.pages.aggregation import aggregated_items, cache_tags, is_aggregated

        column = getattr(page, "columnpage", None) if hasattr(page, "columnpage") else None
        if column is not None and is_aggregated(column):
            depends_on(self.request, *cache_tags(column))
            newest = aggregated_items(column).values_list("updated_at", flat=True).first()
            if newest is not None:
                return max(newest, page.last_published_at) if page.last_published_at else newest
        return page.last_published_at


class ItemSitemap(Sitemap):
    """The site's live, public items, from the projection (the same rows the portal counts)."""

    limit = URLS_PER_FILE

    def __init__(self, request):
        self.request = request

    def items(self):
        from portal.models import PublishedItem

        return (
            PublishedItem.objects.filter(department=self.request.tenant, kind="article")
            .order_by("id").only("id", "url", "updated_at")
        )

    def location(self, item):
        return _path_of(item.url)

    def lastmod(self, item):
        return item.updated_at


def _sections(request) -> dict[str, Sitemap]:
    return {"pages": PageSitemap(request), "items": ItemSitemap(request)}


def _urls(sitemap: Sitemap, origin: str, page) -> list[dict]:
    """The addresses of one file of a section, absolute on `origin`."""
    return [
        {"location": origin + sitemap.location(item), "lastmod": sitemap.lastmod(item)}
        for item in sitemap.paginator.page(page).object_list
    ]


def _section_files(origin: str, section: str, pages: int, lastmod=None) -> list[dict]:
    location = f"{origin}/sitemap-{section}.xml"
    return [
        {"location": location if number == 1 else f"{location}?p={number}", "lastmod": lastmod}
        for number in range(1, max(pages, 1) + 1)
    ]


def _xml(request, template, context):
    return TemplateResponse(request, template, context, content_type="application/xml; charset=utf-8")


def sitemap_index(request):
    """This site's sections; on the portal also every active department's, on its own host."""
    from portal.models import PublishedItem

    origin = _origin(request)
    department = request.tenant
    own = PublishedItem.objects.filter(department=department, kind="article").aggregate(
        count=Count("id"), newest=Max("updated_at"))
    pages = _sections(request)["pages"]
    files = [
        *_section_files(origin, "pages", pages.paginator.num_pages),
        *_section_files(origin, "items", -(-own["count"] // URLS_PER_FILE), own["newest"]),
    ]
    if department.is_portal:
        from tenants.models import Department

        others = (
            Department.objects.filter(kind__in=[Department.Kind.BUREAU, Department.Kind.TOWN],
                                      status=Department.Status.ACTIVE)
            .annotate(items=Count("published_items", distinct=True),
                      newest=Max("published_items__updated_at"))
            .order_by("sort_order", "id")
        )
        for other in others:
            files += _section_files(other.base_url, "pages", 1)
            files += _section_files(other.base_url, "items", -(-other.items // URLS_PER_FILE), other.newest)
    return _xml(request, "portal/sitemaps/index.xml", {"files": files})


def sitemap_section(request, section):
    if section not in SECTIONS:
        raise Http404("没有这个网站地图")
    sitemap = _sections(request)[section]
    page = request.GET.get("p", "1")
    try:
        urls = _urls(sitemap, _origin(request), page)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(f"网站地图没有第 {page} 页") from error
    return _xml(request, "portal/sitemaps/urlset.xml", {"urls": urls})


def robots_txt(request):
    from portal.plugins import hooks_for

    department = request.tenant
    disallowed = ["/admin/"]
    for paths in hooks_for(department).robots_disallow(department=department):
        disallowed += [path for path in paths or [] if path not in disallowed]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), "",
             f"Sitemap: {_origin(request)}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
