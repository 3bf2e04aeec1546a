"""Links are written by editors: the inspection must not become a way to reach internal
addresses (SSRF). A canary server on loopback stands for what must stay unreached; the only
internal hosts checked are those the centre lists. Nothing here leaves the machine: the
internal addresses are refused before any connection is made."""

import http.server
import threading

import pytest
from django.test import Client
from portal.accounts.models import User

from plugins.inspection import crawler as crawler_module
from plugins.inspection import service
from plugins.inspection.crawler import REFUSED_INTERNAL, Crawler
from plugins.inspection.models import Finding, TrustedInternalHost

PAGE = "/notice/"


class Recorder(http.server.BaseHTTPRequestHandler):
    """Serves a department page with the links (`page`), redirects (`/jump`) or just records."""

    def _answer(self):
        self.server.hits.append(self.path)
        if self.path == "/jump":
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.server.page.encode() if self.path in ("/", PAGE) and self.server.page else b"secret"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = _answer  # noqa: N815 - the names http.server calls

    def log_message(self, *args):
        pass


@pytest.fixture
def servers():
    started = []

    def start(page="", redirect_to=""):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        server.hits, server.page, server.redirect_to = [], page, redirect_to
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def intranet_name(monkeypatch):
    """`intranet.example` resolves to 10.0.0.5 (as a split-horizon DNS would answer)."""
    real = crawler_module.resolve
    monkeypatch.setattr(crawler_module, "resolve",
                        lambda host, port: ["10.0.0.5"] if host == "intranet.example" else real(host, port))


def planted_links(canary_port, jump_port):
    return [
        f"http://127.0.0.1:{canary_port}/loopback",
        f"http://intranet.example:{canary_port}/ten",
        "http://169.254.169.254/latest/meta-data/",
        f"http://[::ffff:127.0.0.1]:{canary_port}/mapped",
        f"http://[::1]:{canary_port}/ipv6",
        f"http://other.localhost:{canary_port}/own-name-other-port",
        f"http://127.0.0.1:{jump_port}/jump",  # allowed, but redirects to the canary
    ]


def page_html(links):
    return "<html><body><main>" + "".join(f'<a href="{link}">链接</a>' for link in links) + "</main></body></html>"


def test_internal_targets_are_refused_without_a_request(servers, intranet_name):
    canary = servers()
    jump = servers(redirect_to=f"http://127.0.0.1:{canary.server_address[1]}/after-redirect")
    links = planted_links(canary.server_address[1], jump.server_address[1])
    site = servers(page=page_html(links))
    start = f"http://jyj.localhost:{site.server_address[1]}{PAGE}"

    result = Crawler(host_interval=0, external_interval=0, timeout=3, own_suffix="localhost",
                     allowed_hosts=[f"127.0.0.1:{jump.server_address[1]}"]).check_pages([start])
    assert result.pages[start].status == 200  # the platform's own site, through its route
    assert canary.hits == []
    assert jump.hits == ["/jump"]  # the allowed host was checked; its redirect was not followed inside
    for link in links:
        assert result.links[link].error == REFUSED_INTERNAL, link
        assert result.links[link].status is None


def test_the_finding_says_refused_and_the_recheck_refuses_again(db, departments, servers, intranet_name):
    canary = servers()
    jump = servers(redirect_to=f"http://127.0.0.1:{canary.server_address[1]}/after-redirect")
    links = planted_links(canary.server_address[1], jump.server_address[1])
    site = servers(page=page_html(links))
    TrustedInternalHost.objects.create(host=f"127.0.0.1:{jump.server_address[1]}", reason="测试用的上级网站")
    jyj = departments["jyj"]

    service.inspect_department(jyj, start_url=f"http://jyj.localhost:{site.server_address[1]}{PAGE}")
    found = {f.evidence["target"]: f for f in Finding.objects.filter(department=jyj, item="broken_link")}
    for link in links:
        assert found[link].title == f"外部链接不可用：{link}（{REFUSED_INTERNAL}）"
        assert found[link].evidence["status"] is None
    assert canary.hits == []

    # 已整改，立即复查: the re-check goes through the same guard.
    finding = found[links[2]]
    finding = service.mark_fixed(finding, User.objects.get(username="jyj_head"))
    assert finding.status == Finding.Status.OPEN
    assert finding.events.filter(action="still_present").exists()
    assert canary.hits == []


def test_the_centre_keeps_the_allow_list(db, departments):
    from portal.audit.models import AuditEvent

    centre = Client()
    centre.force_login(User.objects.get(username="center_admin"))
    url = "/admin/plugins/inspection/trusted-hosts/"
    refused = centre.post(url, {"host": "http://oa.example/", "reason": "内网办公系统"}, HTTP_HOST="www.localhost")
    assert "主机只填域名或 IP 地址" in refused.content.decode()
    response = centre.post(url, {"host": "10.1.2.3:8080", "reason": "内网办公系统"}, HTTP_HOST="www.localhost")
    assert response.status_code == 302
    assert list(TrustedInternalHost.objects.values_list("host", flat=True)) == ["10.1.2.3:8080"]
    assert AuditEvent.objects.filter(event="inspection_trusted_host_add", details__host="10.1.2.3:8080").exists()
    head = Client()
    head.force_login(User.objects.get(username="jyj_head"))
    assert head.get(url, HTTP_HOST="jyj.localhost").status_code == 404
