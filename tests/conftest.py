"""Test fixtures on the real services.

The test database is created once per run by pytest-django; on top of it a small district is
committed once per session (the portal and two departments with their people), so tests that
run inside a rolled-back transaction and the real server process the browser tests talk to
both see it. Tests never fake PostgreSQL or Elasticsearch: if either is missing they fail.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

ROOT = Path(__file__).resolve().parent.parent
# Playwright's sync API keeps an event loop running in the main thread; Django would then refuse
# synchronous database access from the test functions that run after a browser test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
LIVE_PORT = int(os.environ.get("GOVSITE_TEST_PORT", "18000"))
PASSWORD = "Test-passw0rd!"


def _make_user(username, full_name, **extra):
    from portal.accounts.models import User

    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name, **extra})
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def empty_shared_store() -> None:
    """Empty the shared store (Valkey) before a test that reads the page cache; fails loudly, never
    skips, when the store is not running."""
    from django.core.cache import caches

    try:
        caches["shared"].clear()
    except Exception as error:  # noqa: BLE001
        raise RuntimeError(f"共享存储（Valkey）不可用：{error}；请先运行 services/store.py start") from error


def _connect_as(url: str) -> None:
    """Points the default connection at another role of the same test database."""
    import dj_database_url
    from django.db import connections

    role = dj_database_url.parse(url)
    connections["default"].close()
    connections["default"].settings_dict.update(USER=role["USER"], PASSWORD=role["PASSWORD"])


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """pytest-django creates and migrates the test database as the owner (settings.test)."""
    from django.conf import settings

    _connect_as(settings.TEST_DATABASE_OWNER_URL)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The committed district every test can rely on, made the way production makes it: the
    template by the owner (setup_platform), the departments and people by the application role.
    From then on the whole suite, and every server process it starts, connects as the
    application role: whatever the application needs beyond that role's grants fails here."""
    from django.conf import settings

    from tenants.provisioning import ensure_public_tenant, ensure_template

    name = settings.DATABASES["default"]["NAME"]
    assert name.startswith("test_"), f"测试只能在测试数据库上运行，当前是 {name}"
    with django_db_blocker.unblock():
        ensure_public_tenant()
        ensure_template()
    _connect_as(settings.DATABASE_URL)
    try:
        with django_db_blocker.unblock():
            _make_district()
        yield
    finally:
        _connect_as(settings.TEST_DATABASE_OWNER_URL)  # the owner drops the test database


def _make_district():
    """The portal and two departments with their people, each with sample articles."""
    from portal.accounts.roles import grant_central_role, grant_department_role

    from tenants.provisioning import create_department

    portal = create_department(
        name="源城区人民政府", host_prefix="www", kind="portal", organization_code="007218000"
    )
    education = create_department(name="区教育局", host_prefix="jyj", organization_code="007218384")
    health = create_department(name="区卫生健康局", host_prefix="wjj", organization_code="007218392")
    admin = _make_user("center_admin", "区信息中心管理员")
    grant_central_role(admin, "system_admin")
    grant_department_role(_make_user("jyj_editor", "教育局业务员"), education, "editor")
    grant_department_role(_make_user("jyj_head", "教育局负责人"), education, "head")
    grant_department_role(_make_user("wjj_editor", "卫健局业务员"), health, "editor")
    both = _make_user("two_hats", "兼职业务员")
    grant_department_role(both, education, "editor")
    grant_department_role(both, health, "editor")
    for department in (portal, education, health):
        with tenant_context(department):
            _publish_sample_articles(department)
    _enter_next_years_schedule()


# The district's administrator enters next year's 节假日安排 when the State Council publishes it
# (late in the year), before the calendar package knows it. Deadlines of letters and applications
# received in December run into that year, so the test district has it entered like a real one
# would: 元旦 as the only holiday, as far as the tests need to know.
NEXT_YEAR_HOLIDAYS = [(1, 1, "元旦")]


@pytest.fixture
def year_2027_not_entered(db):
    """For tests of a year nobody has entered yet: 2027 as it was before the test district entered
    it (undone with the test's transaction)."""
    from portal.workcalendar.models import CalendarDay, CalendarYear

    # Without the model signals: they would queue this transaction's one "calendar changed"
    # notice now, and the test's own entries of the year would then not be noticed.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CalendarYear._meta.db_table} WHERE year = 2027")
        cursor.execute(f"DELETE FROM {CalendarDay._meta.db_table} WHERE date >= '2027-01-01' AND date < '2028-01-01'")


def _enter_next_years_schedule():
    from datetime import date

    import chinese_calendar
    from django.utils import timezone
    from portal.workcalendar.models import CalendarDay, CalendarYear

    year = timezone.localdate().year + 1
    try:
        chinese_calendar.is_workday(date(year, 1, 4))
        return  # the package knows it
    except NotImplementedError:
        pass
    CalendarYear.objects.create(year=year, source=f"测试区录入的{year}年节假日安排")
    for month, day, name in NEXT_YEAR_HOLIDAYS:
        CalendarDay.objects.create(date=date(year, month, day), kind=CalendarDay.Kind.HOLIDAY, name=name)


def _publish_sample_articles(department):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from portal.pages.models import ArticlePage, ColumnPage

    base = datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    for index, slug in enumerate(["news", "notices"]):
        column = ColumnPage.objects.get(depth=3, slug=slug)
        for n in range(3):
            article = ArticlePage(
                title=f"{department.name}{column.title}样例{n + 1}",
                slug=f"sample-{n + 1}",
                publish_time=base - timedelta(days=n * 3 + index),
                source=department.name,
                author="样例作者",
                summary=f"{department.name}的{column.title}样例信息。",
                body=[("text", f"<p>{department.name}{column.title}正文第{n + 1}条。</p>")],
            )
            column.add_child(instance=article)
            article.save_revision().publish()


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    """`client.force_login()` stands for a finished login; for a central administrator that
    includes the second factor (TOTP). Tests of the login itself post to /admin/login/ and go
    through every step (tests/security)."""
    from django.test.client import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        from portal.accounts import totp
        from portal.accounts.models import TOTPDevice

        original(self, user, backend)
        if totp.requires_second_factor(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": totp.new_secret()})
            session = self.session
            totp.mark_verified(session, device)
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def departments(db):
    from tenants.models import Department

    return {d.host_prefix: d for d in Department.objects.filter(host_prefix__in=["www", "jyj", "wjj"])}


@pytest.fixture
def in_public_schema(db):
    with schema_context("public"):
        yield


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Process-local caches would outlive the rolled-back transaction of a test."""
    from django.core.cache import cache
    from portal.plugins import forget_plugin_settings

    from tenants.middleware import forget_hosts

    yield
    connection.set_schema_to_public()
    forget_plugin_settings()
    forget_hosts()
    cache.clear()


def host(prefix: str) -> str:
    return f"{prefix}.localhost"


def server_environment(port: int, **extra) -> dict:
    """Environment of a server process on the committed test database, answering on `port`."""
    from django.conf import settings

    env = dict(os.environ)
    db = settings.DATABASES["default"]
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    env["PUBLIC_PORT"] = str(port)
    env["DB_CONN_MAX_AGE"] = "0"  # no connection outlives the server, so the test database can be dropped
    env.update(extra)
    return env


def wait_for_port(port: int, process, log_name: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process.poll() is not None:
            raise RuntimeError(f"测试服务器启动失败，见 .services/{log_name}")
        time.sleep(0.3)
    raise RuntimeError(f"测试服务器 {seconds} 秒内未启动，见 .services/{log_name}")


@pytest.fixture(scope="session")
def live_server_url(django_db_setup):
    """A real server process on the committed test database (what the browser talks to)."""
    env = server_environment(LIVE_PORT)
    log = open(ROOT / ".services" / "test-server.log", "w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{LIVE_PORT}", "--noreload", "--nothreading"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    wait_for_port(LIVE_PORT, process, "test-server.log")
    yield f"http://{{prefix}}.localhost:{LIVE_PORT}"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from services.system_packages import find_browser

    executable = find_browser()
    if executable is None:
        pytest.fail("找不到 Chromium 浏览器：请运行 make test（会自动安装），或安装 chromium 后重试；"
                    "也可以用环境变量 GOVSITE_BROWSER 指定浏览器", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    yield page
    context.close()
