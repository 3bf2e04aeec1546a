"""The 工作台: the admin home that shows each person the work waiting for them.

Wagtail's default home (page counts, an English search box, its editor guide) says nothing about
the deadlines a department works to. The 工作台 is a list of panels, each a plain `Panel` of
lines that link to the screen where the work is done. The core contributes the panels about
pages and the homepage requests (`portal.workbench.core_panels`); plugins contribute theirs
through the `workbench_panels` hook, so the core never knows which plugins are installed.

Two views exist. On a department's site everyone sees that department only. A person with a
central role sees every department at once on the portal's admin (or one department chosen with
`?department=<prefix>`), and a district summary (全区概况) assembled from the panels' `summary`
figures. Cross-department data comes from public-schema tables in one query per panel, never
from a loop over schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TONE_DANGER = "danger"  # past its deadline: red
TONE_WARNING = "warning"  # within WARNING_DAYS of it: amber
WARNING_DAYS = 3
LINES_PER_PANEL = 10


@dataclass
class Line:
    """One piece of work: what it is, where it is done and how urgent it is."""

    text: str
    url: str
    meta: str = ""  # who, when, how many days: the short grey text after the title
    tone: str = ""  # "", TONE_WARNING or TONE_DANGER
    department: str = ""  # the department's name, shown in the central view


@dataclass
class Panel:
    """A panel of the 工作台. `summary` maps a department id to figures for 全区概况, e.g.
    `{17: {"超期来信": 2}}`; only central views show it."""

    key: str
    title: str
    order: int
    lines: list[Line]
    empty_text: str
    more_url: str = ""
    more_label: str = "查看全部"
    total: int | None = None  # all matching items when `lines` shows only the first ones
    summary: dict[int, dict[str, object]] = field(default_factory=dict)
    template: str = "portal/workbench/panel.html"
    # 全区概况 only: the figure names and one row per department.
    labels: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    table_html: str = ""  # the rows drawn as table rows


@dataclass(frozen=True)
class Scope:
    """Whose work and which departments a 工作台 shows."""

    user: object
    department: object  # the site whose admin this is
    central: bool  # the cross-department view of a central role
    departments: tuple = ()  # central view: the departments shown (all sites, or the one chosen)
    roles: frozenset = frozenset()  # the person's roles on this site (`editor`, `head`)
    sites: tuple = ()  # central view: every site, for the 按单位查看 filter
    # What panels of the same request share (the working-day calendar): read once, not per panel.
    shared: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def department_ids(self) -> list[int]:
        return [department.pk for department in self.departments]

    @property
    def is_head(self) -> bool:
        return "head" in self.roles


def has_central_role(user) -> bool:
    """Central roles (系统管理员, 信箱管理员 …) see the work of every department."""
    return bool(user.is_superuser or user.central_role_names())


def scope_of(request) -> Scope:
    """The scope of the request's 工作台; the one public way for panels to ask it."""
    cached = getattr(request, "_workbench_scope", None)
    if cached is not None:
        return cached
    from portal.accounts.roles import roles_on_this_site
    from tenants.models import Department

    department = getattr(request, "tenant", None)
    roles = frozenset(roles_on_this_site(request))
    central = has_central_role(request.user) and getattr(department, "kind", "") == "portal"
    departments = sites = ()
    if central:
        sites = tuple(Department.sites().order_by("sort_order", "id"))
        chosen = request.GET.get("department", "")
        departments = tuple(d for d in sites if d.host_prefix == chosen) or sites
    scope = Scope(user=request.user, department=department, central=central, departments=departments, roles=roles,
                  sites=sites)
    request._workbench_scope = scope
    return scope


def deadline_tone(days_left: int) -> str:
    if days_left < 0:
        return TONE_DANGER
    if days_left <= WARNING_DAYS:
        return TONE_WARNING
    return ""


# The calendar a request reads covers at least this many days either side of today, so that the
# due dates of every panel fall inside the one calendar read first.
CALENDAR_MARGIN_DAYS = 400


def _calendar(start: date, end: date, scope: Scope | None):
    """The working-day calendar for `start`..`end`: read once per request when a scope is given."""
    from portal.workcalendar.service import WorkingDays

    if scope is None:
        return WorkingDays(start, end)
    cached = scope.shared.get("calendar")
    if cached is None or start < cached[0] or end > cached[1]:
        if cached is not None:
            start, end = min(start, cached[0]), max(end, cached[1])
        cached = (start, end, WorkingDays(start, end))
        scope.shared["calendar"] = cached
    return cached[2]


def working_days_left(due_dates: list[date], today: date | None = None,
                      scope: Scope | None = None) -> dict[date, int | None]:
    """Working days from today to each due date (negative when past; 0 on the day itself); None
    where the holiday schedule of a year is missing. Two queries for all of them, and with the
    request's `scope` two for all panels of the request together."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.workcalendar.service import CalendarMissing

    today = today or timezone.localdate()
    due_dates = sorted(set(due_dates))
    if not due_dates:
        return {}
    start, end = min(due_dates[0], today), max(due_dates[-1], today)
    margin = timedelta(days=CALENDAR_MARGIN_DAYS if scope is not None else 0)
    calendar = _calendar(min(start, today - margin), max(end, today + margin), scope)
    days, answer = {}, {}
    try:
        counted = 0
        day = start
        while day <= end:
            days[day] = counted
            day += timedelta(days=1)
            if day <= end and calendar.is_working_day(day):
                counted += 1
    except CalendarMissing:
        return dict.fromkeys(due_dates)
    for due in due_dates:
        answer[due] = days[due] - days[today]
    return answer


def deadline_text(days_left: int | None) -> str:
    if days_left is None:
        return "缺少节假日安排，期限待定"
    if days_left < 0:
        return f"已超期 {-days_left} 个工作日"
    if days_left == 0:
        return "今天到期"
    return f"剩余 {days_left} 个工作日"
