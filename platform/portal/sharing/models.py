"""Submissions between sites (信息报送) and reuse from the resource library, in the public schema.

A row names the original by its department and page id (the projection row itself is replaced
when the original is unpublished and published again) and, once accepted, the reference page in
the receiving department's schema, so an edit or removal of the original finds every reference.
"""

from django.conf import settings
from django.db import models

from portal.pages.columns import ColumnType


class Submission(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", "信息报送"
        REUSE = "reuse", "资源库复用"

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        ACCEPTED = "accepted", "已采用"
        REJECTED = "rejected", "未采用"
        WITHDRAWN = "withdrawn", "原文已撤下"

    kind = models.CharField("方式", max_length=12, choices=Kind.choices, default=Kind.SUBMISSION)
    source_department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="+",
                                          verbose_name="报送单位")
    source_page_id = models.BigIntegerField("原文编号")
    title = models.CharField("信息标题", max_length=255)
    url = models.CharField("原文网址", max_length=500)
    target_department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="+",
                                          verbose_name="报送网站")
    target_column_type = models.CharField("报送栏目", max_length=20, choices=ColumnType.choices)
    note = models.CharField("报送说明", max_length=500, blank=True)
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="报送人")
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField("处理意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="处理人")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    target_column_title = models.CharField("采用栏目", max_length=100, blank=True)
    reference_page_id = models.BigIntegerField("引用页面编号", null=True, blank=True)

    class Meta:
        verbose_name = "信息报送"
        verbose_name_plural = "信息报送"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["source_department", "source_page_id"], name="sharing_by_original"),
            models.Index(fields=["target_department", "status"], name="sharing_queue"),
        ]

    def __str__(self):
        return f"{self.source_department} → {self.target_department} · {self.title}"
