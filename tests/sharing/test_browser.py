"""信息报送 in a real Chromium, as the people do it: the 区教育局's 业务员 offers a news item to the
portal in their admin, the portal's 负责人 takes it into 源城要闻 and approves the reference in the
editor, and a visitor reads it on the portal with its 来源 and a link to the original."""

import pytest

from tests.conftest import PASSWORD, _make_user
from tests.workbench.test_browser import _log_in, in_own_connection

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
HEAD = "www_head_browser"
TITLE = "区教育局部门动态样例3"


@pytest.fixture
def portal_head():
    """A 负责人 of the portal (committed: the browser's server reads it); the submission and the
    reference the test made are removed afterwards."""

    def make():
        from portal.accounts.roles import grant_department_role

        from tenants.models import Department

        grant_department_role(_make_user(HEAD, "门户网站负责人"), Department.objects.get(host_prefix="www"), "head")

    def remove():
        from django_tenants.utils import tenant_context
        from portal.sharing.models import Submission
        from portal.sharing.references.models import SharedItemPage

        from tenants.models import Department

        with tenant_context(Department.objects.get(host_prefix="www")):
            for reference in SharedItemPage.objects.filter(title=TITLE):
                reference.delete()
        Submission.objects.filter(title=TITLE).delete()

    in_own_connection(remove)
    in_own_connection(make)
    yield
    in_own_connection(remove)


def test_a_submitted_item_reaches_the_portal_page_through_both_admins(live_server_url, page, portal_head):
    from portal.models import PublishedItem

    from tenants.models import Department

    assert PASSWORD
    item = PublishedItem.objects.get(department__host_prefix="jyj", title=TITLE)
    portal = Department.objects.get(host_prefix="www")
    jyj, www = live_server_url.format(prefix="jyj"), live_server_url.format(prefix="www")

    # The sender: 信息报送 › 报送信息 in the department's admin.
    _log_in(page, jyj, "jyj_editor")
    page.goto(jyj + "/admin/sharing/new/")
    page.select_option("#id_item", value=str(item.pk))
    page.select_option("#id_target_department", value=str(portal.pk))
    page.select_option("#id_column_type", value="news")
    page.fill("#id_note", "请在源城要闻采用")
    with page.expect_navigation():
        page.get_by_role("button", name="报送", exact=True).click()
    mine = page.inner_text("main")
    assert TITLE in mine and "待处理" in mine and "源城区人民政府" in mine

    # The receiver: the queue, 采用 into 源城要闻, then 审核通过 in the editor as for any article.
    page.context.clear_cookies()
    _log_in(page, www, HEAD)
    page.goto(www + "/admin/sharing/received/")
    assert TITLE in page.inner_text("main") and "区教育局" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name="处理", exact=True).first.click()
    page.check("input[name=decision][value=accept]")
    assert page.locator("#id_column option:checked").inner_text() == "源城要闻"
    with page.expect_navigation():
        page.get_by_role("button", name="确定", exact=True).click()
    assert "已采用" in page.inner_text("body")
    page.goto(www + "/admin/")
    with page.expect_navigation():
        page.locator("a", has_text=TITLE).first.click()
    assert "/edit/" in page.url
    with page.expect_navigation():
        page.locator('button[data-workflow-action-name="approve"]').first.dispatch_event("click")

    # A visitor on the portal: the column lists it, the page shows it with its 来源 and the original.
    page.context.clear_cookies()
    page.goto(www + "/news/")
    with page.expect_navigation():
        page.get_by_role("link", name=TITLE).first.click()
    article = page.inner_text("article")
    assert TITLE in article and "信息来源：区教育局" in article
    original = page.get_by_role("link", name=f"区教育局：{TITLE}")
    assert original.get_attribute("href") == item.url
