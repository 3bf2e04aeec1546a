"""Letters of the citizen mailbox, in the public schema (the centre triages across departments)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# Letters without ambiguous characters (no 0/O, 1/I/L), so a code read aloud is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def centre_department():
    """Where a letter nobody has forwarded yet is counted: the 区信息中心 holds it, and the centre
    runs the portal, so its figures, findings and overdue count go to the portal's row."""
    from tenants.models import Department

    return Department.objects.filter(kind=Department.Kind.PORTAL).order_by("id").first()


class LetterQuerySet(models.QuerySet):
    """The one definition of an open, an overdue and a held letter, for every screen and figure.

    The 5-working-day clock runs from receipt whoever holds the letter: a letter the centre has
    not forwarded is as late as one a department has not answered."""

    def open(self):
        return self.filter(status__in=[Letter.Status.RECEIVED, Letter.Status.FORWARDED])

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def held_by(self, department):
        """The letters `department` answers for: its own, and for the centre's portal also the
        letters not forwarded to anyone yet."""
        centre = centre_department()
        if centre is not None and department.pk == centre.pk:
            return self.filter(models.Q(department=department) | models.Q(department__isnull=True))
        return self.filter(department=department)


class Letter(models.Model):
    class Kind(models.TextChoices):
        CONSULT = "consult", "咨询"
        SUGGEST = "suggest", "建议"
        COMPLAINT = "complaint", "投诉"
        HELP = "help", "求助"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        RECEIVED = "received", "已收到"
        FORWARDED = "forwarded", "已转办"
        REPLIED = "replied", "已答复"
        PUBLISHED = "published", "已公开"
        CLOSED = "closed", "已关闭"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.CONSULT)
    subject = models.CharField("标题", max_length=100)
    content = models.TextField("内容", max_length=3000)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    may_publish = models.BooleanField("同意公开", default=False)
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="mailbox_letters", verbose_name="承办单位",
    )
    query_code = models.CharField("查询码", max_length=16, unique=True, default=new_query_code, editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    close_reason = models.CharField("关闭原因", max_length=500, blank=True)
    received_at = models.DateTimeField("收信时间", default=timezone.now)
    due_date = models.DateField("答复期限", null=True, blank=True)
    calendar_missing_year = models.PositiveIntegerField("缺少日历的年份", null=True, blank=True)
    extension_days = models.PositiveIntegerField("已延长工作日", default=0)
    extension_requested_days = models.PositiveIntegerField("申请延长工作日", null=True, blank=True)
    extension_request_reason = models.CharField("延期申请理由", max_length=400, blank=True)
    submit_token = models.CharField("提交令牌", max_length=64, unique=True, null=True, blank=True, editable=False)
    ip = models.GenericIPAddressField("来信 IP", null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "来信"
        verbose_name_plural = "来信"
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.subject

    @property
    def calendar_missing(self) -> bool:
        return self.calendar_missing_year is not None

    @property
    def is_overdue(self) -> bool:
        """Open (with the centre or a department) and not answered by the end of its due date (the
        site's time zone, Beijing)."""
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def holder_name(self) -> str:
        """Who must act now: the department it was forwarded to, or the centre."""
        return self.department.name if self.department_id else "区信息中心（待转办）"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.FORWARDED)

    def public_text(self, text: str) -> str:
        """`text` without the writer's name, contacts or other personal numbers."""
        from portal.governance.scanning import redact_personal_data

        return redact_personal_data(text, names=(self.name,))

    @property
    def public_subject(self) -> str:
        return self.public_text(self.subject)

    @property
    def public_content(self) -> str:
        return self.public_text(self.content)

    def published_reply(self):
        """The latest approved reply; reads prefetched replies when the caller prefetched them."""
        approved = [reply for reply in self.replies.all() if reply.approved_at is not None]
        return max(approved, key=lambda reply: reply.approved_at, default=None)


def letter_departments():
    """The units a letter can be forwarded to and counted for: the portal's office, bureaus, towns."""
    from tenants.models import Department

    return Department.sites().order_by("sort_order", "id")


class LetterEvent(models.Model):
    class Action(models.TextChoices):
        FORWARD = "forward", "转办"
        TRANSFER = "transfer", "改派"
        REPLY = "reply", "起草答复"
        APPROVE = "approve", "审核发送"
        CLOSE = "close", "关闭"
        ASK_EXTENSION = "ask_extension", "申请延期"
        DENY_EXTENSION = "deny_extension", "驳回延期申请"
        EXTEND = "extend", "批准延期"
        PUBLISH = "publish", "公开"

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events", verbose_name="来信")
    time = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="操作人"
    )
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    from_department = models.ForeignKey(
        "tenants.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="原单位"
    )
    to_department = models.ForeignKey(
        "tenants.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="新单位"
    )
    reason = models.CharField("原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["time", "id"]


class Reply(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="replies", verbose_name="来信")
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.PROTECT, related_name="+", verbose_name="答复单位"
    )
    text = models.TextField("答复内容", max_length=5000)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="起草人"
    )
    drafted_at = models.DateTimeField("起草时间", default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="审核人",
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)

    @property
    def public_text(self) -> str:
        """The reply as the public and the search index see it: masked like the letter (a reply
        often quotes the writer's name, number or address back)."""
        return self.letter.public_text(self.text)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["-drafted_at", "-id"]
