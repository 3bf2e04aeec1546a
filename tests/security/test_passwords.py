"""Password rules (第十四条, 等保 level 3), each refused with its reason in Chinese, through the
修改密码 page every person uses, and the changes the platform forces: at first login and after
90 days."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from portal.accounts.models import PasswordHistory, User

from tests.conftest import PASSWORD

from .conftest import JYJ, WWW, login, make_person, messages_in, new_events, text

ROOT = Path(__file__).resolve().parents[2]
CHANGE = "/admin/security/password/"


def change_password(client, old, new, repeat=None, on=JYJ):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": repeat or new},
                       HTTP_HOST=on)


@pytest.fixture
def editor(db):
    client = Client()
    assert login(client, "jyj_editor").status_code == 302
    return client


@pytest.mark.parametrize("new, message", [
    ("Ab1!x", "密码太短，至少需要 8 个字符"),
    ("abcdefgh", "密码须同时包含字母、数字和符号，当前缺少：数字、符号"),
    ("abcd1234", "密码须同时包含字母、数字和符号，当前缺少：符号"),
    ("1234-5678", "密码须同时包含字母、数字和符号，当前缺少：字母"),
    ("Abcd!efgh", "密码须同时包含字母、数字和符号，当前缺少：数字"),
    ("Xjyj_editor9!", "密码不能包含用户名"),
    (PASSWORD, "新密码不能与最近 5 次使用过的密码相同"),
])
def test_each_rule_is_refused_with_its_reason(editor, new, message):
    response = change_password(editor, PASSWORD, new)
    assert response.status_code == 200
    assert message in messages_in(text(response))
    assert User.objects.get(username="jyj_editor").check_password(PASSWORD)


def test_wrong_old_password_and_mismatch_are_refused(editor):
    html = text(change_password(editor, "Not-the-0ld!", "Brand-new-9!"))
    assert "当前密码不正确" in html
    html = text(change_password(editor, PASSWORD, "Brand-new-9!", repeat="Brand-new-8!"))
    assert "两次输入的新密码不一致" in html
    assert User.objects.get(username="jyj_editor").check_password(PASSWORD)


def test_a_good_password_is_taken_and_logged(editor):
    before = timezone.now()
    response = change_password(editor, PASSWORD, "Spring-garden-7!")
    assert response.status_code == 302
    person = User.objects.get(username="jyj_editor")
    assert person.check_password("Spring-garden-7!") and person.password_changed_at >= before
    assert person.password.startswith(("pbkdf2_sha256$", "md5$"))  # stored as a hash, never as text
    assert editor.get("/admin/", HTTP_HOST=JYJ).status_code == 200  # this session stays logged in
    row = new_events().filter(event="password_change").latest("id")
    assert (row.username, row.target, row.department.host_prefix, row.ip) == (
        "jyj_editor", "jyj_editor", "jyj", "127.0.0.1")


def test_none_of_the_last_five_but_the_sixth_last_is_allowed(editor):
    passwords = [PASSWORD] + [f"Rotation-{n}-pass!" for n in range(1, 6)]  # the current one and five more
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change_password(editor, old, new).status_code == 302, new
    current = passwords[-1]
    person = User.objects.get(username="jyj_editor")
    assert PasswordHistory.objects.filter(user=person).count() == 5
    for reused in passwords[1:]:  # the last five, the current one included
        html = text(change_password(editor, current, reused))
        assert "新密码不能与最近 5 次使用过的密码相同" in html, reused
    assert change_password(editor, current, passwords[0]).status_code == 302  # the sixth-last is allowed again


def test_an_account_created_by_the_centre_changes_its_password_at_first_login(db, departments):
    from .conftest import login_with_second_factor

    center = Client()
    login_with_second_factor(center, "center_admin")
    response = center.post("/admin/people/new/", {"username": "newcomer", "full_name": "新同事",
                                                   "password": "Initial-pass-1!"}, HTTP_HOST=WWW)
    assert response.status_code == 302
    person = User.objects.get(username="newcomer")
    assert person.must_change_password
    center.post(f"/admin/people/{person.pk}/", {"form": "department", "department": departments["jyj"].pk,
                                                "role": "editor"}, HTTP_HOST=WWW)

    client = Client()
    assert login(client, "newcomer", password="Initial-pass-1!").status_code == 302
    for url in ("/admin/", "/admin/pages/", "/admin/documents/", "/admin/account/"):
        response = client.get(url, HTTP_HOST=JYJ)
        assert response.status_code == 302 and response["Location"].startswith(CHANGE), url
    page = client.get(CHANGE, HTTP_HOST=JYJ)
    assert "这是区信息中心为您设置的初始密码" in text(page)
    assert "新密码不能与最近 5 次" in text(change_password(client, "Initial-pass-1!", "Initial-pass-1!"))
    assert change_password(client, "Initial-pass-1!", "My-own-secret-5!").status_code == 302
    assert client.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    person.refresh_from_db()
    assert not person.must_change_password
    assert new_events().filter(event="user_create", target="newcomer", username="center_admin").exists()
    row = new_events().filter(event="password_change", username="newcomer").get()
    assert row.details == {"reason": "first_login"}


def test_a_password_older_than_90_days_must_be_changed(editor):
    User.objects.filter(username="jyj_editor").update(password_changed_at=timezone.now() - timedelta(days=89))
    assert editor.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    User.objects.filter(username="jyj_editor").update(password_changed_at=timezone.now() - timedelta(days=91))
    for url in ("/admin/", "/admin/pages/", "/admin/images/"):
        response = editor.get(url, HTTP_HOST=JYJ)
        assert response.status_code == 302 and response["Location"].startswith(CHANGE), url
    assert "密码已使用超过 90 天" in text(editor.get(CHANGE, HTTP_HOST=JYJ))
    # The public site is not held up.
    assert editor.get("/", HTTP_HOST=JYJ).status_code == 200
    assert change_password(editor, PASSWORD, "Autumn-leaves-4!").status_code == 302
    assert editor.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    assert new_events().filter(event="password_change", username="jyj_editor").get().details == {
        "reason": "expired"}


def test_an_administrator_reset_forces_a_change_and_ends_sessions(security_admin, departments):
    person = make_person("forgetful", "健忘的业务员", department=departments["jyj"])
    old_session = Client()
    assert login(old_session, "forgetful").status_code == 302
    response = security_admin.post(f"/admin/people/{person.pk}/", {"form": "reset_password", "password": "abc"},
                                   HTTP_HOST=WWW)
    assert "密码太短" in text(response)  # the same rules hold for a temporary password
    response = security_admin.post(f"/admin/people/{person.pk}/",
                                   {"form": "reset_password", "password": "Temporary-pass-2!"}, HTTP_HOST=WWW)
    assert response.status_code == 302
    assert old_session.get("/admin/", HTTP_HOST=JYJ)["Location"].startswith("/admin/login/")
    client = Client()
    assert login(client, "forgetful", password="Temporary-pass-2!").status_code == 302
    assert client.get("/admin/", HTTP_HOST=JYJ)["Location"].startswith(CHANGE)
    row = new_events().filter(event="password_reset").get()
    assert row.username == "sec_admin" and row.target == "forgetful"


def test_wagtails_own_password_paths_are_closed(editor):
    """One way to set a password: here, with history, rules and the audit log."""
    assert editor.get("/admin/password_reset/", HTTP_HOST=JYJ).status_code == 404
    account = text(editor.get("/admin/account/", HTTP_HOST=JYJ))
    assert "修改密码" in account and CHANGE in account


# What production settings require besides secrets and services (see tests/operations).
PRODUCTION_SITE = {"DOMAIN_SUFFIX": "yuancheng.gov.cn", "PUBLIC_SCHEME": "https", "PUBLIC_PORT": "",
                   "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "MEDIA_ROOT": "/srv/media",
                   "BACKUP_DIR": "/srv/backups", "TOTP_ENCRYPTION_KEY": "A" * 43 + "=",
                   "CACHE_URL": "redis://127.0.0.1:1/0",
                   "DATABASE_OWNER_URL": "postgres://owner@127.0.0.1:1/none"}


def _production_settings() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": "x" * 64, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
           "DATABASE_OWNER_URL": "postgres://owner@127.0.0.1:1/none",
           "ELASTICSEARCH_URL": "http://127.0.0.1:1", "ALLOWED_HOSTS": ".yuancheng.gov.cn",
           "STATIC_ROOT": "/tmp/static", **PRODUCTION_SITE,
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform"), os.environ.get("PYTHONPATH", "")])}
    script = ("import json; from portal.settings import production as s; print(json.dumps({"
              "'validators': s.AUTH_PASSWORD_VALIDATORS, 'session_secure': s.SESSION_COOKIE_SECURE, "
              "'csrf_secure': s.CSRF_COOKIE_SECURE, 'age': s.SESSION_COOKIE_AGE, "
              "'every_request': s.SESSION_SAVE_EVERY_REQUEST, 'proxies': s.TRUSTED_PROXY_COUNT}))")
    output = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT / "platform", capture_output=True,
                            text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_production_refuses_the_demo_and_common_passwords_and_sends_cookies_over_https_only(db):
    production = _production_settings()
    assert production["session_secure"] and production["csrf_secure"]
    assert production["age"] == 30 * 60 and production["every_request"]
    validators = get_password_validators(production["validators"])
    refused_passwords = [("Yuancheng@2026", "不能使用演示或默认密码"), ("yuancheng@2026", "不能使用演示或默认密码"),
                         ("P@ssw0rd", "不能使用演示或默认密码"), ("password1", "太常见")]
    for password, message in refused_passwords:
        with pytest.raises(ValidationError) as refused:
            validate_password(password, User(username="someone"), password_validators=validators)
        assert any(message in m for m in refused.value.messages), (password, refused.value.messages)
    validate_password("Quiet-river-83!", User(username="someone"), password_validators=validators)

