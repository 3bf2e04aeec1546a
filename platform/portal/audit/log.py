"""`record()` is the one way to write the audit log; plugins observe it through `audit_event`."""

from .models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def record(event: str, *, request=None, user=None, username: str = "", success: bool = True,
           target: str = "", department=None, details: dict | None = None) -> AuditEvent:
    from tenants.middleware import current_department

    from portal.plugins import hooks_for

    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    department = department or getattr(request, "tenant", None) or current_department()
    if department is not None and not getattr(department, "is_site", False):
        department = None
    entry = AuditEvent.objects.create(
        user=user, username=username or (user.get_username() if user else ""), event=event, success=success,
        ip=client_ip(request), department=department, target=str(target)[:255], details=details or {},
    )
    hooks_for(department).audit_event(
        event=event, user=user, department=department, target=target, success=success, details=details or {}
    )
    return entry


