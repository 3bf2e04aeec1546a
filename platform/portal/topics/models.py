"""The 专题 page type."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from portal.pages.models import ColumnPage


class TopicColumnPage(ColumnPage):
    """专题: a column with a start date, an optional end date and a banner picture."""

    start_date = models.DateField("开设日期", help_text="专题开始的日期，用于统计当年新开设的专题")
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="留空表示长期专题")
    banner = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="专题横幅", help_text="显示在专题页顶部的横幅图片，建议宽度 1200 像素",
    )

    content_panels = [
        *ColumnPage.content_panels,
        MultiFieldPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("banner")], heading="专题设置"),
    ]
    parent_page_types = ["pages.HomePage", "pages.ColumnPage"]
    subpage_types = ["pages.ArticlePage", "pages.ColumnPage"]
    template = "topics/topic_column_page.html"

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开设日期。"})

    @property
    def has_ended(self) -> bool:
        from django.utils import timezone

        return self.end_date is not None and self.end_date < timezone.localdate()
