"""Who may use the admin, and what they must do first.

`DepartmentAdminAccessMiddleware` keeps each department's admin to the people who hold a role
there: Wagtail alone would send a person without rights back to its login form; a department
account that tries another department's admin gets a plain 403 instead, whatever the URL.

`AccountSecurityMiddleware` then holds every admin URL until the person has done what 等保
level 3 asks: a central administrator proves the second factor (TOTP), and anyone whose password
is an initial one or older than 90 days changes it.

`SecondFactorGateMiddleware` makes a central account that has given its password but not yet its
second factor a visitor everywhere outside the admin, so that no private page, document, theme
draft or anything else that asks `request.user` opens to a password alone.
"""

from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .roles import can_enter_admin

OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")
# What the admin's own pages load besides themselves (translations, icons).
ADMIN_ASSET_PATHS = ("/admin/jsi18n/", "/admin/sprite")
SECOND_FACTOR_PATHS = ("/admin/security/totp/",)
PASSWORD_CHANGE_PATHS = ("/admin/security/password/",)


def _user_with_second_factor(request, user):
    from .totp import requires_second_factor, session_is_verified

    if user.is_authenticated and requires_second_factor(user) and not session_is_verified(request.session, user):
        return AnonymousUser()
    return user


class SecondFactorGateMiddleware:
    """Right after Django's authentication: the admin keeps the real account (it holds the person
    at the second-factor page); every other URL sees a visitor until the code is given."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/admin/"):
            user, original_auser = request.user, request.auser  # still lazy: visitors cost nothing here
            request.user = SimpleLazyObject(lambda: _user_with_second_factor(request, user))

            async def auser():
                return await sync_to_async(_user_with_second_factor)(request, await original_auser())

            request.auser = auser
        return self.get_response(request)


class DepartmentAdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        department = getattr(request, "tenant", None)
        if (
            department is not None
            and request.path.startswith("/admin/")
            and not request.path.startswith(OPEN_ADMIN_PATHS)
            and request.user.is_authenticated
            and not can_enter_admin(request.user, department)
        ):
            return TemplateResponse(
                request, "accounts/forbidden.html", {"department": department}, status=403
            ).render()
        return self.get_response(request)


def _with_next(url: str, request) -> str:
    if request.method == "GET":
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class AccountSecurityMiddleware:
    """Second factor first (it proves who is there), then a due password change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            path.startswith("/admin/")
            and not path.startswith(OPEN_ADMIN_PATHS + ADMIN_ASSET_PATHS + SECOND_FACTOR_PATHS)
            and request.user.is_authenticated
        ):
            from .security import password_change_reason
            from .totp import device_of, requires_second_factor, session_is_verified

            user = request.user
            if requires_second_factor(user) and not session_is_verified(request.session, user):
                view = "totp_verify" if device_of(user) is not None else "totp_enrol"
                return redirect(_with_next(reverse(f"account_security:{view}"), request))
            if not path.startswith(PASSWORD_CHANGE_PATHS) and password_change_reason(user):
                return redirect(_with_next(reverse("account_security:password_change"), request))
        return self.get_response(request)
