"""Review before publishing in a real Chromium, against a real server on the committed district.

区教育局's 业务员 logs in, writes an article in 部门动态 and submits it; the 负责人 logs in, finds
it waiting, and approves it; a visitor then reads it on the department's site. The article is
removed again afterwards, because the browser's server commits what it does.
"""

import re
from pathlib import Path

import pytest
from django_tenants.utils import tenant_context

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TITLE = "区教育局关于做好秋季学期开学工作的通知（浏览器审核）"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"governance-{name}.png"), full_page=True)


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    assert "/admin/login/" not in page.url, f"{username} 登录失败"


def open_actions(page):
    """The footer's action menu: its first item is a button, the others are in a dropdown."""
    toggle = page.locator("footer .w-dropdown__toggle").first
    if toggle.count() and toggle.is_visible():
        toggle.click()


@pytest.fixture
def cleanup_article(live_server_url, browser, departments, django_db_blocker):
    """The server committed the article: the 负责人 deletes it again, through the admin (into the
    department's 回收站), and it is then deleted for good."""
    yield
    from portal.pages.models import ArticlePage

    with tenant_context(departments["jyj"]):
        ids = list(ArticlePage.objects.filter(title=TITLE).values_list("pk", flat=True))
    if not ids:
        return
    base = live_server_url.format(prefix="jyj")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, base, "jyj_head")
    for pk in ids:
        page.goto(f"{base}/admin/pages/{pk}/delete/")
        with page.expect_navigation():
            page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    context.close()
    with tenant_context(departments["jyj"]):
        assert not ArticlePage.objects.filter(title=TITLE, live=True).exists()  # off the site, in the bin
        with django_db_blocker.unblock():
            for article in ArticlePage.objects.filter(title=TITLE):
                article.delete()
        assert not ArticlePage.objects.filter(title=TITLE).exists()


def test_editor_submits_head_approves_visitor_reads(live_server_url, browser, cleanup_article, departments):
    from portal.pages.models import ColumnPage

    with tenant_context(departments["jyj"]):
        news_id = ColumnPage.objects.get(depth=3, slug="news").pk
    base = live_server_url.format(prefix="jyj")

    # The 业务员 writes a draft in 部门动态 and submits it.
    editor = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    log_in(editor, base, "jyj_editor")
    editor.goto(f"{base}/admin/pages/{news_id}/")
    with editor.expect_navigation():
        editor.get_by_role("link", name=re.compile("添加子页面")).first.click()
    if "/add_subpage/" in editor.url:  # a column may hold articles and sub-columns: choose 文章
        with editor.expect_navigation():
            editor.get_by_role("link", name="文章").first.click()
    editor.fill("#id_title", TITLE)
    editor.fill("#id_summary", "各中小学要做好开学准备。")
    editor.locator("[data-streamfield-stream-container] button, .w-combobox-container button, "
                   "button[title='插入块']").first.click()
    editor.get_by_role("option", name="正文").first.click()
    body = editor.locator(".public-DraftEditor-content").first
    body.click()
    body.type("各中小学：9月1日学生报到注册，请做好校舍安全检查。")
    # Draftail writes its content into the form a moment after the last key press.
    editor.wait_for_function(
        "() => (document.querySelector('input[name=\"body-0-value\"]').value || '').includes('9月1日')"
    )
    screenshot(editor, "01-editor-draft")
    open_actions(editor)
    with editor.expect_navigation():
        editor.locator("button[name='action-submit']").click()
    screenshot(editor, "02-editor-submitted")
    from portal.pages.models import ArticlePage

    with tenant_context(departments["jyj"]):
        article = ArticlePage.objects.get(title=TITLE)
        assert not article.live and article.current_workflow_state.status == "in_progress"
    assert editor.goto(f"{base}/news/{article.slug}/").status == 404  # not public yet

    # The 负责人 finds it waiting on the dashboard and approves it.
    head = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    log_in(head, base, "jyj_head")
    head.goto(base + "/admin/")
    assert TITLE in head.locator("main").inner_text()
    head.goto(f"{base}/admin/pages/{article.pk}/edit/")
    assert "各中小学要做好开学准备" in head.content()
    screenshot(head, "03-head-reviews")
    open_actions(head)
    approve = head.locator("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])")
    with head.expect_navigation():
        approve.first.click()
    screenshot(head, "04-head-approved")
    with tenant_context(departments["jyj"]):
        article.refresh_from_db()
        assert article.live

    # Anyone can read it now.
    visitor = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    response = visitor.goto(f"{base}/news/{article.slug}/")
    assert response.status == 200
    assert TITLE in visitor.locator("main").inner_text()
    assert "9月1日学生报到注册" in visitor.locator("main").inner_text()
    screenshot(visitor, "05-visitor-reads")
    for context_page in (editor, head, visitor):
        context_page.context.close()
