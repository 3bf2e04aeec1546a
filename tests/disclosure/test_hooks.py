"""The plugin through the core's hooks: inspection findings, report figures, search documents,
demo content, menu and audit event names."""

import random
from datetime import date

import pytest
from django_tenants.utils import tenant_context
from portal import plugins
from portal.accounts.models import User

from plugins.disclosure import applications, inspection
from plugins.disclosure.models import AnnualReport, Application, CatalogueItem

from .test_applications import applicant_data


@pytest.fixture
def head(db):
    return User.objects.get(username="jyj_head")


def test_overdue_applications_are_inspection_findings(departments, head):
    jyj = departments["jyj"]
    late = applications.submit(department=jyj, data=applicant_data(), received_on=date(2025, 9, 26))
    paused = applications.submit(department=jyj, data=applicant_data(), received_on=date(2025, 9, 26))
    applications.request_completion(paused, text="请补充", user=head, on=date(2025, 9, 29))
    answered = applications.submit(department=jyj, data=applicant_data(), received_on=date(2025, 9, 26))
    applications.decide(answered, decision="disclose", answer="见附件", user=head, on=date(2025, 10, 9))
    applications.submit(department=departments["wjj"], data=applicant_data(), received_on=date(2025, 9, 26))

    with tenant_context(jyj):
        checks = plugins.inspection_checks(jyj)
        assert inspection.overdue_applications in checks
        findings = inspection.overdue_applications(jyj, today=date(2025, 11, 3))
    assert [finding["key"] for finding in findings] == [f"application:{late.pk}"]
    assert findings[0]["item"] == "disclosure" and "已超期 4 天" in findings[0]["title"]
    assert findings[0]["edit_url"].endswith(f"/admin/plugins/disclosure/{late.pk}/")


def test_an_annual_report_not_published_by_31_january_is_a_finding(departments, head):
    jyj = departments["jyj"]
    assert inspection.unpublished_annual_report(jyj, today=date(2026, 1, 31)) == []
    findings = inspection.unpublished_annual_report(jyj, today=date(2026, 2, 1))
    assert findings[0]["key"] == "annual_report:2025" and "未在 2026年1月31日前发布" in findings[0]["title"]
    from plugins.disclosure import reports

    report = reports.generate_report(jyj, 2025, user=head)
    reports.publish_report(report, user=head)
    assert inspection.unpublished_annual_report(jyj, today=date(2026, 2, 1)) == []
    # The portal answers for the district's report, which is still missing.
    assert inspection.unpublished_annual_report(departments["www"], today=date(2026, 2, 1))[0]["title"].startswith(
        "全区2025年")


def test_standard_parts_exist_in_every_department(departments):
    for department in departments.values():
        with tenant_context(department):
            assert inspection.missing_standard_parts(department) == []


def test_performance_figures(departments, head):
    jyj = departments["jyj"]
    on_time = applications.submit(department=jyj, data=applicant_data(), received_on=date(2025, 9, 26))
    applications.decide(on_time, decision="disclose", answer="见附件", user=head, on=date(2025, 10, 13))
    late = applications.submit(department=jyj, data=applicant_data(), received_on=date(2025, 9, 26))
    applications.decide(late, decision="disclose", answer="见附件", user=head, on=date(2025, 11, 3))
    applications.submit(department=jyj, data=applicant_data(), received_on=date(2025, 9, 26))  # never answered
    figures = plugins.performance_figures(jyj, date(2025, 1, 1), date(2025, 12, 31))["disclosure_requests"]
    # 13 October is the 7th working day after 26 September, 3 November the 22nd: (7 + 22) / 2.
    assert figures == {"received": 3, "answered": 2, "answered_on_time": 1, "overdue": 2, "avg_working_days": 14.5}
    assert plugins.performance_figures(jyj, date(2024, 1, 1), date(2024, 12, 31))["disclosure_requests"][
        "avg_working_days"] is None


def test_published_reports_are_search_documents(departments, head):
    from plugins.disclosure import reports

    jyj = departments["jyj"]
    report = reports.generate_report(jyj, 2025, user=head)
    with tenant_context(jyj):
        assert [doc for doc in plugins.search_documents(jyj) if doc["kind"] == "annual_report"] == []
    reports.publish_report(report, user=head)
    with tenant_context(jyj):
        documents = [doc for doc in plugins.search_documents(jyj) if doc["kind"] == "annual_report"]
    assert documents[0]["title"] == "区教育局2025年政府信息公开工作年度报告"
    assert documents[0]["url"] == f"/catalogue/reports/{report.pk}/"
    with tenant_context(departments["wjj"]):
        assert not [doc for doc in plugins.search_documents(departments["wjj"]) if doc["kind"] == "annual_report"]


def test_demo_content(departments):
    jyj = departments["jyj"]
    with tenant_context(jyj):
        plugins.hooks_for(jyj).demo_content(department=jyj, rng=random.Random(7))
    items = CatalogueItem.objects.filter(department=jyj)
    assert items.count() == 5
    assert set(items.values_list("validity", flat=True)) == {"valid", "expired", "repealed"}
    repealed = items.get(validity="repealed")
    assert repealed.replaced_by_title and repealed.index_number.startswith("007218384/")
    states = set(Application.objects.filter(department=jyj).values_list("status", flat=True))
    assert states == {"received", "awaiting_completion", "answered"}
    assert AnnualReport.objects.get(department=jyj).status == AnnualReport.Status.PUBLISHED


def test_menu_and_audit_event_names(departments):
    info = plugins.get_manager().get_plugin("disclosure").plugin_info()
    for event in ("disclosure_extend", "disclosure_completion_request", "disclosure_completion_received",
                  "disclosure_decide", "disclosure_report_generate", "disclosure_report_edit",
                  "disclosure_report_publish"):
        assert event in info["audit_events"]
    links = [link for links in plugins.hooks_for(departments["jyj"]).admin_menu_items(department=departments["jyj"])
             for link in links or []]
    assert any(link.url == "/admin/plugins/disclosure/" for link in links)
