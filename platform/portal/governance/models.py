"""Models of publishing governance (public schema).

They live once for the whole platform, next to departments and people, because the word lists
are kept centrally and the yearly report (第十八条) counts unreviewed publications and
confidentiality decisions of every department without looping over schemas. Page and revision
ids refer to rows inside the department's own schema, so they are kept as plain numbers next to
the department.
"""

from django.conf import settings
from django.db import models


class ScanTerm(models.Model):
    """A word of the central lists: a classification mark (blocks) or a 错敏词 (warns)."""

    class Kind(models.TextChoices):
        CLASSIFICATION = "classification", "涉密标识"
        SENSITIVE = "sensitive", "错敏词"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices, db_index=True)
    term = models.CharField("词语", max_length=100)
    suggestion = models.CharField("建议改为", max_length=200, blank=True, help_text="错敏词的正确写法；涉密标识可不填")
    note = models.CharField("说明", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "检查词"
        verbose_name_plural = "检查词库"
        ordering = ["kind", "term"]
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="unique_scan_term")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.term}"


class ConfidentialityReview(models.Model):
    """A 保密审查 decision, bound to the exact content it was made on (its hash)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "同意发布"
        REJECT = "reject", "不同意"

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="confidentiality_reviews", verbose_name="单位"
    )
    page_id = models.BigIntegerField("页面编号")
    page_title = models.CharField("标题", max_length=255)
    revision_id = models.BigIntegerField("版本编号", null=True, blank=True)
    content_hash = models.CharField("内容指纹", max_length=64, db_index=True)
    hits = models.JSONField("检查发现", default=list, blank=True)
    decision = models.CharField("审查结论", max_length=10, choices=Decision.choices)
    reason = models.TextField("理由")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="审查人"
    )
    reviewer_name = models.CharField("审查人姓名", max_length=150, blank=True)
    created_at = models.DateTimeField("审查时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "保密审查"
        verbose_name_plural = "保密审查"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.page_title} · {self.get_decision_display()}"

    @property
    def approved(self) -> bool:
        return self.decision == self.Decision.APPROVE


class ConfidentialityHold(models.Model):
    """Content whose submit or publish was blocked and now waits for a 保密审查."""

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="confidentiality_holds", verbose_name="单位"
    )
    page_id = models.BigIntegerField("页面编号")
    page_title = models.CharField("标题", max_length=255)
    revision_id = models.BigIntegerField("版本编号", null=True, blank=True)
    content_hash = models.CharField("内容指纹", max_length=64)
    hits = models.JSONField("检查发现", default=list, blank=True)
    action = models.CharField("被阻止的操作", max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    review = models.ForeignKey(
        ConfidentialityReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="holds",
        verbose_name="保密审查",
    )

    class Meta:
        verbose_name = "待保密审查"
        verbose_name_plural = "待保密审查"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "page_id", "content_hash"], name="unique_confidentiality_hold"
            )
        ]

    def __str__(self):
        return f"{self.department} · {self.page_title}"

    @property
    def action_label(self) -> str:
        from .confidentiality import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


class UnreviewedPublication(models.Model):
    """A page that went live without an approved review (第十八条(二)); the yearly report counts them."""

    class Route(models.TextChoices):
        DIRECT = "direct", "直接发布"  # a person published without the review workflow
        SYSTEM = "system", "系统发布"  # no person: import, scheduled publishing, code

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="unreviewed_publications", verbose_name="单位"
    )
    page_id = models.BigIntegerField("页面编号")
    title = models.CharField("标题", max_length=255)
    revision_id = models.BigIntegerField("版本编号", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="发布人",
    )
    username = models.CharField("发布人用户名", max_length=150, blank=True)
    route = models.CharField("方式", max_length=10, choices=Route.choices)
    by_head = models.BooleanField("发布人为本单位负责人", default=False)
    time = models.DateTimeField("发布时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "未经审核发布"
        verbose_name_plural = "未经审核发布"
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.department} · {self.title}"
