"""A department head in a real Chromium: opens 网站巡检 on the department's site, reads the
findings of the department, opens one and asks for a re-check, which says it is still there.

The server process only sees committed rows, so the findings are committed here and removed
afterwards (the audit rows of the re-check stay, as the audit log keeps everything)."""

import pytest
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def committed_findings(django_db_blocker, departments):
    from plugins.inspection import service
    from plugins.inspection.models import Finding

    with django_db_blocker.unblock(), schema_context("public"):
        service.inspect_department(departments["jyj"], crawl=False)
    yield
    with django_db_blocker.unblock(), schema_context("public"):
        Finding.objects.filter(department=departments["jyj"]).delete()


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
