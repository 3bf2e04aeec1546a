"""What the centre keeps: backups (one row per archive), the 值班表 and the 事件记录."""

from django.db import models
from django.utils import timezone


class Backup(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        OK = "ok", "成功"
        FAILED = "failed", "失败"

    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    path = models.CharField("文件", max_length=500, blank=True)
    size = models.BigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    verified = models.BooleanField("已校验", default=False)
    error = models.TextField("错误", blank=True)
    manifest = models.JSONField("清单", default=dict, blank=True)
    deleted_at = models.DateTimeField("按保留规则删除于", null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = "备份"

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class DutyShift(models.Model):
    """Who keeps the centre's 24-hour watch (第十六条) on which days: one person, one date or a
    range of dates, 主班 or 副班. Holidays and sensitive periods are rostered like any other day;
    the note says which they are."""

    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", blank=True, help_text="留空表示只值开始日期当天")
    person = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="duty_shifts", verbose_name="值班人员",
        limit_choices_to={"is_active": True},
        help_text="告警邮件发送到此人账号中的电子邮箱，请确认已填写",
    )
    role = models.CharField("岗位", max_length=20, default="主班", help_text="例如：主班、副班、带班领导")
    note = models.CharField("说明", max_length=200, blank=True, help_text="例如：国庆节假日、重要时期加强值守")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "role", "id"]
        verbose_name = verbose_name_plural = "值班表"
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="duty_shift_ends_after_it_starts"),
        ]

    def __str__(self):
        days = f"{self.start_date:%Y-%m-%d}" if self.end_date == self.start_date else \
            f"{self.start_date:%Y-%m-%d} 至 {self.end_date:%Y-%m-%d}"
        return f"{days} {self.role} {self.person.full_name or self.person.get_username()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.end_date is None:
            self.end_date = self.start_date
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期，请修改"})

    def save(self, *args, **kwargs):
        if self.end_date is None:
            self.end_date = self.start_date
        super().save(*args, **kwargs)


class Incident(models.Model):
    """One entry of the 事件记录: what happened, when it was detected, who acknowledged it and who
    resolved it how. `key` names the condition (e.g. `site_down:jyj`), so a continuing outage is
    one open incident however many probes see it; once resolved, the same condition coming back
    is a new incident."""

    class Kind(models.TextChoices):
        SITE_DOWN = "site_down", "网站无法访问"
        TAMPER = "tamper", "网页被篡改"
        PUBLISH_FAILURE = "publish_failure", "发布失败"
        SEARCH_PUSH_FAILURE = "search_push_failure", "检索推送失败"
        BACKUP_FAILURE = "backup_failure", "备份失败"
        OTHER = "other", "其他"

    kind = models.CharField("类型", max_length=24, choices=Kind.choices, default=Kind.OTHER)
    key = models.CharField("事件标识", max_length=200, editable=False)
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="单位", help_text="与某个网站有关时选择；全平台的事件留空",
    )
    title = models.CharField("事件", max_length=300)
    details = models.TextField("详细情况", blank=True)
    detected_at = models.DateTimeField("发现时间", default=timezone.now, editable=False)
    last_seen_at = models.DateTimeField("最近一次发现", default=timezone.now, editable=False)
    occurrences = models.PositiveIntegerField("发现次数", default=1, editable=False)
    reported_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="登记人", editable=False, help_text="为空表示系统自动发现",
    )
    notified = models.JSONField("已通知", default=list, blank=True, editable=False)
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="确认人", editable=False,
    )
    resolved_at = models.DateTimeField("处置完成时间", null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="处置人", editable=False, help_text="处置完成而处置人为空表示系统检测到已恢复",
    )
    resolution = models.TextField("处置情况", blank=True, editable=False)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = verbose_name_plural = "事件记录"
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=models.Q(resolved_at__isnull=True),
                                    name="one_open_incident_per_key"),
        ]

    def __str__(self):
        return self.title

    @property
    def status_label(self) -> str:
        if self.resolved_at:
            return "已处置"
        return "处置中" if self.acknowledged_at else "未确认"

    @property
    def resolved_by_label(self) -> str:
        if not self.resolved_at:
            return ""
        if self.resolved_by is None:
            return "系统（已自动恢复）"
        return self.resolved_by.full_name or self.resolved_by.get_username()


class FailureStreak(models.Model):
    """How many times in a row a repeated check has failed (a site's 5-minute probe, a
    department's scheduled publishing): one failure is noise, a streak is an incident."""

    key = models.CharField("检查标识", max_length=200, unique=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    first_failed_at = models.DateTimeField("首次失败", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "连续失败计数"
