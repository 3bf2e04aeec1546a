"""Inspection results, in the public schema.

Findings are kept centrally, next to the departments they belong to, because the 区信息中心
compares departments (league table, daily digest, yearly report) without looping over schemas.
A finding is the same finding across runs when its (department, item, key) is the same; its
history records every change of state with who and why.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from portal.hookspecs import INSPECTION_ITEMS

ITEM_CHOICES = list(INSPECTION_ITEMS.items())


class InspectionRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name="单位", help_text="为空表示全部单位",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    pages_seen = models.PositiveIntegerField("已发现页面", default=0)
    pages_done = models.PositiveIntegerField("已检查页面", default=0)
    findings_found = models.PositiveIntegerField("发现问题", default=0)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="发起人",
    )
    message = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "巡检任务"
        verbose_name_plural = "巡检任务"
        ordering = ["-started_at", "-id"]

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.pages_seen:
            return 0
        return min(99, int(self.pages_done * 100 / self.pages_seen))


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        FIXED = "fixed", "已整改"
        IGNORED = "ignored", "已忽略"

    class Severity(models.TextChoices):
        VETO = "veto", "单项否决"
        SERIOUS = "serious", "严重"
        NORMAL = "normal", "一般"

    class Source(models.TextChoices):
        CHECK = "check", "数据检查"
        CRAWL = "crawl", "页面巡检"

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="inspection_findings", verbose_name="单位"
    )
    item = models.CharField("检查指标", max_length=32, choices=ITEM_CHOICES, db_index=True)
    key = models.CharField("问题标识", max_length=500)
    title = models.CharField("问题", max_length=500)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.CHECK)
    url = models.CharField("页面地址", max_length=1000, blank=True)
    edit_url = models.CharField("编辑地址", max_length=1000, blank=True)
    evidence = models.JSONField("证据", default=dict, blank=True)
    first_seen = models.DateTimeField("首次发现", default=timezone.now, db_index=True)
    last_seen = models.DateTimeField("最近发现", default=timezone.now)
    fix_claimed_at = models.DateTimeField("报告已整改时间", null=True, blank=True)
    fixed_at = models.DateTimeField("整改确认时间", null=True, blank=True)
    ignored_reason = models.CharField("忽略原因", max_length=500, blank=True)
    last_run = models.ForeignKey(InspectionRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "巡检问题"
        verbose_name_plural = "巡检问题"
        ordering = ["department__sort_order", "item", "-first_seen", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "item", "key"], name="unique_inspection_finding")
        ]

    def __str__(self):
        return f"{self.department} · {self.item_label} · {self.title}"

    @property
    def item_label(self) -> str:
        return INSPECTION_ITEMS.get(self.item, self.item)


class FindingEvent(models.Model):
    class Action(models.TextChoices):
        FOUND = "found", "发现"
        REOPENED = "reopened", "再次发现"
        CLAIMED = "claimed", "报告已整改"
        STILL_PRESENT = "still_present", "复查仍存在"
        FIXED = "fixed", "复查确认已整改"
        IGNORED = "ignored", "忽略"
        UNIGNORED = "unignored", "取消忽略"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events", verbose_name="问题")
    time = models.DateTimeField("时间", default=timezone.now)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="操作人",
    )
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "问题记录"
        verbose_name_plural = "问题记录"
        ordering = ["time", "id"]


class IgnoreRule(models.Model):
    """Links the centre decided not to report: a URL pattern (`*` matches anything), optionally
    only for one HTTP status. A rule without a status means the link is not checked at all."""

    url_pattern = models.CharField("网址模式", max_length=500, help_text="可用 * 通配，例如 https://example.gov.cn/*")
    status = models.PositiveIntegerField("HTTP 状态码", null=True, blank=True, help_text="留空表示不检查该网址")
    reason = models.CharField("原因", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "链接忽略规则"
        verbose_name_plural = "链接忽略规则"
        ordering = ["url_pattern", "id"]

    def __str__(self):
        return self.url_pattern


class TrustedInternalHost(models.Model):
    """An internal host the crawler may check links to. Links pointing into a private network
    (loopback, 10.x, 169.254.x …) are refused, since editors write links; the centre lists here,
    with a reason, the few internal hosts that public pages legitimately link to."""

    host = models.CharField("主机", max_length=255, unique=True,
                            help_text="域名或 IP 地址，可带端口，例如 oa.example.gov.cn 或 10.1.2.3:8080")
    reason = models.CharField("原因", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "内网地址白名单"
        verbose_name_plural = "内网地址白名单"
        ordering = ["host", "id"]

    def __str__(self):
        return self.host


class LinkCheck(models.Model):
    """The last answer of an external URL; reused for a day so other sites are not hammered."""

    url = models.CharField("网址", max_length=1000, unique=True)
    status = models.PositiveIntegerField("HTTP 状态码", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    checked_at = models.DateTimeField("检查时间", default=timezone.now)

    class Meta:
        verbose_name = "外部链接检查"
        verbose_name_plural = "外部链接检查"

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and self.status < 400


class AvailabilityProbe(models.Model):
    """One load of a site's homepage (站点无法访问: ≥20 a day, a failure after 15 s)."""

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="+", verbose_name="单位"
    )
    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    ok = models.BooleanField("成功")
    status = models.PositiveIntegerField("HTTP 状态码", null=True, blank=True)
    seconds = models.FloatField("耗时（秒）", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "可用性探测"
        verbose_name_plural = "可用性探测"
        ordering = ["-time", "-id"]


class FalseInformationFlag(models.Model):
    """虚假信息 (第十八条(三)): a central administrator records it with the evidence."""

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="+", verbose_name="单位"
    )
    title = models.CharField("虚假信息", max_length=300)
    url = models.CharField("页面地址", max_length=1000, blank=True)
    evidence = models.TextField("证据", max_length=3000)
    date = models.DateField("发现日期", default=timezone.localdate)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="记录人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "虚假信息记录"
        verbose_name_plural = "虚假信息记录"
        ordering = ["-date", "-id"]


class Bulletin(models.Model):
    """The yearly 通报 (第十七–十八条): drafted by the 区信息中心 from the performance report,
    approved or returned by the 区政府办公室, and on approval published on the portal.

    The text and the PDF are kept as they were submitted, so the office approves exactly what
    goes out; the PDF is kept here (public schema) rather than as a file of some department.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审批"
        RETURNED = "returned", "已退回"
        PUBLISHED = "published", "已发布"

    year = models.PositiveIntegerField("年度", unique=True)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文", help_text="每段一行")
    pdf = models.BinaryField("PDF 文件", editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="起草人")
    drafted_at = models.DateTimeField("起草时间", default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="报送人")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # The page on the portal (its schema): kept so that a publish held by the 保密 gate is retried
    # on the same draft page, and so the bulletin links to what the public reads.
    page_id = models.PositiveIntegerField("门户页面", null=True, blank=True, editable=False)
    page_url = models.CharField("门户页面地址", max_length=500, blank=True)

    class Meta:
        verbose_name = "年度通报"
        verbose_name_plural = "年度通报"
        ordering = ["-year"]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]

    @property
    def filename(self) -> str:
        return f"{self.year}年度政府网站绩效评估通报.pdf"


class BulletinEvent(models.Model):
    """A step of the 通报 with who, when and the comment (the office's reasons for a return)."""

    class Action(models.TextChoices):
        DRAFTED = "drafted", "起草"
        EDITED = "edited", "修改正文"
        SUBMITTED = "submitted", "报送审批"
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "审批通过"
        PUBLISHED = "published", "发布"
        HELD = "held", "发布被保密检查拦截"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="events", verbose_name="通报")
    time = models.DateTimeField("时间", default=timezone.now)
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="操作人")
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "通报处理记录"
        verbose_name_plural = "通报处理记录"
        ordering = ["time", "id"]


class Rectification(models.Model):
    """The 整改 a department named for a criticism owes: due `RECTIFICATION_DAYS` after the
    通报 is published; what was fixed and the evidence, filed by the department's people."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="rectifications",
                                 verbose_name="通报")
    department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="+",
                                   verbose_name="单位")
    criticisms = models.JSONField("通报批评的情形", default=list)
    due_date = models.DateField("整改期限", null=True, blank=True)
    text = models.TextField("整改情况", blank=True)
    evidence = models.BinaryField("佐证材料", null=True, blank=True, editable=False)
    evidence_name = models.CharField("佐证材料文件名", max_length=200, blank=True)
    evidence_type = models.CharField("佐证材料类型", max_length=100, blank=True)
    filed_at = models.DateTimeField("提交时间", null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="提交人")

    class Meta:
        verbose_name = "通报整改"
        verbose_name_plural = "通报整改"
        ordering = ["bulletin", "department__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "department"], name="unique_rectification")]

    def __str__(self):
        return f"{self.bulletin.year}年度通报 · {self.department}"

    @property
    def filed_date(self):
        return timezone.localdate(self.filed_at) if self.filed_at else None

    def days_late(self, today=None) -> int:
        """Days past the deadline: at filing if filed, else up to today (0 when on time)."""
        if self.due_date is None:
            return 0
        day = self.filed_date or today or timezone.localdate()
        return max(0, (day - self.due_date).days)

    @property
    def state(self) -> str:
        if self.due_date is None:
            return "未发布"
        if self.filed_at:
            return "超期提交" if self.days_late() else "按期提交"
        return "超期未提交" if self.days_late() else "待提交"

    @property
    def late(self) -> bool:
        return self.due_date is not None and self.days_late() > 0


class BulletinReminder(models.Model):
    """The March reminder that the previous year's 通报 is not published, sent once a year."""

    year = models.PositiveIntegerField("通报年度", unique=True)
    sent_at = models.DateTimeField("提醒时间", default=timezone.now)
    recipients = models.JSONField("收件人", default=list)

    class Meta:
        verbose_name = "通报提醒"
        verbose_name_plural = "通报提醒"
