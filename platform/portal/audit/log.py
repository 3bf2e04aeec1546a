"""`record()` is the one way to write the audit log; plugins observe it through `audit_event`."""

from django.conf import settings

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The visitor's address, as the audit log and the login lockout both see it.

    X-Forwarded-For is believed only as far as our own proxies wrote it: with TRUSTED_PROXY_COUNT
    proxies (nginx) in front, the entry that many places from the right is the visitor's; anything
    to its left was sent by the visitor and may be forged. Without a proxy the header is ignored.
    """
    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR") or None


def record(event: str, *, request=None, user=None, username: str = "", success: bool = True,
           target: str = "", department=None, details: dict | None = None) -> AuditEvent:
    from portal.plugins import hooks_for
    from tenants.middleware import current_department

    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    department = department or getattr(request, "tenant", None) or current_department()
    if department is not None and not getattr(department, "is_site", False):
        department = None
    # A failed login records what was typed, which can be any length (the column holds 150).
    username = (username or (user.get_username() if user else ""))[:150]
    entry = AuditEvent.objects.create(
        user=user, username=username, event=event, success=success,
        ip=client_ip(request), department=department, target=str(target)[:255], details=details or {},
    )
    hooks_for(department).audit_event(
        event=event, user=user, department=department, target=target, success=success, details=details or {}
    )
    return entry


