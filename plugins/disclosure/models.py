"""The public-schema side of the disclosure catalogue.

- `IndexCounter` / `IndexNumber`: 索引号 (index number, `机构代码/年份-5位流水号`) are counted per
  department and year here, so numbers are unique across the platform and never reused even when
  an entry is deleted.
- `CatalogueItem`: the projection of every live catalogue entry of every department, kept in step
  with publishing (like `portal.PublishedItem`), so the portal's central catalogue lists and
  filters all departments without visiting their schemas.
"""

from django.db import models

from .topics import TOPIC_NAMES, topic_choices


class Genre(models.TextChoices):
    """体裁 (kind of document)."""

    NOTICE = "notice", "通知"
    ANNOUNCEMENT = "announcement", "公告"
    DECISION = "decision", "决定"
    OPINION = "opinion", "意见"
    MEASURES = "measures", "办法"
    PROVISIONS = "provisions", "规定"
    REPORT = "report", "报告"
    OTHER = "other", "其他"


class Validity(models.TextChoices):
    """有效性: an expired or repealed document stays in the catalogue, clearly marked."""

    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class IndexCounter(models.Model):
    """The last 流水号 given out by a department in a year (locked while the next one is taken)."""

    department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("年份")
    last_sequence = models.PositiveIntegerField("最后流水号", default=0)

    class Meta:
        verbose_name = "索引号计数器"
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="disclosure_counter_unique")]


class IndexNumber(models.Model):
    """The 索引号 an entry received on its first publishing; it keeps it for good."""

    department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="+")
    page_id = models.PositiveIntegerField("页面编号")
    year = models.PositiveIntegerField("年份")
    sequence = models.PositiveIntegerField("流水号")
    index_number = models.CharField("索引号", max_length=40, unique=True)
    assigned_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "索引号"
        constraints = [
            models.UniqueConstraint(fields=["department", "page_id"], name="disclosure_number_per_page"),
            models.UniqueConstraint(fields=["department", "year", "sequence"], name="disclosure_number_sequence"),
        ]


class CatalogueItem(models.Model):
    """One live catalogue entry, as the central catalogue lists and filters it."""

    department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="catalogue_items")
    page_id = models.PositiveIntegerField("页面编号")
    index_number = models.CharField("索引号", max_length=40, db_index=True)
    title = models.CharField("名称", max_length=255)
    summary = models.TextField("内容概述", blank=True)
    publisher = models.CharField("发布机构", max_length=100)
    document_date = models.DateField("成文日期", null=True, blank=True)
    publish_time = models.DateTimeField("发布日期", db_index=True)
    year = models.PositiveIntegerField("年份", db_index=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    topic = models.CharField("主题分类", max_length=8, choices=topic_choices(), db_index=True)
    genre = models.CharField("体裁", max_length=16, choices=Genre.choices, db_index=True)
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, db_index=True)
    validity_date = models.DateField("失效/废止日期", null=True, blank=True)
    replaced_by_title = models.CharField("替代文件", max_length=255, blank=True)
    replaced_by_url = models.CharField("替代文件地址", max_length=500, blank=True)
    keywords = models.CharField("主题词", max_length=200, blank=True)
    url = models.CharField("地址", max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "公开目录条目"
        verbose_name_plural = "公开目录条目"
        ordering = ["-publish_time", "-id"]
        constraints = [models.UniqueConstraint(fields=["department", "page_id"], name="disclosure_item_per_page")]
        indexes = [
            models.Index(fields=["department", "-publish_time"], name="disclosure_item_dept_time"),
            models.Index(fields=["year", "-publish_time"], name="disclosure_item_year_time"),
        ]

    def __str__(self):
        return f"{self.index_number} {self.title}"

    @property
    def topic_name(self) -> str:
        return TOPIC_NAMES.get(self.topic, self.topic)


# ----------------------------------------------------------------------------------------------
# 依申请公开: applications and what happened to them
# ----------------------------------------------------------------------------------------------

# Letters without ambiguous characters (no 0/O, 1/I/L), so a code read aloud is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_query_code() -> str:
    import secrets

    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


class ApplicantType(models.TextChoices):
    """The applicant columns of the national annual report table (申请人情况)."""

    PERSON = "person", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORGANISATION = "other_organisation", "其他组织"


class Delivery(models.TextChoices):
    EMAIL = "email", "电子邮件"
    POST = "post", "邮寄纸质文本"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上查询答复"


class Decision(models.TextChoices):
    """The results of the national annual report table (本年度办理结果)."""

    DISCLOSE = "disclose", "予以公开"
    PARTIAL = "partial", "部分公开"
    REFUSE = "refuse", "不予公开"
    UNAVAILABLE = "unavailable", "无法提供"
    NOT_PROCESSED = "not_processed", "不予处理"
    OTHER = "other", "其他处理"


# A decision other than full disclosure must say why (《政府信息公开条例》第三十六条).
DECISIONS_NEEDING_REASON = {Decision.PARTIAL, Decision.REFUSE, Decision.UNAVAILABLE, Decision.NOT_PROCESSED,
                            Decision.OTHER}


class Application(models.Model):
    """An application for disclosure (依申请公开), kept in the public schema: the centre sees all,
    a department only those addressed to it."""

    class Status(models.TextChoices):
        RECEIVED = "received", "办理中"
        AWAITING_COMPLETION = "awaiting_completion", "待申请人补正"
        ANSWERED = "answered", "已答复"

    department = models.ForeignKey("tenants.Department", on_delete=models.PROTECT,
                                   related_name="disclosure_applications", verbose_name="申请公开的机关")
    applicant_type = models.CharField("申请人类型", max_length=24, choices=ApplicantType.choices)
    name = models.CharField("申请人姓名或名称", max_length=100)
    id_number = models.CharField("证件号码", max_length=30, help_text="自然人填身份证号，组织填统一社会信用代码")
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    description = models.TextField("所需政府信息的名称、文号或便于查询的其他特征性描述", max_length=3000)
    purpose = models.CharField("用途（选填）", max_length=300, blank=True)
    delivery = models.CharField("获取信息的方式", max_length=16, choices=Delivery.choices)
    query_code = models.CharField("查询码", max_length=16, unique=True, default=new_query_code, editable=False)
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField("收到申请日期")
    received_at = models.DateTimeField("提交时间", auto_now_add=True)
    due_date = models.DateField("答复期限", null=True, blank=True)
    calendar_missing_year = models.PositiveIntegerField("缺少日历的年份", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    completion_requested_on = models.DateField("要求补正日期", null=True, blank=True)
    completion_request = models.TextField("补正要求", max_length=2000, blank=True)
    completion_received_on = models.DateField("补正到达日期", null=True, blank=True)
    completion_text = models.TextField("申请人补正内容", max_length=3000, blank=True)
    paused_working_days = models.PositiveSmallIntegerField("补正暂停的工作日数", default=0)
    decision = models.CharField("答复结果", max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("理由", max_length=2000, blank=True)
    answer = models.TextField("答复内容", max_length=5000, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    submit_token = models.CharField("提交令牌", max_length=64, unique=True, null=True, blank=True, editable=False)
    ip = models.GenericIPAddressField("申请 IP", null=True, blank=True)

    class Meta:
        verbose_name = "依申请公开申请"
        verbose_name_plural = "依申请公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["department", "received_on"], name="disclosure_app_dept_received")]

    def __str__(self):
        return f"{self.name}：{self.description[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ANSWERED

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.AWAITING_COMPLETION

    def is_overdue(self, today=None) -> bool:
        from .applications import today_in_shanghai

        today = today or today_in_shanghai()
        if self.due_date is None:
            return False
        if self.status == self.Status.ANSWERED:
            return self.answered_on is not None and self.answered_on > self.due_date
        return not self.is_paused and today > self.due_date


class ApplicationEvent(models.Model):
    class Action(models.TextChoices):
        SUBMIT = "submit", "提交申请"
        EXTEND = "extend", "延期答复"
        COMPLETION_REQUEST = "completion_request", "要求补正"
        COMPLETION_RECEIVED = "completion_received", "补正到达"
        DECIDE = "decide", "作出答复"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events",
                                    verbose_name="申请")
    action = models.CharField("办理环节", max_length=24, choices=Action.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="办理人")
    time = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=600, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["time", "id"]


# ----------------------------------------------------------------------------------------------
# 年报: the annual report of a department, or of the whole district (no department)
# ----------------------------------------------------------------------------------------------


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="disclosure_reports", verbose_name="单位（空为全区）")
    year = models.PositiveIntegerField("年度")
    data = models.JSONField("报告数据", default=dict)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField("生成时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="发布人")

    class Meta:
        verbose_name = "信息公开年报"
        verbose_name_plural = "信息公开年报"
        ordering = ["-year", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="disclosure_report_per_year"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(department__isnull=True),
                                    name="disclosure_district_report_per_year"),
        ]

    def __str__(self):
        return self.title

    @property
    def publisher_name(self) -> str:
        if self.department_id:
            return self.department.name
        from tenants.models import Department

        portal = Department.objects.filter(kind="portal").only("name").first()
        return portal.name if portal else "全区"

    @property
    def title(self) -> str:
        return f"{self.publisher_name}{self.year}年政府信息公开工作年度报告"
