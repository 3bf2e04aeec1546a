"""The watch: incidents alert the person on duty once, show on every central admin page until
acknowledged, and are resolved by a person (with what was done) or by the system; the 值班表
says who is on duty and warns about uncovered days; only central watch staff see any of it.
Failures of backups, search pushes and scheduled publishing raise incidents where they happen."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.operations import duty, incidents
from portal.operations.models import DutyShift, Incident

pytestmark = pytest.mark.django_db
WWW = "www.localhost"


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page(client, path, host=WWW):
    response = client.get(path, HTTP_HOST=host)
    return response.status_code, response.content.decode()


@pytest.fixture
def watch_officer(db):
    """Someone of the centre rostered for today, with an e-mail address."""
    person = User.objects.create_user("duty_wang", password="Test-passw0rd!", full_name="王值班",
                                      email="wang@example.gov.cn")
    DutyShift.objects.create(start_date=timezone.localdate(), person=person, role="主班", note="")
    return person


@pytest.fixture
def centre_mail(db):
    User.objects.filter(username="center_admin").update(email="centre@example.gov.cn")


# -- on duty ---------------------------------------------------------------------------------------------
def test_on_duty_is_the_rostered_person_else_the_system_administrators(centre_mail):
    today = timezone.localdate()
    nobody = duty.on_duty(today)
    assert not nobody.rostered and "center_admin" in [person.username for person in nobody.people]
    assert duty.alert_addresses(today) == ["centre@example.gov.cn"]

    person = User.objects.create_user("duty_li", full_name="李值班", email="li@example.gov.cn")
    DutyShift.objects.create(start_date=today - timedelta(days=1), end_date=today + timedelta(days=1),
                             person=person, role="主班", note="重要时期")
    rostered = duty.on_duty(today)
    assert rostered.rostered and [p.username for p in rostered.people] == ["duty_li"]
    assert duty.alert_addresses(today) == ["li@example.gov.cn"]
    assert not duty.on_duty(today + timedelta(days=2)).rostered  # the range ended
    # A rostered person without an e-mail address must not swallow the alert.
    User.objects.filter(pk=person.pk).update(email="")
    assert duty.alert_addresses(today) == ["centre@example.gov.cn"]


def test_uncovered_days_and_holidays_ahead():
    from portal.workcalendar.models import CalendarDay

    person = User.objects.get(username="center_admin")
    start = date(2026, 9, 28)
    DutyShift.objects.create(start_date=date(2026, 9, 28), end_date=date(2026, 10, 3), person=person,
                             role="主班", note="国庆节假日")
    CalendarDay.objects.create(date=date(2026, 10, 9), kind="holiday", name="区庆")
    days = duty.coming_days(start)
    assert len(days) == 14
    first_of_october = next(row for row in days if row["date"] == date(2026, 10, 1))
    assert first_of_october["holiday"] == "国庆节" and first_of_october["shifts"]
    uncovered = [row["date"] for row in duty.uncovered_days(start)]
    assert uncovered[0] == date(2026, 10, 4) and len(uncovered) == 8
    assert next(row for row in days if row["date"] == date(2026, 10, 9))["holiday"] == "区庆"


def test_roster_screen_warns_and_changes_are_audited():
    admin = login("center_admin")
    status, html = page(admin, "/admin/duty_roster/")
    assert status == 200
    assert "未来 14 天中有 14 天无人值班" in html and "今天没有排班，由全体系统管理员代为值守" in html
    person = User.objects.get(username="center_admin")
    today = timezone.localdate()
    form = {"start_date": f"{today:%Y-%m-%d}", "end_date": f"{today + timedelta(days=6):%Y-%m-%d}",
            "person": person.pk, "role": "主班", "note": "节假日"}
    response = admin.post("/admin/duty_roster/new/", form, HTTP_HOST=WWW)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event="duty_roster_change", details__change="create").exists()
    status, html = page(admin, "/admin/duty_roster/")
    assert "未来 14 天中有 7 天无人值班" in html
    # An end before the start: a Chinese message, a 4xx, the input kept.
    bad = {**form, "end_date": f"{today - timedelta(days=3):%Y-%m-%d}", "note": "倒排的班"}
    response = admin.post("/admin/duty_roster/new/", bad, HTTP_HOST=WWW)
    html = response.content.decode()
    assert response.status_code == 400 and "结束日期不能早于开始日期" in html and "倒排的班" in html
    assert DutyShift.objects.count() == 1


# -- raising, alerting, the banner ----------------------------------------------------------------------
def test_an_incident_alerts_once_and_shows_until_acknowledged(watch_officer, mailoutbox, departments):
    jyj = departments["jyj"]
    down = ("site_down", "site_down:test", "区教育局网站无法访问", "连接被拒绝")
    first = incidents.raise_incident(*down, department=jyj)
    again = incidents.raise_incident(*down, department=jyj)
    assert first.pk == again.pk and Incident.objects.count() == 1 and again.occurrences == 2
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["wang@example.gov.cn"] and "【值班告警】区教育局网站无法访问" in mail.subject
    assert "/admin/incidents/inspect/" in mail.body and "区教育局" in mail.body

    admin = login("center_admin")
    for path, host in (("/admin/", WWW), ("/admin/pages/", "jyj.localhost"), ("/admin/duty_roster/", WWW)):
        status, html = page(admin, path, host)
        assert status == 200 and "值班告警：1 个事件尚未确认" in html and "区教育局网站无法访问" in html, path
    status, html = page(login("jyj_editor"), "/admin/", "jyj.localhost")
    assert status == 200 and "值班告警" not in html and "区教育局网站无法访问" not in html

    response = admin.post(f"/admin/incidents/acknowledge/{first.pk}/", {"next": "/admin/"}, HTTP_HOST=WWW)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    first.refresh_from_db()
    assert first.acknowledged_by.username == "center_admin" and first.resolved_at is None
    assert AuditEvent.objects.filter(event="incident_acknowledge", user__username="center_admin").exists()
    status, html = page(admin, "/admin/")
    assert "值班告警" not in html
    # Still open: the same condition is still the same incident, and nobody is mailed again.
    incidents.raise_incident("site_down", "site_down:test", "区教育局网站无法访问", "连接被拒绝", department=jyj)
    assert Incident.objects.count() == 1 and len(mailoutbox) == 1


def test_resolving_needs_a_resolution_and_is_audited(watch_officer, mailoutbox):
    incident = incidents.raise_incident("other", "other:test", "机房空调故障", "温度 35℃")
    admin = login("center_admin")
    response = admin.post(f"/admin/incidents/resolve/{incident.pk}/", {"resolution": "  "}, HTTP_HOST=WWW)
    assert response.status_code == 400 and "请填写处置情况" in response.content.decode()
    response = admin.post(f"/admin/incidents/resolve/{incident.pk}/", {"resolution": "更换空调压缩机，温度恢复 22℃"},
                          HTTP_HOST=WWW)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.resolved_by.username == "center_admin" and incident.acknowledged_at
    assert incident.resolution == "更换空调压缩机，温度恢复 22℃"
    event = AuditEvent.objects.get(event="incident_resolve")
    assert event.details["automatic"] is False and event.user.username == "center_admin"
    status, html = page(admin, f"/admin/incidents/inspect/{incident.pk}/")
    assert status == 200 and "已处置" in html and "更换空调压缩机" in html
    # The same condition coming back later is a new incident, alerted again.
    incidents.raise_incident("other", "other:test", "机房空调故障", "温度 36℃")
    assert Incident.objects.filter(key="other:test").count() == 2 and len(mailoutbox) == 2


def test_a_condition_that_clears_is_resolved_by_the_system(watch_officer):
    incident = incidents.raise_incident("site_down", "site_down:clears", "网站无法访问")
    assert incidents.resolve_incident("site_down:clears").pk == incident.pk
    incident.refresh_from_db()
    assert incident.resolved_at and incident.resolved_by is None and incident.resolved_by_label == "系统（已自动恢复）"
    assert incidents.resolve_incident("site_down:clears") is None  # nothing open any more
    assert AuditEvent.objects.filter(event="incident_resolve", details__automatic=True).exists()


def test_security_admin_sees_the_watch_and_department_people_do_not(watch_officer):
    from portal.accounts.roles import appoint_first_holder

    incident = incidents.raise_incident("tamper", "tamper:test", "首页被篡改")
    security = User.objects.create_user("sec_zhao", full_name="赵安全")
    appoint_first_holder(security, "security_admin")
    status, html = page(login("sec_zhao"), "/admin/incidents/")
    assert status == 200 and "首页被篡改" in html and "值班告警" in html

    editor = login("jyj_editor")
    for path in ("/admin/incidents/", f"/admin/incidents/inspect/{incident.pk}/", "/admin/duty_roster/",
                 "/admin/duty_roster/new/"):
        assert editor.get(path, HTTP_HOST="jyj.localhost").status_code in (403, 404), path
        assert editor.get(path, HTTP_HOST=WWW).status_code in (403, 404), path
    assert editor.post(f"/admin/incidents/acknowledge/{incident.pk}/", HTTP_HOST="jyj.localhost").status_code == 403
    assert editor.post(f"/admin/incidents/resolve/{incident.pk}/", {"resolution": "x"},
                       HTTP_HOST="jyj.localhost").status_code == 403
    # A theme administrator is central staff, but not on the watch.
    from portal.accounts.roles import grant_central_role

    theme = User.objects.create_user("theme_qian", full_name="钱主题")
    grant_central_role(theme, "theme_admin")
    assert login("theme_qian").get("/admin/incidents/", HTTP_HOST=WWW).status_code in (403, 404)
    incident.refresh_from_db()
    assert incident.acknowledged_at is None and incident.resolved_at is None
    # Nobody edits or deletes the record, the system administrator included.
    admin = login("center_admin")
    # (Wagtail sends someone who may use the screen, but not this action, back to the dashboard.)
    for response in (admin.get(f"/admin/incidents/edit/{incident.pk}/", HTTP_HOST=WWW),
                     admin.post(f"/admin/incidents/edit/{incident.pk}/", {"title": "改过的标题"}, HTTP_HOST=WWW),
                     admin.post(f"/admin/incidents/delete/{incident.pk}/", HTTP_HOST=WWW)):
        assert response.status_code in (302, 403) and response.get("Location", "") in ("", "/admin/")
    incident.refresh_from_db()
    assert incident.title == "首页被篡改"


def test_recording_an_incident_by_hand_alerts_the_person_on_duty(watch_officer, mailoutbox, departments):
    admin = login("center_admin")
    response = admin.post("/admin/incidents/new/", {"kind": "other", "department": departments["wjj"].pk,
                                                    "title": "群众来电反映卫健局网站打不开", "details": "来电 10:05"},
                          HTTP_HOST=WWW)
    assert response.status_code == 302
    incident = Incident.objects.get(title="群众来电反映卫健局网站打不开")
    assert incident.reported_by.username == "center_admin" and incident.department == departments["wjj"]
    assert [mail.to for mail in mailoutbox] == [["wang@example.gov.cn"]]
    assert AuditEvent.objects.filter(event="incident_record").exists()
    response = admin.post("/admin/incidents/new/", {"kind": "other", "title": ""}, HTTP_HOST=WWW)
    assert response.status_code == 400


# -- where incidents come from ----------------------------------------------------------------------------
def test_a_failed_backup_raises_an_incident(watch_officer, mailoutbox, settings, tmp_path):
    from portal.operations.backups import BackupError, create_backup

    settings.PG_BIN_DIR = str(tmp_path / "no-postgresql-here")
    with pytest.raises(BackupError):
        create_backup(tmp_path / "archives")
    incident = Incident.objects.get(kind="backup_failure", resolved_at__isnull=True)
    assert "数据备份失败" in incident.title and "PG_BIN_DIR 中没有 pg_dump" in incident.details
    assert len(mailoutbox) == 1 and "数据备份失败" in mailoutbox[0].subject
    with pytest.raises(BackupError):  # failing again the next night: the same incident
        create_backup(tmp_path / "archives")
    assert Incident.objects.filter(kind="backup_failure").count() == 1 and len(mailoutbox) == 1


def test_search_push_failing_repeatedly_raises_one_incident_and_draining_resolves_it(
        watch_officer, mailoutbox, settings):
    from search import index, pusher, service
    from search.models import OutboxEntry, SearchDocument

    document = SearchDocument.objects.order_by("id").first()
    assert document is not None, "测试区县应已发布样例信息"
    OutboxEntry.objects.create(doc_id=document.doc_id, version=document.version)
    working_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens: every push fails at once
    index._clients.clear()
    try:
        for attempt in range(1, 5):
            assert pusher.drain(include_waiting=True).failed == 1
            assert not Incident.objects.filter(kind="search_push_failure").exists(), attempt
        pusher.drain(include_waiting=True)  # the 5th failure
        incident = Incident.objects.get(kind="search_push_failure", resolved_at__isnull=True)
        assert "检索推送连续失败" in incident.title and "manage.py search_push" in incident.details
        pusher.drain(include_waiting=True)
        assert Incident.objects.filter(kind="search_push_failure").count() == 1 and len(mailoutbox) == 1
    finally:
        settings.ELASTICSEARCH_URL = working_url
        index._clients.clear()
        service.forget_es_state()
    result = pusher.drain(include_waiting=True)
    assert result.pushed == 1 and not OutboxEntry.objects.exists()
    incident.refresh_from_db()
    assert incident.resolved_at and incident.resolved_by is None


def test_scheduled_publishing_failing_repeatedly_raises_an_incident(watch_officer, mailoutbox, departments):
    """A scheduled revision whose page is gone breaks Wagtail's scheduled publishing in that
    department; three runs in a row raise one incident, a run that succeeds resolves it."""
    from django.contrib.contenttypes.models import ContentType
    from portal.operations.scheduled_publishing import publish_scheduled_everywhere
    from portal.pages.models import ArticlePage
    from wagtail.models import Revision

    jyj = departments["jyj"]
    with tenant_context(jyj):
        broken = Revision.objects.create(
            content_type=ContentType.objects.get_for_model(ArticlePage),
            base_content_type=ContentType.objects.get(app_label="wagtailcore", model="page"),
            object_id="987654", content={"title": "已删除的页面"}, object_str="已删除的页面",
            approved_go_live_at=timezone.now() - timedelta(minutes=5),
        )
    for run in range(1, 3):
        states = publish_scheduled_everywhere()
        assert states["jyj"] is False and states["wjj"] is True
        assert not Incident.objects.filter(kind="publish_failure").exists(), run
    publish_scheduled_everywhere()
    incident = Incident.objects.get(kind="publish_failure", resolved_at__isnull=True)
    assert incident.department == jyj and "区教育局定时发布连续失败" == incident.title
    assert "连续 3 次失败" in incident.details and len(mailoutbox) == 1
    with tenant_context(jyj):
        broken.delete()
    assert publish_scheduled_everywhere()["jyj"] is True
    incident.refresh_from_db()
    assert incident.resolved_at and incident.resolved_by is None


def test_scheduled_publishing_is_a_core_job():
    from portal.scheduling import all_jobs

    jobs = {job.name: job for job in all_jobs()}
    assert jobs["scheduled_publishing"].every == timedelta(minutes=5)
    assert jobs["inspection.watch"].every == timedelta(minutes=5)


# -- yearly figures -------------------------------------------------------------------------------------
def test_security_checks_and_figures_for_a_period(departments):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portal.operations.figures import security_figures

    from plugins.inspection.models import AvailabilityProbe, InspectionRun

    zone = ZoneInfo("Asia/Shanghai")

    def at(month, day, hour=10):
        return datetime(2025, month, day, hour, tzinfo=zone)

    for month, day in ((3, 1), (6, 1), (12, 31)):
        InspectionRun.objects.create(status="done", started_at=at(month, day, 2))
    InspectionRun.objects.create(status="failed", started_at=at(7, 1, 2))  # a failed run checked nothing
    InspectionRun.objects.create(status="done", started_at=at(1, 1, 2) - timedelta(days=1))  # 2024
    for day, hour in ((1, 0), (1, 1), (2, 5)):
        AvailabilityProbe.objects.create(department=departments["jyj"], ok=True, time=at(5, day, hour))
    AvailabilityProbe.objects.create(department=departments["wjj"], ok=False, time=at(5, 2, 6))
    for detected, resolved in ((at(2, 1), at(2, 1, 11)), (at(12, 31, 23), at(12, 31, 23) + timedelta(hours=2)),
                               (at(8, 8), None)):
        Incident.objects.create(kind="site_down", key=f"k{detected:%m%d}", title="t", detected_at=detected,
                                resolved_at=resolved)
    figures = security_figures(date(2025, 1, 1), date(2025, 12, 31))
    assert figures["checks_by_source"] == {"网站巡检（次）": 3, "可用性监测（天）": 2}
    assert figures["checks"] == 5
    assert figures["problems_found"] == 3 and figures["problems_fixed"] == 1  # one resolved in 2026
    assert figures["found_by_kind"] == {"网站无法访问": 3}
