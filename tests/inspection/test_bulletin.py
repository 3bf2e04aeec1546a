"""The yearly 通报 as a workflow: the centre drafts and submits, the 区政府办公室 returns it with a
comment or approves it, the approved 通报 is published on the portal (通知公告, with its PDF)
through the normal publishing path, and the criticised departments file their 整改 within 15
days; a late 整改 is shown in red to the office and the centre, mailed to them and is an
inspection finding of the department. Also: the office reads what the centre reads but not the
audit log, the 保密 gate holds a 通报 that quotes a classification mark, the March reminder."""

import io
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from portal.accounts.models import User

from plugins.inspection import bulletin as service
from plugins.inspection.models import Bulletin, BulletinEvent, Finding, Rectification

pytestmark = pytest.mark.django_db
ADMIN = "/admin/plugins/inspection/"
WWW = "www.localhost"


@pytest.fixture
def office(departments):
    from portal.accounts.roles import grant_central_role

    person = User.objects.create_user("office_head", email="office@example.gov.cn", full_name="区政府办公室管理员",
                                      password="Test-passw0rd!")
    grant_central_role(person, "office_admin", granted_by=User.objects.get(username="center_admin"))
    User.objects.filter(username="center_admin").update(email="centre@example.gov.cn")
    return person


@pytest.fixture
def criticised(departments):
    """2025: 区教育局's head published an item without review, 区卫生健康局 published false
    information; both are named in the 通报."""
    from portal.governance.models import UnreviewedPublication

    from plugins.inspection.models import FalseInformationFlag

    jyj, wjj = departments["jyj"], departments["wjj"]
    head = User.objects.get(username="jyj_head")
    publication = UnreviewedPublication.objects.create(department=jyj, page_id=1, title="未审核的通知",
                                                       route="direct", user=head, username=head.username)
    UnreviewedPublication.objects.filter(pk=publication.pk).update(
        time=timezone.make_aware(timezone.datetime(2025, 5, 8, 10)))
    FalseInformationFlag.objects.create(department=wjj, title="某医院停诊的不实消息", date=date(2025, 9, 1),
                                        evidence="经核实该医院当日正常接诊")
    return jyj, wjj


@pytest.fixture
def stored_documents():
    """The 通报's PDF is a document file of the portal: removed again after the test."""
    from wagtail.documents import get_document_model

    yield
    from tenants.models import Department

    with tenant_context(Department.objects.get(host_prefix="www")):
        for document in get_document_model().objects.filter(file__startswith="documents/bulletin-"):
            document.file.storage.delete(document.file.name)


def login(user):
    client = Client()
    client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return client


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_bulletin_workflow_end_to_end_with_a_late_rectification(criticised, office, stored_documents, mailoutbox):
    from portal.audit.models import AuditEvent
    from portal.models import PublishedItem

    jyj, wjj = criticised
    centre = login("center_admin")
    office_client = login(office)

    # The centre drafts the 2025 通报 from the performance report.
    response = centre.post(f"{ADMIN}bulletins/", {"year": "2025"}, HTTP_HOST=WWW)
    assert response.status_code == 302
    bulletin = Bulletin.objects.get(year=2025)
    assert bulletin.status == Bulletin.Status.DRAFT
    assert bulletin.title == "源城区人民政府办公室关于2025年度政府网站绩效评估情况的通报"
    named = {r.department.host_prefix: r for r in bulletin.rectifications.select_related("department")}
    assert {"jyj", "wjj"} <= set(named)
    assert any("第十八条第三项" in c["condition"] for c in named["wjj"].criticisms)
    assert "某医院停诊的不实消息" in pdf_text(bytes(bulletin.pdf))

    # Not yet with the office: it cannot approve; the centre submits.
    page = office_client.post(f"{ADMIN}bulletins/{bulletin.pk}/decide/", {"decision": "approve"}, HTTP_HOST=WWW)
    assert page.status_code == 400 and "不在待审批状态" in page.content.decode()
    assert centre.post(f"{ADMIN}bulletins/{bulletin.pk}/submit/", HTTP_HOST=WWW).status_code == 302

    # The centre cannot approve its own 通报; the office must say why it returns one.
    page = centre.post(f"{ADMIN}bulletins/{bulletin.pk}/decide/", {"decision": "approve"}, HTTP_HOST=WWW)
    assert page.status_code == 400 and "只有区政府办公室（办公室管理员）可以审批通报" in page.content.decode()
    page = office_client.post(f"{ADMIN}bulletins/{bulletin.pk}/decide/", {"decision": "return", "comment": " "},
                              HTTP_HOST=WWW)
    assert page.status_code == 400 and "退回时请填写意见" in page.content.decode()
    office_client.post(f"{ADMIN}bulletins/{bulletin.pk}/decide/",
                       {"decision": "return", "comment": "请在结尾写明整改材料报送方式"}, HTTP_HOST=WWW)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.RETURNED
    shown = centre.get(f"{ADMIN}bulletins/{bulletin.pk}/", HTTP_HOST=WWW).content.decode()
    assert "已退回" in shown and "请在结尾写明整改材料报送方式" in shown and "区政府办公室管理员" in shown

    # The centre adds the paragraph, the PDF follows, and it goes back to the office.
    body = bulletin.body + "\n整改材料请在网站管理后台“待提交整改”中提交。"
    assert centre.post(f"{ADMIN}bulletins/{bulletin.pk}/edit/", {"body": body}, HTTP_HOST=WWW).status_code == 302
    centre.post(f"{ADMIN}bulletins/{bulletin.pk}/submit/", HTTP_HOST=WWW)
    response = office_client.post(f"{ADMIN}bulletins/{bulletin.pk}/decide/",
                                  {"decision": "approve", "comment": "同意发布"}, HTTP_HOST=WWW)
    assert response.status_code == 302, response.content.decode()[-3000:]
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.PUBLISHED and bulletin.decided_by == office
    assert [e.action for e in bulletin.events.all()] == [
        "drafted", "submitted", "returned", "edited", "submitted", "approved", "published"]

    # Published on the portal, in 通知公告, with the PDF; visitors read it; the projection has it.
    public = Client().get(urlsplit(bulletin.page_url).path, HTTP_HOST=WWW)
    assert public.status_code == 200
    html = public.content.decode()
    assert bulletin.title in html and "2025年度政府网站绩效评估通报.pdf" in html
    assert urlsplit(bulletin.page_url).path.startswith("/notices/")
    assert PublishedItem.objects.filter(department__host_prefix="www", title=bulletin.title,
                                        column_type="notice").exists()
    with tenant_context(departments_www()):
        from portal.pages.models import ArticlePage

        article = ArticlePage.objects.get(pk=bulletin.page_id)
        attached = article.attachments.get().document
        with attached.file.open("rb") as handle:
            assert "待提交整改”中提交" in pdf_text(handle.read())

    # Each named department owes its 整改 within 15 days and sees it on its 工作台.
    today = timezone.localdate()
    rectification = Rectification.objects.get(bulletin=bulletin, department=jyj)
    assert rectification.due_date == today + timedelta(days=15)
    workbench = login("jyj_head").get("/admin/", HTTP_HOST="jyj.localhost").content.decode()
    assert "待提交整改" in workbench and "2025年度通报要求的整改" in workbench and "还剩 15 天" in workbench

    # 区教育局 files on time.
    head = login("jyj_head")
    url = f"{ADMIN}rectifications/{rectification.pk}/"
    refused = head.post(url, {"text": "已建立审核制度", "evidence": SimpleUploadedFile("a.exe", b"MZ")},
                        HTTP_HOST="jyj.localhost")
    assert refused.status_code == 400 and "佐证材料只能是" in refused.content.decode()
    assert "已建立审核制度" in refused.content.decode()  # what was typed stays
    head.post(url, {"text": "已建立审核制度，所有信息经负责人审核后发布。",
                    "evidence": SimpleUploadedFile("审核制度.pdf", b"%PDF-1.4 evidence")}, HTTP_HOST="jyj.localhost")
    rectification.refresh_from_db()
    assert rectification.state == "按期提交" and rectification.filed_by.username == "jyj_head"
    # Another department cannot see it.
    assert login("wjj_editor").get(url, HTTP_HOST="wjj.localhost").status_code == 404

    # 区卫生健康局 lets the deadline pass: 3 days late.
    late = Rectification.objects.get(bulletin=bulletin, department=wjj)
    Rectification.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=3))
    mailoutbox.clear()
    assert service.flag_overdue() == 1
    finding = Finding.objects.get(department=wjj, item="bulletin_rectification")
    assert finding.status == Finding.Status.OPEN and "超期 3 天未提交" in finding.title
    assert sorted(mailoutbox[0].to) == ["centre@example.gov.cn", "office@example.gov.cn"]
    assert "区卫生健康局" in mailoutbox[0].body
    assert service.flag_overdue() == 0  # mailed once
    # The nightly inspection keeps it open while nothing is filed.
    from plugins.inspection.service import inspect_department

    inspect_department(wjj, crawl=False)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    # The office and the centre see it in red, in the status table and the inspection's findings.
    for client in (office_client, centre):
        table = client.get(f"{ADMIN}rectifications/", HTTP_HOST=WWW).content.decode()
        row = table[table.index("区卫生健康局") - 400:table.index("区卫生健康局") + 400]
        assert 'class="late"' in row and "超期未提交（超期 3 天）" in row
        assert "按期提交" in table
    findings = office_client.get(f"{ADMIN}?item=bulletin_rectification", HTTP_HOST=WWW).content.decode()
    assert "通报整改超期" in findings and "超期 3 天未提交" in findings

    # Filed late: accepted, marked late, the finding closed with the days it was late.
    login("wjj_editor").post(f"{ADMIN}rectifications/{late.pk}/", {
        "text": "已更正不实信息并公开说明。", "evidence": SimpleUploadedFile("更正说明.png", b"\x89PNG evidence")},
        HTTP_HOST="wjj.localhost")
    late.refresh_from_db()
    assert late.state == "超期提交" and late.days_late() == 3
    finding.refresh_from_db()
    assert finding.status == Finding.Status.FIXED
    assert finding.events.last().note == "已提交整改情况，超期 3 天"
    table = office_client.get(f"{ADMIN}rectifications/", HTTP_HOST=WWW).content.decode()
    assert "超期提交（超期 3 天）" in table
    evidence = office_client.get(f"{ADMIN}rectifications/{late.pk}/evidence/", HTTP_HOST=WWW)
    assert evidence.status_code == 200 and evidence.content == b"\x89PNG evidence"
    assert evidence["Content-Type"] == "image/png"

    events = set(AuditEvent.objects.filter(details__year=2025).values_list("event", flat=True))
    assert {"bulletin_draft", "bulletin_submit", "bulletin_return", "bulletin_edit", "bulletin_approve",
            "bulletin_rectification"} <= events


def departments_www():
    from tenants.models import Department

    return Department.objects.get(host_prefix="www")


def test_a_late_rectification_filed_before_any_check_is_still_a_finding(criticised, office, stored_documents):
    jyj, _ = criticised
    bulletin = service.draft(2025, User.objects.get(username="center_admin"))
    service.submit(bulletin, User.objects.get(username="center_admin"))
    service.approve(bulletin, office)
    rectification = Rectification.objects.get(bulletin=bulletin, department=jyj)
    Rectification.objects.filter(pk=rectification.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    service.file_rectification(rectification, User.objects.get(username="jyj_editor"), "已整改",
                               SimpleUploadedFile("整改.pdf", b"%PDF-1.4"))
    finding = Finding.objects.get(department=jyj, item="bulletin_rectification")
    assert finding.status == Finding.Status.FIXED and "超期 1 天提交" in finding.title
    with pytest.raises(service.BulletinError, match="不能重复提交"):
        service.file_rectification(rectification, User.objects.get(username="jyj_editor"), "再交一次",
                                   SimpleUploadedFile("整改.pdf", b"%PDF-1.4"))


def test_the_office_reads_every_figure_but_not_the_audit_log(criticised, office):
    reader = login(office)
    assert reader.get(f"{ADMIN}report/", {"start": "2025-01-01", "end": "2025-12-31"}, HTTP_HOST=WWW).status_code == 200
    assert reader.get(f"{ADMIN}report.pdf", {"start": "2025-01-01", "end": "2025-12-31"},
                      HTTP_HOST=WWW).status_code == 200
    index = reader.get(ADMIN, HTTP_HOST=WWW)
    assert index.status_code == 200 and "区政府办公室：全部单位的巡检结果" in index.content.decode()
    assert "区卫生健康局" in index.content.decode()  # the league table of every department
    assert "立即巡检" not in index.content.decode()
    # Reading is all: no runs, ignore rules or drafting.
    assert reader.post(f"{ADMIN}run/", HTTP_HOST=WWW).status_code == 404
    assert reader.get(f"{ADMIN}rules/", HTTP_HOST=WWW).status_code == 404
    assert reader.post(f"{ADMIN}bulletins/", {"year": "2025"}, HTTP_HOST=WWW).status_code == 404
    # 三员分立: the audit log is the 审计管理员's alone.
    assert reader.get("/admin/audit/", HTTP_HOST=WWW).status_code in (403, 404)
    # A department's people still get nothing of this.
    head = login("jyj_head")
    assert head.get(f"{ADMIN}bulletins/", HTTP_HOST="jyj.localhost").status_code == 404


def test_the_confidentiality_gate_holds_a_bulletin_that_quotes_a_mark(criticised, office, stored_documents):
    """A 通报 quoting a classification mark waits for a 保密审查 on the portal; after the review
    agrees, approving again publishes the same page."""
    from portal.accounts.models import CentralRoleAssignment
    from portal.governance.confidentiality import record_decision
    from portal.governance.models import ConfidentialityHold

    centre_user = User.objects.get(username="center_admin")
    bulletin = service.draft(2025, centre_user)
    service.edit(bulletin, bulletin.body + "\n附件中某单位页面出现“机密”字样，已要求删除。", centre_user)
    service.submit(bulletin, centre_user)
    with pytest.raises(service.BulletinError, match="须经保密审查同意后才能发布"):
        service.approve(bulletin, office)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.PENDING and bulletin.page_id
    assert bulletin.events.filter(action=BulletinEvent.Action.HELD).exists()
    www = departments_www()
    assert ConfidentialityHold.objects.filter(department=www, page_id=bulletin.page_id).exists()
    with tenant_context(www):
        from portal.pages.models import ArticlePage

        page = ArticlePage.objects.get(pk=bulletin.page_id)
        assert not page.live
        reviewer = User.objects.create_user("security_officer", full_name="安全管理员", password="Test-passw0rd!")
        CentralRoleAssignment.objects.create(user=reviewer, role="security_admin")
        record_decision(page, decision="approve", reason="通报引述巡检发现的问题，不涉及秘密", reviewer=reviewer)
    service.approve(bulletin, office)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.PUBLISHED
    with tenant_context(www):
        assert ArticlePage.objects.get(pk=bulletin.page_id).live
        assert ArticlePage.objects.filter(title=bulletin.title).count() == 1


def test_march_reminder_reaches_the_centre_and_the_office_once(office, mailoutbox):
    assert not service.march_reminder(date(2026, 2, 27))
    assert service.march_reminder(date(2026, 3, 2))
    assert sorted(mailoutbox[0].to) == ["centre@example.gov.cn", "office@example.gov.cn"]
    assert "2025年度通报尚未发布" in mailoutbox[0].subject and "目前尚未起草" in mailoutbox[0].body
    assert not service.march_reminder(date(2026, 3, 3))  # once a year
    assert len(mailoutbox) == 1


def test_no_march_reminder_once_published(office, mailoutbox):
    Bulletin.objects.create(year=2025, title="通报", body="正文", pdf=b"", status=Bulletin.Status.PUBLISHED)
    assert not service.march_reminder(date(2026, 3, 2))
    assert not mailoutbox


def test_the_job_is_registered():
    from portal.scheduling import all_jobs

    assert {job.name: job for job in all_jobs()}["inspection.bulletin"].daily_at == "08:30"


def test_drafting_refuses_an_unfinished_year(departments):
    centre = login("center_admin")
    this_year = timezone.localdate().year
    response = centre.post(f"{ADMIN}bulletins/", {"year": str(this_year)}, HTTP_HOST=WWW)
    assert response.status_code == 400 and "只能起草已结束年度的通报" in response.content.decode()
    response = centre.post(f"{ADMIN}bulletins/", {"year": "abc"}, HTTP_HOST=WWW)
    assert response.status_code == 400 and "年度应为四位数字" in response.content.decode()


def test_the_centre_grants_the_office_role_on_the_people_screen(departments):
    from portal.accounts.models import CentralRoleAssignment

    person = User.objects.create_user("office_clerk", full_name="办公室文秘", password="Test-passw0rd!")
    centre = login("center_admin")
    page = centre.get(f"/admin/people/{person.pk}/", HTTP_HOST=WWW).content.decode()
    assert "办公室管理员" in page
    centre.post(f"/admin/people/{person.pk}/", {"form": "central", "role": "office_admin"}, HTTP_HOST=WWW)
    assert CentralRoleAssignment.objects.filter(user=person, role="office_admin").exists()
    # A 系统管理员 is a superuser, yet not the office: the centre cannot approve what it drafts.
    from portal.accounts.roles import is_office_admin

    assert is_office_admin(person) and not is_office_admin(User.objects.get(username="center_admin"))


def test_the_office_sees_overdue_rectifications_on_its_workbench(criticised, office):
    jyj, _ = criticised
    bulletin = Bulletin.objects.create(year=2025, title="通报", body="正文", pdf=b"", status=Bulletin.Status.PUBLISHED,
                                       published_at=timezone.now() - timedelta(days=20))
    Rectification.objects.create(bulletin=bulletin, department=jyj, due_date=timezone.localdate() - timedelta(days=5))
    page = login(office).get("/admin/", HTTP_HOST=WWW).content.decode()
    assert "待提交整改" in page and "区教育局 · 2025年度通报要求的整改" in page and "已超期 5 天" in page
    assert login("wjj_editor").get("/admin/", HTTP_HOST="wjj.localhost").content.decode().count("区教育局 · 2025") == 0
