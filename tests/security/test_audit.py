"""The audit log: every security event with who, where, from which address and on what; kept
180 days, changed or deleted by nobody, read by the 审计管理员 only."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from portal.accounts.models import TOTPDevice, User
from portal.audit.models import AuditEvent

from tests.conftest import PASSWORD

from .conftest import JYJ, WJJ, WWW, give_device, login, login_with_second_factor, make_person, new_events, text


def _insert_old_event(days_ago: int, event="login") -> int:
    """Writes a row as if it had been logged `days_ago` days ago (INSERT is the one thing allowed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (time, username, event, success, target, details) "
            "VALUES (%s, 'old_timer', %s, true, '', '{}') RETURNING id",
            [timezone.now() - timedelta(days=days_ago), event],
        )
        return cursor.fetchone()[0]


def test_each_security_event_is_logged_with_user_address_department_and_target(security_admin, departments):
    center = Client()
    login_with_second_factor(center, "center_admin", on=WWW, ip="10.5.0.1")
    center.post("/admin/people/new/", {"username": "auditee", "full_name": "被审计人",
                                       "password": "Start-pass-11!"}, HTTP_HOST=WWW, REMOTE_ADDR="10.5.0.1")
    person = User.objects.get(username="auditee")
    center.post(f"/admin/people/{person.pk}/", {"form": "department", "department": departments["wjj"].pk,
                                                "role": "editor"}, HTTP_HOST=WWW, REMOTE_ADDR="10.5.0.1")
    center.post(f"/admin/people/{person.pk}/", {"form": "revoke", "department": departments["wjj"].pk,
                                                "role": "editor"}, HTTP_HOST=WWW, REMOTE_ADDR="10.5.0.1")
    center.post(f"/admin/people/{person.pk}/", {"form": "central", "role": "mailbox_admin"},
                HTTP_HOST=WWW, REMOTE_ADDR="10.5.0.1")
    security_admin.post(f"/admin/people/{person.pk}/", {"form": "lock"}, HTTP_HOST=WJJ, REMOTE_ADDR="10.5.0.2")
    security_admin.post(f"/admin/people/{person.pk}/", {"form": "unlock"}, HTTP_HOST=WJJ, REMOTE_ADDR="10.5.0.2")
    security_admin.post(f"/admin/people/{person.pk}/", {"form": "force_logout"}, HTTP_HOST=WJJ,
                        REMOTE_ADDR="10.5.0.2")
    expected = {
        # event: (username, ip, department, target contains)
        "login": ("center_admin", "10.5.0.1", "www", ""),
        "totp_verify": ("center_admin", "10.5.0.1", "www", "center_admin"),
        "user_create": ("center_admin", "10.5.0.1", "www", "auditee"),
        "role_grant": ("center_admin", "10.5.0.1", "www", "auditee 区卫生健康局 editor"),
        "role_revoke": ("center_admin", "10.5.0.1", "www", "auditee 区卫生健康局 editor"),
        "user_lock": ("sec_admin", "10.5.0.2", "wjj", "auditee"),
        "user_unlock": ("sec_admin", "10.5.0.2", "wjj", "auditee"),
        "force_logout": ("sec_admin", "10.5.0.2", "wjj", "auditee"),
    }
    for event, (username, ip, department, target) in expected.items():
        row = new_events().filter(event=event, username=username).earliest("id")
        assert row.user == User.objects.get(username=username), event
        assert row.ip == ip and row.department.host_prefix == department and row.success, event
        assert target in row.target, (event, row.target)
        assert row.time > timezone.now() - timedelta(minutes=5)
    central_grant = new_events().filter(event="role_grant", target="auditee mailbox_admin").get()
    assert central_grant.username == "center_admin"


def test_audit_rows_cannot_be_changed_or_deleted(db):
    """The application's role has neither UPDATE nor DELETE on the log (tests/security/
    test_database_roles.py covers the owner's trigger and the other statements)."""
    login(Client(), "jyj_editor", password="Wrong-pass-1!")
    row = new_events().filter(event="login_failed").latest("id")
    refused = "permission denied for table audit_auditevent"
    with pytest.raises(DatabaseError, match=refused), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(success=True)
    with pytest.raises(DatabaseError, match=refused), transaction.atomic():
        row.username = "someone_else"
        row.save()
    with pytest.raises(DatabaseError, match=refused), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError, match=refused), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError, match=refused), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET event = 'nothing' WHERE id = %s", [row.pk])
    old = _insert_old_event(400)
    with pytest.raises(DatabaseError, match=refused), transaction.atomic():
        AuditEvent.objects.filter(pk=old).delete()  # old enough, but not through the retention
    fresh = AuditEvent.objects.get(pk=row.pk)
    assert (fresh.username, fresh.success) == ("jyj_editor", False)


def test_people_and_departments_in_the_log_cannot_be_deleted(db, departments):
    person = make_person("short_lived")
    Client().post("/admin/login/", {"username": "short_lived", "password": "nope"}, HTTP_HOST=JYJ)
    login(Client(), "short_lived")
    with pytest.raises(ProtectedError):
        person.delete()
    with pytest.raises(ProtectedError):
        departments["jyj"].delete(force_drop=False)


def test_retention_removes_only_rows_older_than_the_kept_period(db):
    ancient, old, recent = _insert_old_event(400), _insert_old_event(200), _insert_old_event(179)
    with pytest.raises(CommandError, match="审计日志至少保留 180 天"):
        call_command("prune_audit_log", "--days", "179")
    with pytest.raises(DatabaseError, match="至少保留 180 天"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT audit_prune_events(30)")
    assert AuditEvent.objects.filter(pk__in=[ancient, old, recent]).count() == 3

    out = io.StringIO()
    call_command("prune_audit_log", "--days", "365", stdout=out)
    assert "已删除 1 条" in out.getvalue()
    assert set(AuditEvent.objects.filter(pk__in=[ancient, old, recent]).values_list("pk", flat=True)) == {old, recent}
    call_command("prune_audit_log", stdout=io.StringIO())  # the default keeps 180 days
    assert set(AuditEvent.objects.filter(pk__in=[ancient, old, recent]).values_list("pk", flat=True)) == {recent}
    prunes = new_events().filter(event="audit_prune").order_by("id")
    assert [row.details for row in prunes] == [
        {"days": 365, "removed": 1, "database_role": settings.DATABASE_APP_ROLE},
        {"days": 180, "removed": 1, "database_role": settings.DATABASE_APP_ROLE},
    ]
    assert [row.target for row in prunes] == ["365 天以前", "180 天以前"]


@pytest.mark.parametrize("who", ["center_admin", "superuser", "security", "jyj_editor"])
def test_nobody_but_the_audit_administrator_reads_the_log(db, who):
    client = Client()
    on = WWW
    if who == "superuser":
        User.objects.create_superuser("root_like", password=PASSWORD, email="")
        login_with_second_factor(client, "root_like")
    elif who == "security":
        make_person("sec2", central_role="security_admin")
        login_with_second_factor(client, "sec2")
    elif who == "center_admin":
        login_with_second_factor(client, "center_admin")
    else:
        login(client, "jyj_editor")
        on = JYJ
    for url in ("/admin/audit/", "/admin/audit/export.csv", "/admin/audit/export.xlsx"):
        response = client.get(url, HTTP_HOST=on)
        assert response.status_code == 403, (who, url)
        assert "只有审计管理员可以查看审计日志" in text(response)
    assert "审计日志" not in text(client.get("/admin/", HTTP_HOST=on)).split("<main")[0]


def test_a_system_administrator_cannot_become_the_auditor(db):
    center = Client()
    login_with_second_factor(center, "center_admin")
    admin = User.objects.get(username="center_admin")
    response = center.post(f"/admin/people/{admin.pk}/", {"form": "central", "role": "audit_admin"},
                           HTTP_HOST=WWW, follow=True)
    assert "不能给自己授予角色" in text(response)
    other = make_person("other_admin", central_role="system_admin")
    response = center.post(f"/admin/people/{other.pk}/", {"form": "central", "role": "audit_admin"},
                           HTTP_HOST=WWW, follow=True)
    assert "系统管理员、安全管理员和审计管理员须由不同人员担任" in text(response)
    assert not other.central_roles.filter(role="audit_admin").exists()
    auditor = make_person("auditor2", central_role="audit_admin")
    response = center.post(f"/admin/people/{auditor.pk}/", {"form": "central", "role": "security_admin"},
                           HTTP_HOST=WWW, follow=True)
    assert "须由不同人员担任" in text(response)


@pytest.fixture
def logged_events(db, departments):
    """A small history of two people of our own (browser tests commit rows for the fixture accounts):
    探针甲 mistypes three times on jyj and once on wjj, 探针乙 logs in on wjj."""
    make_person("probe_a", "探针甲", department=departments["jyj"])
    make_person("probe_b", "探针乙", department=departments["wjj"])
    for n in range(3):
        login(Client(), "probe_a", password=f"Wrong-{n}-pass!", on=JYJ, ip="10.8.0.1")
    login(Client(), "probe_a", password="Wrong-9-pass!", on=WJJ, ip="10.8.0.3")
    login(Client(), "probe_b", on=WJJ, ip="10.8.0.2")
    return departments


def test_the_audit_administrator_filters_the_log(audit_admin, logged_events):
    html = text(audit_admin.get("/admin/audit/", HTTP_HOST=WWW))
    assert "审计日志" in html and "登录失败" in html and "10.8.0.1" in html and "区教育局" in html

    jyj = logged_events["jyj"].pk
    html = text(audit_admin.get("/admin/audit/?user=probe_a&event=login_failed&success=0", HTTP_HOST=WWW))
    assert "共 4 条" in html
    html = text(audit_admin.get(f"/admin/audit/?department={jyj}&user=probe_a&event=login_failed&success=0",
                                HTTP_HOST=WWW))
    assert "共 3 条" in html and html.count("登录失败</td>") == 3 and "10.8.0.3" not in html
    html = text(audit_admin.get(f"/admin/audit/?department={jyj}&user=probe_a&success=1", HTTP_HOST=WWW))
    assert "共 0 条" in html
    html = text(audit_admin.get("/admin/audit/?user=probe_b", HTTP_HOST=WWW))
    assert "probe_b" in html and "10.8.0.2" in html and "10.8.0.1" not in html
    html = text(audit_admin.get("/admin/audit/?user=探针乙&event=login&success=1", HTTP_HOST=WWW))
    assert "共 1 条" in html  # by name too
    today = timezone.localdate()
    html = text(audit_admin.get(f"/admin/audit/?date_from={today}&date_to={today}&user=probe_a", HTTP_HOST=WWW))
    assert "共 4 条" in html
    tomorrow = today + timedelta(days=1)
    html = text(audit_admin.get(f"/admin/audit/?date_from={tomorrow}", HTTP_HOST=WWW))
    assert "共 0 条" in html and "没有符合条件的记录" in html
    html = text(audit_admin.get(f"/admin/audit/?date_from={tomorrow}&date_to={today}", HTTP_HOST=WWW))
    assert "截止日期不能早于起始日期" in html
    # Every event type is offered by its Chinese name.
    assert ">登录锁定</option>" in text(audit_admin.get("/admin/audit/", HTTP_HOST=WWW))


def test_the_log_is_paginated(audit_admin, db):
    for n in range(120):
        AuditEvent.objects.create(username=f"bulk{n:03}", event="plugin_sample_event", target=f"文章{n}")
    first = text(audit_admin.get("/admin/audit/?event=plugin_sample_event", HTTP_HOST=WWW))
    assert "共 120 条" in first and "第 1 / 3 页" in first and "bulk119" in first and "bulk000" not in first
    assert "plugin_sample_event</td>" in first  # an event without a Chinese name shows its code
    last = text(audit_admin.get("/admin/audit/?event=plugin_sample_event&page=3", HTTP_HOST=WWW))
    assert "bulk000" in last and "bulk119" not in last and "上一页" in last


def test_csv_export_opens_in_excel_with_the_filtered_rows(audit_admin, logged_events):
    jyj = logged_events["jyj"].pk
    response = audit_admin.get(f"/admin/audit/export.csv?department={jyj}&user=probe_a&event=login_failed",
                               HTTP_HOST=WWW)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["时间", "用户名", "姓名", "事件", "结果", "IP 地址", "单位", "对象", "详情"]
    assert len(rows) == 4
    for row in rows[1:]:
        # A failed login names the account tried, not a person: whoever typed it is unknown.
        assert row[1:7] == ["probe_a", "", "登录失败", "失败", "10.8.0.1", "区教育局"]
    export = new_events().filter(event="audit_export").latest("id")
    assert export.username == "audit_admin" and export.target == "CSV 3 条"


def test_excel_export_has_the_same_rows(audit_admin, logged_events):
    response = audit_admin.get("/admin/audit/export.xlsx?user=probe_b", HTTP_HOST=WWW)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "审计日志"
    assert rows[0] == ["时间", "用户名", "姓名", "事件", "结果", "IP 地址", "单位", "对象", "详情"]
    assert [row[1:7] for row in rows[1:]] == [
        ["probe_b", "探针乙", "登录", "成功", "10.8.0.2", "区卫生健康局"]]
    assert rows[1][0].startswith(timezone.localdate().isoformat())


def test_exported_cells_are_never_formulas(audit_admin, db):
    """A title someone typed, like =HYPERLINK(…), must not run when the auditor opens the file."""
    AuditEvent.objects.create(username="probe_c", event="publish", target='=HYPERLINK("http://evil.example","点我")')
    raw = b"".join(audit_admin.get("/admin/audit/export.csv?event=publish&user=probe_c",
                                   HTTP_HOST=WWW).streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1][7] == "'=HYPERLINK(\"http://evil.example\",\"点我\")"
    response = audit_admin.get("/admin/audit/export.xlsx?event=publish&user=probe_c", HTTP_HOST=WWW)
    cell = load_workbook(io.BytesIO(response.content)).active["H2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_a_system_administrator_cannot_take_over_the_auditors_account(security_admin, db):
    auditor = make_person("auditor3", "审计员丙", central_role="audit_admin")
    give_device(auditor)
    center = Client()
    login_with_second_factor(center, "center_admin")
    for action in ({"form": "reset_password", "password": "Takeover-pass-1!"}, {"form": "reset_totp"}):
        for client in (center, security_admin):  # not even the security administrator alone
            response = client.post(f"/admin/people/{auditor.pk}/", action, HTTP_HOST=WWW, follow=True)
            assert "该人员是审计管理员" in text(response) and "须提交双人审批申请" in text(response)
    assert User.objects.get(pk=auditor.pk).check_password(PASSWORD)
    assert TOTPDevice.objects.filter(user=auditor).exists()
    assert not new_events().filter(event__in=["password_reset", "totp_reset"]).exists()
