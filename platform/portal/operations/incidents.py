"""Incidents and the alerts of the centre's 24-hour watch (第六条, 第十六条).

Whatever detects trouble — the inspection's 5-minute availability probes, a failed backup, the
search pusher, scheduled publishing, tamper detection — calls `raise_incident` (plugins too: this
module is part of the core's public API). An incident is keyed by the condition it describes, so
a continuing outage stays one open incident; the first detection e-mails the people on duty
(`duty.on_duty`) at once, and every central admin page shows it in a banner until someone
acknowledges it. People acknowledge and resolve (with what they did) through `acknowledge` and
`resolve`; a condition that clears by itself is closed by `resolve_incident`, as done by the
system. Both are in the 审计日志.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FailureStreak, Incident

logger = logging.getLogger(__name__)

KINDS = dict(Incident.Kind.choices)
SYSTEM_RESOLUTION = "系统检测到已恢复正常，自动关闭"


class IncidentError(Exception):
    """An action on an incident a person cannot take; the message says why, in Chinese."""


def raise_incident(kind: str, key: str, title: str, details: str = "", department=None) -> Incident:
    """Create the open incident `key`, or update it if it is still open; alert on creation.

    `kind` is one of `Incident.Kind` (site_down, tamper, publish_failure, search_push_failure,
    backup_failure, other); `key` names the condition (e.g. `site_down:jyj`), so calling this on
    every failed probe keeps one incident open. Tamper detection calls it with `kind="tamper"`,
    a key per page (`tamper:<schema>:<page id>`), the page's address and the difference found in
    `details`, and the department. Call it outside a transaction that may still roll back: the
    e-mail goes out at once.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown incident kind {kind!r}")
    key, title = str(key)[:200], str(title)[:300]
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                incident = Incident.objects.select_for_update().filter(key=key, resolved_at__isnull=True).first()
                if incident is not None:
                    incident.last_seen_at, incident.occurrences = now, incident.occurrences + 1
                    incident.title, incident.details = title, details or incident.details
                    incident.save(update_fields=["last_seen_at", "occurrences", "title", "details"])
                    return incident
                incident = Incident.objects.create(kind=kind, key=key, title=title, details=details,
                                                   department=department, detected_at=now, last_seen_at=now)
            break
        except IntegrityError:  # another process opened it a moment ago: update that one
            continue
    else:
        return Incident.objects.get(key=key, resolved_at__isnull=True)
    alert(incident)
    return incident


def resolve_incident(key: str, resolution: str = SYSTEM_RESOLUTION) -> Incident | None:
    """The condition `key` cleared by itself (a site answers again): close its open incident as
    resolved by the system. Returns the incident, or None when none was open."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().filter(key=str(key)[:200], resolved_at__isnull=True).first()
        if incident is None:
            return None
        incident.resolved_at, incident.resolved_by, incident.resolution = timezone.now(), None, resolution
        incident.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    _audit("incident_resolve", incident, details={"automatic": True, "resolution": resolution})
    return incident


def report_check(key: str, ok: bool, *, kind: str, title: str, details: str = "", department=None,
                 threshold: int = 2) -> Incident | None:
    """The result of one run of a repeated check. `threshold` failures in a row raise the
    incident `key` (one failure may be a blip); a success ends the streak and resolves it."""
    if ok:
        FailureStreak.objects.filter(key=key).delete()
        return resolve_incident(key)
    with transaction.atomic():
        streak, _ = FailureStreak.objects.select_for_update().get_or_create(key=key)
        streak.failures += 1
        streak.first_failed_at = streak.first_failed_at or timezone.now()
        streak.last_error = details[:2000]
        streak.save()
    if streak.failures < threshold:
        return None
    since = timezone.localtime(streak.first_failed_at)
    return raise_incident(kind, key, title, f"自 {since:%Y-%m-%d %H:%M} 起连续 {streak.failures} 次失败。\n{details}",
                          department=department)


# -- alerting ---------------------------------------------------------------------------------------------
def admin_url(incident: Incident | None = None) -> str:
    """The 事件记录 on the portal's admin (every site's admin shows it; the portal's is the one to
    bookmark)."""
    from django.urls import reverse

    from tenants.models import Department

    portal = Department.objects.filter(kind=Department.Kind.PORTAL).first()
    base = portal.base_url if portal else ""
    if incident is None:
        return base + reverse("incidents:index")
    return base + reverse("incidents:inspect", args=[incident.pk])


def alert(incident: Incident) -> list[str]:
    """E-mail the people on duty about a new incident; returns the addresses. A mail server that
    refuses is logged and noted on the incident: the banner still shows it."""
    from django.core.mail import send_mail

    from .duty import alert_addresses

    addresses = alert_addresses()
    if not addresses:
        logger.error("事件 %s 无人可通知：值班人员和系统管理员都没有电子邮箱", incident.key)
        return []
    department = f"单位：{incident.department.name}\n" if incident.department_id else ""
    body = (f"{incident.title}\n\n类型：{incident.get_kind_display()}\n{department}"
            f"发现时间：{timezone.localtime(incident.detected_at):%Y-%m-%d %H:%M:%S}\n\n{incident.details}\n\n"
            f"请立即处置，并在后台“事件记录”中确认和登记处置情况：{admin_url(incident)}\n")
    try:
        send_mail(f"【值班告警】{incident.title}", body, None, addresses)
        sent = addresses
    except Exception:  # noqa: BLE001 - an alert that cannot be mailed must not stop the detector
        logger.exception("告警邮件发送失败：%s", incident.key)
        sent = []
    Incident.objects.filter(pk=incident.pk).update(notified=sent)
    incident.notified = sent
    return sent


def banner_incidents(user, limit: int = 5) -> tuple[list[Incident], int]:
    """Open incidents nobody acknowledged yet, newest first, for the admin banner of watch staff."""
    from .duty import is_watch_staff

    if not is_watch_staff(user):
        return [], 0
    waiting = Incident.objects.filter(resolved_at__isnull=True, acknowledged_at__isnull=True)
    return list(waiting.select_related("department")[:limit]), waiting.count()


# -- what people do -------------------------------------------------------------------------------------
def acknowledge(incident: Incident, user, request=None) -> Incident:
    """Someone on watch has seen it and is on it: the banner goes, the incident stays open."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.resolved_at:
            raise IncidentError("该事件已处置完成，无需确认")
        if incident.acknowledged_at:
            raise IncidentError("该事件已由"
                                f"{incident.acknowledged_by.full_name if incident.acknowledged_by else '他人'}确认")
        incident.acknowledged_at, incident.acknowledged_by = timezone.now(), user
        incident.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit("incident_acknowledge", incident, request=request, user=user)
    return incident


def resolve(incident: Incident, user, resolution: str, request=None) -> Incident:
    """处置完成: a person closes the incident, saying what was done."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise IncidentError("请填写处置情况：做了什么、结果如何")
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.resolved_at:
            raise IncidentError("该事件已处置完成")
        now = timezone.now()
        if not incident.acknowledged_at:  # resolving it is also having seen it
            incident.acknowledged_at, incident.acknowledged_by = now, user
        incident.resolved_at, incident.resolved_by, incident.resolution = now, user, resolution[:5000]
        incident.save(update_fields=["acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by",
                                     "resolution"])
    FailureStreak.objects.filter(key=incident.key).delete()
    _audit("incident_resolve", incident, request=request, user=user,
           details={"automatic": False, "resolution": resolution[:500]})
    return incident


def record_by_hand(user, kind: str, title: str, details: str = "", department=None, request=None) -> Incident:
    """An incident someone reports (a phone call, a letter): logged like a detected one, and the
    people on duty are alerted the same way."""
    incident = raise_incident(kind, f"manual:{timezone.now():%Y%m%d%H%M%S%f}", title, details, department)
    Incident.objects.filter(pk=incident.pk).update(reported_by=user)
    incident.reported_by = user
    _audit("incident_record", incident, request=request, user=user)
    return incident


def _audit(event: str, incident: Incident, request=None, user=None, details=None) -> None:
    from portal.audit.log import record

    record(event, request=request, user=user, target=incident.title[:255], department=incident.department,
           details={"incident": incident.pk, "kind": incident.kind, "key": incident.key, **(details or {})})


def alert_threshold(name: str, default: int) -> int:
    return int(getattr(settings, name, default))
