"""三员分立 cannot be bypassed by one person: the security and audit roles, and the credentials of
the three separated administrators, change only when a second, different person approves.

Each rule is tried through the admin (HTTP, logged in with password and TOTP) and by calling the
service functions directly, the way a script would.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from portal.accounts import dual_control, security
from portal.accounts.models import CentralRoleAssignment, DualControlRequest, TOTPDevice, User
from portal.accounts.roles import RoleError, appoint_first_holder, grant_central_role, revoke_central_role

from tests.conftest import PASSWORD

from .conftest import WWW, give_device, login, login_with_second_factor, make_person, messages_in, new_events, text

HALF = re.compile(r'class="password-half">([^<]+)<')


def file_request(client, person, kind, *, role="", reason="岗位调整，经中心会议决定"):
    return client.post(f"/admin/people/{person.pk}/",
                       {"form": "dual_request", "kind": kind, "role": role, "reason": reason}, HTTP_HOST=WWW)


def decide(client, obj, action, note=""):
    return client.post(f"/admin/people/requests/{obj.pk}/", {"action": action, "note": note}, HTTP_HOST=WWW)


@pytest.fixture
def center(db):
    client = Client()
    login_with_second_factor(client, "center_admin")
    return client


def test_a_new_auditor_takes_two_people_and_gets_a_password_neither_knows_alone(center, security_admin, db):
    # The system administrator creates the account with an initial password they know ...
    center.post("/admin/people/new/", {"username": "new_auditor", "full_name": "新审计员",
                                       "password": "Known-to-admin-1!"}, HTTP_HOST=WWW)
    person = User.objects.get(username="new_auditor")
    # ... and cannot simply give it the auditor role.
    direct = center.post(f"/admin/people/{person.pk}/", {"form": "central", "role": "audit_admin"},
                         HTTP_HOST=WWW, follow=True)
    assert "授予或撤销审计管理员须先提交申请" in messages_in(text(direct))
    assert not CentralRoleAssignment.objects.filter(user=person).exists()

    missing = file_request(center, person, "grant_role", role="audit_admin", reason="")
    assert "请填写申请理由" in text(missing)
    filed = file_request(center, person, "grant_role", role="audit_admin")
    assert filed.status_code == 200 and "no-store" in filed["Cache-Control"]
    applicant_half = HALF.search(text(filed)).group(1)
    obj = DualControlRequest.objects.get(person=person, status="pending")
    assert "须由安全管理员审批后生效" in messages_in(text(filed))
    assert not CentralRoleAssignment.objects.filter(user=person).exists()  # nothing happened yet

    # The applicant cannot approve; neither can another system administrator.
    refused = decide(center, obj, "approve")
    assert refused.status_code == 400 and "不能审批自己提交的申请" in messages_in(text(refused))
    make_person("second_admin", central_role="system_admin")
    other_admin = Client()
    login_with_second_factor(other_admin, "second_admin")
    refused = decide(other_admin, obj, "approve")
    assert refused.status_code == 400 and "该申请须由安全管理员审批" in messages_in(text(refused))
    assert not CentralRoleAssignment.objects.filter(user=person).exists()

    approved = decide(security_admin, obj, "approve", "同意")
    assert "已批准，变更已生效" in messages_in(text(approved)) and "no-store" in approved["Cache-Control"]
    approver_half = HALF.search(text(approved)).group(1)
    assert CentralRoleAssignment.objects.filter(user=person, role="audit_admin").exists()
    # The password the system administrator chose is gone; the two halves together log in.
    assert login(Client(), "new_auditor", on=WWW, password="Known-to-admin-1!").status_code == 200
    assert login(Client(), "new_auditor", on=WWW, password=applicant_half).status_code == 200
    newcomer = Client()
    assert login(newcomer, "new_auditor", on=WWW, password=f"{applicant_half}-{approver_half}").status_code == 302
    assert newcomer.get("/admin/", HTTP_HOST=WWW)["Location"].startswith("/admin/security/totp/enrol/")
    assert User.objects.get(pk=person.pk).must_change_password
    # Nothing of the password is kept once it is decided; the page does not show the half again.
    obj.refresh_from_db()
    assert (obj.status, obj.decided_by.username, obj.password_hash, obj.approver_half) == (
        "approved", "sec_admin", "", "")
    assert approver_half not in text(security_admin.get(f"/admin/people/requests/{obj.pk}/", HTTP_HOST=WWW))

    steps = list(new_events().filter(event__in=["dual_control_request", "dual_control_approve", "role_grant"])
                 .order_by("id").values_list("event", "username", "target"))
    assert steps == [("dual_control_request", "center_admin", "new_auditor"),
                     ("role_grant", "sec_admin", "new_auditor audit_admin"),
                     ("dual_control_approve", "sec_admin", "new_auditor")]
    grant = new_events().get(event="role_grant")
    assert grant.details["requested_by"] == "center_admin" and grant.details["approved_by"] == "sec_admin"


def test_a_security_administrator_is_approved_by_the_auditor_and_never_by_a_colleague(center, audit_admin, db):
    first = make_person("sec_one", central_role="security_admin")
    candidate = make_person("sec_two")
    give_device(first)
    colleague = Client()
    login_with_second_factor(colleague, "sec_one")
    file_request(center, candidate, "grant_role", role="security_admin")
    obj = DualControlRequest.objects.get(person=candidate)
    assert "该申请须由审计管理员审批" in messages_in(text(decide(colleague, obj, "approve")))
    # A rejection needs its reason, then it is final and on the record.
    assert "请填写驳回理由" in messages_in(text(decide(audit_admin, obj, "reject")))
    decide(audit_admin, obj, "reject", "人选未经党组研究")
    obj.refresh_from_db()
    assert obj.status == "rejected" and obj.decision_note == "人选未经党组研究"
    assert "该申请已驳回，不能再处理" in messages_in(text(decide(audit_admin, obj, "approve")))
    assert not CentralRoleAssignment.objects.filter(user=candidate).exists()
    row = new_events().get(event="dual_control_reject")
    assert row.username == "audit_admin" and row.details["note"] == "人选未经党组研究"

    # Revoking takes a request too; once approved the role is gone.
    revoke = center.post(f"/admin/people/{first.pk}/", {"form": "revoke_central", "role": "security_admin"},
                         HTTP_HOST=WWW, follow=True)
    assert "授予或撤销安全管理员须先提交申请" in messages_in(text(revoke))
    file_request(center, first, "revoke_role", role="security_admin", reason="调离")
    decide(audit_admin, DualControlRequest.objects.get(person=first, kind="revoke_role"), "approve")
    assert not CentralRoleAssignment.objects.filter(user=first).exists()


def test_nobody_resets_a_separated_administrator_alone(center, security_admin, audit_admin, db):
    auditor = User.objects.get(username="audit_admin")
    sec = User.objects.get(username="sec_admin")
    for client, person in ((center, auditor), (security_admin, auditor), (center, sec)):
        for action in ({"form": "reset_password", "password": "Takeover-pass-1!"}, {"form": "reset_totp"}):
            response = client.post(f"/admin/people/{person.pk}/", action, HTTP_HOST=WWW, follow=True)
            assert "须提交双人审批申请" in messages_in(text(response))
    assert User.objects.get(pk=auditor.pk).check_password(PASSWORD)

    # The security administrator's password: the system administrator files, the auditor approves,
    # and the old sessions of the security administrator end.
    filed = file_request(center, sec, "reset_password", reason="密码遗忘")
    applicant_half = HALF.search(text(filed)).group(1)
    obj = DualControlRequest.objects.get(person=sec)
    assert "不能审批与自己有关的申请" in messages_in(text(decide(security_admin, obj, "approve")))
    approver_half = HALF.search(text(decide(audit_admin, obj, "approve"))).group(1)
    assert security_admin.get("/admin/", HTTP_HOST=WWW)["Location"].startswith("/admin/login/")
    assert User.objects.get(pk=sec.pk).check_password(f"{applicant_half}-{approver_half}")
    assert not User.objects.get(pk=sec.pk).check_password(PASSWORD)
    row = new_events().get(event="password_reset")
    assert (row.username, row.target, row.details["requested_by"]) == ("audit_admin", "sec_admin", "center_admin")


def test_the_auditor_decides_in_the_request_list_but_manages_nobody(center, audit_admin, db):
    candidate = make_person("sec_candidate")
    file_request(center, candidate, "grant_role", role="security_admin")
    listing = text(audit_admin.get("/admin/people/requests/", HTTP_HOST=WWW))
    assert "sec_candidate" in listing and "审批</a>" in listing
    assert audit_admin.get(f"/admin/people/{candidate.pk}/", HTTP_HOST=WWW).status_code == 403
    editor = Client()
    login(editor, "jyj_editor")
    assert editor.get("/admin/people/requests/", HTTP_HOST="jyj.localhost").status_code == 403


def _request_as(user):
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    request.tenant = None
    return request


def test_scripts_calling_the_services_are_refused_too(security_admin, audit_admin, db):
    center_admin = User.objects.get(username="center_admin")
    auditor = User.objects.get(username="audit_admin")
    sec = User.objects.get(username="sec_admin")
    puppet = make_person("puppet")
    with pytest.raises(RoleError, match="须先提交申请"):
        grant_central_role(puppet, "audit_admin", granted_by=center_admin)
    with pytest.raises(RoleError, match="须先提交申请"):
        grant_central_role(puppet, "security_admin")
    with pytest.raises(RoleError, match="须先提交申请"):
        revoke_central_role(auditor, "audit_admin", revoked_by=center_admin)
    with pytest.raises(RoleError, match="已有人担任审计管理员"):
        appoint_first_holder(puppet, "audit_admin")
    with pytest.raises(security.SecurityActionError, match="须提交双人审批申请"):
        security.reset_password(_request_as(center_admin), auditor, "Takeover-pass-1!")
    with pytest.raises(security.SecurityActionError, match="须提交双人审批申请"):
        security.reset_second_factor(_request_as(sec), center_admin)
    assert CentralRoleAssignment.objects.filter(user=auditor, role="audit_admin").exists()

    obj, half = dual_control.file_request(center_admin, puppet, "grant_role", "脚本测试", role="audit_admin")
    assert half and len(half) == dual_control.HALF_LENGTH
    # Nobody approves their own request, a request about themselves, or one outside their role.
    for person, message in ((center_admin, "不能审批自己提交的申请"), (auditor, "须由安全管理员审批")):
        with pytest.raises(RoleError, match=message):
            dual_control.approve(obj, person)
    with pytest.raises(RoleError, match="已有一份相同的申请"):
        dual_control.file_request(center_admin, puppet, "grant_role", "再来一次", role="audit_admin")
    # Only a system administrator files role changes; a department head files nothing.
    with pytest.raises(RoleError, match="只有系统管理员可以申请授予或撤销"):
        dual_control.file_request(sec, puppet, "grant_role", "越权", role="security_admin")
    with pytest.raises(RoleError, match="只有系统管理员或安全管理员可以申请重置"):
        dual_control.file_request(User.objects.get(username="jyj_head"), auditor, "reset_password", "越权")
    # A request nobody decided in three days lapses.
    DualControlRequest.objects.filter(pk=obj.pk).update(requested_at=timezone.now() - timedelta(days=4))
    with pytest.raises(RoleError, match="已失效"):
        dual_control.approve(obj, sec)
    assert not CentralRoleAssignment.objects.filter(user=puppet).exists()
    # A fresh request (the lapsed one no longer blocks it) approved by the right person works.
    fresh, _ = dual_control.file_request(center_admin, puppet, "grant_role", "重新申请", role="audit_admin")
    assert dual_control.approve(fresh, sec)
    assert CentralRoleAssignment.objects.filter(user=puppet, role="audit_admin").exists()
    assert not TOTPDevice.objects.filter(user=puppet).exists() and User.objects.get(pk=puppet.pk).must_change_password


def test_a_new_installation_appoints_its_first_security_administrator_once(db):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("appoint_first_holder", "first_sec", "security_admin", "--full-name", "首任安全管理员", stdout=out)
    password = re.search(r"临时密码.*：(\S+)", out.getvalue()).group(1)
    person = User.objects.get(username="first_sec")
    assert person.check_password(password) and person.must_change_password
    assert CentralRoleAssignment.objects.filter(user=person, role="security_admin").exists()
    with pytest.raises(CommandError, match="已有人担任安全管理员"):
        call_command("appoint_first_holder", "second_sec", "security_admin", stdout=io.StringIO())
    assert not CentralRoleAssignment.objects.filter(user__username="second_sec").exists()
