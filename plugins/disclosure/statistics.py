"""Figures of 依申请公开 for the performance report (section `disclosure_requests`)."""

from datetime import date

from portal.workcalendar.service import CalendarMissing, working_days_between

from .applications import overdue, today_in_shanghai
from .models import Application


def request_figures(department, start: date, end: date, today: date | None = None) -> dict:
    """received: arrived in the period; answered / answered_on_time: answered in the period (on
    time: by the due date); overdue: answered late in the period, or still open past the due date
    at the end of the period; avg_working_days: working days from receipt to answer, without the
    days spent waiting for 补正 (None when nothing was answered)."""
    today = today or today_in_shanghai()
    applications = Application.objects.filter(department=department)
    received = applications.filter(received_on__range=(start, end)).count()
    answered = list(applications.filter(answered_on__range=(start, end)).values_list(
        "received_on", "answered_on", "due_date", "paused_working_days"))
    on_time = sum(1 for _, answered_on, due, _paused in answered if due is not None and answered_on <= due)
    late = sum(1 for _, answered_on, due, _paused in answered if due is not None and answered_on > due)
    cutoff = min(end, today)
    still_open = overdue(applications.filter(received_on__lte=end), cutoff).count()
    durations = []
    for received_on, answered_on, _due, paused in answered:
        try:
            durations.append(max(working_days_between(received_on, answered_on) - paused, 0))
        except CalendarMissing:
            continue
    return {
        "received": received,
        "answered": len(answered),
        "answered_on_time": on_time,
        "overdue": late + still_open,
        "avg_working_days": round(sum(durations) / len(durations), 1) if durations else None,
    }
