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
