"""The steps between the password and the admin: second factor and due password change.

`AccountSecurityMiddleware` sends people here; these pages look like Wagtail's login page, since
they finish the login.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from portal.audit.log import client_ip, record

from . import totp
from .forms import OwnPasswordChangeForm, TOTPCodeForm
from .lockout import lockout_end_for, lockout_message
from .security import PASSWORD_CHANGE_REASONS, change_own_password, password_change_reason

WRONG_CODE_MESSAGE = "验证码不正确或已使用过，请输入验证器上当前显示的 6 位数字"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _step_url(name, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _render(request, template, context):
    return TemplateResponse(request, template, {"next": _next_url(request), **context})


def _locked_out(request):
    """Ends the half-finished login if the name or address got locked meanwhile."""
    until = lockout_end_for(username=request.user.get_username(), ip=client_ip(request))
    if until is None:
        return None
    logout(request)
    messages.error(request, lockout_message(until))
    return redirect("wagtailadmin_login")


def _wrong_code(request, form):
    """A wrong code counts as a failed login: five in 30 minutes lock the account (django-axes)."""
    user = request.user
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username(), "second_factor": True}, request=request
    )
    locked = _locked_out(request)
    if locked is not None:
        return locked
    form.add_error("code", WRONG_CODE_MESSAGE)
    return None


def totp_verify(request):
    user = request.user
    if not totp.requires_second_factor(user):
        return redirect(_next_url(request))
    device = totp.device_of(user)
    if device is None:
        return redirect(_step_url("account_security:totp_enrol", request))
    locked = _locked_out(request)
    if locked is not None:
        return locked
    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.verify(device, form.cleaned_data["code"]):
            totp.mark_verified(request.session, device)
            record("totp_verify", request=request, target=user.get_username())
            return redirect(_next_url(request))
        response = _wrong_code(request, form)
        if response is not None:
            return response
    return _render(request, "accounts/security/totp_verify.html", {"page_title": "动态口令验证", "form": form})


def totp_enrol(request):
    user = request.user
    if not totp.requires_second_factor(user):
        return redirect(_next_url(request))
    if totp.device_of(user) is not None:
        return redirect(_step_url("account_security:totp_verify", request))
    locked = _locked_out(request)
    if locked is not None:
        return locked
    secret = totp.pending_secret(request.session)
    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp.enrol(user, secret, form.cleaned_data["code"])
        if device is not None:
            totp.mark_verified(request.session, device)
            record("totp_enrol", request=request, target=user.get_username())
            messages.success(request, "动态口令已绑定。今后每次登录后台，输入密码后还须输入验证器上的 6 位验证码。")
            return redirect(_next_url(request))
        response = _wrong_code(request, form)
        if response is not None:
            return response
    uri = totp.provisioning_uri(user, secret)
    return _render(request, "accounts/security/totp_enrol.html", {
        "page_title": "绑定动态口令", "form": form, "qr_svg": totp.qr_code_svg(uri), "secret": secret,
        "secret_grouped": totp.grouped_secret(secret), "issuer": totp.ISSUER,
    })


def password_change(request):
    reason = password_change_reason(request.user)
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_own_password(request, form.cleaned_data["new_password1"])
        messages.success(request, "密码已修改。")
        return redirect(_next_url(request))
    return _render(request, "accounts/security/password_change.html", {
        "page_title": "修改密码", "form": form, "reason": PASSWORD_CHANGE_REASONS.get(reason or ""),
    })
