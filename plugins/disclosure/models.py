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
        indexes = [models.Index(fields=["department", "-publish_time"], name="disclosure_item_dept_time")]

    def __str__(self):
        return f"{self.index_number} {self.title}"

    @property
    def topic_name(self) -> str:
        return TOPIC_NAMES.get(self.topic, self.topic)
