"""Accounts (one row per official account) and their monthly figures."""

from django.core.exceptions import ValidationError
from django.db import models


class Account(models.Model):
    class Platform(models.TextChoices):
        WEIBO = "weibo", "微博"
        WECHAT = "wechat", "微信"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPERATING = "operating", "运营"
        CLOSED = "closed", "关停"

    platform = models.CharField("平台", max_length=10, choices=Platform.choices)
    platform_name = models.CharField(
        "平台名称", max_length=40, blank=True, help_text="平台为“其他”时填写，例如：抖音、今日头条、视频号"
    )
    name = models.CharField("账号名称", max_length=100)
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.PROTECT, related_name="+", verbose_name="主办单位"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPERATING)
    url = models.URLField("账号链接", max_length=500, blank=True)
    # The QR picture is small and shown inline on the public page: kept in the row, not as an upload
    # (department uploads are served only to what owns them in that department's schema).
    qr_image = models.BinaryField("二维码图片", blank=True, default=b"", editable=False)
    qr_content_type = models.CharField("二维码图片类型", max_length=20, blank=True, editable=False)
    opened_on = models.DateField("开设日期")
    closed_on = models.DateField("关停日期", null=True, blank=True)

    class Meta:
        ordering = ["platform", "department__name", "name"]
        verbose_name = verbose_name_plural = "政务新媒体账号"
        constraints = [
            models.UniqueConstraint(fields=["platform", "name"], name="newmedia_account_unique_per_platform"),
        ]

    def __str__(self):
        return f"{self.platform_label} · {self.name}"

    @property
    def platform_label(self) -> str:
        if self.platform == self.Platform.OTHER and self.platform_name:
            return self.platform_name
        return self.get_platform_display()

    def clean(self):
        errors = {}
        if self.status == self.Status.CLOSED and not self.closed_on:
            errors["closed_on"] = "状态为关停时请填写关停日期。"
        if self.status == self.Status.OPERATING and self.closed_on:
            errors["closed_on"] = "运营中的账号不应有关停日期；如已关停，请把状态改为关停。"
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = "关停日期不能早于开设日期。"
        if self.platform == self.Platform.OTHER and not self.platform_name:
            errors["platform_name"] = "平台为“其他”时请填写平台名称。"
        if errors:
            raise ValidationError(errors)


class MonthlyFigure(models.Model):
    """One account's figures of one month: what it published, and its followers at month end."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="figures", verbose_name="账号")
    month = models.DateField("月份", help_text="该月的第一天，例如 2026-03-01 表示 2026 年 3 月")
    posts = models.PositiveIntegerField("发布量")
    followers = models.PositiveIntegerField("关注/订阅量", help_text="月末的关注量或订阅数")

    class Meta:
        ordering = ["-month", "account"]
        verbose_name = verbose_name_plural = "政务新媒体月度数据"
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="newmedia_one_figure_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="newmedia_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.account.name} {self.month:%Y-%m}"

    def clean(self):
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)
