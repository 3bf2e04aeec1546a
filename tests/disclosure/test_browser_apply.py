"""A visitor applies for disclosure on the portal in a real Chromium and follows the application.

No `django_db` mark: the server process commits the application, and the cleanup must run outside
a test transaction to remove it.
"""

import re

import pytest

pytestmark = [pytest.mark.browser]


@pytest.fixture
def forget_applications(django_db_setup, django_db_blocker):
    """The browser's server committed the application: remove it afterwards."""
    yield
    from plugins.disclosure.models import Application

    with django_db_blocker.unblock():
        Application.objects.filter(name="浏览器测试申请人").delete()


def test_apply_online_and_follow_the_application(page, live_server_url, forget_applications):
    portal = live_server_url.format(prefix="www")
    page.goto(portal + "/catalogue/apply/")
    page.get_by_role("link", name="看不清图片？改用文字题（可朗读）").click()
    page.wait_for_url(re.compile(r"captcha=text"))
    page.select_option("#id_department", label="区教育局")
    page.select_option("#id_applicant_type", label="自然人")
    page.fill("#id_name", "浏览器测试申请人")
    page.fill("#id_id_number", "441602199001011234")
    page.fill("#id_phone", "13900000001")
    page.fill("#id_email", "applicant@example.com")
    page.fill("#id_description", "源城区2025年义务教育学位供给统计表")
    page.select_option("#id_delivery", label="电子邮件")
    question = page.locator(".captcha-question").inner_text()
    a, b = map(int, re.search(r"(\d+) 加 (\d+)", question).groups())
    page.fill("#id_captcha", "0")  # a wrong answer first: refused, what was typed stays
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()
    assert "验证码不正确" in page.locator("main").inner_text()
    assert page.input_value("#id_description") == "源城区2025年义务教育学位供给统计表"
    a, b = map(int, re.search(r"(\d+) 加 (\d+)", page.locator(".captcha-question").inner_text()).groups())
    page.fill("#id_captcha", str(a + b))
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()
    code = page.locator(".query-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{12}", code)
    assert "区教育局已收到您的政府信息公开申请" in page.locator("main").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="申请办理查询").click()
    status = page.locator("main").inner_text()
    assert "办理中" in status and "源城区2025年义务教育学位供给统计表" in status and "答复期限" in status
