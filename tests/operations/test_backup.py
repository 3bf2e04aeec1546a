"""Backup → restore into an empty system → the same site.

The source is a demo-like district built in a database of its own (the portal and 区教育局 with
articles, attachments, letters in every state, catalogue entries with their 索引号, applications,
accounts and audit rows), so the test neither reads nor changes the shared test district. The
archive is restored into a second, empty database and media folder; both are served by real
server processes and compared through HTTP, and search answers from the index rebuilt on restore.
A second backup taken while an editor keeps publishing restores (with --force) to a consistent
snapshot: every live article has its projection row and no row points to a page that is not live.
"""

import json
import re
import subprocess
import sys
import time

import httpx
import psycopg
import pytest
from django.conf import settings

from tests.conftest import LIVE_PORT, ROOT, server_environment, wait_for_port

pytestmark = [pytest.mark.crawl, pytest.mark.django_db]  # real server and command processes: slow, always run
SOURCE_PORT, RESTORED_PORT = LIVE_PORT + 21, LIVE_PORT + 22
SUFFIX = settings.DATABASES["default"]["TEST"]["NAME"].removeprefix("test_govsite")
SOURCE_DB, RESTORED_DB = f"test_govsite{SUFFIX}_backup_source", f"test_govsite{SUFFIX}_backup_restored"


def _superuser(dbname):
    """The server's superuser (who creates the test databases) on `dbname`."""
    import dj_database_url

    admin = dj_database_url.parse(settings.TEST_DATABASE_OWNER_URL)
    return psycopg.connect(host=admin["HOST"], port=admin["PORT"], user=admin["USER"], dbname=dbname,
                           autocommit=True)


def _admin_connection():
    return _superuser("postgres")


def _roles():
    """The two roles of production (README, Database roles): the owner and the application."""
    import dj_database_url

    return dj_database_url.parse(settings.DATABASE_OWNER_URL)["USER"], settings.DATABASE_APP_ROLE


def _recreate(name):
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" OWNER "{_roles()[0]}"')


def _drop(name):
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _query(database, sql, params=()):
    with _superuser(database) as connection:
        return connection.execute(sql, params).fetchall()


class System:
    """One installation: a database, a media folder and a search index prefix of its own."""

    def __init__(self, database, media, port, index_suffix):
        self.database, self.media, self.port = database, media, port
        self.env = server_environment(port, MEDIA_ROOT=str(media), GOVSITE_TEST_DB_SUFFIX=index_suffix)
        db, (owner, app) = settings.DATABASES["default"], _roles()
        self.env["DATABASE_URL"] = f"postgres://{app}@{db['HOST']}:{db['PORT']}/{database}"
        self.env["DATABASE_OWNER_URL"] = f"postgres://{owner}@{db['HOST']}:{db['PORT']}/{database}"
        self.process = None

    def manage(self, *args, check=True, timeout=600):
        result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=timeout, check=False)
        if check:
            assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def serve(self):
        log = open(ROOT / ".services" / f"test-backup-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        wait_for_port(self.port, self.process, log.name)

    def get(self, prefix, path, **kwargs):
        return httpx.get(f"http://127.0.0.1:{self.port}{path}", headers={"Host": f"{prefix}.localhost:{self.port}"},
                         timeout=60, **kwargs)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)

    def drop_index(self):
        from elasticsearch import Elasticsearch

        prefix = ("test-govsite" + self.env["GOVSITE_TEST_DB_SUFFIX"]).lower()
        client = Elasticsearch(settings.ELASTICSEARCH_URL)
        for name in client.indices.get(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True):
            client.indices.delete(index=name)


@pytest.fixture(scope="module")
def systems(tmp_path_factory, django_db_setup):
    folder = tmp_path_factory.mktemp("backup")
    source = System(SOURCE_DB, folder / "source-media", SOURCE_PORT, f"{SUFFIX}_backup_source")
    restored = System(RESTORED_DB, folder / "restored-media", RESTORED_PORT, f"{SUFFIX}_backup_restored")
    _recreate(SOURCE_DB)
    _recreate(RESTORED_DB)
    try:
        source.manage("setup_platform")
        source.manage("load_demo", "--only", "www", "jyj", "--items", "12", "--jobs", "1")
        source.manage("search_rebuild")
        yield source, restored, folder
    finally:
        source.stop()
        restored.stop()
        for system in (source, restored):
            system.drop_index()
        _drop(SOURCE_DB)
        _drop(RESTORED_DB)


def _normalise(html):
    # Projection rows keep the absolute address they were published under (the source's port).
    html = re.sub(r"localhost:\d+", "localhost:PORT", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _archives(folder):
    return sorted((folder / "archives").glob("govsite-backup-*.tar"))


def test_backup_restores_into_an_empty_system_that_serves_the_same_site(systems):
    source, restored, folder = systems
    result = source.manage("backup", "--dir", str(folder / "archives"))
    assert "备份完成并已校验" in result.stdout
    [archive] = _archives(folder)
    manifest_line = json.loads(_query(SOURCE_DB, "SELECT manifest::text FROM operations_backup "
                                                 "WHERE status = 'ok'")[0][0])
    assert {d["host_prefix"] for d in manifest_line["departments"]} >= {"www", "jyj"}
    assert manifest_line["counts"]["mailbox_letters"] > 0 and manifest_line["counts"]["audit_events"] > 0

    # Restoring needs an empty target: a system with data is refused unless told.
    refused = source.manage("restore", str(archive), check=False)
    assert refused.returncode != 0 and "不是空的" in refused.stderr
    outcome = restored.manage("restore", str(archive))
    assert "与清单一致" in outcome.stdout and "搜索索引已重建" in outcome.stdout

    # The same rows where people would notice them: 索引号, letters and their query codes, audit log.
    for sql in ("SELECT index_number FROM jyj.disclosure_entries_catalogueentrypage ORDER BY 1",
                "SELECT query_code, status, subject FROM mailbox_letter ORDER BY id",
                "SELECT id, time, event, username, target, success FROM audit_auditevent ORDER BY id",
                "SELECT username, password FROM accounts_user ORDER BY id"):
        assert _query(RESTORED_DB, sql) == _query(SOURCE_DB, sql), sql
    assert _query(RESTORED_DB, "SELECT count(*) FROM jyj.disclosure_entries_catalogueentrypage")[0][0] > 0

    source.serve()
    restored.serve()
    entries = "SELECT articlepage_ptr_id FROM jyj.disclosure_entries_catalogueentrypage"
    article, entry = (_query(SOURCE_DB, "SELECT url FROM portal_publisheditem WHERE url LIKE '%%//jyj.%%' AND "
                                        f"object_id {condition} ({entries}) ORDER BY publish_time DESC LIMIT 1")[0][0]
                      for condition in ("NOT IN", "IN"))
    [letter] = _query(SOURCE_DB, "SELECT id FROM mailbox_letter WHERE status = 'published' ORDER BY id LIMIT 1")[0]
    pages = [("www", "/"), ("jyj", "/"), ("jyj", re.sub(r"^https?://[^/]+", "", article)),
             ("jyj", re.sub(r"^https?://[^/]+", "", entry)), ("www", "/catalogue/"), ("www", "/mailbox/"),
             ("www", f"/mailbox/letters/{letter}/"), ("www", "/mailbox/statistics/"), ("jyj", "/feeds/news/rss.xml")]
    for prefix, path in pages:
        before, after = source.get(prefix, path), restored.get(prefix, path)
        assert before.status_code == after.status_code == 200, (prefix, path, before.status_code, after.status_code)
        assert _normalise(after.text) == _normalise(before.text), (prefix, path)

    # An uploaded attachment is served from the restored media folder, byte for byte.
    [document] = _query(SOURCE_DB, "SELECT id, file FROM jyj.wagtaildocs_document ORDER BY id LIMIT 1")
    before = source.get("jyj", f"/media/jyj/{document[1].removeprefix('jyj/')}")
    after = restored.get("jyj", f"/media/jyj/{document[1].removeprefix('jyj/')}")
    assert before.status_code == 200 and after.content == before.content

    # Search finds the same documents, from the index rebuilt on restore.
    for query in ("教育", "通知", "信息公开指南"):
        found = [source.get("www", "/api/search/", params={"q": query}).json(),
                 restored.get("www", "/api/search/", params={"q": query}).json()]
        assert found[0]["backend"] == found[1]["backend"] == "elasticsearch"
        assert found[0]["total"] == found[1]["total"] > 0, query
        assert ([_normalise(r["url"]) for r in found[0]["results"]]
                == [_normalise(r["url"]) for r in found[1]["results"]]), query

    # The accounts work: a department editor logs in on the restored system.
    with httpx.Client(base_url=f"http://127.0.0.1:{RESTORED_PORT}",
                      headers={"Host": f"jyj.localhost:{RESTORED_PORT}"}) as client:
        form = client.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        response = client.post("/admin/login/", data={"username": "jyj_editor", "password": "Yuancheng@2026",
                                                      "csrfmiddlewaretoken": token},
                               headers={"Referer": f"http://jyj.localhost:{RESTORED_PORT}/admin/login/"})
        assert response.status_code == 302 and "/admin/login/" not in response.headers["location"]


def test_a_backup_taken_while_an_editor_publishes_is_one_snapshot(systems):
    source, restored, folder = systems
    script = (
        "import itertools, datetime\n"
        "from django.utils import timezone\n"
        "from django_tenants.utils import schema_context\n"
        "from portal.pages.models import ArticlePage, ColumnPage\n"
        "with schema_context('jyj'):\n"
        "    column = ColumnPage.objects.get(depth=3, slug='news')\n"
        "    for n in itertools.count():\n"
        "        page = ArticlePage(title=f'备份期间发布的动态{n}', slug=f'during-backup-{n}', live=False,\n"
        "                           publish_time=timezone.now(), body=[('text', '<p>正文</p>')])\n"
        "        column.add_child(instance=page)\n"
        "        page.save_revision().publish()\n"
    )
    publisher = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "shell", "-c", script], env=source.env,
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)  # publishing is under way
        assert publisher.poll() is None, publisher.stderr.read()
        source.manage("backup", "--dir", str(folder / "archives"))
    finally:
        publisher.terminate()
        publisher.wait(10)
    archive = _archives(folder)[-1]
    restored.stop()
    restored.manage("restore", str(archive), "--force", "--skip-search")
    live = {row[0] for row in _query(RESTORED_DB, "SELECT p.id FROM jyj.wagtailcore_page p "
                                                  "JOIN jyj.pages_articlepage a ON a.page_ptr_id = p.id WHERE p.live")}
    projected = {row[0] for row in _query(
        RESTORED_DB, "SELECT object_id FROM portal_publisheditem i JOIN tenants_department d "
                     "ON d.id = i.department_id WHERE d.schema_name = 'jyj' AND i.kind = 'article'")}
    during = _query(RESTORED_DB, "SELECT count(*) FROM jyj.wagtailcore_page "
                                 "WHERE title LIKE '备份期间发布的动态%%'")[0][0]
    assert during > 0, "the backup should have caught some of the pages published during it"
    assert live == projected
