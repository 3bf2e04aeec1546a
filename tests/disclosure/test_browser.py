"""A visitor uses the central catalogue on the portal in a real Chromium: filters by department
and topic, opens an entry, reads its metadata table and downloads its attachment."""

import io
import re
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from .helpers import make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCHOOL = "源城区教育局关于公布2026年校外培训机构白名单的通告"
HOSPITAL = "源城区卫生健康局关于公布2026年家庭医生签约服务机构的通告"
OTHER_TOPIC = "源城区教育局2026年政府信息公开工作要点"


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """Committed entries (the browser's server is another process); deleted afterwards."""
    from plugins.disclosure.entries.models import CatalogueEntryPage
    from tenants.models import Department

    with django_db_blocker.unblock():
        departments = {d.host_prefix: d for d in Department.objects.filter(host_prefix__in=["jyj", "wjj"])}
        entries = {
            "school": make_entry(departments["jyj"], SCHOOL, topic="10-02", genre="announcement",
                                 document_number="源教〔2026〕30号", attachment_title="校外培训机构白名单"),
            "hospital": make_entry(departments["wjj"], HOSPITAL, topic="12-01", genre="announcement",
                                   attachment_title="签约服务机构名单"),
            "other": make_entry(departments["jyj"], OTHER_TOPIC, topic="01-01", genre="other"),
        }
        connection.set_schema_to_public()
    yield entries
    with django_db_blocker.unblock():
        for key, department in (("school", "jyj"), ("hospital", "wjj"), ("other", "jyj")):
            with tenant_context(departments[department]):
                CatalogueEntryPage.objects.get(pk=entries[key].pk).delete()
        connection.set_schema_to_public()


def test_filter_the_central_catalogue_open_an_entry_and_download(page, live_server_url, published):
    from pypdf import PdfReader

    portal = live_server_url.format(prefix="www")
    page.goto(portal + "/catalogue/")
    rows = page.locator("table.catalogue-table tbody")
    for title in (SCHOOL, HOSPITAL, OTHER_TOPIC):
        assert title in rows.inner_text()

    page.select_option("#filter-department", label="区教育局")
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    assert "department=jyj" in page.url
    assert SCHOOL in rows.inner_text() and OTHER_TOPIC in rows.inner_text()
    assert HOSPITAL not in rows.inner_text()

    with page.expect_navigation():
        page.locator("nav.topic-tree a", has_text="科技、教育").click()
    assert "topic=10" in page.url and "department=jyj" in page.url
    assert page.locator("#filter-department").input_value() == "jyj"
    assert SCHOOL in rows.inner_text() and OTHER_TOPIC not in rows.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "disclosure-catalogue.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name=SCHOOL).click()
    assert page.url.startswith(live_server_url.format(prefix="jyj"))
    metadata = page.locator("table.catalogue-metadata")
    assert published["school"].index_number in metadata.inner_text()
    assert re.search(r"^007218384/\d{4}-\d{5}$", metadata.locator(".index-number").inner_text())
    assert "源教〔2026〕30号" in metadata.inner_text() and "公告" in metadata.inner_text()
    page.screenshot(path=str(ARTIFACTS / "disclosure-entry.png"), full_page=True)

    # The PDF opens in the browser's viewer; back on the entry, the page fetches the file behind
    # the link as the browser would save it.
    with page.expect_response(lambda response: "/documents/" in response.url and response.status == 200) as info:
        page.get_by_role("link", name="校外培训机构白名单").click()
    file_url = info.value.url
    page.go_back()
    fetched = page.evaluate(
        """async url => {
            const response = await fetch(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            return {type: response.headers.get("content-type"), bytes: Array.from(bytes)};
        }""",
        file_url,
    )
    content = bytes(fetched["bytes"])
    assert fetched["type"] == "application/pdf" and content.startswith(b"%PDF")
    assert "校外培训机构白名单" in PdfReader(io.BytesIO(content)).pages[0].extract_text()

