"""Helpers of the security tests: real logins through Wagtail's login form, TOTP included.

These tests never use `client.force_login()` for a central administrator: they go through the
password form and the second-factor page the way a person does, so that a gap in either shows.
"""

import re
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pyotp
import pytest
from django.test import Client

from tests.conftest import PASSWORD, host

JYJ, WJJ, WWW = host("jyj"), host("wjj"), host("www")


def login(client, username, *, on=JYJ, password=PASSWORD, ip="127.0.0.1", follow=False):
    return client.post("/admin/login/", {"username": username, "password": password},
                       HTTP_HOST=on, REMOTE_ADDR=ip, follow=follow)


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator shows now, or `steps_ahead` 30-second steps later."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def give_device(user, secret=None):
    from portal.accounts.models import TOTPDevice

    secret = secret or pyotp.random_base32()
    TOTPDevice.objects.update_or_create(user=user, defaults={"secret": secret, "last_time_step": 0})
    return secret


def login_with_second_factor(client, username, *, on=WWW, ip="127.0.0.1"):
    """Password, then the 6-digit code, as an administrator does; returns the device secret."""
    from portal.accounts.models import User

    user = User.objects.get(username=username)
    secret = give_device(user)
    response = login(client, username, on=on, ip=ip)
    assert response.status_code == 302, text(response)[:500]
    response = client.post("/admin/security/totp/verify/", {"code": totp_code(secret), "next": "/admin/"},
                           HTTP_HOST=on, REMOTE_ADDR=ip)
    assert response.status_code == 302 and response["Location"] == "/admin/", text(response)[:500]
    return secret


def make_person(username, full_name="测试人员", *, central_role=None, department=None, role="editor"):
    from portal.accounts.models import User
    from portal.accounts.roles import (
        DUAL_CONTROL_ROLES,
        appoint_first_holder,
        grant_central_role,
        grant_department_role,
    )

    person = User.objects.create_user(username, password=PASSWORD, full_name=full_name)
    if central_role:
        # A test's district starts without 安全管理员 and 审计管理员: the first holder is appointed.
        (appoint_first_holder if central_role in DUAL_CONTROL_ROLES else grant_central_role)(person, central_role)
    if department is not None:
        grant_department_role(person, department, role)
    return person


def text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def messages_in(html: str) -> str:
    """Text of the page without tags, to look for what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@contextmanager
def clock_moved(by: timedelta):
    """Moves Django's clock (timezone.now) forward, as if the person left the desk."""
    from django.utils import timezone

    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + by):
        yield


@pytest.fixture
def center(db):
    """The 区信息中心's system administrator, logged in with password and TOTP on the portal."""
    client = Client()
    login_with_second_factor(client, "center_admin")
    return client


@pytest.fixture
def security_admin(db):
    make_person("sec_admin", "安全管理员", central_role="security_admin")
    client = Client()
    login_with_second_factor(client, "sec_admin")
    return client


@pytest.fixture
def audit_admin(db):
    make_person("audit_admin", "审计管理员", central_role="audit_admin")
    client = Client()
    login_with_second_factor(client, "audit_admin")
    return client



_audit_baseline = {"id": 0}


@pytest.fixture(autouse=True)
def _remember_audit_baseline(db):
    from portal.audit.models import AuditEvent

    _audit_baseline["id"] = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_events():
    """Audit rows written during this test only: browser tests commit rows of their own."""
    from portal.audit.models import AuditEvent

    return AuditEvent.objects.filter(id__gt=_audit_baseline["id"])
