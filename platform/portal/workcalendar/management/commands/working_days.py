"""`manage.py working_days 2025-09-30 5` prints the 5th working day after 2025-09-30."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.workcalendar.service import CalendarMissing, add_working_days


class Command(BaseCommand):
    help = "计算某日之后第 N 个工作日（按国务院节假日安排，含调休）"

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日期，例如 2025-09-30（当天不计入）")
        parser.add_argument("count", type=int, help="工作日数，例如 5")

    def handle(self, *args, **options):
        try:
            start = date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD，收到：{options['start']}") from None
        if options["count"] < 0:
            raise CommandError("工作日数不能为负数")
        try:
            self.stdout.write(f"{add_working_days(start, options['count']):%Y-%m-%d}")
        except CalendarMissing as missing:
            raise CommandError(str(missing)) from None
