"""Interviews and the public's questions, in the public schema.

An interview belongs to the department whose site hosts it; keeping the rows in the public
schema lets the 工作台's central view, the yearly figures and the statistics count every
department in one query instead of a loop over schemas.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Interview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "未发布"
        UPCOMING = "upcoming", "预告"
        LIVE = "live", "正在直播"
        ENDED = "ended", "已结束"

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.PROTECT, related_name="interviews", verbose_name="主办单位",
    )
    title = models.CharField("访谈主题", max_length=120)
    # [{"name": "张三", "title": "区教育局局长"}, …] in the order they are introduced.
    guests = models.JSONField("访谈嘉宾", default=list, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    introduction = models.TextField("访谈简介", max_length=3000, blank=True)
    picture = models.ImageField("访谈图片", upload_to="interviews/", blank=True)
    picture_alt = models.CharField("图片说明", max_length=120, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "在线访谈"
        verbose_name_plural = "在线访谈"
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def accepts_questions(self) -> bool:
        """The public asks before the interview and while it runs, not after."""
        return self.status in (self.Status.UPCOMING, self.Status.LIVE)

    @property
    def guest_line(self) -> str:
        return "、".join(f"{guest['title']}{guest['name']}" for guest in self.guests)

    def transcript(self):
        return self.questions.filter(status=Question.Status.PUBLISHED).order_by("published_at", "id")


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已发布"
        REJECTED = "rejected", "不予发布"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="questions", verbose_name="访谈")
    nickname = models.CharField("网名", max_length=30)
    text = models.TextField("提问内容", max_length=500)
    submitted_at = models.DateTimeField("提问时间", default=timezone.now)
    ip = models.GenericIPAddressField("提问 IP", null=True, blank=True)
    submit_token = models.CharField("提交令牌", max_length=64, unique=True, null=True, blank=True, editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField("答复内容", max_length=5000, blank=True)
    answered_by = models.CharField("答复嘉宾", max_length=120, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="审核人",
    )

    class Meta:
        verbose_name = "网民提问"
        verbose_name_plural = "网民提问"
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["interview", "status", "published_at"], name="interview_transcript")]

    def __str__(self):
        return self.text[:30]
