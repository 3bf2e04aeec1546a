"""What can happen to a letter; each step writes a LetterEvent and the audit log."""

from django.db import transaction
from django.utils import timezone
from portal.audit.log import record
from portal.plugins import documents_changed
from portal.workcalendar.service import CalendarMissing, add_working_days, explain

from .models import Letter, LetterEvent, Reply

REPLY_WORKING_DAYS = 5


class MailboxError(Exception):
    """An action that is not allowed in the letter's state; the message is shown to the person."""


def received_date(letter):
    return timezone.localdate(letter.received_at)


def set_due_date(letter) -> None:
    """5 working days from the day of receipt, plus granted extensions; a year without a
    schedule is flagged, not guessed."""
    try:
        letter.due_date = add_working_days(received_date(letter), REPLY_WORKING_DAYS + letter.extension_days)
        letter.calendar_missing_year = None
    except CalendarMissing as missing:
        letter.due_date = None
        letter.calendar_missing_year = missing.year


def deadline_explanation(letter) -> str:
    try:
        text = explain(received_date(letter), REPLY_WORKING_DAYS)
    except CalendarMissing as missing:
        return str(missing)
    if letter.extension_days:
        text += f"；经批准延长 {letter.extension_days} 个工作日，期限为 {letter.due_date:%Y-%m-%d}"
    return text


def submit(*, token, ip, **fields) -> Letter:
    """A new letter from the public, with its deadline counted from today. A year without a
    schedule alerts the centre at once (after the commit)."""
    letter = Letter(submit_token=token, ip=ip, **fields)
    set_due_date(letter)
    letter.save()
    if letter.calendar_missing:
        from .notifications import calendar_missing_alert

        transaction.on_commit(lambda: calendar_missing_alert([letter]))
    return letter


def recompute_open_deadlines() -> int:
    """The calendar changed: count the deadline of every open letter again. Returns how many
    due dates (or calendar-missing flags) changed."""
    changed = 0
    for letter in Letter.objects.filter(status__in=[Letter.Status.RECEIVED, Letter.Status.FORWARDED]):
        before = (letter.due_date, letter.calendar_missing_year)
        set_due_date(letter)
        if (letter.due_date, letter.calendar_missing_year) != before:
            letter.save(update_fields=["due_date", "calendar_missing_year"])
            changed += 1
    return changed


def _audit(event, request, letter, **details):
    record(event, request=request, target=f"mailbox.letter:{letter.pk}", details={"letter": letter.pk, **details})


@transaction.atomic
def forward(letter, department, user, request=None, reason=""):
    if letter.status not in (Letter.Status.RECEIVED, Letter.Status.FORWARDED):
        raise MailboxError("该来信当前状态不能转办")
    previous = letter.department
    action = LetterEvent.Action.TRANSFER if letter.status == Letter.Status.FORWARDED else LetterEvent.Action.FORWARD
    if action == LetterEvent.Action.TRANSFER and not reason.strip():
        raise MailboxError("改派须填写原因")
    # A draft of the previous department is not the new department's to approve.
    Reply.objects.filter(letter=letter, approved_at__isnull=True).exclude(department=department).delete()
    letter.department = department
    letter.status = Letter.Status.FORWARDED
    set_due_date(letter)
    letter.save()
    LetterEvent.objects.create(
        letter=letter, actor=user, action=action, from_department=previous, to_department=department, reason=reason
    )
    _audit(f"mailbox_{action}", request, letter, to=department.host_prefix, reason=reason)


@transaction.atomic
def close(letter, reason, user, request=None):
    if not reason.strip():
        raise MailboxError("关闭来信须填写原因")
    if letter.status in (Letter.Status.CLOSED, Letter.Status.REPLIED, Letter.Status.PUBLISHED):
        raise MailboxError("该来信当前状态不能关闭")
    letter.status = Letter.Status.CLOSED
    letter.close_reason = reason
    letter.save()
    LetterEvent.objects.create(letter=letter, actor=user, action=LetterEvent.Action.CLOSE,
                               from_department=letter.department, reason=reason)
    _audit("mailbox_close", request, letter, reason=reason)


@transaction.atomic
def draft_reply(letter, text, user, request=None) -> Reply:
    if letter.status != Letter.Status.FORWARDED or letter.department is None:
        raise MailboxError("只有已转办、尚未答复的来信可以起草答复")
    if not text.strip():
        raise MailboxError("答复内容不能为空")
    reply = Reply.objects.filter(letter=letter, approved_at__isnull=True).first()
    if reply is None:
        reply = Reply(letter=letter, department=letter.department)
    reply.department = letter.department
    reply.text = text
    reply.drafted_by = user
    reply.drafted_at = timezone.now()
    reply.save()
    LetterEvent.objects.create(letter=letter, actor=user, action=LetterEvent.Action.REPLY,
                               from_department=letter.department)
    _audit("mailbox_reply", request, letter, reply=reply.pk)
    return reply


@transaction.atomic
def approve(letter, user, request=None) -> Reply:
    reply = Reply.objects.select_for_update().filter(letter=letter, approved_at__isnull=True).first()
    if letter.status != Letter.Status.FORWARDED or reply is None:
        raise MailboxError("没有待审核的答复")
    reply.approved_by = user
    reply.approved_at = timezone.now()
    reply.save()
    letter.status = Letter.Status.REPLIED
    letter.save()
    LetterEvent.objects.create(letter=letter, actor=user, action=LetterEvent.Action.APPROVE,
                               from_department=letter.department)
    _audit("mailbox_approve", request, letter, reply=reply.pk)
    return reply


@transaction.atomic
def publish(letter, user, request=None):
    """Show a replied letter publicly (without personal data); only if the writer allowed it."""
    if letter.status != Letter.Status.REPLIED:
        raise MailboxError("只有已答复的来信可以公开")
    if not letter.may_publish:
        raise MailboxError("来信人未同意公开，不能公开")
    letter.status = Letter.Status.PUBLISHED
    letter.save()
    LetterEvent.objects.create(letter=letter, actor=user, action=LetterEvent.Action.PUBLISH,
                               from_department=letter.department)
    _audit("mailbox_publish", request, letter)
    documents_changed(letter.department)


@transaction.atomic
def extend(letter, days, reason, user, request=None):
    """Move the due date `days` working days later, with the reason recorded (central approval)."""
    if letter.status != Letter.Status.FORWARDED:
        raise MailboxError("只有已转办、尚未答复的来信可以延期")
    if not reason.strip():
        raise MailboxError("延期须填写原因")
    if letter.due_date is None:
        raise MailboxError("答复期限尚未确定（缺少日历），请先录入节假日安排")
    old_due = letter.due_date
    letter.extension_days += days
    letter.extension_requested_days = None
    letter.extension_request_reason = ""
    set_due_date(letter)
    if letter.due_date is None:
        raise MailboxError(f"缺少 {letter.calendar_missing_year} 年的节假日安排，请先录入后再延期")
    letter.save()
    new_due = letter.due_date
    LetterEvent.objects.create(letter=letter, actor=user, action=LetterEvent.Action.EXTEND,
                               from_department=letter.department,
                               reason=f"{reason}（{old_due:%Y-%m-%d} 延至 {new_due:%Y-%m-%d}）")
    _audit("mailbox_extend", request, letter, days=days, reason=reason, due=f"{new_due:%Y-%m-%d}")


@transaction.atomic
def request_extension(letter, days, reason, user, request=None):
    """The department asks for more time; the centre decides (extend or deny_extension)."""
    if letter.status != Letter.Status.FORWARDED:
        raise MailboxError("只有已转办、尚未答复的来信可以申请延期")
    if not reason.strip():
        raise MailboxError("申请延期须填写理由")
    if letter.extension_requested_days:
        raise MailboxError("已有一份延期申请等待区信息中心审批")
    letter.extension_requested_days = days
    letter.extension_request_reason = reason
    letter.save(update_fields=["extension_requested_days", "extension_request_reason"])
    LetterEvent.objects.create(letter=letter, actor=user, action=LetterEvent.Action.ASK_EXTENSION,
                               from_department=letter.department, reason=f"申请延长 {days} 个工作日：{reason}")
    _audit("mailbox_ask_extension", request, letter, days=days, reason=reason)


@transaction.atomic
def deny_extension(letter, reason, user, request=None):
    if not letter.extension_requested_days:
        raise MailboxError("没有待审批的延期申请")
    if not reason.strip():
        raise MailboxError("驳回延期申请须填写理由")
    letter.extension_requested_days = None
    letter.extension_request_reason = ""
    letter.save(update_fields=["extension_requested_days", "extension_request_reason"])
    LetterEvent.objects.create(letter=letter, actor=user, action=LetterEvent.Action.DENY_EXTENSION,
                               from_department=letter.department, reason=reason)
    _audit("mailbox_deny_extension", request, letter, reason=reason)
