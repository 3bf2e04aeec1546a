"""The yearly performance report (绩效评估与通报, 第十七–十八条), for any period.

Everything is read from the public schema: the `PublishedItem` projection (items per column and
month, gaps in columns with an update rule), `UnreviewedPublication` (第十八条(二)), the
inspection's findings and flags, the audit log (account locks and forced logouts: 第十八条(五)),
and the plugins' own figures through the `performance_figures` hook (mailbox, 依申请公开). A
section whose plugin is disabled or absent shows zeros.

The report score ranks departments over the period:
100 − 5 per column that broke its update rule − 2 per item published without review − 5 per
overdue letter − 5 per overdue disclosure request − per inspection finding first seen in the
period (单项否决 10, serious 3, normal 1); never below 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")
LONG_STALE_DAYS = 30  # 长期不及时更新: a column's overdue days in the period add up to a month
ISSUING_OFFICE = "源城区人民政府办公室"
MAILBOX_FIGURES = ["received", "replied", "replied_on_time", "overdue", "unanswered_3_months", "avg_working_days"]
DISCLOSURE_FIGURES = ["received", "answered", "answered_on_time", "overdue", "avg_working_days"]
FINDING_WEIGHTS = {"veto": 10, "serious": 3, "normal": 1}
ACCOUNT_EVENTS = ("user_lock", "force_logout")


def last_calendar_year(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _aware(day: date, end_of_day: bool = False) -> datetime:
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=BEIJING)


@dataclass
class ColumnBreak:
    column: str
    column_type: str
    rule_days: int
    overdue_days: int
    longest_gap_days: int
    periods: list[tuple[date, date]]
    blank: bool = False

    @property
    def long_term(self) -> bool:
        return self.blank or self.overdue_days >= LONG_STALE_DAYS

    def describe(self) -> str:
        if self.blank:
            return f"“{self.column}”为空白栏目"
        spans = "、".join(f"{a:%m-%d}至{b:%m-%d}" for a, b in self.periods[:3])
        return f"“{self.column}”超过 {self.rule_days} 天未更新，累计超期 {self.overdue_days} 天（{spans}）"


@dataclass
class DepartmentReport:
    department: object
    items_by_column: dict[str, list[int]] = field(default_factory=dict)
    items_total: int = 0
    column_breaks: list[ColumnBreak] = field(default_factory=list)
    unreviewed: list = field(default_factory=list)
    mailbox: dict = field(default_factory=lambda: dict.fromkeys(MAILBOX_FIGURES, 0))
    mailbox_enabled: bool = False
    disclosure: dict = field(default_factory=lambda: dict.fromkeys(DISCLOSURE_FIGURES, 0))
    disclosure_enabled: bool = False
    # 信息报送 (the core's sharing module): submitted, accepted, rate (per cent, or None).
    sharing: dict = field(default_factory=dict)
    findings_by_item: dict[str, int] = field(default_factory=dict)
    findings_total: int = 0
    findings_fixed: int = 0
    avg_fix_days: float | None = None
    finding_penalty: int = 0
    health_score: int = 100
    score: int = 100
    rank: int = 0
    criticisms: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        replied = self.mailbox.get("replied") or 0
        return round(100 * (self.mailbox.get("replied_on_time") or 0) / replied, 1) if replied else None


@dataclass
class Report:
    start: date
    end: date
    months: list[tuple[int, int]]
    departments: list[DepartmentReport]

    @property
    def title(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) and \
                self.start.year == self.end.year:
            period = f"{self.start.year}年度"
        else:
            period = f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"
        return f"{ISSUING_OFFICE}关于{period}政府网站绩效评估情况的通报"

    @property
    def ranking(self) -> list[DepartmentReport]:
        return sorted(self.departments, key=lambda row: row.rank)

    @property
    def criticised(self) -> list[DepartmentReport]:
        return [row for row in self.ranking if row.criticisms]

    @property
    def items_by_month(self) -> list[int]:
        totals = [0] * len(self.months)
        for row in self.departments:
            for counts in row.items_by_column.values():
                totals = [a + b for a, b in zip(totals, counts, strict=True)]
        return totals

    @property
    def findings_by_item(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for row in self.departments:
            for item, count in row.findings_by_item.items():
                totals[item] = totals.get(item, 0) + count
        return totals


def column_breaks(times: list[datetime], before: datetime | None, start: date, end: date, rule: int,
                  column: str, column_type: str) -> ColumnBreak | None:
    """Gaps longer than the rule between updates, within the period (up to today at most)."""
    last_day = min(end, timezone.localdate())
    previous = timezone.localtime(before, BEIJING).date() if before else start
    periods, overdue, longest = [], 0, 0
    for moment in [*(timezone.localtime(t, BEIJING).date() for t in times), last_day]:
        gap = (moment - previous).days
        longest = max(longest, gap)
        if gap > rule:
            overdue_from = max(previous + timedelta(days=rule), start)
            if moment > overdue_from:
                periods.append((overdue_from, moment))
                overdue += (moment - overdue_from).days
        previous = max(previous, moment)
    if not overdue:
        return None
    return ColumnBreak(column, column_type, rule, overdue, longest, periods)


def build_report(start: date | None = None, end: date | None = None, departments=None) -> Report:
    from django.db.models import Max
    from portal.accounts.models import DepartmentRole
    from portal.audit.models import AuditEvent
    from portal.governance.models import UnreviewedPublication
    from portal.models import PublishedItem
    from portal.pages.columns import UPDATE_RULE_DAYS
    from portal.plugins import is_enabled, performance_figures

    from . import service
    from .models import FalseInformationFlag, Finding

    if start is None or end is None:
        start, end = last_calendar_year()
    months = months_between(start, end)
    month_index = {month: index for index, month in enumerate(months)}
    departments = list(departments if departments is not None else service.site_departments())
    begin, finish = _aware(start), _aware(end, True)
    rows = []
    for department in departments:
        row = DepartmentReport(department)
        items = PublishedItem.objects.filter(department=department)
        in_period = items.filter(publish_time__range=(begin, finish)).order_by("publish_time")
        by_column: dict[tuple[str, str], list[datetime]] = {}
        for title, column_type, moment in in_period.values_list("column_title", "column_type", "publish_time"):
            local = timezone.localtime(moment, BEIJING)
            counts = row.items_by_column.setdefault(title or "（未分栏目）", [0] * len(months))
            counts[month_index[(local.year, local.month)]] += 1
            row.items_total += 1
            by_column.setdefault((title, column_type), []).append(moment)
        ruled_items = items.filter(column_type__in=list(UPDATE_RULE_DAYS))
        ruled = set(ruled_items.values_list("column_title", "column_type"))
        # Each ruled column's last item before the period, in one query for the department.
        last_before = {
            (title, column_type): latest for title, column_type, latest in ruled_items.filter(publish_time__lt=begin)
            .values("column_title", "column_type").annotate(latest=Max("publish_time"))
            .values_list("column_title", "column_type", "latest")
        }
        for title, column_type in sorted(ruled):
            before = last_before.get((title, column_type))
            broken = column_breaks(by_column.get((title, column_type), []), before, start, end,
                                   UPDATE_RULE_DAYS[column_type], title, column_type)
            if broken:
                row.column_breaks.append(broken)
        findings = Finding.objects.filter(department=department, first_seen__range=(begin, finish))
        for blank in findings.filter(item="blank_column"):
            evidence = blank.evidence if isinstance(blank.evidence, dict) else {}
            column = evidence.get("column", blank.title)
            row.column_breaks.append(ColumnBreak(column, "", 0, 0, 0, [], blank=True))
        row.unreviewed = list(UnreviewedPublication.objects.filter(department=department, time__range=(begin, finish)))

        figures = performance_figures(department, start, end)
        row.mailbox_enabled = "mailbox" in figures
        row.mailbox.update(figures.get("mailbox", {}))
        row.disclosure_enabled = "disclosure_requests" in figures
        row.disclosure.update(figures.get("disclosure_requests", {}))
        row.sharing = figures.get("sharing", {})

        fix_days = []
        for finding in findings:
            row.findings_by_item[finding.item] = row.findings_by_item.get(finding.item, 0) + 1
            row.findings_total += 1
            row.finding_penalty += FINDING_WEIGHTS.get(finding.severity, 1)
            if finding.fixed_at:
                row.findings_fixed += 1
                fix_days.append((finding.fixed_at - finding.first_seen).total_seconds() / 86400)
        row.avg_fix_days = round(sum(fix_days) / len(fix_days), 1) if fix_days else None
        row.health_score = service.health_score(
            Finding.objects.filter(department=department, status=Finding.Status.OPEN).only("severity"))

        criticisms = row.criticisms
        long_term = [broken.describe() for broken in row.column_breaks if broken.long_term]
        if long_term:
            criticisms.append(("长期不及时更新责任栏目（第十八条第一项）", long_term))
        direct = [p for p in row.unreviewed if p.route == UnreviewedPublication.Route.DIRECT]
        if direct:
            criticisms.append(("未履行审核程序擅自发布信息（第十八条第二项）", [
                f"{timezone.localtime(p.time, BEIJING):%Y-%m-%d} 《{p.title}》由 {p.username or '未知用户'} 直接发布"
                for p in direct]))
        flags = FalseInformationFlag.objects.filter(department=department, date__range=(start, end))
        if flags:
            criticisms.append(("发布虚假信息（第十八条第三项）",
                               [f"{f.date:%Y-%m-%d} {f.title}：{f.evidence}" for f in flags]))
        leaks = findings.filter(item="classified_mark")
        if leaks:
            criticisms.append(("公开页面出现涉密信息（第十八条第四项）", [
                f"{timezone.localtime(f.first_seen, BEIJING):%Y-%m-%d} {f.title} {f.url}" for f in leaks]))
        if is_enabled(department, "inspection"):
            people = set(DepartmentRole.objects.filter(department=department).values_list("user__username", flat=True))
            events = AuditEvent.objects.filter(event__in=ACCOUNT_EVENTS, time__range=(begin, finish), target__in=people)
            # 三员分立: the report's readers (system administrator, 办公室) get counts only; the rows
            # themselves (who, when, by whom) are the 审计管理员's to read in the audit log.
            counts = dict(events.order_by().values_list("event").annotate(n=Count("pk")))
            if counts:
                accounts = events.values("target").distinct().count()
                criticisms.append(("账号密码泄露被强制下线或锁定（第十八条第五项）", [
                    f"本期账号被锁定 {counts.get('user_lock', 0)} 次、被强制下线 {counts.get('force_logout', 0)} 次，"
                    f"涉及 {accounts} 个账号；明细由审计管理员在审计日志中查阅"]))

        overdue = int(row.mailbox.get("overdue") or 0) + int(row.disclosure.get("overdue") or 0)
        row.score = max(0, 100 - 5 * len(row.column_breaks) - 2 * len(row.unreviewed) - 5 * overdue
                        - row.finding_penalty)
        rows.append(row)
    ordered = sorted(rows, key=lambda r: (-r.score, len(r.criticisms), r.department.sort_order, r.department.pk))
    for rank, row in enumerate(ordered, start=1):
        row.rank = rank
    return Report(start, end, months, rows)
