"""The admin in Chinese, walked in a real Chromium by each role: every screen a 业务员, a 负责人
and the centre's administrator uses is read as the person sees it (the sidebar is drawn by
JavaScript, so only a browser shows it), and any English word fails the test. Also: the 工作台,
the platform's name and emblem instead of Wagtail's, and the help menu's Chinese guide."""

import re
import threading

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Words that are not English prose: file types, protocols and names people use as they are.
ALLOWED = {
    "PDF", "DOCX", "DOC", "TXT", "WPS", "OFD", "XLS", "XLSX", "ZIP", "RAR", "JPG", "JPEG", "PNG", "WEBP", "GIF",
    "SVG", "URL", "HTTP", "HTTPS", "MB", "KB", "GB", "ID", "ICP", "TOTP", "RSS", "API", "IP", "HTML", "CSV", "QR",
    "Atom", "Word", "Excel", "Tab", "Ctrl", "Shift", "Alt", "Enter", "Esc", "Cmd", "Cookie",
}
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Addresses and account names (`jyj_editor`, `two_hats`) are what people type, not English.
HOSTS_AND_NAMES = re.compile(r"(https?://\S+|\S+\.localhost\S*|[\w.+-]+@[\w.-]+|\b[a-z]+_[a-z_]+\b)")


def in_own_connection(work):
    from django.db import connections

    failure = []

    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.fixture
def no_authenticator():
    from portal.accounts.models import TOTPDevice

    def forget():
        TOTPDevice.objects.filter(user__username="center_admin").delete()

    in_own_connection(forget)
    yield
    in_own_connection(forget)


def _log_in(page, base, username, secrets=None):
    """Logs in on `base`; a central account sets up its authenticator on the first login and
    `secrets` keeps its key for logging in on another site's admin."""
    import pyotp

    secrets = {} if secrets is None else secrets
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    secret = page.locator(".totp-secret")
    if secret.count():
        secrets[username] = secret.get_attribute("data-secret")
    if username in secrets and page.locator("input[name=code]").count():
        page.fill("input[name=code]", pyotp.TOTP(secrets[username]).now())
        with page.expect_navigation():
            page.locator("form button[type=submit]").first.click()
    assert "/admin/login/" not in page.url, f"{username} 登录失败"


def _english_words(page) -> dict[str, str]:
    """English words a person reads on the page (visible text, the tab title, placeholders,
    button labels and the expanded sidebar's labels), each with the text around it."""
    texts = page.evaluate("""() => {
        const parts = [document.title, document.body.innerText];
        for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], input[type=submit]')) {
            const style = window.getComputedStyle(el);
            if (style.display === 'none' || style.visibility === 'hidden') continue;
            parts.push(el.getAttribute('placeholder') || '', el.getAttribute('aria-label') || '',
                       el.getAttribute('title') || '', el.type === 'submit' ? el.value : '');
        }
        return parts.join('\\n');
    }""")
    texts = HOSTS_AND_NAMES.sub(" ", texts)
    # Each word with the text around it, so a failure says where on the screen it was.
    return {match[0]: texts[max(0, match.start() - 20):match.end() + 20].replace("\n", " ")
            for match in ENGLISH.finditer(texts) if match[0] not in ALLOWED and match[0].upper() not in ALLOWED}


def _settled(page, pending, path, seconds=30):
    """Waits until the page has made no request for half a second (its sidebar and panels are
    drawn by scripts that fetch). Playwright's own "networkidle" sometimes never fires on a
    loaded machine although nothing is pending, so the requests are counted here."""
    import time

    page.wait_for_selector(".sidebar-main-menu__list", state="attached", timeout=seconds * 1000)
    deadline = time.monotonic() + seconds
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        if pending:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 0.5:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} 的请求 {seconds} 秒内没有完成：{sorted(pending)}")


def _walk(page, base, paths) -> dict[str, dict[str, str]]:
    pending = set()
    page.on("request", lambda request: pending.add(request.url))
    page.on("requestfinished", lambda request: pending.discard(request.url))
    page.on("requestfailed", lambda request: pending.discard(request.url))
    found = {}
    for path in paths:
        response = page.goto(base + path, wait_until="load")
        assert response.status < 400, f"{path} 返回 {response.status}"
        _settled(page, pending, path)
        words = _english_words(page)
        if words:
            found[path] = words
    return found


def _ids(department_prefix):
    from django_tenants.utils import tenant_context
    from portal.pages.models import ArticlePage, ColumnPage, HomePage

    from tenants.models import Department

    with tenant_context(Department.objects.get(host_prefix=department_prefix)):
        home = HomePage.objects.get(depth=2)
        news = ColumnPage.objects.get(depth=3, slug="news")
        article = ArticlePage.objects.child_of(news).first()
        return home.pk, news.pk, article.pk


def department_screens(prefix):
    home, news, article = _ids(prefix)
    return [
        "/admin/", f"/admin/pages/{home}/", f"/admin/pages/{news}/", f"/admin/pages/{article}/edit/",
        f"/admin/pages/add/pages/articlepage/{news}/", f"/admin/pages/{news}/edit/", f"/admin/pages/{article}/history/",
        "/admin/documents/", "/admin/images/", "/admin/guide/", "/admin/plugins/mailbox/",
        "/admin/plugins/disclosure/", "/admin/plugins/inspection/", "/admin/homepage-requests/",
        "/admin/timeliness/", "/admin/account/", "/admin/sharing/", "/admin/sharing/new/",
        "/admin/sharing/received/", "/admin/sharing/library/", "/admin/plugins/consultation/",
        "/admin/plugins/consultation/new/", "/admin/plugins/interviews/", "/admin/visits/",
    ]


@pytest.mark.parametrize("username", ["jyj_editor", "jyj_head"])
def test_department_roles_meet_no_english(live_server_url, page, username, db):
    base = live_server_url.format(prefix="jyj")
    _log_in(page, base, username)
    home = page.content()
    assert "工作台" in home and "我的稿件" in home and "栏目更新" in home
    assert ("待我审核" in home) == (username == "jyj_head")
    found = _walk(page, base, department_screens("jyj"))
    found = _without_content(found)
    assert not found, f"{username} 在后台看到英文：{found}"


def _content_words() -> set[str]:
    """Latin words in what earlier tests committed as content (page and attachment titles and file
    names in every site, titles of publications on record): words the editors wrote, not words of
    the admin."""
    import re

    from django.db import connection

    texts = []
    with connection.cursor() as cursor:
        for schema in ("www", "jyj", "wjj"):
            cursor.execute(f"SELECT title || ' ' || file FROM {schema}.wagtaildocs_document "
                           f"UNION ALL SELECT title FROM {schema}.wagtailcore_page")
            texts += [text for (text,) in cursor.fetchall()]
        # Pages deleted again still have their titles in the record of unreviewed publications.
        cursor.execute("SELECT title FROM public.governance_unreviewedpublication")
        texts += [text for (text,) in cursor.fetchall()]
    return {word for text in texts for word in re.findall(r"[A-Za-z]+", text)}


def _without_content(found: dict) -> dict:
    content = _content_words()
    return {path: left for path, words in found.items()
            if (left := {word: where for word, where in words.items() if word not in content})}


def _site_and_person(department_prefix, username):
    from django_tenants.utils import tenant_context
    from portal.accounts.models import User
    from wagtail.models import Site

    from tenants.models import Department

    with tenant_context(Department.objects.get(host_prefix=department_prefix)):
        return Site.objects.get().pk, User.objects.get(username=username).pk


def centre_screens(prefix):
    """What only a 系统管理员 opens (sites and accounts), and a page's history, on one site."""
    home, news, article = _ids(prefix)
    site, person = _site_and_person(prefix, "jyj_editor")
    return [
        "/admin/sites/", "/admin/sites/new/", f"/admin/sites/edit/{site}/", "/admin/users/", "/admin/users/new/",
        f"/admin/users/edit/{person}/", f"/admin/pages/{article}/history/", f"/admin/pages/{news}/",
    ]


# A draft 政府网站工作年度报表 of a year no other test uses, for its screen.
STATEMENT_YEAR = 2020


def _draft_statement():
    from portal.accounts.models import User
    from portal.statement.models import Statement
    from portal.statement.service import generate

    if not Statement.objects.filter(year=STATEMENT_YEAR).exists():
        generate(STATEMENT_YEAR, user=User.objects.get(username="center_admin"))


def test_centre_meets_no_english(live_server_url, browser, no_authenticator):
    in_own_connection(_draft_statement)
    page = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    base, secrets = live_server_url.format(prefix="www"), {}
    _log_in(page, base, "center_admin", secrets)
    assert "全区概况" in page.content()
    found = _walk(page, base, [
        "/admin/", "/admin/?department=jyj", "/admin/departments/", "/admin/people/", "/admin/plugins/inspection/",
        "/admin/plugins/mailbox/", "/admin/homepage-requests/review/", "/admin/theme/", "/admin/guide/",
        "/admin/groups/", "/admin/workflows/list/", "/admin/visits/", "/admin/newmedia/accounts/",
        "/admin/newmedia/accounts/new/", "/admin/newmedia/figures/", "/admin/newmedia/figures/import/",
        "/admin/plugins/inspection/bulletins/", "/admin/plugins/inspection/rectifications/",
        "/admin/plugins/inspection/report/?start=2026-01-01&end=2026-12-31", "/admin/sharing/statistics/",
        "/admin/sharing/library/", "/admin/statement/", f"/admin/statement/{STATEMENT_YEAR}/",
        *centre_screens("www"),
    ])
    # The same screens on a department's site, where the centre's administrator also works.
    jyj = live_server_url.format(prefix="jyj")
    _log_in(page, jyj, "center_admin", secrets)
    found.update({f"jyj{path}": words for path, words in _walk(page, jyj, centre_screens("jyj")).items()})
    found = _without_content(found)
    assert not found, f"center_admin 在后台看到英文：{found}"


def test_platform_name_and_guide_replace_wagtail_branding(live_server_url, page):
    base = live_server_url.format(prefix="jyj")
    page.goto(base + "/admin/login/")
    assert "网站集约化平台" in page.title() and "Wagtail" not in page.inner_text("body")
    assert "登录源城区人民政府网站集约化平台" in page.inner_text("h1")
    assert page.locator(".login-logo .govsite-brand").count() == 1 and page.locator("svg.icon-wagtail").count() == 0
    _log_in(page, base, "jyj_editor")
    assert "网站集约化平台" in page.title()
    sidebar_logo = page.evaluate("document.querySelector('template[data-wagtail-sidebar-branding-logo]').innerHTML")
    assert "govsite-brand" in sidebar_logo
    assert page.locator("svg.icon-wagtail").count() == 0
    page.get_by_role("button", name="帮助").click()
    with page.expect_navigation():
        page.get_by_role("link", name="使用指南").click()
    guide = page.inner_text("main")
    assert "保密检查" in guide and "5 个工作日" in guide and "提交审核" in guide
