"""TOTP secrets are stored encrypted: a copy of the database gives no administrator's codes away.

The secret is shown once at enrolment; after that neither the device row nor the session holds it
in a readable form, the code from the app still works, and a wrong key stops with a clear error
instead of quietly refusing every code.
"""

import importlib
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pyotp
import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from portal.accounts import totp
from portal.accounts.encryption import SecretDecryptionError
from portal.accounts.models import TOTPDevice, User

from tests.conftest import ROOT

from .conftest import WWW, give_device, login, text, totp_code

BASE32 = re.compile(r"[A-Z2-7]{16,}")


def _stored_secret(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice WHERE user_id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_the_database_holds_no_secret_and_codes_still_work(client, db):
    admin = User.objects.get(username="center_admin")
    assert login(client, "center_admin", on=WWW, ip="10.14.0.1").status_code == 302
    page = text(client.get("/admin/security/totp/enrol/", HTTP_HOST=WWW))
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    session_row = Session.objects.get(pk=client.session.session_key)
    assert secret not in str(session_row.get_decoded()), "绑定期间会话中保存了明文密钥"

    enrolled = client.post("/admin/security/totp/enrol/", {"code": pyotp.TOTP(secret).now(), "next": "/admin/"},
                           HTTP_HOST=WWW, REMOTE_ADDR="10.14.0.1")
    assert enrolled.status_code == 302 and enrolled["Location"] == "/admin/"
    stored = _stored_secret(admin)
    assert secret not in stored and not BASE32.fullmatch(stored), f"数据库中是明文密钥：{stored}"
    assert TOTPDevice.objects.get(user=admin).secret == secret

    later = Client()
    assert login(later, "center_admin", on=WWW, ip="10.14.0.2").status_code == 302
    verified = later.post("/admin/security/totp/verify/", {"code": totp_code(secret, steps_ahead=1), "next": "/admin/"},
                          HTTP_HOST=WWW, REMOTE_ADDR="10.14.0.2")
    assert verified.status_code == 302 and verified["Location"] == "/admin/"
    assert later.get("/admin/", HTTP_HOST=WWW).status_code == 200


def test_a_wrong_key_fails_loudly(client, db, settings):
    admin = User.objects.get(username="center_admin")
    secret = give_device(admin)
    settings.TOTP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    assert login(client, "center_admin", on=WWW, ip="10.14.0.3").status_code == 302
    with pytest.raises(SecretDecryptionError) as failure:
        client.post("/admin/security/totp/verify/", {"code": totp_code(secret), "next": "/admin/"},
                    HTTP_HOST=WWW, REMOTE_ADDR="10.14.0.3")
    assert "TOTP_ENCRYPTION_KEY" in str(failure.value) and "不是加密时使用的密钥" in str(failure.value)

    # With the old key among the fallbacks the code works again.
    settings.TOTP_ENCRYPTION_KEY_FALLBACKS = [Fernet.generate_key().decode(), _old_key(settings)]
    verified = client.post("/admin/security/totp/verify/", {"code": totp_code(secret), "next": "/admin/"},
                           HTTP_HOST=WWW, REMOTE_ADDR="10.14.0.3")
    assert verified.status_code == 302 and verified["Location"] == "/admin/"


def test_a_lost_key_is_recovered_by_resetting_the_device(security_admin, audit_admin, db, settings):
    """The reset of a 系统管理员's device goes through 双人审批 and never reads the lost secret."""
    from portal.accounts.models import DualControlRequest

    admin = User.objects.get(username="center_admin")
    give_device(admin)
    settings.TOTP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    filed = security_admin.post(f"/admin/people/{admin.pk}/", {"form": "dual_request", "kind": "reset_second_factor",
                                                               "reason": "加密密钥丢失"}, HTTP_HOST=WWW)
    assert "已提交申请" in text(filed)
    pending = DualControlRequest.objects.get(person=admin, status="pending")
    response = audit_admin.post(f"/admin/people/requests/{pending.pk}/", {"action": "approve"}, HTTP_HOST=WWW)
    assert "已批准，变更已生效" in text(response)
    assert not TOTPDevice.objects.filter(user=admin).exists()
    fresh = Client()
    assert login(fresh, "center_admin", on=WWW, ip="10.14.0.4").status_code == 302
    assert fresh.get("/admin/", HTTP_HOST=WWW)["Location"].startswith("/admin/security/totp/enrol/")


def _old_key(settings) -> str:
    from portal.accounts.encryption import derived_key

    return derived_key(settings.SECRET_KEY)


def test_the_migration_encrypts_secrets_stored_before_it(db):
    migration = importlib.import_module("portal.accounts.migrations.0004_encrypt_totp_secrets")
    admin = User.objects.get(username="center_admin")
    secret = give_device(admin)
    with connection.cursor() as cursor:  # as the row was before: the secret in plain text
        cursor.execute("UPDATE accounts_totpdevice SET secret = %s WHERE user_id = %s", [secret, admin.pk])

    editor = SimpleNamespace(connection=connection)
    migration.encrypt_existing(None, editor)
    migration.encrypt_existing(None, editor)  # a second run leaves encrypted rows alone
    stored = _stored_secret(admin)
    assert secret not in stored
    device = TOTPDevice.objects.get(user=admin)
    assert device.secret == secret and totp.verify(device, totp_code(secret))

    migration.decrypt_existing(None, editor)
    assert _stored_secret(admin) == secret


def test_production_requires_the_key(db):
    from tests.security.test_passwords import PRODUCTION_SITE

    env = {**os.environ, "SECRET_KEY": "x" * 64, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
           "ELASTICSEARCH_URL": "http://127.0.0.1:1", "ALLOWED_HOSTS": ".yuancheng.gov.cn",
           "STATIC_ROOT": "/tmp/static", **PRODUCTION_SITE,
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform"), os.environ.get("PYTHONPATH", "")])}
    env.pop("TOTP_ENCRYPTION_KEY", None)
    script = "from portal.settings import production"
    missing = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT / "platform", capture_output=True,
                             text=True)
    assert missing.returncode != 0 and "生产环境必须通过环境变量 TOTP_ENCRYPTION_KEY" in missing.stderr
    malformed = subprocess.run([sys.executable, "-c", script], env={**env, "TOTP_ENCRYPTION_KEY": "short"},
                               cwd=ROOT / "platform", capture_output=True, text=True)
    assert malformed.returncode != 0 and "TOTP_ENCRYPTION_KEY 不是有效的加密密钥" in malformed.stderr
    good = subprocess.run([sys.executable, "-c", script],
                          env={**env, "TOTP_ENCRYPTION_KEY": Fernet.generate_key().decode()},
                          cwd=ROOT / "platform", capture_output=True, text=True)
    assert good.returncode == 0, good.stderr


def test_a_new_key_takes_over_after_rotation(db, settings):
    from io import StringIO

    from django.core.management import call_command

    admin = User.objects.get(username="center_admin")
    secret = give_device(admin)
    before = _stored_secret(admin)
    settings.TOTP_ENCRYPTION_KEY_FALLBACKS = [_old_key(settings)]
    settings.TOTP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    output = StringIO()
    call_command("rotate_totp_key", stdout=output)
    assert "已重新加密 1 个动态口令密钥" in output.getvalue()
    assert _stored_secret(admin) != before
    settings.TOTP_ENCRYPTION_KEY_FALLBACKS = []  # the old key is gone
    assert TOTPDevice.objects.get(user=admin).secret == secret
