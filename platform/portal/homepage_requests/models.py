"""Homepage publication requests, kept in the public schema where the centre decides them."""

from django.conf import settings
from django.db import models


class HomepageRequest(models.Model):
    class Column(models.TextChoices):
        NEWS = "news", "源城要闻"
        NOTICE = "notice", "通知公告"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "已退回"

    department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="+",
                                   verbose_name="申请单位")
    item = models.ForeignKey("portal.PublishedItem", on_delete=models.SET_NULL, null=True, related_name="+",
                             verbose_name="申请发布的信息")
    title = models.CharField("信息标题", max_length=255)
    url = models.CharField("信息网址", max_length=500)
    reason = models.TextField("申请理由")
    column = models.CharField("申请栏目", max_length=10, choices=Column.choices)
    start_date = models.DateField("展示开始日期")
    end_date = models.DateField("展示结束日期")
    responsible_person = models.CharField("责任人", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=40)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="填表人")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField("审批意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "信息发布申请"
        verbose_name_plural = "信息发布申请"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "column", "start_date", "end_date"], name="homepage_request_live")]

    def __str__(self):
        return f"{self.department} · {self.title}"
