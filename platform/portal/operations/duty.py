"""The 值班表: who keeps the centre's watch on a given day, and which coming days nobody does.

An alert must always reach someone: when nobody is rostered for the day, every active system
administrator is "on duty". The roster screen warns about uncovered days ahead, holidays first
in mind (the work calendar names them), so the gap is filled before it matters.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

LOOKAHEAD_DAYS = 14
WATCH_ROLES = ("system_admin", "security_admin")


def is_watch_staff(user) -> bool:
    """System and security administrators see the 值班表, the 事件记录 and the alert banner."""
    return bool(user and user.is_authenticated and user.is_active and user.has_central_role(*WATCH_ROLES))


def shifts_on(day: date):
    from .models import DutyShift

    return (DutyShift.objects.filter(start_date__lte=day, end_date__gte=day, person__is_active=True)
            .select_related("person").order_by("role", "id"))


def system_administrators() -> list:
    from portal.accounts.models import User

    return list(User.objects.filter(is_active=True, central_roles__role="system_admin").distinct().order_by("id"))


@dataclass
class OnDuty:
    people: list
    rostered: bool  # False: nobody is rostered, the system administrators stand in
    shifts: list = field(default_factory=list)


def on_duty(day: date | None = None) -> OnDuty:
    """The people on duty on `day` (default today, Beijing time)."""
    day = day or timezone.localdate()
    shifts = list(shifts_on(day))
    if shifts:
        people = list({shift.person.pk: shift.person for shift in shifts}.values())
        return OnDuty(people=people, rostered=True, shifts=shifts)
    return OnDuty(people=system_administrators(), rostered=False)


def alert_addresses(day: date | None = None) -> list[str]:
    """Where an alert goes: the e-mail of everyone on duty; if none of them has one, the system
    administrators' (an alert nobody receives is worse than one the wrong person receives)."""
    duty = on_duty(day)
    addresses = sorted({person.email for person in duty.people if person.email})
    if not addresses and duty.rostered:
        addresses = sorted({person.email for person in system_administrators() if person.email})
    return addresses


def holiday_name(day: date, corrections: dict) -> str:
    """The holiday's name from the centre's corrections or the official schedule, '' if none."""
    import chinese_calendar

    if day in corrections:
        return corrections[day]
    try:
        holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    if not holiday or not name:
        return ""
    return _HOLIDAY_NAMES.get(name, name)


# chinese_calendar names holidays in English.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def coming_days(start: date | None = None, days: int = LOOKAHEAD_DAYS) -> list[dict]:
    """One row per day from `start`: the date, whether it is a working day, the holiday's name,
    who is rostered (empty: uncovered)."""
    from portal.workcalendar.models import CalendarDay
    from portal.workcalendar.service import CalendarMissing, WorkingDays

    from .models import DutyShift

    start = start or timezone.localdate()
    end = start + timedelta(days=days - 1)
    calendar = WorkingDays(start, end)
    corrections = {row.date: row.name for row in CalendarDay.objects.filter(
        date__range=(start, end), kind=CalendarDay.Kind.HOLIDAY) if row.name}
    shifts = list(DutyShift.objects.filter(start_date__lte=end, end_date__gte=start, person__is_active=True)
                  .select_related("person").order_by("role", "id"))
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        try:
            working = calendar.is_working_day(day)
        except CalendarMissing:
            working = day.weekday() < 5
        covering = [shift for shift in shifts if shift.start_date <= day <= shift.end_date]
        rows.append({"date": day, "weekday": "一二三四五六日"[day.weekday()], "working": working,
                     "holiday": "" if working else holiday_name(day, corrections), "shifts": covering})
    return rows


def uncovered_days(start: date | None = None, days: int = LOOKAHEAD_DAYS) -> list[dict]:
    return [row for row in coming_days(start, days) if not row["shifts"]]
