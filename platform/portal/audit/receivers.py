"""Logins, logouts, failed logins and login lockouts go to the audit log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .log import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record("login", request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    record("logout", request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    details = {}
    if credentials.get("second_factor"):
        details["stage"] = "totp"
    if getattr(request, "axes_locked_out", False):
        details["refused"] = "locked_out"  # tried during a lockout: the password was not even checked
    record("login_failed", request=request, username=credentials.get("username", "") or "", success=False,
           details=details)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # Axes also signals every refused try during a lock; only the failure that starts it is a lockout.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    from portal.accounts.lockout import lockout_end_for

    # Like a failed login, the row names the account tried; who typed the passwords is unknown.
    until = lockout_end_for(username=username, ip=ip_address)
    record("lockout", request=request, username=username or "", success=False, target=username or ip_address or "",
           details={"failures": request.axes_failures_since_start, "ip": ip_address,
                    "locked_until": until.isoformat() if until else None})
