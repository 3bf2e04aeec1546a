"""Faults the site survives: PostgreSQL restarting while it serves, Elasticsearch answering too late.

PostgreSQL is restarted for real, so the test runs its own server (own folder under .services/ and
own port, started by services/postgres.py like the shared one) holding a copy of the committed
test district; the shared server other test runs use is never touched. A gunicorn app server with
persistent connections serves that copy under a steady load of pages that need the database and
of a cached page. The restart must show visitors a Chinese 503 (never a 500 or a stack trace)
while PostgreSQL is away, cached pages all along, and once it is back the same app server must
answer again within seconds and fail no request after that, without being restarted. A publish
cut off by the restart is applied whole or not at all.

Elasticsearch is made slow, not down, by a small proxy in front of the shared node that holds
every answer back longer than SEARCH_TIMEOUT: search must answer from PostgreSQL in time.
"""

import logging
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError
from django_tenants.utils import tenant_context

from tests.conftest import ROOT, host, server_environment, wait_for_port

logger = logging.getLogger(__name__)  # the figures the README quotes (pytest -o log_cli=true)
SUFFIX = settings.DATABASES["default"]["TEST"]["NAME"].removeprefix("test_govsite")
UNAVAILABLE_TEXT = "数据库暂时无法连接"
WHEN = datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------------------------------------
# A publish that fails half-way leaves nothing behind (every route of publishing)
# ------------------------------------------------------------------------------------------------


def _publish_with_revision(article, revision):
    revision.publish()


def _publish_as_the_edit_view(article, revision):
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction

    PublishPageRevisionAction(revision, user=None).execute(skip_permission_checks=True)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [_publish_with_revision, _publish_as_the_edit_view],
                         ids=["revision.publish", "edit view action"])
def test_a_publish_cut_off_by_the_database_is_not_half_applied(route, departments, client):
    """The connection dies after Wagtail has saved the page as live, while the projection is being
    written: the page must not be live anywhere (not on its column, not in the projection, not in
    search), as if nobody had pressed 发布."""
    from portal.models import PublishedItem
    from portal.pages.models import ArticlePage, ColumnPage
    from wagtail.signals import page_published

    from search.models import OutboxEntry, SearchDocument

    jyj = departments["jyj"]
    with tenant_context(jyj):
        column = ColumnPage.objects.get(depth=3, slug="news")
        article = ArticlePage(title="数据库中断时发布的动态", slug="cut-off-publish", publish_time=WHEN, live=False,
                              body=[("text", "<p>正文</p>")])
        column.add_child(instance=article)
        revision = article.save_revision()

        def connection_lost(sender, instance, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        page_published.connect(connection_lost, dispatch_uid="test-connection-lost")
        try:
            with pytest.raises(OperationalError):
                route(article, revision)
        finally:
            page_published.disconnect(dispatch_uid="test-connection-lost")
        assert not ArticlePage.objects.get(pk=article.pk).live
        assert not PublishedItem.objects.filter(department=jyj, object_id=article.pk).exists()
        doc_ids = list(SearchDocument.objects.filter(tenant="jyj", object_id=article.pk)
                       .values_list("doc_id", flat=True))
        assert doc_ids == [] and not OutboxEntry.objects.filter(doc_id__in=doc_ids).exists()
    news = client.get("/news/", HTTP_HOST=host("jyj"))
    assert news.status_code == 200 and "数据库中断时发布的动态" not in news.content.decode()


# ------------------------------------------------------------------------------------------------
# PostgreSQL restarting under load
# ------------------------------------------------------------------------------------------------


class PrivatePostgres:
    """An embedded PostgreSQL of this test's own, holding a copy of the committed test database."""

    def __init__(self):
        self.port = free_port()
        self.folder = ROOT / ".services" / f"faults-postgres{SUFFIX}"
        self.store_port = free_port()
        self.env = {**server_environment(0), "GOVSITE_PG_DIR": str(self.folder), "GOVSITE_PG_PORT": str(self.port),
                    "GOVSITE_STORE_DIR": str(self.folder.with_name(self.folder.name + "-store")),
                    "GOVSITE_STORE_PORT": str(self.store_port)}

    def _service(self, command, script="postgres.py"):
        result = subprocess.run([sys.executable, str(ROOT / "services" / script), command], env=self.env,
                                cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, f"{script} {command}:\n{result.stdout}\n{result.stderr}"

    def start(self):
        self._service("start")

    def stop(self):
        self._service("stop")  # pg_ctl -m fast: open sessions are terminated at once

    def start_store(self):
        """A store of its own too: other test runs empty the shared one whenever a test ends."""
        self._service("start", "store.py")

    def copy_test_database(self, work):
        import dj_database_url
        from portal.operations.backups import pg_tool

        shared = dj_database_url.parse(settings.TEST_DATABASE_OWNER_URL)  # the shared server's superuser
        dump = work / "district.dump"
        subprocess.run([pg_tool("pg_dump"), "-h", shared["HOST"], "-p", str(shared["PORT"]), "-U", shared["USER"],
                        "-Fc", "-f", str(dump), settings.DATABASES["default"]["NAME"]],
                       check=True, capture_output=True, timeout=300)
        restored = subprocess.run([pg_tool("pg_restore"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                                   "-d", "govsite", "--exit-on-error", str(dump)],
                                  capture_output=True, text=True, timeout=300)
        assert restored.returncode == 0, restored.stderr

    def url(self, role="govsite_app"):
        return f"postgres://{role}@127.0.0.1:{self.port}/govsite"

    def query(self, sql):
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="govsite") as connection:
            return connection.execute(sql).fetchall()

    def remove(self):
        if (self.folder / "data" / "postmaster.pid").exists():
            self.stop()
        store = Path(self.env["GOVSITE_STORE_DIR"])
        if (store / "store.pid").exists():
            self._service("stop", "store.py")
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)


@pytest.fixture(scope="module")
def private_site(django_db_setup, tmp_path_factory):
    """The private PostgreSQL and one gunicorn (1 worker, 4 threads, persistent connections) on it."""
    database = PrivatePostgres()
    database.remove()
    process = None
    try:
        database.start()
        database.start_store()
        database.copy_test_database(tmp_path_factory.mktemp("faults"))
        port = free_port()
        env = {
            **server_environment(port, DATABASE_URL=database.url(), DATABASE_OWNER_URL=database.url("postgres"),
                                 CACHE_URL=f"redis://127.0.0.1:{database.store_port}/0",
                                 # Connections live on between requests, as in production.
                                 DB_CONN_MAX_AGE="60",
                                 # Its own store keys and search index name: a copy must not meet the
                                 # shared district's cached pages; search answers from PostgreSQL.
                                 GOVSITE_TEST_DB_SUFFIX=f"{SUFFIX}_faults", SEARCH_BACKEND="postgres"),
            "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        }
        log = open(ROOT / ".services" / f"faults-server-{port}.log", "w")
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "1",
             "--threads", "4", "--chdir", str(ROOT / "platform"), "--timeout", "120",
             "--control-socket", str(ROOT / ".services" / f"faults-server-{port}.ctl")],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        wait_for_port(port, process, log.name)
        yield database, f"http://127.0.0.1:{port}", env, process
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        database.remove()
        _drop_indices(f"test-govsite{SUFFIX}_faults".lower())


def _drop_indices(prefix):
    """Whatever the copy's publishes pushed to Elasticsearch under its own index name."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL)
    for name in client.indices.get(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True):
        client.indices.delete(index=name)


# What the load asks for: (name, host, path, session cookie). A session cookie sends the request
# past the page cache, through the session and the page's own queries.
CACHED = ("cached page", "jyj", "/news/", False)
LOAD = [
    CACHED,
    ("page with a session", "jyj", "/news/", True),
    ("search page", "www", "/search/?q=样例", False),
    ("search API", "www", "/api/search/?q=样例", False),
]


@dataclass
class Answer:
    name: str
    started: float
    status: int  # 0: no HTTP answer at all
    text: str
    retry_after: str | None
    cache: str | None
    took: float = 0.0


class Load:
    """Threads asking for the pages of LOAD one after another until stopped."""

    def __init__(self, base, pages=LOAD, threads_per_page=1):
        self.base, self.pages = base, pages
        self.answers: list[Answer] = []
        self.running = threading.Event()
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(page,), daemon=True)
                        for page in pages for _ in range(threads_per_page)]

    def _loop(self, page):
        name, prefix, path, session = page
        cookies = {"sessionid": "a-session-that-does-not-exist"} if session else {}
        # A new connection per request, as from many visitors: the server closes idle kept-alive
        # connections after 2 s, which a pause would otherwise count as a failed request.
        with httpx.Client(base_url=self.base, headers={"Host": host(prefix)}, cookies=cookies, timeout=30,
                          limits=httpx.Limits(max_keepalive_connections=0)) as http:
            while not self.stopped.is_set():
                self.running.wait()
                started = time.monotonic()
                try:
                    response = http.get(path)
                    answer = Answer(name, started, response.status_code, response.text,
                                    response.headers.get("Retry-After"), response.headers.get("X-Page-Cache"))
                except httpx.HTTPError as error:
                    answer = Answer(name, started, 0, repr(error), None, None)
                answer.took = time.monotonic() - started
                self.answers.append(answer)
                time.sleep(0.05)

    def start(self):
        self.running.set()
        for thread in self.threads:
            thread.start()

    def pause(self):
        self.running.clear()
        time.sleep(1)  # requests in flight finish

    def resume(self):
        self.running.set()

    def stop(self):
        self.stopped.set()
        self.running.set()
        for thread in self.threads:
            thread.join(40)

    def between(self, start, end=float("inf")):
        return [answer for answer in self.answers if start <= answer.started < end]


def _publisher(env, marker):
    """Publishes articles into 区卫生健康局 one after another until the connection is cut."""
    script = (
        "import itertools\n"
        "from django.utils import timezone\n"
        "from django_tenants.utils import schema_context\n"
        "from portal.pages.models import ArticlePage, ColumnPage\n"
        "with schema_context('wjj'):\n"
        "    column = ColumnPage.objects.get(depth=3, slug='news')\n"
        "    for n in itertools.count():\n"
        f"        page = ArticlePage(title=f'{marker}{{n}}', slug=f'restart-{{n}}', live=False,\n"
        "                           publish_time=timezone.now(), body=[('text', '<p>正文</p>')])\n"
        "        column.add_child(instance=page)\n"
        "        page.save_revision().publish()\n"
    )
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "shell", "-c", script], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _describe(answers):
    return [(a.name, a.status, a.text[:120]) for a in answers]


@pytest.mark.crawl  # real server processes and a PostgreSQL restart: slow, always run
def test_postgresql_restart_under_load(private_site):
    database, base, env, server = private_site
    for name, prefix, path, _ in LOAD:  # the first answers load the code and fill the page cache
        assert httpx.get(base + path, headers={"Host": host(prefix)}, timeout=120).status_code == 200, name
    for _ in range(50):  # the cached page's copy is settled (the first renders may change what it shows)
        if httpx.get(base + CACHED[2], headers={"Host": host(CACHED[1])}).headers["X-Page-Cache"] == "HIT":
            break
        time.sleep(0.2)
    else:
        pytest.fail("the cached page never came from the page cache")

    marker = "重启期间发布的动态"
    publisher = _publisher(env, marker)
    load = Load(base)
    load.start()
    try:
        published = f"SELECT count(*) FROM wjj.wagtailcore_page WHERE live AND title LIKE '{marker}%'"
        deadline = time.monotonic() + 120
        while database.query(published)[0][0] < 3 and time.monotonic() < deadline:  # publishing is under way
            assert publisher.poll() is None, publisher.stderr.read()
            time.sleep(0.5)
        assert publisher.poll() is None, publisher.stderr.read()
        down = time.monotonic()
        database.stop()
        stopped = time.monotonic()
        time.sleep(3)
        during = load.between(stopped, time.monotonic())
        database.start()
        up = time.monotonic()
        time.sleep(8)
    finally:
        load.stop()
        publisher.terminate()
        publisher.wait(10)
    assert server.poll() is None, "the app server must not die with the database"
    answers = load.answers

    # While PostgreSQL was away: a Chinese 503 asking to come back later, never a 500 or a trace;
    # the cached page was answered from the store all along.
    uncached_during = [a for a in during if a.name != CACHED[0]]
    assert uncached_during and all(a.status == 503 for a in uncached_during), _describe(uncached_during)
    for answer in uncached_during:
        assert UNAVAILABLE_TEXT in answer.text and answer.retry_after and "Traceback" not in answer.text
    cached_during = [a for a in during if a.name == CACHED[0]]
    assert cached_during and all(a.status == 200 and a.cache == "HIT" for a in cached_during), \
        _describe(cached_during)
    assert not [a for a in answers if a.status not in (200, 503)], _describe(a for a in answers
                                                                             if a.status not in (200, 503))

    # Back within seconds, without restarting the app server, and nothing fails after that.
    recovered = max(min(a.started for a in answers if a.name == name and a.started >= up and a.status == 200)
                    for name, *_ in LOAD)
    logger.info("PostgreSQL stopped in %.2f s, started again in %.2f s; every page answered again %.2f s "
                "after it was up", stopped - down, up - stopped - 3, recovered - up)
    logger.info("%d answers, the slowest took %.2f s", len(answers), max(a.took for a in answers))
    assert recovered - up < 10
    after = load.between(recovered)
    assert len(after) > 20 and all(a.status == 200 for a in after), _describe(a for a in after if a.status != 200)
    assert not [a for a in load.between(0, down - 1) if a.status != 200]

    # The publish the restart cut off is there whole or not at all: live page, projection and
    # search document, or none of them (an outbox entry lives until its push succeeds, and never
    # for a page that is not live).
    live = {row[0] for row in database.query(
        f"SELECT id FROM wjj.wagtailcore_page WHERE live AND title LIKE '{marker}%'")}
    projected = {row[0] for row in database.query(
        "SELECT object_id FROM portal_publisheditem i JOIN tenants_department d ON d.id = i.department_id "
        f"WHERE d.schema_name = 'wjj' AND i.kind = 'article' AND i.title LIKE '{marker}%'")}
    searchable = {row[0] for row in database.query(
        f"SELECT object_id FROM search_searchdocument WHERE tenant = 'wjj' AND title LIKE '{marker}%'")}
    queued = {row[0] for row in database.query(
        "SELECT DISTINCT d.object_id FROM search_outboxentry o JOIN search_searchdocument d ON d.doc_id = o.doc_id "
        f"WHERE d.tenant = 'wjj' AND d.title LIKE '{marker}%'")}
    assert live, "the publisher should have published before the restart"
    assert live == projected == searchable and queued <= live, (live, projected, searchable, queued)


@pytest.mark.crawl
def test_postgresql_restart_between_requests_fails_no_request(private_site):
    """Every thread of the app server holds a persistent connection that the restart kills while
    no request uses it: the first request of each thread afterwards must still be answered."""
    database, base, env, server = private_site
    load = Load(base, pages=LOAD[1:], threads_per_page=2)
    load.start()
    time.sleep(2)  # every server thread has served, so each has its connection
    load.pause()
    database.stop()
    database.start()
    restarted = time.monotonic()
    load.resume()
    time.sleep(3)
    load.stop()
    after = load.between(restarted)
    assert len(after) > 10 and all(a.status == 200 for a in after), _describe(a for a in after if a.status != 200)


@pytest.mark.crawl
def test_while_the_database_is_away_a_stale_copy_is_still_served(private_site):
    """A page whose copy went stale just before the outage, with the store's copy of the mode
    schedule expired too: visitors get the last copy rather than the 503, and a fresh page once
    PostgreSQL is back."""
    import redis

    database, base, env, server = private_site
    store = redis.Redis(host="127.0.0.1", port=database.store_port)
    headers = {"Host": host(CACHED[1])}
    for _ in range(50):
        copy = httpx.get(base + CACHED[2], headers=headers, timeout=60)
        if copy.headers["X-Page-Cache"] == "HIT":
            break
        time.sleep(0.2)
    else:
        pytest.fail("the page never came from the page cache")
    database.stop()
    try:
        for key in store.scan_iter("*theme:mode-schedule"):  # the schedule's copy expired
            store.delete(key)
        # A change made the copy stale (a tag never bumped has no key yet: INCR starts it).
        prefix = next(store.scan_iter("*delivery:renders")).decode().removesuffix("delivery:renders")
        store.incr(f"{prefix}delivery:tag:site:{CACHED[1]}")
        during = [httpx.get(base + CACHED[2], headers=headers, timeout=60) for _ in range(5)]
    finally:
        database.start()
    assert [(a.status_code, a.headers["X-Page-Cache"]) for a in during] == [(200, "STALE")] * 5
    assert all(a.content == copy.content for a in during) and all("X-Accel-Expires" not in a.headers for a in during)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        after = httpx.get(base + CACHED[2], headers=headers, timeout=60)
        if after.status_code == 200 and after.headers["X-Page-Cache"] in ("MISS", "HIT"):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the page was not rendered afresh after PostgreSQL came back")


# ------------------------------------------------------------------------------------------------
# Elasticsearch slow rather than down
# ------------------------------------------------------------------------------------------------


class SlowProxy:
    """A TCP proxy in front of the shared Elasticsearch node that holds each answer back `delay` s."""

    def __init__(self, upstream_port, delay):
        self.upstream_port, self.delay = upstream_port, delay
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, 0), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, self.delay), daemon=True).start()

    @staticmethod
    def _pipe(source, target, delay):
        try:
            while data := source.recv(65536):
                time.sleep(delay)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.closed = True
        self.server.close()
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def slow_elasticsearch(settings, db):
    from urllib.parse import urlsplit

    from search import index, service
    from tests.search.conftest import require_elasticsearch

    require_elasticsearch()
    index.ensure_index()
    proxy = SlowProxy(urlsplit(settings.ELASTICSEARCH_URL).port, delay=4.0)
    service.forget_es_state()
    try:
        yield proxy
    finally:
        proxy.close()
        service.forget_es_state()


def test_slow_elasticsearch_falls_back_in_time(slow_elasticsearch, settings, client, departments):
    from search import service

    www = {"HTTP_HOST": host("www")}
    # The node answers in time (given time enough on a busy machine): the answer is its own.
    settings.SEARCH_TIMEOUT = 10.0
    fast = client.get("/api/search/", {"q": "样例"}, **www).json()
    assert fast["backend"] == "elasticsearch" and not fast["degraded"]

    # The same node, now answering 4 s late, and a search that waits 1 s for it.
    settings.ELASTICSEARCH_URL, settings.SEARCH_TIMEOUT = slow_elasticsearch.url, 1.0
    for path, params in (("/api/search/", {"q": "样例"}), ("/api/search/suggest/", {"q": "区教"}),
                         ("/search/", {"q": "样例"})):
        service.forget_es_state()  # each route meets the slow node itself
        started = time.monotonic()
        response = client.get(path, params, **www)
        took = time.monotonic() - started
        assert response.status_code == 200, path
        assert took < settings.SEARCH_TIMEOUT + 2.0, (path, took)
        if path == "/search/":
            page = response.content.decode()
            assert "当前结果来自备用检索" in page and "<em>样例</em>" in page
        else:
            answer = response.json()
            assert answer["backend"] == "postgresql" and answer["degraded"], answer
            if path == "/api/search/":
                assert answer["total"] > 0 and "样例" in answer["results"][0]["title"]
        logger.info("%s answered from PostgreSQL %.2f s after the question (SEARCH_TIMEOUT 1 s)", path, took)

    # The node stays marked slow for a few seconds: the next visitor does not wait for it at all.
    started = time.monotonic()
    again = client.get("/api/search/", {"q": "样例"}, **www).json()
    assert again["degraded"] and time.monotonic() - started < settings.SEARCH_TIMEOUT
