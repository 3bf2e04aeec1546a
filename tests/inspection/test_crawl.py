"""The inspection over real servers: planted problems are found, a clean site has none; a finding
marked fixed closes only when the re-check no longer finds it; an ignored finding stays ignored
with its reason; every change is in its history and in the audit log; a department sees only
its own findings. One module, because the planted sites are committed once for it."""
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from portal.accounts.models import User

from plugins.inspection import service
from plugins.inspection.models import Finding, FindingEvent, InspectionRun, LinkCheck
from tests.inspection.conftest import ExternalHandler

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]
ADMIN = "/admin/plugins/inspection/"


def run_for(department, url):
    run = service.start_run(department)
    return service.execute_run(run, start_urls={department.host_prefix: url})


def findings_of(department):
    return {(f.item, f.key): f for f in Finding.objects.filter(department=department)}


def test_clean_site_has_no_findings(planted, offline_footer_links):
    from plugins.disclosure.models import AnnualReport

    # A clean department also published last year's 信息公开年报 (the disclosure plugin's check).
    AnnualReport.objects.create(department=planted["clean"], year=timezone.localdate().year - 1,
                                status=AnnualReport.Status.PUBLISHED, published_at=timezone.now())
    run = run_for(planted["clean"], planted["clean_url"] + "/")
    assert run.status == InspectionRun.Status.DONE
    assert run.pages_done >= 10  # homepage, 8 columns and their articles
    assert list(Finding.objects.filter(department=planted["clean"]).values_list("title", flat=True)) == []
    row = service.league_table([planted["clean"]])[0]
    assert row["score"] == 100


def test_planted_problems_are_found(planted, offline_footer_links):
    from plugins.mailbox.models import Letter

    dirty, pages, base = planted["dirty"], planted["pages"], planted["dirty_url"]
    letter = Letter.objects.create(
        subject="关于统计数据的咨询", content="请问去年的统计公报何时公开？", name="李四", department=dirty,
        status=Letter.Status.FORWARDED, received_at=timezone.now() - timedelta(days=120),
        due_date=(timezone.now() - timedelta(days=110)).date(),
    )
    run = run_for(dirty, base + "/")
    found = findings_of(dirty)
    external = planted["external"]

    stale = found[("column_stale", f"column:{pages['news']}")]
    assert "部门动态" in stale.title and "30 天未更新" in stale.title
    assert stale.edit_url.endswith(f"/admin/pages/{pages['news']}/")
    blank = found[("blank_column", f"column:{pages['interpretations']}")]
    assert "政策解读" in blank.title
    # The forged future date is reported, and does not count as an update of its column.
    future = found[("future_date", "future:/policies/" + _slug(dirty, pages["future"]) + "/")]
    assert future.url == f"{base}/policies/{_slug(dirty, pages['future'])}/"
    assert future.edit_url.endswith(f"/admin/pages/{pages['future']}/edit/")
    assert "没有发布日期有效的信息" in found[("column_stale", f"column:{pages['policies']}")].title
    assert ("homepage_stale", "homepage") not in found  # its newest real item is 3 days old

    notice_url = f"{base}/notices/{_slug(dirty, pages['broken'])}/"
    internal = found[("broken_link", f"link:{base}/no-such-page/")]
    assert internal.url == notice_url and "HTTP 404" in internal.title
    assert internal.edit_url.endswith(f"/admin/pages/{pages['broken']}/edit/")
    assert ("broken_link", f"link:{external}/gone") in found
    assert ("broken_link", f"link:{external}/ok/fine") not in found
    attachment = found[("broken_link", f"link:{base}/documents/987654/missing.pdf")]
    assert "附件不存在" in attachment.title

    assert found[("footer_missing", "footer:police")].title == "页脚缺少公安机关备案号"
    mark = found[("classified_mark", f"mark:/disclosure/{_slug(dirty, pages['marked'])}/:内部资料")]
    assert mark.severity == "serious" and mark.url.endswith(f"/disclosure/{_slug(dirty, pages['marked'])}/")

    overdue = found[("interaction_poor", f"letter:{letter.pk}")]
    assert overdue.severity == "veto" and "未答复" in overdue.title

    assert all(f.department == dirty for f in found.values())
    assert run.findings_found == Finding.objects.filter(department=dirty, status="open").count()
    assert service.league_table([dirty])[0]["score"] <= 59  # a veto (the overdue letter) caps the score


def _slug(department, page_id):
    from wagtail.models import Page

    with tenant_context(department):
        return Page.objects.get(pk=page_id).slug


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def actions(finding):
    return [event.action for event in finding.events.all()]


def test_recheck_closes_only_what_is_gone(planted, offline_footer_links):
    from portal.pages.models import ArticlePage, ColumnPage

    dirty, external = planted["dirty"], planted["external"]
    run_for(dirty, planted["dirty_url"] + "/")
    gone = Finding.objects.get(department=dirty, item="broken_link", key=f"link:{external}/gone")
    interpretations = planted["pages"]["interpretations"]
    blank = Finding.objects.get(department=dirty, item="blank_column", key=f"column:{interpretations}")

    # Marked fixed while the other site still answers 404: the re-check keeps it open.
    gone = service.mark_fixed(gone, User.objects.get(username="center_admin"))
    assert gone.status == Finding.Status.OPEN and gone.fixed_at is None
    assert actions(gone) == ["found", "claimed", "still_present"]

    # The other site repairs the page; the re-check asks it again (not the day's cache) and closes it.
    ExternalHandler.fixed.add("/gone")
    try:
        gone = service.mark_fixed(gone, User.objects.get(username="center_admin"))
    finally:
        ExternalHandler.fixed.discard("/gone")
    assert gone.status == Finding.Status.FIXED and gone.fixed_at is not None
    assert actions(gone)[-2:] == ["claimed", "fixed"]

    # A data finding: the editor publishes an interpretation; the re-check closes the blank column.
    with tenant_context(dirty):
        column = ColumnPage.objects.get(pk=planted["pages"]["interpretations"])
        column.add_child(instance=ArticlePage(title="巡检问题站点补充的政策解读", slug="added", live=True))
    blank = service.mark_fixed(blank, User.objects.get(username="center_admin"))
    assert blank.status == Finding.Status.FIXED

    # The next daily run reuses the re-check's answer (cached for a day): no request for /gone, still fixed.
    hits_before = len(ExternalHandler.hits)
    run_for(dirty, planted["dirty_url"] + "/")
    gone.refresh_from_db()
    assert gone.status == Finding.Status.FIXED
    assert [hit for hit in ExternalHandler.hits[hits_before:] if "/gone" in hit] == []
    # A day later the cached answer has expired; the link is broken again and the same finding reopens.
    LinkCheck.objects.filter(url=f"{external}/gone").update(checked_at=timezone.now() - timedelta(days=2))
    run_for(dirty, planted["dirty_url"] + "/")
    gone.refresh_from_db()
    assert gone.status == Finding.Status.OPEN and actions(gone)[-1] == "reopened"
    assert Finding.objects.filter(department=dirty, item="broken_link", key=f"link:{external}/gone").count() == 1


def test_ignore_through_the_admin_and_permissions(planted, offline_footer_links):
    from portal.audit.models import AuditEvent

    dirty = planted["dirty"]
    service.inspect_department(dirty, crawl=False)
    finding = Finding.objects.filter(department=dirty, item="column_stale").first()
    centre = login("center_admin")

    response = centre.post(f"{ADMIN}{finding.pk}/ignore/", {"reason": "  "}, HTTP_HOST="www.localhost")
    assert response.status_code == 200 and "请填写忽略原因" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN

    response = centre.post(f"{ADMIN}{finding.pk}/ignore/", {"reason": "栏目已撤并，待下线"}, HTTP_HOST="www.localhost")
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.IGNORED and finding.ignored_reason == "栏目已撤并，待下线"
    assert AuditEvent.objects.filter(event="inspection_ignore", target=finding.title).exists()
    page = centre.get(f"{ADMIN}{finding.pk}/", HTTP_HOST="www.localhost").content.decode()
    assert "栏目已撤并，待下线" in page and "忽略" in page

    # Still found the next day: it stays ignored, and does not count against the score.
    service.inspect_department(dirty, crawl=False)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.IGNORED
    assert FindingEvent.objects.filter(finding=finding, action="found").count() == 1

    # The centre's list shows it under its department; 区教育局's people cannot reach it at all.
    listing = centre.get(f"{ADMIN}?status=ignored", HTTP_HOST="www.localhost").content.decode()
    assert "区统计局 · 栏目不更新" in listing
    editor = login("jyj_editor")
    assert editor.get(f"{ADMIN}{finding.pk}/", HTTP_HOST="jyj.localhost").status_code == 404
    assert editor.post(f"{ADMIN}{finding.pk}/fix/", HTTP_HOST="jyj.localhost").status_code == 404
    assert "区统计局" not in editor.get(ADMIN, HTTP_HOST="jyj.localhost").content.decode()
    # A department's own finding is visible on its own site only.
    service.inspect_department(planted["dirty"], crawl=False)
    service.inspect_department(_jyj(), crawl=False)
    own = Finding.objects.filter(department=_jyj()).first()
    assert editor.get(f"{ADMIN}{own.pk}/", HTTP_HOST="jyj.localhost").status_code == 200
    # On another department's site the platform refuses every admin URL to someone without a role there.
    assert editor.get(f"{ADMIN}{own.pk}/", HTTP_HOST="wjj.localhost").status_code == 403
    assert editor.post(f"{ADMIN}{own.pk}/ignore/", {"reason": "x"}, HTTP_HOST="jyj.localhost").status_code == 404


def _jyj():
    from tenants.models import Department

    return Department.objects.get(host_prefix="jyj")
