"""URLs of every department site (and the portal): admin, documents, feeds, plugins, pages."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import feeds, public_forms, site_pages, sitemaps, views
from .plugins import collected_urls

urlpatterns = [
    # Wagtail's JavaScript catalogue plus the project's Chinese for the strings it lacks.
    path("admin/jsi18n/", views.admin_javascript_catalog, name="admin_javascript_catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("media/<path:path>", views.serve_media, name="media"),
    path("api/items/", views.items_api, name="items_api"),
    path("sitemap/", site_pages.site_map, name="site_map"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_xml"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("feeds/<path:column_path>/rss.xml", feeds.ColumnRssFeed(), name="column_rss"),
    path("feeds/<path:column_path>/atom.xml", feeds.ColumnAtomFeed(), name="column_atom"),
    path("about-site/", site_pages.about_site, name="about_site"),
    path("", include("portal.newmedia.urls")),
    path("", include("portal.statement.urls")),
    path("captcha/<slug:scope>.png", public_forms.captcha_image, name="captcha_image"),
    path("theme/", include("themes.urls")),
    path("", include("search.urls")),
    *collected_urls("public_urls"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns.append(path("", include(wagtail_urls)))

# A database that cannot be reached answers a Chinese 503 (portal.database_errors).
handler500 = "portal.database_errors.server_error"
