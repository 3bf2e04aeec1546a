"""`add_working_days` and friends: the one place that counts working days."""

from datetime import date, timedelta

import chinese_calendar


class CalendarMissing(Exception):
    """The schedule of `year` is neither in the package nor entered by an administrator."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"缺少 {year} 年的节假日安排，请在后台“工作日历”中录入 {year} 年的放假和调休安排后再计算")


def _entered_years() -> set[int]:
    from .models import CalendarYear

    return set(CalendarYear.objects.values_list("year", flat=True))


def _overrides(start: date, end: date) -> dict[date, bool]:
    from .models import CalendarDay

    return {
        day.date: day.kind == CalendarDay.Kind.WORKDAY
        for day in CalendarDay.objects.filter(date__range=(start, end))
    }


class WorkingDays:
    """Answers for a span of dates with two queries, whatever the number of days asked about."""

    def __init__(self, start: date, end: date):
        self.overrides = _overrides(start, end)
        self.entered = _entered_years()

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.entered:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarMissing(day.year) from None


def is_working_day(day: date) -> bool:
    return WorkingDays(day, day).is_working_day(day)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (the day of receipt itself is not counted)."""
    if count < 0:
        raise ValueError("工作日数不能为负数")
    # Even the longest holidays leave more than a third of days working: 3×count+30 is ample.
    calendar = WorkingDays(start, start + timedelta(days=3 * count + 30))
    day, remaining = start, count
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    if end <= start:
        return 0
    calendar = WorkingDays(start, end)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if calendar.is_working_day(start + timedelta(days=offset))
    )


def explain(start: date, count: int) -> str:
    """How a deadline was computed, for the person who has to meet it."""
    end = add_working_days(start, count)
    calendar = WorkingDays(start, end)
    skipped = []
    day = start
    while day < end:
        day += timedelta(days=1)
        if not calendar.is_working_day(day) and day.weekday() < 5:
            skipped.append(f"{day:%m-%d}")
        elif calendar.is_working_day(day) and day.weekday() >= 5:
            skipped.append(f"{day:%m-%d}调休上班")
    note = f"（期间节假日及调休：{'、'.join(skipped)}）" if skipped else ""
    return f"{start:%Y-%m-%d} 收到，{count} 个工作日后为 {end:%Y-%m-%d}{note}"
