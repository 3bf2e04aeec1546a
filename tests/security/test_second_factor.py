"""Central administrators prove a TOTP code after the password; department staff do not."""

import re

import pyotp
from django.test import Client
from portal.accounts.models import DualControlRequest, TOTPDevice, User

from .conftest import JYJ, WWW, give_device, login, login_with_second_factor, make_person, new_events, text, totp_code

ADMIN_URLS = ["/admin/", "/admin/pages/", "/admin/people/", "/admin/departments/", "/admin/audit/",
              "/admin/security/password/"]


def test_center_admin_must_enrol_before_any_admin_page(client, db):
    response = login(client, "center_admin", on=WWW)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    for url in ADMIN_URLS:
        response = client.get(url, HTTP_HOST=WWW)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/security/totp/enrol/"), url
    page = client.get("/admin/security/totp/enrol/?next=/admin/people/", HTTP_HOST=WWW)
    html = text(page)
    assert page.status_code == 200 and "绑定动态口令" in html and "<svg" in html
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in html  # typed by hand if no camera
    assert not TOTPDevice.objects.filter(user__username="center_admin").exists()

    wrong = client.post("/admin/security/totp/enrol/", {"code": "000000", "next": "/admin/people/"}, HTTP_HOST=WWW)
    assert wrong.status_code == 200 and "验证码不正确" in text(wrong)
    assert client.get("/admin/", HTTP_HOST=WWW).status_code == 302

    done = client.post("/admin/security/totp/enrol/", {"code": pyotp.TOTP(secret).now(), "next": "/admin/people/"},
                       HTTP_HOST=WWW)
    assert done.status_code == 302 and done["Location"] == "/admin/people/"
    assert client.get("/admin/people/", HTTP_HOST=WWW).status_code == 200
    assert client.get("/admin/pages/", HTTP_HOST=JYJ).status_code == 200  # one login, every host
    device = TOTPDevice.objects.get(user__username="center_admin")
    assert device.secret == secret
    row = new_events().filter(event="totp_enrol").latest("id")
    assert row.username == "center_admin" and row.department.host_prefix == "www" and row.success


def test_enrolled_admin_needs_the_current_code_every_login(client, db):
    admin = User.objects.get(username="center_admin")
    secret = give_device(admin)
    assert login(client, "center_admin", on=JYJ).status_code == 302
    response = client.get("/admin/pages/", HTTP_HOST=JYJ)
    assert response["Location"] == "/admin/security/totp/verify/?next=%2Fadmin%2Fpages%2F"
    form = client.get(response["Location"], HTTP_HOST=JYJ)
    assert "动态口令验证" in text(form) and 'data-secret' not in text(form)  # the secret is never shown again

    for wrong in ("123456", "abcdef", pyotp.TOTP(pyotp.random_base32()).now()):
        refused = client.post("/admin/security/totp/verify/", {"code": wrong, "next": "/admin/pages/"}, HTTP_HOST=JYJ)
        assert refused.status_code == 200 and "验证码不正确" in text(refused), wrong
        assert client.get("/admin/pages/", HTTP_HOST=JYJ).status_code == 302
    failed = new_events().filter(event="login_failed", username="center_admin")
    assert failed.count() == 3 and all(row.details.get("stage") == "totp" for row in failed)

    code = totp_code(secret)
    accepted = client.post("/admin/security/totp/verify/", {"code": code, "next": "/admin/pages/"}, HTTP_HOST=JYJ)
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/", HTTP_HOST=JYJ).status_code == 200
    assert new_events().filter(event="totp_verify", username="center_admin").exists()

    # The same code a second time (a shoulder-surfer, a replayed request) is refused (the 4th failure).
    other = Client()
    assert login(other, "center_admin", on=JYJ).status_code == 302
    replay = other.post("/admin/security/totp/verify/", {"code": code}, HTTP_HOST=JYJ)
    assert replay.status_code == 200 and "已使用过" in text(replay)
    later = other.post("/admin/security/totp/verify/", {"code": totp_code(secret, steps_ahead=1)}, HTTP_HOST=JYJ)
    assert later.status_code == 302


def test_a_redirect_after_the_code_stays_on_this_site(client, db):
    secret = give_device(User.objects.get(username="center_admin"))
    login(client, "center_admin", on=WWW)
    response = client.post("/admin/security/totp/verify/",
                           {"code": totp_code(secret), "next": "https://evil.example.com/admin/"}, HTTP_HOST=WWW)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_department_staff_are_not_asked_for_a_code(client, db):
    response = login(client, "jyj_editor", on=JYJ, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == "/admin/"
    assert client.get("/admin/pages/", HTTP_HOST=JYJ, follow=True).status_code == 200
    # Nor can they be made to enrol: the pages just send them on.
    assert client.get("/admin/security/totp/enrol/", HTTP_HOST=JYJ)["Location"] == "/admin/"
    assert not TOTPDevice.objects.filter(user__username="jyj_editor").exists()


def test_every_central_role_needs_the_code_and_then_reaches_the_admin(db):
    make_person("mailbox_keeper", "信箱管理员", central_role="mailbox_admin")
    client = Client()
    assert login(client, "mailbox_keeper", on=JYJ).status_code == 302
    assert client.get("/admin/", HTTP_HOST=JYJ)["Location"].startswith("/admin/security/totp/enrol/")
    login_with_second_factor(client, "mailbox_keeper", on=JYJ)
    assert client.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    # A central role opens the admin, not the department's pages or the centre's tools.
    assert client.get("/admin/people/", HTTP_HOST=JYJ).status_code == 403


def test_five_wrong_codes_lock_the_account_and_end_the_half_login(client, db):
    secret = give_device(User.objects.get(username="center_admin"))
    login(client, "center_admin", on=WWW, ip="10.20.0.1")
    for _ in range(4):
        client.post("/admin/security/totp/verify/", {"code": "000000"}, HTTP_HOST=WWW, REMOTE_ADDR="10.20.0.1")
    fifth = client.post("/admin/security/totp/verify/", {"code": "000000"}, HTTP_HOST=WWW, REMOTE_ADDR="10.20.0.1",
                        follow=True)
    assert "登录失败次数过多，账号在本机所在地址已锁定 30 分钟" in text(fifth)
    assert client.get("/admin/", HTTP_HOST=WWW)["Location"].startswith("/admin/login/")  # logged out
    # Even the right password no longer gets in from that address ...
    again = login(Client(), "center_admin", on=WWW, ip="10.20.0.1")
    assert again.status_code == 429 and "已锁定" in text(again)
    # ... while the lock holds nobody out from elsewhere (the owner at another desk).
    assert login(Client(), "center_admin", on=WWW, ip="10.20.0.2").status_code == 302
    assert new_events().filter(event="lockout", username="center_admin").count() == 1
    assert totp_code(secret)  # the device itself is untouched


def test_resetting_a_lost_phone_ends_sessions_and_asks_to_enrol_again(security_admin, audit_admin, db):
    """A 系统管理员's second factor: the security administrator files, the auditor approves."""
    admin_client = Client()
    login_with_second_factor(admin_client, "center_admin")
    admin = User.objects.get(username="center_admin")
    filed = security_admin.post(f"/admin/people/{admin.pk}/", {"form": "dual_request", "kind": "reset_second_factor",
                                                               "reason": "手机丢失"}, HTTP_HOST=WWW)
    assert "已提交申请" in text(filed) and TOTPDevice.objects.filter(user=admin).exists()
    pending = DualControlRequest.objects.get(person=admin, status="pending")
    response = audit_admin.post(f"/admin/people/requests/{pending.pk}/", {"action": "approve"}, HTTP_HOST=WWW)
    assert "已批准，变更已生效" in text(response)
    assert not TOTPDevice.objects.filter(user=admin).exists()
    # Whoever holds the old session (the thief of the phone and laptop) is out ...
    assert admin_client.get("/admin/", HTTP_HOST=WWW)["Location"].startswith("/admin/login/")
    # ... and the next login enrols a new device.
    fresh = Client()
    login(fresh, "center_admin", on=WWW)
    assert fresh.get("/admin/", HTTP_HOST=WWW)["Location"].startswith("/admin/security/totp/enrol/")
    row = new_events().filter(event="totp_reset").latest("id")
    assert row.username == "audit_admin" and row.target == "center_admin"
    assert row.details["requested_by"] == "sec_admin"
