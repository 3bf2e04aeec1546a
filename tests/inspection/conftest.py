"""Planted sites for the inspection: one clean, one with every problem the tests look for.

The crawler reads rendered pages from real server processes, so the two departments and their
pages are committed (and removed again after the module). Pages are laid out directly as live
pages, as an import would leave them, so nothing enters the audit log or the search index.
A small local HTTP server stands for "the internet" (external links); nothing leaves the machine.
"""

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tests.conftest import LIVE_PORT, ROOT

CLEAN = "insok"
DIRTY = "insbad"
# The second server (footer without the 公安备案 number) listens next to the shared one.
MISCONFIGURED_PORT = LIVE_PORT + 7


class ExternalHandler(http.server.BaseHTTPRequestHandler):
    """/ok… and paths a test marked fixed answer 200, anything else 404; requests are counted so
    tests can see the day-long cache work."""

    hits: list[str] = []
    fixed: set[str] = set()

    def _answer(self, body: bool):
        ExternalHandler.hits.append(f"{self.command} {self.path}")
        if self.path.startswith("/slow"):
            time.sleep(2)
        content = b"ok"
        if self.path == "/links":  # a page of links that fail in other ways
            content = ('<html><body><a href="/slow">慢</a> <a href="http://no-such-host.invalid/">无此域名</a>'
                       '<a href="/ok/x">好</a></body></html>').encode()
        status = 200 if self.path.startswith(("/ok", "/links")) or self.path in ExternalHandler.fixed else 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)

    def do_HEAD(self):  # noqa: N802 - the name http.server calls
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def external_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ExternalHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _article(column, title, *, days_ago=2, body="<p>正文。</p>"):
    from django.utils import timezone
    from portal.pages.models import ArticlePage

    article = ArticlePage(
        title=title, slug=f"a{ArticlePage.objects.count() + 1}", publish_time=timezone.now() - timedelta(days=days_ago),
        source="巡检测试", author="测试", summary=title, keywords="巡检",
        body=[("text", body)], live=True,
    )
    column.add_child(instance=article)
    return article


def _plant(department, external, problems: bool):
    from portal.pages.models import ArticlePage, ColumnPage

    columns = {column.slug: column for column in ColumnPage.objects.filter(depth=3)}
    if not problems:
        body = f'<p>详见<a href="/notices/">通知公告</a>和<a href="{external}/ok/page">上级网站</a>。</p>'
        first = _article(columns["news"], "巡检整洁站点工作动态", days_ago=1, body=body)
        for slug in ["notices", "policies", "interpretations", "disclosure", "about", "services", "interaction"]:
            _article(columns[slug], f"巡检整洁站点{columns[slug].title}", days_ago=3)
        return {"first": first.pk}
    stale = _article(columns["news"], "巡检问题站点过期动态", days_ago=30)
    broken = _article(
        columns["notices"], "巡检问题站点含坏链的通知", days_ago=10,
        body=(f'<p>请见<a href="/no-such-page/">办事指南</a>、<a href="{external}/gone">外部通知</a>、'
              f'<a href="{external}/ok/fine">有效外链</a>和<a href="/documents/987654/missing.pdf">附件下载</a>。</p>'),
    )
    marked = _article(columns["disclosure"], "巡检问题站点公开信息", days_ago=5)
    # A mark that slipped through (e.g. the word list grew after publishing): written to the live page directly.
    ArticlePage.objects.filter(pk=marked.pk).update(
        body=[("text", "<p>本文件属内部资料，请勿外传。</p>")])
    future = _article(columns["policies"], "巡检问题站点伪造日期的政策文件", days_ago=-30)
    for slug in ["about", "services", "interaction"]:
        _article(columns[slug], f"巡检问题站点{columns[slug].title}", days_ago=3)
    return {"stale": stale.pk, "broken": broken.pk, "marked": marked.pk, "future": future.pk,
            "news": columns["news"].pk, "policies": columns["policies"].pk,
            "interpretations": columns["interpretations"].pk}


def _start_server(port, settings_module):
    from django.conf import settings

    env = dict(os.environ)
    db = settings.DATABASES["default"]
    env.update({
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": settings_module, "PUBLIC_PORT": str(port), "DB_CONN_MAX_AGE": "0",
    })
    log = open(ROOT / ".services" / f"test-server-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        if process.poll() is not None:
            raise RuntimeError(f"测试服务器启动失败，见 .services/test-server-{port}.log")
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError("测试服务器未能在 60 秒内启动")


@pytest.fixture(scope="module")
def planted(django_db_blocker, live_server_url, external_server):
    """Two committed departments: `insok` (clean) and `insbad` (every planted problem)."""
    from plugins.inspection.models import TrustedInternalHost
    from tenants.provisioning import create_department

    with django_db_blocker.unblock():
        # "The internet" runs on loopback, which the crawler refuses unless the centre lists it.
        trusted = TrustedInternalHost.objects.create(host=external_server.split("//", 1)[1],
                                                     reason="测试中代表外部网站的本机服务器")
        clean = create_department(name="区审计局", host_prefix=CLEAN)
        dirty = create_department(name="区统计局", host_prefix=DIRTY)
        with tenant_context(clean):
            clean_pages = _plant(clean, external_server, problems=False)
        with tenant_context(dirty):
            dirty_pages = _plant(dirty, external_server, problems=True)
        connection.set_schema_to_public()
    server = _start_server(MISCONFIGURED_PORT, "tests.inspection.server_settings")
    try:
        yield {
            "clean": clean, "dirty": dirty, "clean_pages": clean_pages, "pages": dirty_pages,
            "clean_url": live_server_url.format(prefix=CLEAN),
            "dirty_url": f"http://{DIRTY}.localhost:{MISCONFIGURED_PORT}", "external": external_server,
        }
    finally:
        server.terminate()
        server.wait(10)
        # The audit log keeps its rows (and so the departments) for good: archive them instead,
        # so no later test sees their sites or items.
        from portal.models import PublishedItem

        from tenants.provisioning import set_status

        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            trusted.delete()
            for department in (clean, dirty):
                PublishedItem.objects.filter(department=department).delete()
                set_status(department, "archived", "巡检测试结束")


@pytest.fixture
def offline_footer_links(db):
    """The footer links to the national record sites; tests never reach the internet."""
    from plugins.inspection.models import IgnoreRule

    for pattern in ("https://beian.miit.gov.cn/*", "https://bszs.conac.cn/*"):
        IgnoreRule.objects.create(url_pattern=pattern, reason="国家备案网站，测试中不访问")
