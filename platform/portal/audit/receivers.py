"""Logins, logouts and failed logins go to the audit log."""

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
    record("login_failed", request=request, username=credentials.get("username", ""), success=False)
