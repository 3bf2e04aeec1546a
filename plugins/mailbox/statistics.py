"""Figures about letters, the same for the public statistics page and the performance report:
received, replied, replied on time, overdue, unanswered for 3 months, average working days."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Q
from django.utils import timezone
from portal.workcalendar.service import CalendarMissing, working_days_between

from .models import Letter, centre_department
from .notifications import ESCALATION_DAYS


@dataclass
class Figures:
    received: int = 0
    replied: int = 0
    replied_on_time: int = 0
    overdue: int = 0
    unanswered_3_months: int = 0
    published: int = 0  # replies the public can read on the site
    reply_days: list[int] = field(default_factory=list)

    @property
    def avg_working_days(self) -> float | None:
        return round(sum(self.reply_days) / len(self.reply_days), 1) if self.reply_days else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.replied_on_time / self.replied, 1) if self.replied else None

    def as_dict(self) -> dict:
        return {"received": self.received, "replied": self.replied, "replied_on_time": self.replied_on_time,
                "overdue": self.overdue, "unanswered_3_months": self.unanswered_3_months,
                "published": self.published, "avg_working_days": self.avg_working_days}

    def add(self, letter, today: date) -> None:
        """Count one letter (with `replied_at` annotated): a reply after the due date, or no
        reply when the due date has passed, is overdue."""
        received = timezone.localdate(letter.received_at)
        self.received += 1
        if letter.replied_at is not None:
            replied = timezone.localdate(letter.replied_at)
            self.replied += 1
            if letter.due_date is not None and replied <= letter.due_date:
                self.replied_on_time += 1
            elif letter.due_date is not None:
                self.overdue += 1
            try:
                self.reply_days.append(working_days_between(received, replied))
            except CalendarMissing:
                pass  # the average leaves out a reply whose days cannot be counted yet
        elif letter.due_date is not None and letter.due_date < today:
            self.overdue += 1
        if letter.status == letter.Status.PUBLISHED:
            self.published += 1
        if letter.replied_at is None and (today - received).days > ESCALATION_DAYS:
            self.unanswered_3_months += 1


def counted_letters():
    """Every valid letter (closed invalid/duplicate ones are not counted), forwarded or not, each
    with the time its reply was approved."""
    return (
        Letter.objects.exclude(status=Letter.Status.CLOSED)
        .annotate(replied_at=Max("replies__approved_at", filter=Q(replies__approved_at__isnull=False)))
        .select_related("department")
    )


def _received_between(letters, start: date, end: date):
    return letters.filter(received_at__date__gte=start, received_at__date__lte=end)


def figures_for(department, start: date, end: date) -> Figures:
    today = timezone.localdate()
    figures = Figures()
    for letter in _received_between(counted_letters().held_by(department), start, end):
        figures.add(letter, today)
    return figures


def year_table(year: int, month: int | None = None, department_id: int | None = None):
    """(rows by department for the year or month, rows by month for one department or all)."""
    start = date(year, month or 1, 1)
    end = date(year, month or 12, monthrange(year, month or 12)[1])
    today = timezone.localdate()
    by_department: dict = {}
    by_month = {number: Figures() for number in range(1, 13)}
    letters = _received_between(counted_letters(), date(year, 1, 1), date(year, 12, 31))
    centre = centre_department()
    for letter in letters:
        received = timezone.localdate(letter.received_at)
        # A letter the centre never forwarded is the centre's (the portal's row).
        holder = letter.department or centre
        if holder is None:
            continue
        if start <= received <= end:
            by_department.setdefault(holder, Figures()).add(letter, today)
        if department_id is None or holder.pk == department_id:
            by_month[received.month].add(letter, today)
    departments = sorted(by_department.items(), key=lambda item: (item[0].sort_order, item[0].pk))
    return departments, sorted(by_month.items())
