"""访问统计 as the centre reads it: a known sequence of visits gives known totals per site, column
and page; crawlers, the platform's own checks and non-pages are not counted; a page served from
the page cache is counted without a single SQL statement; and nothing that identifies a visitor
is kept, neither in the tables nor in the store."""

from datetime import date, timedelta

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from portal.visits import counting
from portal.visits.flush import flush_to_database, purge_raw_counters
from portal.visits.models import ColumnVisits, PageVisits, SiteVisits
from portal.visits.statistics import visit_totals

JYJ, WWW = "jyj.localhost", "www.localhost"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def visit(host, path, address="203.0.113.7", agent=CHROME, method="get"):
    response = getattr(Client(), method)(path, HTTP_HOST=host, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    return response


def flushed(today=None):
    counting.flush_buffer()
    return flush_to_database(today)


def site(department, day=None):
    row = SiteVisits.objects.filter(department=department, day=day or timezone.localdate()).first()
    return (row.page_views, row.unique_visitors) if row else (0, 0)


def test_known_sequence_of_visits_gives_known_totals(departments):
    jyj, www = departments["jyj"], departments["www"]
    first = visit(JYJ, "/news/sample-1/")  # visitor A
    assert first.status_code == 200
    assert visit(JYJ, "/news/sample-1/")["X-Page-Cache"] == "HIT"  # A again, from the page cache
    visit(JYJ, "/")  # A
    visit(JYJ, "/news/sample-1/", address="198.51.100.4")  # B
    visit(JYJ, "/notices/sample-2/", address="198.51.100.4")  # B
    visit(JYJ, "/news/sample-2/", agent=FIREFOX)  # C: same address as A, another browser
    visit(WWW, "/", address="192.0.2.55")  # D on the portal
    assert flushed() == 7

    today = timezone.localdate()
    assert site(jyj) == (6, 3) and site(www) == (1, 1)
    pages = {row.path: row for row in PageVisits.objects.filter(department=jyj, day=today)}
    assert {path: (row.page_views, row.unique_visitors) for path, row in pages.items()} == {
        "/news/sample-1/": (3, 2), "/": (1, 1), "/notices/sample-2/": (1, 1), "/news/sample-2/": (1, 1)}
    title = pages["/news/sample-1/"].title
    assert title.startswith("区教育局") and title.endswith("样例1")
    assert pages["/news/sample-1/"].page_id is not None and pages["/news/sample-1/"].column_path == "/news/"
    columns = {row.column_path: (row.column_title, row.page_views, row.unique_visitors)
               for row in ColumnVisits.objects.filter(department=jyj, day=today)}
    assert columns["/news/"][1:] == (4, 3) and columns["/news/"][0]  # A, B and C read the news column
    assert columns["/notices/"][1:] == (1, 1) and columns["/"] == ("首页", 1, 1)
    assert visit_totals(jyj, today, today) == {"page_views": 6, "unique_visitors": 3}
    assert visit_totals(None, today, today) == {"page_views": 7, "unique_visitors": 4}
    assert visit_totals(jyj, today - timedelta(days=30), today - timedelta(days=1)) == {
        "page_views": 0, "unique_visitors": 0}

    # The job may run again (or crash and be rerun): totals are replaced, never added twice.
    visit(JYJ, "/news/sample-1/", address="198.51.100.9")
    flushed()
    flushed()
    assert site(jyj) == (7, 4)


def test_crawlers_own_checks_and_non_pages_are_not_counted(departments):
    not_visitors = [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0",
        "GovsiteInspection/1.0",  # the inspection crawler
        "python-httpx/0.28.1",  # the availability watch and the tamper check
        "curl/8.11.0",
        "",
    ]
    for agent in not_visitors:
        assert visit(JYJ, "/news/sample-1/", agent=agent).status_code == 200
    assert visit(JYJ, "/news/sample-1/", method="head").status_code == 200
    assert visit(JYJ, "/no-such-page/").status_code == 404
    assert visit(JYJ, "/admin/login/").status_code == 200
    assert visit(JYJ, "/api/items/").status_code == 200
    visit(JYJ, "/news/sample-1/")  # one person
    flushed()
    assert site(departments["jyj"]) == (1, 1)
    assert list(PageVisits.objects.values_list("path", flat=True)) == ["/news/sample-1/"]


@pytest.fixture
def driver_statements(monkeypatch):
    """Every statement the PostgreSQL driver sends from this process."""
    sent = []
    original = psycopg.Cursor.execute

    def execute(self, query, *args, **kwargs):
        sent.append(str(query))
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", execute)
    return sent


def test_a_page_from_the_cache_is_counted_without_sql(departments, driver_statements):
    visit(JYJ, "/news/sample-3/")  # rendered and stored by the page cache
    driver_statements.clear()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.1"):
        assert visit(JYJ, "/news/sample-3/", address=address)["X-Page-Cache"] == "HIT"
    counting.flush_buffer()  # (the writer thread may have sent some of them already)
    views = counting.store().hget(counting.views_key(counting.today()), f"{JYJ}\n/news/sample-3/")
    assert int(views) == 4 and driver_statements == []  # counted and in the store, without SQL
    flush_to_database()
    assert site(departments["jyj"]) == (4, 3)


def test_no_personal_data_in_the_tables_or_the_store(departments):
    visit(JYJ, "/news/sample-1/", address="203.0.113.77", agent=FIREFOX)
    counting.flush_buffer()
    # In the store: counts by host and path, and visitor registers that cannot be read back.
    client = counting.store()
    for stored in client.scan_iter(match=f"{counting.key('visits:')}*"):
        kind = client.type(stored).decode()
        values = {"hash": lambda k: b"".join(b"".join(pair) for pair in client.hgetall(k).items()),
                  "string": client.get, "set": lambda k: b"".join(client.smembers(k))}[kind](stored)
        assert b"203.0.113.77" not in stored + values and b"Firefox" not in stored + values
    flush_to_database()
    assert site(departments["jyj"]) == (1, 1)
    # In the database: only days, sites, paths, titles and counts.
    columns = {}
    with connection.cursor() as cursor:
        for model in (SiteVisits, ColumnVisits, PageVisits):
            cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                           "AND table_name = %s ORDER BY ordinal_position", [model._meta.db_table])
            columns[model] = [name for (name,) in cursor.fetchall()]
    assert columns == {
        SiteVisits: ["id", "day", "page_views", "unique_visitors", "department_id"],
        ColumnVisits: ["id", "day", "column_path", "column_title", "page_views", "unique_visitors",
                       "department_id"],
        PageVisits: ["id", "day", "path", "page_id", "title", "column_path", "page_views", "unique_visitors",
                     "department_id"],
    }


def test_the_salt_is_random_per_day_and_gone_at_midnight(departments):
    today = counting.today()
    assert today == timezone.localdate().isoformat()
    salt = counting._day_salt(today)
    assert len(salt) == 64 and salt != counting._day_salt("2020-01-02")
    client = counting.store()
    assert client.get(counting.salt_key(today)) == salt
    now = timezone.localtime()
    to_midnight = (now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1) - now).total_seconds()
    assert 0 < client.ttl(counting.salt_key(today)) <= to_midnight + 61
    # The same person is a different, unlinkable visitor under another day's salt.
    assert counting.visitor_digest(salt, "203.0.113.7", CHROME) != counting.visitor_digest(
        counting._day_salt("2020-01-02"), "203.0.113.7", CHROME)


def test_a_finished_day_leaves_the_store_and_raw_counters_expire(departments):
    jyj = departments["jyj"]
    visit(JYJ, "/news/sample-1/")
    flushed()
    today = timezone.localdate()
    client = counting.store()
    assert client.sismember(counting.days_key(), today.isoformat())
    flush_to_database(today + timedelta(days=1))  # the day after: the day may still get late views
    assert client.exists(counting.views_key(today.isoformat()))
    flush_to_database(today + timedelta(days=2))
    assert not client.exists(counting.views_key(today.isoformat()))
    assert not client.sismember(counting.days_key(), today.isoformat())
    assert site(jyj) == (1, 1)  # the database keeps what the store gave up

    old = date(2024, 1, 1)
    SiteVisits.objects.create(department=jyj, day=old, page_views=5, unique_visitors=3)
    ColumnVisits.objects.create(department=jyj, day=old, column_path="/news/", page_views=5, unique_visitors=3)
    PageVisits.objects.create(department=jyj, day=old, path="/news/a/", column_path="/news/", page_views=5,
                              unique_visitors=3)
    assert purge_raw_counters(old + timedelta(days=400)) == 0  # 400 days are kept
    assert purge_raw_counters(old + timedelta(days=401)) == 2
    assert not PageVisits.objects.filter(day=old).exists() and not ColumnVisits.objects.filter(day=old).exists()
    assert visit_totals(jyj, old, old) == {"page_views": 5, "unique_visitors": 3}  # aggregates for ever


def test_the_scheduler_runs_the_flush(departments):
    from portal.scheduling import core_jobs, run_due

    visit(JYJ, "/news/sample-1/")
    counting.flush_buffer()
    job = next(job for job in core_jobs() if job.name == "visit_counters")
    assert run_due(timezone.now() + timedelta(days=3650), jobs=[job]) == ["visit_counters"]
    assert site(departments["jyj"]) == (1, 1)


def test_the_yearly_statement_reads_the_counted_visits(departments):
    """独立用户访问总量 and 网站总访问量 of the statement come from these counters: three visitors
    (one of them twice) and a crawler add 4 views and 3 visitors to the year's figures."""
    from portal.statement.compute import compute

    year = timezone.localdate().year
    before = compute(year)
    visit(JYJ, "/news/sample-1/")
    visit(JYJ, "/news/sample-2/")
    visit(WWW, "/", address="198.51.100.4")
    visit(WWW, "/", address="192.0.2.55")
    visit(WWW, "/", agent="Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")
    flushed()
    after = compute(year)
    assert after["page_views"] - before["page_views"] == 4
    assert after["unique_visitors"] - before["unique_visitors"] == 3
