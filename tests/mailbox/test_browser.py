"""The whole mailbox in a real Chromium against a real server on the committed district: a
citizen writes, the 区信息中心 forwards, 区教育局's 业务员 drafts a reply, the 负责人 approves,
the citizen reads it with the query code, and the published letter shows no personal data.
What the server committed is removed afterwards."""

import re

import pyotp
import pytest

from tests.conftest import PASSWORD

from .test_concurrency import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
SUBJECT = "浏览器测试：关于学校门口交通拥堵的建议"


def forget_authenticator():
    """The centre's administrator enrols an authenticator in the browser; other tests expect none."""
    committed("DELETE FROM accounts_totpdevice WHERE user_id = (SELECT id FROM accounts_user WHERE username = %s)",
              ["center_admin"])


@pytest.fixture
def cleanup():
    forget_authenticator()
    yield
    forget_authenticator()
    from search import index

    for (pk,) in committed("SELECT id FROM mailbox_letter WHERE subject = %s", [SUBJECT]) or []:
        committed("DELETE FROM search_searchdocument WHERE kind = 'letter' AND object_id = %s", [pk])
        index.client().options(ignore_status=404).delete(index=index.alias(), id=f"jyj:letter:{pk}", refresh=True)
        for table in ("mailbox_reply", "mailbox_letterevent"):
            committed(f"DELETE FROM {table} WHERE letter_id = %s", [pk])  # noqa: S608 - fixed table names
        committed("DELETE FROM mailbox_letter WHERE id = %s", [pk])
    committed("DELETE FROM portal_formsubmission WHERE scope = 'mailbox'")


def log_in(browser, base, username):
    page = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    secret = page.locator(".totp-secret")
    if secret.count():  # a central administrator binds the authenticator app first
        page.fill("input[name=code]", pyotp.TOTP(secret.get_attribute("data-secret")).now())
        with page.expect_navigation():
            page.locator("form button[type=submit]").first.click()
    assert "/admin/login/" not in page.url and "/security/" not in page.url, f"{username} 登录失败"
    return page


def test_letter_from_citizen_to_published_reply(live_server_url, browser, cleanup):
    portal, jyj = live_server_url.format(prefix="www"), live_server_url.format(prefix="jyj")

    citizen = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    citizen.goto(portal + "/mailbox/write/")
    assert citizen.locator("img.captcha-image").evaluate("img => img.naturalWidth") > 0  # the picture loads
    citizen.get_by_role("link", name=re.compile("改用文字题")).click()
    citizen.select_option("#id_kind", "suggest")
    citizen.fill("#id_subject", SUBJECT)
    citizen.fill("#id_content", "我是王五，电话13712345678。建议上下学时段在学校门口安排交警疏导。")
    citizen.fill("#id_name", "王五")
    citizen.fill("#id_phone", "13712345678")
    citizen.check("#id_may_publish")
    a, b = map(int, re.search(r"(\d+) 加 (\d+)", citizen.locator(".captcha-question").inner_text()).groups())
    citizen.fill("#id_captcha", str(a + b))
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="提交来信").click()
    code = citizen.locator(".query-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{12}", code)

    centre = log_in(browser, portal, "center_admin")
    centre.goto(portal + "/admin/plugins/mailbox/")
    with centre.expect_navigation():
        centre.get_by_role("link", name=SUBJECT).click()
    letter_url = centre.url
    centre.select_option("select[name=department]", label="区教育局")
    with centre.expect_navigation():
        centre.get_by_role("button", name="转交").click()
    assert "已转交区教育局" in centre.content()
    assert "个工作日后为" in centre.content()  # how the deadline was computed
    pk = re.search(r"/mailbox/(\d+)/", letter_url).group(1)

    editor = log_in(browser, jyj, "jyj_editor")
    editor.goto(f"{jyj}/admin/plugins/mailbox/{pk}/")
    editor.fill("textarea[name=text]", "已协调交警部门在上下学时段派员疏导。")
    with editor.expect_navigation():
        editor.get_by_role("button", name="保存草稿").click()
    assert "等待负责人审核" in editor.content()
    assert editor.get_by_role("button", name="审核通过并发送答复").count() == 0

    head = log_in(browser, jyj, "jyj_head")
    head.goto(f"{jyj}/admin/plugins/mailbox/{pk}/")
    with head.expect_navigation():
        head.get_by_role("button", name="审核通过并发送答复").click()
    assert "答复已审核发送" in head.content()

    citizen.goto(portal + "/mailbox/query/")
    citizen.fill("input[name=code]", code)
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="查询").click()
    assert "已协调交警部门在上下学时段派员疏导。" in citizen.locator("main").inner_text()

    centre.goto(letter_url)
    with centre.expect_navigation():
        centre.get_by_role("button", name=re.compile("公开来信及答复")).click()
    citizen.goto(portal + "/mailbox/")
    with citizen.expect_navigation():
        citizen.get_by_role("link", name=SUBJECT).click()
    text = citizen.locator("main").inner_text()
    assert "已协调交警部门" in text and "学校门口安排交警疏导" in text
    assert "王五" not in text and "13712345678" not in text
