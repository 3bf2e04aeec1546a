"""Keeps track of the sessions each person opened, so that they can all be ended at once."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .models import LoginSession
from .security import track_login


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        track_login(request, user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and request.session.session_key:
        LoginSession.objects.filter(session_key=request.session.session_key).delete()
