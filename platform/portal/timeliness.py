"""主动公开时限 (《政府信息公开条例》 第二十六条): information is published within 20 working days
of being created or changed. Reads the cross-department projection."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .models import PublishedItem
from .workcalendar.service import CalendarMissing, add_working_days, working_days_between

DISCLOSURE_DAYS = 20


@dataclass
class TimelinessRow:
    item: PublishedItem
    due: date | None
    working_days: int | None
    missing_year: int | None = None

    @property
    def late(self) -> bool:
        return self.due is not None and timezone.localtime(self.item.publish_time).date() > self.due


def timeliness(items) -> list[TimelinessRow]:
    """One row per item that has an information date, late or not, oldest information first."""
    rows = []
    for item in items.filter(information_date__isnull=False).select_related("department").order_by(
        "information_date", "id"
    ):
        published = timezone.localtime(item.publish_time).date()
        try:
            rows.append(TimelinessRow(item, add_working_days(item.information_date, DISCLOSURE_DAYS),
                                      working_days_between(item.information_date, published)))
        except CalendarMissing as missing:
            rows.append(TimelinessRow(item, None, None, missing.year))
    return rows


def late_items(items) -> list[TimelinessRow]:
    return [row for row in timeliness(items) if row.late or row.missing_year]

