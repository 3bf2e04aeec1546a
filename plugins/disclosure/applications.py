"""What can happen to an application for disclosure (依申请公开); each step writes an
`ApplicationEvent` and the audit log.

Deadlines (《政府信息公开条例》 第三十条–第三十三条): the reply is due 20 working days after the
application was received; it may be extended once, by at most 20 working days, with a recorded
reason; within 7 working days of receipt the department may ask the applicant once to complete
the application (补正), and the clock stops until the completion arrives: the due date moves by
the working days the department waited. Working days come from `portal.workcalendar`; a year
without a schedule leaves the due date open and flagged, never guessed as Monday–Friday.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from portal.audit.log import record
from portal.workcalendar.service import CalendarMissing, add_working_days, working_days_between

from .models import DECISIONS_NEEDING_REASON, Application, ApplicationEvent, Decision

REPLY_WORKING_DAYS = 20
MAX_EXTENSION_WORKING_DAYS = 20
COMPLETION_WINDOW_WORKING_DAYS = 7
SHANGHAI = ZoneInfo("Asia/Shanghai")


class ApplicationError(Exception):
    """An action not allowed in the application's state; the message is shown to the person."""


def require_head(user, department, action: str) -> None:
    """Acts that bind the department — deciding an application, extending its deadline,
    publishing the 年报 — are the 负责人's (or the 区信息中心's for any department and for the
    district). Checked here, in the service, so that no view, command or later route skips it.
    `user=None` is the platform itself (demo data, imports), never a request."""
    from django.core.exceptions import PermissionDenied
    from portal.accounts.models import DepartmentRole, DepartmentRoleName

    from tenants.admin_views import is_central_admin

    if user is None:
        return
    if user.is_authenticated and user.is_active:
        if is_central_admin(user):
            return
        if department is not None and DepartmentRole.objects.filter(
                user=user, department=department, role=DepartmentRoleName.HEAD).exists():
            return
    raise PermissionDenied(f"只有本单位负责人或区信息中心可以{action}")


def today_in_shanghai() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def overdue(applications, today: date):
    """Open applications past their due date (an application waiting for 补正 is paused, not late)."""
    return applications.filter(status=Application.Status.RECEIVED, due_date__lt=today)


def working_days_allowed(application) -> int:
    return REPLY_WORKING_DAYS + application.extension_days + application.paused_working_days


def set_due_date(application) -> None:
    """Receipt + 20 working days + the extension + the working days spent waiting for 补正."""
    try:
        application.due_date = add_working_days(application.received_on, working_days_allowed(application))
        application.calendar_missing_year = None
    except CalendarMissing as missing:
        application.due_date = None
        application.calendar_missing_year = missing.year


def completion_deadline(application) -> date | None:
    """The last day the department may still ask for 补正 (7 working days after receipt)."""
    try:
        return add_working_days(application.received_on, COMPLETION_WINDOW_WORKING_DAYS)
    except CalendarMissing:
        return None


def deadline_explanation(application) -> str:
    if application.calendar_missing_year:
        return str(CalendarMissing(application.calendar_missing_year))
    parts = [f"收到申请 {application.received_on:%Y-%m-%d}，答复期限 {REPLY_WORKING_DAYS} 个工作日"]
    if application.extension_days:
        parts.append(f"延长 {application.extension_days} 个工作日（{application.extension_reason}）")
    if application.paused_working_days:
        parts.append(f"等待补正 {application.paused_working_days} 个工作日不计入")
    if application.is_paused:
        parts.append(f"自 {application.completion_requested_on:%Y-%m-%d} 起等待申请人补正，期限暂停计算")
    if application.due_date:
        parts.append(f"答复期限 {application.due_date:%Y-%m-%d}")
    return "；".join(parts)


def _log(application, action, user, request, note="", **details):
    ApplicationEvent.objects.create(application=application, action=action, actor=user, note=note[:600])
    if action != ApplicationEvent.Action.SUBMIT:
        record(f"disclosure_{action}", request=request, user=user, department=application.department,
               target=f"disclosure.application:{application.pk}",
               details={"application": application.pk, **details})


@transaction.atomic
def submit(*, department, data: dict, token: str | None = None, ip: str | None = None,
           received_on: date | None = None) -> Application:
    """Record an application from the public; its clock starts on the day it arrives."""
    application = Application(department=department, submit_token=token, ip=ip,
                              received_on=received_on or today_in_shanghai(), **data)
    set_due_date(application)
    application.save()
    _log(application, ApplicationEvent.Action.SUBMIT, None, None)
    return application


def _require_open(application):
    if application.status == Application.Status.ANSWERED:
        raise ApplicationError("该申请已经答复，不能再办理")


@transaction.atomic
def extend(application, *, days: int, reason: str, user, request=None, on: date | None = None):
    require_head(user, application.department, "延长答复期限")
    on = on or today_in_shanghai()
    _require_open(application)
    if application.extension_days:
        raise ApplicationError("答复期限只能延长一次")
    if not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        raise ApplicationError(f"延长的期限为 1 至 {MAX_EXTENSION_WORKING_DAYS} 个工作日")
    if not reason.strip():
        raise ApplicationError("延期须填写理由")
    if application.due_date is None:
        raise ApplicationError("答复期限尚未确定（缺少日历），请先录入节假日安排")
    if on > application.due_date:
        raise ApplicationError("答复期限已过，不能再延期")
    application.extension_days = days
    application.extension_reason = reason.strip()
    set_due_date(application)
    application.save()
    due = f"{application.due_date:%Y-%m-%d}" if application.due_date else "待定"
    _log(application, ApplicationEvent.Action.EXTEND, user, request,
         note=f"延长 {days} 个工作日至 {due}：{reason.strip()}", days=days, reason=reason.strip(), due=due)


@transaction.atomic
def request_completion(application, *, text: str, user, request=None, on: date | None = None):
    on = on or today_in_shanghai()
    _require_open(application)
    if application.completion_requested_on is not None:
        raise ApplicationError("补正只能要求一次，需补正的内容应一次性告知申请人")
    if not text.strip():
        raise ApplicationError("请写明需要申请人补正的内容")
    last_day = completion_deadline(application)
    if last_day is None:
        raise ApplicationError(str(CalendarMissing(application.calendar_missing_year or on.year)))
    if on > last_day:
        raise ApplicationError(f"补正须在收到申请之日起 7 个工作日内提出（最迟 {last_day:%Y-%m-%d}）")
    if on < application.received_on:
        raise ApplicationError("补正日期不能早于收到申请的日期")
    application.status = Application.Status.AWAITING_COMPLETION
    application.completion_requested_on = on
    application.completion_request = text.strip()
    application.save()
    _log(application, ApplicationEvent.Action.COMPLETION_REQUEST, user, request,
         note=f"{on:%Y-%m-%d} 要求补正：{text.strip()}", on=f"{on:%Y-%m-%d}")


def _end_pause(application, on: date):
    if on < application.completion_requested_on:
        raise ApplicationError("补正到达日期不能早于要求补正的日期")
    try:
        waited = working_days_between(application.completion_requested_on, on)
    except CalendarMissing as missing:
        raise ApplicationError(str(missing)) from None
    application.paused_working_days += waited
    application.completion_received_on = on
    application.status = Application.Status.RECEIVED
    set_due_date(application)
    return waited


@transaction.atomic
def completion_received(application, *, user, request=None, on: date | None = None, text: str = ""):
    """The applicant's completion arrived (sent online with `text`, or by post and recorded by the
    department): the clock runs again, the due date moves on."""
    on = on or today_in_shanghai()
    if application.status != Application.Status.AWAITING_COMPLETION:
        raise ApplicationError("该申请没有在等待补正")
    waited = _end_pause(application, on)
    if text.strip():
        application.completion_text = text.strip()
    application.save()
    due = f"{application.due_date:%Y-%m-%d}" if application.due_date else "待定"
    _log(application, ApplicationEvent.Action.COMPLETION_RECEIVED, user, request,
         note=f"{on:%Y-%m-%d} 收到补正，暂停 {waited} 个工作日，答复期限顺延至 {due}", waited=waited, due=due)


@transaction.atomic
def decide(application, *, decision: str, reason: str = "", answer: str, user, request=None,
           on: date | None = None):
    require_head(user, application.department, "作出答复决定")
    on = on or today_in_shanghai()
    _require_open(application)
    if decision not in Decision.values:
        raise ApplicationError("请选择答复结果")
    if decision in DECISIONS_NEEDING_REASON and not reason.strip():
        raise ApplicationError(f"“{Decision(decision).label}”须写明理由和依据")
    if not answer.strip():
        raise ApplicationError("请填写答复内容")
    if on < application.received_on:
        raise ApplicationError("答复日期不能早于收到申请的日期")
    if application.status == Application.Status.AWAITING_COMPLETION:
        # An applicant who never completed the application: only 不予处理/其他 fit.
        if decision not in (Decision.NOT_PROCESSED, Decision.OTHER):
            raise ApplicationError("申请人尚未补正，只能作出“不予处理”或“其他处理”的答复")
        _end_pause(application, on)
    application.decision = decision
    application.decision_reason = reason.strip()
    application.answer = answer.strip()
    application.answered_on = on
    application.status = Application.Status.ANSWERED
    application.save()
    _log(application, ApplicationEvent.Action.DECIDE, user, request,
         note=f"{on:%Y-%m-%d} 答复：{Decision(decision).label}", decision=decision)


def recompute_open_deadlines() -> int:
    """The calendar was entered or corrected: count every open application's deadline again
    (the working days already spent waiting for 补正 stay as recorded). Returns how many changed."""
    changed = 0
    for application in Application.objects.exclude(status=Application.Status.ANSWERED):
        before = (application.due_date, application.calendar_missing_year)
        set_due_date(application)
        if (application.due_date, application.calendar_missing_year) != before:
            application.save(update_fields=["due_date", "calendar_missing_year"])
            changed += 1
    return changed
