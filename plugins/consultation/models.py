"""Consultations and surveys of one department, in the department's own schema.

Living in the department's schema, every change (a consultation opened, an opinion approved, a
result published) makes that department's cached pages stale, including the 互动交流 column that
lists them, and nothing else's.
"""

import secrets

from django.db import models
from django.utils import timezone


class Consultation(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", "意见征集"
        SURVEY = "survey", "问卷调查"

    class Phase(models.TextChoices):
        DRAFT = "draft", "未发布"
        UPCOMING = "upcoming", "未开始"
        OPEN = "open", "正在征集"
        CLOSED = "closed", "已结束"
        RESULT = "result", "已反馈结果"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.OPINION)
    title = models.CharField("标题", max_length=200)
    draft = models.TextField("征集稿或调查说明", max_length=50000,
                             help_text="意见征集填写草案全文；问卷调查填写调查说明")
    purpose = models.TextField("征集目的", max_length=2000)
    usage = models.TextField("意见采纳方式", max_length=2000, help_text="收到的意见如何处理、采纳情况如何反馈")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # The phase the public pages last showed; a scheduled job moves it at the start and the end,
    # so cached pages follow the clock (the forms always check the real time).
    phase = models.CharField("阶段", max_length=16, choices=Phase.choices, default=Phase.DRAFT, editable=False)
    result_received = models.PositiveIntegerField("收到意见数", null=True, blank=True)
    result_adopted = models.PositiveIntegerField("采纳意见数", null=True, blank=True)
    result_reasons = models.TextField("采纳情况及理由", max_length=20000, blank=True)
    result_published_at = models.DateTimeField("结果反馈时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "征集调查"
        verbose_name_plural = "征集调查"
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.title

    def current_phase(self, now=None) -> str:
        now = now or timezone.now()
        if self.published_at is None:
            return self.Phase.DRAFT
        if self.result_published_at is not None:
            return self.Phase.RESULT
        if now < self.starts_at:
            return self.Phase.UPCOMING
        if now < self.ends_at:
            return self.Phase.OPEN
        return self.Phase.CLOSED

    @property
    def is_open(self) -> bool:
        return self.current_phase() == self.Phase.OPEN

    @property
    def phase_label(self) -> str:
        return self.Phase(self.current_phase()).label

    @property
    def is_survey(self) -> bool:
        return self.kind == self.Kind.SURVEY

    def save(self, *args, **kwargs):
        self.phase = self.current_phase()
        super().save(*args, **kwargs)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选题"
        MULTIPLE = "multiple", "多选题"
        TEXT = "text", "问答题"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions",
                                     verbose_name="问卷")
    kind = models.CharField("题型", max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField("题目", max_length=300)
    options = models.TextField("选项", blank=True, max_length=3000, help_text="单选题和多选题每行填写一个选项")
    required = models.BooleanField("必答", default=True)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "调查题目"
        verbose_name_plural = "调查题目"
        ordering = ["order", "id"]

    def __str__(self):
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


def new_reference() -> str:
    return secrets.token_hex(6).upper()


class Submission(models.Model):
    """One opinion (意见征集) or one filled-in questionnaire (问卷调查) from the public."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="submissions",
                                     verbose_name="征集调查")
    name = models.CharField("姓名", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    content = models.TextField("意见内容", max_length=5000, blank=True)
    answers = models.JSONField("答卷", default=dict, blank=True)
    status = models.CharField("审核状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    moderation_note = models.CharField("审核说明", max_length=300, blank=True)
    moderated_by = models.CharField("审核人", max_length=150, blank=True)
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    reference = models.CharField("回执编号", max_length=16, unique=True, default=new_reference, editable=False)
    submit_token = models.CharField("提交令牌", max_length=64, unique=True, null=True, blank=True, editable=False)
    ip = models.GenericIPAddressField("提交 IP", null=True, blank=True)

    class Meta:
        verbose_name = "意见和答卷"
        verbose_name_plural = "意见和答卷"
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return self.reference

    @property
    def public_content(self) -> str:
        """The opinion as the public sees it: without the writer's name or numbers."""
        from portal.governance.scanning import redact_personal_data

        return redact_personal_data(self.content, names=(self.name,))
