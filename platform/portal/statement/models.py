from django.db import models


class Statement(models.Model):
    """One year's statement. `data` holds `computed` (what the platform counted, refreshed until
    publication) and `manual` (what people entered), each `{field key: value}` (see fields.py)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    year = models.PositiveIntegerField("年度", unique=True)
    data = models.JSONField("报表数据", default=dict)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField("生成时间")
    generated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="生成人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="审核发布人")

    class Meta:
        verbose_name = "政府网站工作年度报表"
        verbose_name_plural = "政府网站工作年度报表"
        ordering = ["-year"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        site_name = (self.data.get("computed") or {}).get("site_name") or "政府网站"
        return f"{site_name}{self.year}年政府网站工作年度报表"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
