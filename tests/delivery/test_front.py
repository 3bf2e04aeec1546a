"""The production front as shipped (deploy/nginx/govsite.conf) in front of a real app server: a
public page is answered by nginx without reaching Django, a logged-in editor's answers and a page
with a CSRF form are never handed to another visitor, a publish shows through nginx within the
app's invalidation plus the micro-cache lifetime, and `nginx -t` accepts the shipped file with its
TLS lines. The app alone decides what nginx may keep (X-Accel-Expires)."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from django.test import Client, override_settings

from services import front
from tests.conftest import ROOT, server_environment, wait_for_port

ARTICLE = "/news/sample-2/"
MICRO_CACHE_SECONDS = 1.0  # FRONT_CACHE_SECONDS of the test settings (the default)


def start_app_server(port: int, access_log: Path) -> subprocess.Popen:
    log = open(ROOT / ".services" / f"front-app-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--chdir", str(ROOT / "platform"), "--access-logfile", str(access_log),
         "--access-logformat", "%(m)s %(U)s%(q)s %(s)s"],
        env={**server_environment(port), "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}"},
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        start_new_session=True,  # its own process group: the test can pause master and worker at once
    )
    wait_for_port(port, process, f"front-app-{port}.log")
    return process


@pytest.fixture(scope="module")
def site(django_db_setup):
    front.nginx_binary()  # fails with the reason when nginx is missing
    tmp = Path(tempfile.mkdtemp(prefix="govsite-front-"))
    app_port, port = front.free_port(), front.free_port()
    access_log = tmp / "app-access.log"
    app = start_app_server(app_port, access_log)
    nginx = None
    try:
        main = front.prepare(tmp, front.render(tmp, [f"127.0.0.1:{app_port}"], port))
        nginx = front.start(tmp, main, port)
        base = f"http://127.0.0.1:{port}"
        httpx.get(base + "/", headers={"Host": "jyj.localhost"}, timeout=120)  # loads the page code
        yield {"base": base, "app": app, "access_log": access_log, "cache": tmp / "cache"}
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        os.killpg(app.pid, signal.SIGCONT)
        app.terminate()
        app.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def fetch(site, path, host="jyj.localhost", cookies=None, timeout=10):
    headers = {"Host": host}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return httpx.get(site["base"] + path, headers=headers, timeout=timeout)


def app_log(site, path) -> list[str]:
    """The requests for `path` that reached Django (gunicorn's access log: method, path, status)."""
    log = site["access_log"]
    return [line for line in log.read_text().splitlines() if line.split(" ")[1:2] == [path]] if log.exists() else []


def app_requests(site, path) -> int:
    return len(app_log(site, path))


def logged_requests(site, path, at_least: int) -> int:
    deadline = time.monotonic() + 2
    while (count := app_requests(site, path)) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    return count


def start_of_a_second():
    """Wait for the start of the next whole second: a copy kept now lives until its end."""
    time.sleep(1.02 - time.time() % 1)


def committed(code: str) -> str:
    """Run `code` in another process on the test database; it commits as an editor's process would."""
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], env=server_environment(0),
                          cwd=ROOT, check=True, capture_output=True, text=True, timeout=120)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_the_shipped_config_passes_nginx_t_with_its_tls_lines():
    tmp = Path(tempfile.mkdtemp(prefix="govsite-front-check-"))
    site = front.render(tmp, ["10.0.0.11:8001"], None, server_name=".yuancheng.gov.cn",
                        certificate=front.self_signed_certificate(tmp))
    assert "listen 443 ssl http2;" in site and "ssl_certificate_key" in site
    checked = front.check(tmp, front.prepare(tmp, site))
    shutil.rmtree(tmp, ignore_errors=True)
    assert checked.returncode == 0, checked.stderr


def test_the_readme_shows_the_shipped_config():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```nginx\n(.*?)```", readme, re.S).group(1)
    assert block == front.CONFIG.read_text()


def test_a_public_page_is_answered_by_nginx_without_reaching_django(site, departments):
    start_of_a_second()
    first = fetch(site, ARTICLE)
    assert first.status_code == 200 and first.headers["X-Front-Cache"] in ("MISS", "EXPIRED", "REVALIDATED")
    before = logged_requests(site, ARTICLE, at_least=1)  # the first one went to Django
    repeat = fetch(site, ARTICLE)
    assert repeat.headers["X-Front-Cache"] == "HIT" and repeat.content == first.content
    time.sleep(0.2)  # gunicorn writes its log line after answering
    assert app_requests(site, ARTICLE) == before
    # Browsers and CDNs see the app's own rules, never nginx's instruction.
    assert repeat.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert "X-Accel-Expires" not in repeat.headers and repeat.headers["ETag"] == first.headers["ETag"]
    os.killpg(site["app"].pid, signal.SIGSTOP)  # Django cannot answer anything now
    try:
        started = time.monotonic()
        paused = fetch(site, ARTICLE, timeout=2)
        assert paused.status_code == 200 and paused.content == first.content
        assert time.monotonic() - started < 0.5
    finally:
        os.killpg(site["app"].pid, signal.SIGCONT)


def test_an_expired_copy_is_revalidated_with_a_cheap_304(site, departments):
    start_of_a_second()
    fetch(site, ARTICLE)
    start_of_a_second()  # the copy has expired: nginx asks the app with If-None-Match
    again = fetch(site, ARTICLE)
    assert again.status_code == 200 and again.headers["X-Front-Cache"] == "REVALIDATED"
    logged_requests(site, ARTICLE, at_least=1)
    time.sleep(0.2)
    assert app_log(site, ARTICLE)[-1].endswith(" 304")  # the app answered from its store, no body


def test_a_logged_in_editor_is_never_served_from_nginx_nor_stored(site, departments):
    session = committed(
        "from django.test import Client; from portal.accounts.models import User\n"
        "client = Client(); client.force_login(User.objects.get(username='jyj_editor'))\n"
        "print(client.cookies['sessionid'].value)"
    )
    editor = {"sessionid": session}
    dashboard = fetch(site, "/admin/", cookies=editor)
    assert dashboard.status_code == 200 and "教育局业务员" in dashboard.text
    anonymous = fetch(site, "/admin/")
    assert anonymous.status_code == 302 and "教育局业务员" not in anonymous.text
    start_of_a_second()
    for _ in range(2):  # an editor always reaches Django, and what they got is kept for nobody
        page = fetch(site, ARTICLE, cookies=editor)
        assert page.headers["X-Front-Cache"] == "BYPASS" and page.headers["X-Page-Cache"] == "BYPASS"
    assert fetch(site, ARTICLE).headers["X-Front-Cache"] != "HIT"
    kept = [path.read_bytes() for path in site["cache"].rglob("*") if path.is_file()]
    assert kept and not any("教育局业务员".encode() in body for body in kept)


def test_a_page_with_a_csrf_form_is_never_shared(site, departments):
    start_of_a_second()
    answers = [fetch(site, "/mailbox/write/", host="www.localhost") for _ in range(2)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text).group(1) for answer in answers]
    cookies = [answer.cookies.get("csrftoken") for answer in answers]
    assert all(answer.headers["X-Front-Cache"] == "MISS" for answer in answers)
    assert all(cookies) and cookies[0] != cookies[1] and tokens[0] != tokens[1]


def test_a_publish_shows_through_nginx_within_the_micro_cache_lifetime(site, departments):
    fetch(site, "/news/")
    assert fetch(site, "/news/").headers["X-Front-Cache"] in ("HIT", "REVALIDATED", "EXPIRED", "MISS")
    try:
        committed(
            "from django.utils import timezone; from django_tenants.utils import schema_context\n"
            "from portal.pages.models import ArticlePage, ColumnPage\n"
            "with schema_context('jyj'):\n"
            "    column = ColumnPage.objects.get(depth=3, slug='news')\n"
            "    article = ArticlePage(title='经由前端可见的新信息', slug='through-front', publish_time=timezone.now(),"
            " summary='前端', body=[])\n"
            "    column.add_child(instance=article)\n"
            "    article.save_revision().publish()\n"
        )
        published = time.monotonic()
        while "经由前端可见的新信息" not in fetch(site, "/news/").text:
            # The app's copy is stale at once; nginx's lives to the end of its second at most.
            assert time.monotonic() - published < 1.0 + MICRO_CACHE_SECONDS, "发布后超时仍未经前端显示"
            time.sleep(0.02)
    finally:
        committed("from django_tenants.utils import schema_context; from portal.pages.models import ArticlePage\n"
                  "with schema_context('jyj'): ArticlePage.objects.filter(slug='through-front').delete()")


# --- what the app tells the front (no server needed) ------------------------------------------------


def test_only_fresh_shared_answers_let_the_front_keep_them(departments, django_user_model):
    visitor = Client()
    first = visitor.get(ARTICLE, HTTP_HOST="jyj.localhost")
    hit = visitor.get(ARTICLE, HTTP_HOST="jyj.localhost")
    now = int(time.time())
    for answer in (first, hit):
        assert answer["X-Page-Cache"] in ("MISS", "HIT")
        assert int(answer["X-Accel-Expires"].lstrip("@")) in (now - 1, now)  # kept to the end of this second
    revalidated = visitor.get(ARTICLE, HTTP_HOST="jyj.localhost", HTTP_IF_NONE_MATCH=hit["ETag"])
    assert revalidated.status_code == 304 and revalidated["X-Accel-Expires"].startswith("@")
    editor = Client()
    editor.force_login(django_user_model.objects.get(username="jyj_editor"))
    assert "X-Accel-Expires" not in editor.get(ARTICLE, HTTP_HOST="jyj.localhost")
    assert "X-Accel-Expires" not in Client().get("/mailbox/write/", HTTP_HOST="www.localhost")
    assert "X-Accel-Expires" not in Client().get("/no-such-page/", HTTP_HOST="jyj.localhost")
    with override_settings(FRONT_CACHE_SECONDS=0):
        assert "X-Accel-Expires" not in Client().get(ARTICLE, HTTP_HOST="jyj.localhost")
    with override_settings(FRONT_CACHE_SECONDS=5):
        assert int(Client().get(ARTICLE, HTTP_HOST="jyj.localhost")["X-Accel-Expires"][1:]) - now in (3, 4, 5)


def test_a_stale_copy_is_never_given_to_the_front(departments):
    from portal.delivery import changed
    from portal.delivery.store import page_key, take_lock

    visitor = Client()
    visitor.get(ARTICLE, HTTP_HOST="jyj.localhost")
    changed(f"site:{departments['jyj'].schema_name}")
    # Another process is rendering the page: this visitor gets the stale copy meanwhile.
    key = page_key("jyj.localhost", ARTICLE, "", "||")
    assert take_lock(key)
    stale = visitor.get(ARTICLE, HTTP_HOST="jyj.localhost")
    assert stale["X-Page-Cache"] == "STALE" and "X-Accel-Expires" not in stale
