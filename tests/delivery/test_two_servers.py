"""Two app servers on one shared store: a change made by another process on the production
settings (scheduled publishing, run as the scheduler would) is seen through both within a second,
a scheduled mode starts at its minute on both, a burst on a just-invalidated page renders it once,
and a server that cannot reach PostgreSQL at all still answers cached pages (0 SQL on a hit)."""

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import dj_database_url
import httpx
import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import ROOT, server_environment, wait_for_port

PORTS = (18611, 18612, 18613)


def production_environment() -> dict:
    env = server_environment(PORTS[0])
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="delivery-test-" + "k" * 60, ALLOWED_HOSTS=".localhost", STATIC_ROOT=str(ROOT / ".services"),
        ELASTICSEARCH_URL=settings.ELASTICSEARCH_URL, SEARCH_INDEX_PREFIX=settings.SEARCH_INDEX_PREFIX,
        CACHE_URL=settings.CACHE_URL, CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        # What production requires to be said explicitly, said for this test's hosts and folders.
        DOMAIN_SUFFIX=settings.DOMAIN_SUFFIX, PUBLIC_SCHEME="http", PUBLIC_PORT=str(PORTS[0]),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", MEDIA_ROOT=str(settings.MEDIA_ROOT),
        BACKUP_DIR=str(settings.BACKUP_DIR), TOTP_ENCRYPTION_KEY="A" * 43 + "=",
    )
    # The test database's owner (the server's superuser who created it), as production's owner role.
    owner = dj_database_url.parse(settings.TEST_DATABASE_OWNER_URL)
    db = settings.DATABASES["default"]
    env["DATABASE_OWNER_URL"] = f"postgres://{owner['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


def gunicorn(port: int, **extra):
    log = open(ROOT / ".services" / f"delivery-server-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--chdir", str(ROOT / "platform"), "--preload",
         "--control-socket", str(ROOT / ".services" / f"delivery-server-{port}.ctl")],
        env={**server_environment(port, **extra), "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}"},
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    wait_for_port(port, process, f"delivery-server-{port}.log")
    return process


@pytest.fixture(scope="module")
def servers(django_db_setup):
    # The third server's database address leads nowhere: whatever it answers came from the store.
    processes = [gunicorn(PORTS[0]), gunicorn(PORTS[1]),
                 gunicorn(PORTS[2], DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere")]
    bases = [f"http://127.0.0.1:{port}" for port in PORTS]
    for base in bases[:2]:  # the first answer of a fresh process loads the page code
        httpx.get(base + "/", headers={"Host": "jyj.localhost"}, timeout=120)
    yield bases
    for process in processes:
        process.terminate()
        process.wait(10)


def committed_write(code: str) -> None:
    """Run `code` in another process on the test database: it commits, as an editor's process would."""
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], env=server_environment(PORTS[0]),
                   cwd=ROOT, check=True, capture_output=True, timeout=120)


def fetch(base, path, host="jyj.localhost"):
    return httpx.get(base + path, headers={"Host": host}, timeout=10)


def visible_within(base, path, text, seconds=1.0, host="jyj.localhost"):
    deadline = time.monotonic() + seconds
    while True:
        if text in fetch(base, path, host).text:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def test_change_by_the_scheduler_process_shows_on_both_servers(servers, departments):
    a, b, no_database = servers
    for base in (a, b):
        fetch(base, "/news/")
    assert fetch(b, "/news/").headers["X-Page-Cache"] == "HIT"
    hit = fetch(no_database, "/news/")
    assert hit.status_code == 200 and hit.headers["X-Page-Cache"] == "HIT"  # no database behind it
    committed_write(
        "from datetime import timedelta; from django.utils import timezone;"
        "from django_tenants.utils import schema_context; from portal.pages.models import ArticlePage, ColumnPage\n"
        "with schema_context('jyj'):\n"
        "    column = ColumnPage.objects.get(depth=3, slug='news')\n"
        "    article = ArticlePage(title='跨服务器可见的定时信息', slug='cross-server', publish_time=timezone.now(),"
        " live=False, go_live_at=timezone.now() - timedelta(seconds=1), summary='跨', body=[])\n"
        "    column.add_child(instance=article)\n"
        "    article.save_revision(approved_go_live_at=article.go_live_at)\n"
    )
    try:
        env = production_environment()
        subprocess.run([sys.executable, "manage.py", "tenant_command", "publish_scheduled", "--schema=jyj"],
                       env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
        published = time.monotonic()
        assert visible_within(b, "/news/", "跨服务器可见的定时信息", 1.0 - (time.monotonic() - published))
        assert visible_within(a, "/news/", "跨服务器可见的定时信息", 1.0)
        # The scheduler and the worker start and run on the production settings with the store (only
        # the scheduled-publishing job: the others would commit inspection runs and mail into the
        # district the other tests share).
        scheduler = subprocess.run([sys.executable, "manage.py", "run_scheduler", "--once", "--only",
                                    "scheduled_publishing"], env=env, cwd=ROOT,
                                   capture_output=True, text=True, timeout=300)
        assert scheduler.returncode == 0, scheduler.stderr[-2000:]
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--backend", "background"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(3)
        assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
        worker.terminate()
        worker.wait(10)
    finally:
        committed_write("from django_tenants.utils import schema_context; from portal.pages.models import ArticlePage\n"
                        "with schema_context('jyj'): ArticlePage.objects.filter(slug='cross-server').delete()")


def test_a_scheduled_mode_starts_at_its_minute_on_both_servers(servers, departments):
    a, b, _ = servers
    for base in (a, b):
        fetch(base, "/")
        assert "mode-grey" not in fetch(base, "/").text
    starts = timezone.now() + timedelta(seconds=15)  # the writing process needs a few seconds to start
    committed_write(
        "from datetime import datetime, timedelta; from themes.services import schedule_mode\n"
        f"starts = datetime.fromisoformat('{starts.isoformat()}')\n"
        "schedule_mode('grey', starts, starts + timedelta(hours=1), user=None, reason='测试')"
    )
    try:
        for base in (a, b):
            assert "mode-grey" not in fetch(base, "/").text
        time.sleep(max(0.0, (starts - timezone.now()).total_seconds()))
        assert visible_within(a, "/", "mode-grey", 1.0)
        assert visible_within(b, "/", "mode-grey", 1.0)
    finally:
        committed_write("from themes.models import ModeSchedule; from themes.services import forget_theme_cache\n"
                        "ModeSchedule.objects.filter(reason='测试').delete(); forget_theme_cache()")


def test_a_burst_after_an_invalidation_renders_once(servers, departments):
    from portal.delivery import changed
    from portal.delivery.store import renders

    a, b, _ = servers
    fetch(a, "/", "www.localhost")
    changed(f"site:{departments['www'].schema_name}")
    before = renders()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda i: fetch((a, b)[i % 2], "/", "www.localhost"), range(64)))
    assert all(answer.status_code == 200 for answer in answers)
    assert renders() - before == 1
