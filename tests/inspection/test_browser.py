"""A department head in a real Chromium: opens 网站巡检 on the department's site, reads the
findings of the department, opens one and asks for a re-check, which says it is still there.

The server process only sees committed rows, so the findings are committed here and removed
afterwards (the audit rows of the re-check stay, as the audit log keeps everything)."""

import threading

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def in_own_connection(work):
    """Run `work` in a thread: its own database connection commits at once, outside the test's
    transaction, so the server process sees the rows."""
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
def committed_findings(departments):
    from plugins.inspection import service
    from plugins.inspection.models import Finding

    jyj = departments["jyj"]
    in_own_connection(lambda: service.inspect_department(jyj, crawl=False))
    yield
    in_own_connection(lambda: Finding.objects.filter(department=jyj).delete())


def test_head_reads_findings_and_asks_for_a_recheck(live_server_url, page, committed_findings):
    base = live_server_url.format(prefix="jyj")
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "jyj_head")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    page.goto(base + "/admin/plugins/inspection/")
    assert page.locator("h3", has_text="区教育局 · 空白栏目").count() == 1
    assert page.locator("table.league td.score").count() == 1  # only its own department
    assert "区卫生健康局" not in page.content()

    page.locator("table.findings a", has_text="政策解读").first.click()
    page.wait_for_load_state()
    assert "空白栏目" in page.locator(".finding-title").inner_text()
    with page.expect_navigation():
        page.locator("button", has_text="已整改，立即复查").click()
    assert "复查时问题仍然存在" in page.content()
    assert "复查仍存在" in page.locator("table.history").inner_text()
    assert page.locator(".finding-status").inner_text().startswith("待整改")


@pytest.fixture
def no_authenticator():
    """The centre's administrator enrols an authenticator in the browser; other tests expect none."""
    from portal.accounts.models import TOTPDevice

    def forget():
        TOTPDevice.objects.filter(user__username="center_admin").delete()

    in_own_connection(forget)
    yield
    in_own_connection(forget)


def test_centre_reads_the_report_and_downloads_the_workbook(live_server_url, browser, no_authenticator):
    import io

    import pyotp
    from openpyxl import load_workbook

    portal = live_server_url.format(prefix="www")
    page = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True).new_page()
    page.goto(portal + "/admin/login/")
    page.fill("#id_username", "center_admin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    secret = page.locator(".totp-secret")
    page.fill("input[name=code]", pyotp.TOTP(secret.get_attribute("data-secret")).now())
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()

    page.goto(portal + "/admin/plugins/inspection/")
    league = page.locator("table.league tbody tr")
    assert league.count() >= 3 and "健康度 = 100 −" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="绩效评估与通报").click()
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="生成报告").click()
    assert page.locator(".report-title").inner_text() == "源城区人民政府办公室关于2026年度政府网站绩效评估情况的通报"
    charts = page.locator("svg.chart")
    assert charts.count() == 3 and charts.first.is_visible()
    # The committed district published its sample items in November.
    assert charts.first.locator("title", has_text="11月：").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename == "performance-20260101-20261231.xlsx"
    with open(download.value.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert "绩效排名" in workbook.sheetnames
    names = [row[1] for row in workbook["绩效排名"].iter_rows(min_row=2, values_only=True)]
    assert {"源城区人民政府", "区教育局", "区卫生健康局"} <= set(names)
