"""The yearly report's security figures (安全检测评估次数, 发现问题数量, 问题整改数量).

Checks are counted by whoever runs them: plugins report theirs through the `security_checks` hook
(the inspection: whole-site inspection runs, and days on which the availability probes ran). The
problems are the 事件记录: incidents detected in the period, and incidents resolved in it (by a
person or, when the condition cleared, by the system).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import Incident


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))


def security_figures(start: date, end: date) -> dict:
    """Figures for the dates `start`..`end` (inclusive, Beijing time):
    `{"checks": int, "checks_by_source": {label: int}, "problems_found": int, "problems_fixed": int,
    "found_by_kind": {kind label: int}}`."""
    from portal.plugins import get_manager

    by_source = {}
    for counts in get_manager().hook.security_checks(start=start, end=end):
        for label, count in (counts or {}).items():
            by_source[label] = by_source.get(label, 0) + int(count)
    since, until = _bounds(start, end)
    found = Incident.objects.filter(detected_at__gte=since, detected_at__lt=until)
    found_by_kind = {}
    for kind in found.values_list("kind", flat=True):
        label = Incident.Kind(kind).label
        found_by_kind[label] = found_by_kind.get(label, 0) + 1
    return {
        "checks": sum(by_source.values()),
        "checks_by_source": by_source,
        "problems_found": found.count(),
        "problems_fixed": Incident.objects.filter(resolved_at__gte=since, resolved_at__lt=until).count(),
        "found_by_kind": found_by_kind,
    }
