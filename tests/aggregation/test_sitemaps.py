"""sitemap.xml and robots.txt on every site (sitemaps.org 0.9): the portal's index covers every
department on its own host, each file stays within the protocol's limits with absolute addresses
on the site's host and W3C datetimes, and both are current after a publish though cached."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.test import Client

from .test_aggregated_columns import BASE, aggregate, publish

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# W3C Datetime (the profile sitemaps.org names): a date, or a date and time with a time zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def fetch(client, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    return response, ET.fromstring(response.content)


def check_entries(root, kind, hosts):
    """Every entry: an absolute http(s) address on one of `hosts`, a valid lastmod if any."""
    entries = root.findall(f"{NS}{kind}")
    assert root.tag == f"{NS}{'sitemapindex' if kind == 'sitemap' else 'urlset'}"
    assert 0 < len(entries) <= 50_000
    locations = []
    for entry in entries:
        location = entry.findtext(f"{NS}loc")
        parts = urlsplit(location)
        assert parts.scheme in ("http", "https") and parts.hostname in hosts, location
        lastmod = entry.findtext(f"{NS}lastmod")
        assert lastmod is None or W3C_DATETIME.match(lastmod), lastmod
        assert {child.tag for child in entry} <= {f"{NS}loc", f"{NS}lastmod"}
        locations.append(location)
    return locations


def test_a_department_sitemap_lists_its_pages_and_items_on_its_own_host(departments):
    visitor = Client()
    _, index = fetch(visitor, "jyj.localhost", "/sitemap.xml")
    files = check_entries(index, "sitemap", {"jyj.localhost"})
    assert [urlsplit(f).path for f in files] == ["/sitemap-pages.xml", "/sitemap-items.xml"]
    _, pages = fetch(visitor, "jyj.localhost", "/sitemap-pages.xml")
    addresses = [urlsplit(url).path for url in check_entries(pages, "url", {"jyj.localhost"})]
    assert addresses[0] == "/" and "/news/" in addresses and "/policies/" in addresses
    _, items = fetch(visitor, "jyj.localhost", "/sitemap-items.xml")
    addresses = [urlsplit(url).path for url in check_entries(items, "url", {"jyj.localhost"})]
    assert sorted(addresses) == sorted([f"/news/sample-{n}/" for n in (1, 2, 3)]
                                       + [f"/notices/sample-{n}/" for n in (1, 2, 3)])
    assert visitor.get("/sitemap-items.xml?p=2", HTTP_HOST="jyj.localhost").status_code == 404
    assert visitor.get("/sitemap-nosuch.xml", HTTP_HOST="jyj.localhost").status_code == 404


def test_the_portal_sitemap_is_an_index_of_every_department(departments):
    _, index = fetch(Client(), "www.localhost", "/sitemap.xml")
    files = check_entries(index, "sitemap", {"www.localhost", "jyj.localhost", "wjj.localhost"})
    by_host = {}
    for location in files:
        by_host.setdefault(urlsplit(location).hostname, []).append(urlsplit(location).path)
    assert by_host == {host: ["/sitemap-pages.xml", "/sitemap-items.xml"]
                       for host in ("www.localhost", "jyj.localhost", "wjj.localhost")}


def test_sitemaps_are_cached_and_current_after_each_publish(departments):
    visitor = Client()
    assert visitor.get("/sitemap-items.xml", HTTP_HOST="wjj.localhost")["X-Page-Cache"] == "MISS"
    assert visitor.get("/sitemap-items.xml", HTTP_HOST="wjj.localhost")["X-Page-Cache"] == "HIT"
    assert visitor.get("/sitemap.xml", HTTP_HOST="www.localhost")["X-Page-Cache"] == "MISS"
    assert visitor.get("/sitemap.xml", HTTP_HOST="www.localhost")["X-Page-Cache"] == "HIT"
    article = publish(departments["wjj"], "policies", "新发布的政策文件", BASE)
    items = visitor.get("/sitemap-items.xml", HTTP_HOST="wjj.localhost")
    assert f"/policies/{article.slug}/" in items.content.decode()
    # The portal's index shows the department's newest change.
    index = ET.fromstring(visitor.get("/sitemap.xml", HTTP_HOST="www.localhost").content)
    wjj_items = next(entry for entry in index.findall(f"{NS}sitemap")
                     if (urlsplit(entry.findtext(f"{NS}loc")).hostname, urlsplit(entry.findtext(f"{NS}loc")).path)
                     == ("wjj.localhost", "/sitemap-items.xml"))
    newest = datetime.fromisoformat(wjj_items.findtext(f"{NS}lastmod"))
    assert datetime.now(newest.tzinfo) - newest < timedelta(minutes=5)


def test_an_aggregated_column_in_the_sitemap_changes_with_its_sources(departments):
    aggregate(departments["wjj"], "interpretations", aggregate_column_type="policy", aggregate_departments=["jyj"])
    visitor = Client()
    visitor.get("/sitemap-pages.xml", HTTP_HOST="wjj.localhost")
    assert visitor.get("/sitemap-pages.xml", HTTP_HOST="wjj.localhost")["X-Page-Cache"] == "HIT"
    publish(departments["jyj"], "policies", "教育局政策", BASE)
    refreshed = visitor.get("/sitemap-pages.xml", HTTP_HOST="wjj.localhost")
    assert refreshed["X-Page-Cache"] == "MISS"
    root = ET.fromstring(refreshed.content)
    entry = next(e for e in root.findall(f"{NS}url") if e.findtext(f"{NS}loc").endswith("/interpretations/"))
    newest = datetime.fromisoformat(entry.findtext(f"{NS}lastmod"))
    assert datetime.now(newest.tzinfo) - newest < timedelta(minutes=5)


def test_robots_disallow_keeps_crawlers_out_of_the_admin_and_the_query_code_lookups(departments):
    """The `robots_disallow` hook: each enabled plugin names its query-code lookup."""
    from portal.plugins import set_enabled

    visitor = Client()
    robots = visitor.get("/robots.txt", HTTP_HOST="www.localhost")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    lines = robots.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /mailbox/query/", "Disallow: /catalogue/status/"} <= set(lines)
    assert "Sitemap: http://www.localhost/sitemap.xml" in lines
    assert visitor.get("/robots.txt", HTTP_HOST="www.localhost")["X-Page-Cache"] == "HIT"
    set_enabled(departments["jyj"], "mailbox", False)
    jyj = visitor.get("/robots.txt", HTTP_HOST="jyj.localhost").content.decode().splitlines()
    assert "Disallow: /mailbox/query/" not in jyj and "Disallow: /catalogue/status/" in jyj
    assert "Sitemap: http://jyj.localhost/sitemap.xml" in jyj
