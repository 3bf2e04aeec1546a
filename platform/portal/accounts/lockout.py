"""Login lockout (django-axes): five failures lock a name, and an address, for 30 minutes.

Axes keeps its attempts in the public schema, so a lock made on one department's host holds on
every other host and on the portal. This module gives the lock its Chinese face: the login form
says until when the lock lasts, and the lockout response is that login page itself.
"""

from datetime import datetime

from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.utils import timezone
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

LOCKOUT_MESSAGE = "登录失败次数过多，账号已锁定 {minutes} 分钟，请于 {until} 后再试或联系区信息中心"
INVALID_LOGIN_MESSAGE = "用户名或密码不正确，请重新输入。连续输错 {limit} 次，账号将被锁定 {minutes} 分钟。"
INACTIVE_MESSAGE = "该账号已被管理员锁定，请联系区信息中心"


def _minutes() -> int:
    return int(get_cool_off().total_seconds() // 60)


def lockout_end_for(*, username: str | None = None, ip: str | None = None) -> datetime | None:
    """When the lock on this name or address ends, or None if neither is locked now.

    Attempts during a lock are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is
    off), so the lock ends a fixed 30 minutes after the failure that caused it.
    """
    from axes.models import AccessAttempt

    cool_off = get_cool_off()
    now = timezone.now()
    ends = []
    for filters in ({"username": username} if username else None, {"ip_address": ip} if ip else None):
        if filters is None:
            continue
        totals = AccessAttempt.objects.filter(**filters, attempt_time__gte=now - cool_off).aggregate(
            failures=Sum("failures_since_start"), last=Max("attempt_time")
        )
        if (totals["failures"] or 0) >= settings.AXES_FAILURE_LIMIT:
            ends.append(totals["last"] + cool_off)
    return max(ends, default=None)


def lockout_message(until: datetime) -> str:
    return LOCKOUT_MESSAGE.format(minutes=_minutes(), until=timezone.localtime(until).strftime("%H:%M"))


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, saying in Chinese why a login was refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"  # Wagtail leaves it to the field name, "Password"

    def get_invalid_login_error(self):
        from .models import User

        username = self.cleaned_data.get("username") or ""
        if getattr(self.request, "axes_locked_out", False):
            until = lockout_end_for(username=username, ip=getattr(self.request, "axes_ip_address", None))
            return ValidationError(lockout_message(until or timezone.now() + get_cool_off()), code="locked_out")
        locked = User.objects.filter(username=username, is_active=False).first()
        if locked is not None and locked.check_password(self.cleaned_data.get("password") or ""):
            return ValidationError(INACTIVE_MESSAGE, code="inactive")
        return ValidationError(
            INVALID_LOGIN_MESSAGE.format(limit=settings.AXES_FAILURE_LIMIT, minutes=_minutes()), code="invalid_login"
        )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page with its lockout message, as 429 Too Many Requests."""
    if original_response is None:
        until = lockout_end_for(username=(credentials or {}).get("username"),
                                ip=getattr(request, "axes_ip_address", None))
        return HttpResponse(lockout_message(until or timezone.now() + get_cool_off()), status=429,
                            content_type="text/plain; charset=utf-8")
    if original_response.status_code == 200:
        original_response.status_code = 429
    return original_response
