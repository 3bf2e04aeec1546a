"""Login lockout and login captcha: slow a guesser down without handing anyone a way to lock people out.

等保 level 3 asks that five failed logins lock for 30 minutes. Locking a *name* would let anyone
lock `admin` out again and again from anywhere; locking an *address* would shut out a whole office
behind one NAT. So django-axes locks the (name, address) pair only, and the wider patterns make
every further guess cost a solved picture captcha (the one of `portal.public_forms`), checked
before the password is, instead of locking anyone out:

- a name that failed from several addresses (someone guessing from many machines);
- an address that failed over several names (password spraying).

Attempts live in the public schema, so a lock or captcha made on one department's host holds on
every other host and on the portal. 人员管理 › 登录限制 (`lock_views`) lists and lifts them. This
module also gives the lock its Chinese face: the login form says until when it lasts, and the
lockout response is that login page itself.
"""

from datetime import datetime

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django.http import HttpResponse
from django.utils import timezone
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from portal.audit.log import client_ip, record

LOCKOUT_MESSAGE = ("登录失败次数过多，账号在本机所在地址已锁定 {minutes} 分钟，请于 {until} 后再试"
                   "或联系区信息中心")
INVALID_LOGIN_MESSAGE = "用户名或密码不正确，请重新输入。连续输错 {limit} 次，账号将被锁定 {minutes} 分钟。"
INACTIVE_MESSAGE = "该账号已被管理员锁定，请联系区信息中心"
CAPTCHA_MISSING_MESSAGE = "该账号或本机所在网络近期登录失败次数较多，请重新输入密码并填写图中的验证码"
CAPTCHA_WRONG_MESSAGE = "验证码不正确，请重新输入密码并按新的验证码填写"
CAPTCHA_SCOPE = "login"
# Remembers for the next login page of this browser that a captcha is due.
CAPTCHA_WANTED_KEY = "login_captcha_wanted"


def _minutes() -> int:
    return int(get_cool_off().total_seconds() // 60)


def _recent(**filters):
    """Failures of the last 30 minutes: axes keeps one row per name, address and browser."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(**filters, attempt_time__gte=timezone.now() - get_cool_off())


def lockout_end_for(*, username: str | None, ip: str | None) -> datetime | None:
    """When the lock on this name from this address ends, or None if the pair is not locked.

    Attempts during a lock are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is
    off), so the lock ends a fixed 30 minutes after the failure that caused it.
    """
    if username is None or ip is None:
        return None
    totals = _recent(username=username, ip_address=ip).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) >= settings.AXES_FAILURE_LIMIT:
        return totals["last"] + get_cool_off()
    return None


def name_captcha_until(username: str | None) -> datetime | None:
    """Until when every login of this name needs the captcha (failures from several addresses)."""
    if not username:
        return None
    totals = _recent(username=username).aggregate(
        failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True), last=Max("attempt_time"))
    if ((totals["failures"] or 0) >= settings.LOGIN_CAPTCHA_NAME_FAILURES
            and totals["addresses"] >= settings.LOGIN_CAPTCHA_NAME_ADDRESSES):
        return totals["last"] + get_cool_off()
    return None


def address_captcha_until(ip: str | None) -> datetime | None:
    """Until when every login from this address needs the captcha (failures over several names)."""
    if not ip:
        return None
    totals = _recent(ip_address=ip).aggregate(
        failures=Sum("failures_since_start"), names=Count("username", distinct=True), last=Max("attempt_time"))
    if ((totals["failures"] or 0) >= settings.LOGIN_CAPTCHA_ADDRESS_FAILURES
            and totals["names"] >= settings.LOGIN_CAPTCHA_ADDRESS_NAMES):
        return totals["last"] + get_cool_off()
    return None


def captcha_required(username: str | None, ip: str | None) -> bool:
    return name_captcha_until(username) is not None or address_captcha_until(ip) is not None


def current_restrictions() -> dict:
    """Every lock and captcha in force now, for 人员管理 › 登录限制."""
    cool_off, limit = get_cool_off(), settings.AXES_FAILURE_LIMIT
    pairs = (_recent().values("username", "ip_address")
             .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
             .filter(failures__gte=limit).order_by("-last"))
    names = (_recent().values("username")
             .annotate(failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True),
                       last=Max("attempt_time"))
             .filter(failures__gte=settings.LOGIN_CAPTCHA_NAME_FAILURES,
                     addresses__gte=settings.LOGIN_CAPTCHA_NAME_ADDRESSES).order_by("-last"))
    addresses = (_recent().values("ip_address")
                 .annotate(failures=Sum("failures_since_start"), names=Count("username", distinct=True),
                           last=Max("attempt_time"))
                 .filter(failures__gte=settings.LOGIN_CAPTCHA_ADDRESS_FAILURES,
                         names__gte=settings.LOGIN_CAPTCHA_ADDRESS_NAMES).order_by("-last"))
    with_end = lambda rows: [{**row, "until": row["last"] + cool_off} for row in rows]  # noqa: E731
    return {"locks": with_end(pairs), "names": with_end(names), "addresses": with_end(addresses)}


def restrictions_of(username: str) -> dict | None:
    """The locks and the captcha that hold this name now, for the person's page."""
    cool_off = get_cool_off()
    locks = [{"ip": row["ip_address"], "until": row["last"] + cool_off} for row in
             _recent(username=username).values("ip_address")
             .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
             .filter(failures__gte=settings.AXES_FAILURE_LIMIT)]
    captcha = name_captcha_until(username)
    if not locks and captcha is None:
        return None
    return {"locks": locks, "captcha": {"until": captcha} if captcha else None}


LIFT_SCOPES = {"lock": "登录锁定", "name": "账号的登录限制", "address": "地址的登录限制"}


def lift(request, scope: str, *, username: str = "", ip: str = "") -> int:
    """Lifts a lock of (name, address), or everything that holds a name or an address; audited.

    Returns how many attempt records were cleared.
    """
    from axes.models import AccessAttempt

    if scope == "lock" and username and ip:
        attempts = AccessAttempt.objects.filter(username=username, ip_address=ip)
    elif scope == "name" and username:
        attempts = AccessAttempt.objects.filter(username=username)
    elif scope == "address" and ip:
        attempts = AccessAttempt.objects.filter(ip_address=ip)
    else:
        raise ValueError("未指明要解除的账号或地址")
    cleared, _ = attempts.delete()
    record("lockout_lift", request=request, target=" ".join(part for part in (username, ip) if part),
           details={"scope": scope, "username": username, "ip": ip, "cleared_attempts": cleared})
    return cleared


def lockout_message(until: datetime) -> str:
    return LOCKOUT_MESSAGE.format(minutes=_minutes(), until=timezone.localtime(until).strftime("%H:%M"))


class CaptchaInput(forms.TextInput):
    """The captcha's picture (or its text question) and the box for the answer; never prefilled."""

    template_name = "accounts/widgets/login_captcha.html"

    def __init__(self, challenge, attrs=None):
        self.challenge = challenge
        super().__init__(attrs={"autocomplete": "off", "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["challenge"] = self.challenge
        return context


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, saying in Chinese why a login was refused, with a captcha when due."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"  # Wagtail leaves it to the field name, "Password"
        if self.request is not None and not self.is_bound and (
            self.request.session.get(CAPTCHA_WANTED_KEY) or address_captcha_until(client_ip(self.request))
        ):
            self._show_captcha()

    def _guard(self):
        from portal.public_forms import PublicFormGuard

        return PublicFormGuard(self.request, CAPTCHA_SCOPE)

    def _show_captcha(self) -> None:
        """Adds the captcha field with a fresh challenge (the last one was used up by its check)."""
        if "captcha" in self.fields:
            return
        text = self.request.GET.get("captcha") == "text" or self.request.POST.get("captcha_kind") == "text"
        challenge = self._guard().new_captcha(text=text)
        self.fields["captcha"] = forms.CharField(label="验证码", required=False, max_length=10,
                                                 widget=CaptchaInput(challenge), help_text=challenge.question)
        self.request.session[CAPTCHA_WANTED_KEY] = True

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        needed = bool(username) and self.request is not None and captcha_required(username, ip)
        if needed and lockout_end_for(username=username, ip=ip) is None:
            answer = (self.data.get("captcha") or "").strip()
            if not self._guard().check_captcha(answer):
                self._show_captcha()
                # Not a password guess (the password was not checked), but on the record like one.
                record("login_failed", request=self.request, username=username, success=False,
                       details={"refused": "captcha"})
                raise ValidationError(CAPTCHA_WRONG_MESSAGE if answer else CAPTCHA_MISSING_MESSAGE, code="captcha")
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.request is not None and username and captcha_required(username, ip):
                if not needed:
                    record("login_captcha_required", request=self.request, username=username, success=False,
                           target=username, details={"name": name_captcha_until(username) is not None,
                                                     "address": address_captcha_until(ip) is not None})
                self._show_captcha()
            raise
        if self.request is not None:
            self.request.session.pop(CAPTCHA_WANTED_KEY, None)
        return cleaned

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


def axes_username(request, credentials=None) -> str:
    """The name django-axes counts failures under. Accounts have at most 150 characters (Django's
    User.username); a longer name typed into a login form is cut there, so it can neither overflow
    the attempt table nor pass as a different person."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username", "")
    return str(value or "")[:150]
