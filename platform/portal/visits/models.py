"""Daily visit counters in the public schema, one row per day and site, column or page.

Only counts are kept: no address, browser, cookie or visitor digest has a column here (a test
asserts the columns). Page and column rows are the raw counters, deleted after RAW_KEEP_DAYS; the
per-site rows are the aggregates the yearly statement reads, kept for ever.
"""

from django.db import models

RAW_KEEP_DAYS = 400


class SiteVisits(models.Model):
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="+", verbose_name="单位"
    )
    day = models.DateField("日期")
    page_views = models.PositiveIntegerField("访问量", default=0)
    unique_visitors = models.PositiveIntegerField("独立访客", default=0)

    class Meta:
        verbose_name = "网站每日访问量"
        verbose_name_plural = "网站每日访问量"
        constraints = [models.UniqueConstraint(fields=["department", "day"], name="unique_site_visits_day")]
        indexes = [models.Index(fields=["day"], name="site_visits_day")]


class ColumnVisits(models.Model):
    """A column (栏目) is the top-level section of a site: `/news/` for `/news/2026/a/`."""

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="+", verbose_name="单位"
    )
    day = models.DateField("日期")
    column_path = models.CharField("栏目路径", max_length=300)
    column_title = models.CharField("栏目", max_length=255, blank=True)
    page_views = models.PositiveIntegerField("访问量", default=0)
    unique_visitors = models.PositiveIntegerField("独立访客", default=0)

    class Meta:
        verbose_name = "栏目每日访问量"
        verbose_name_plural = "栏目每日访问量"
        constraints = [
            models.UniqueConstraint(fields=["department", "day", "column_path"], name="unique_column_visits_day")
        ]
        indexes = [models.Index(fields=["day"], name="column_visits_day")]


class PageVisits(models.Model):
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="+", verbose_name="单位"
    )
    day = models.DateField("日期")
    path = models.CharField("网址路径", max_length=300)
    page_id = models.BigIntegerField("页面编号", null=True, blank=True)
    title = models.CharField("标题", max_length=255, blank=True)
    column_path = models.CharField("栏目路径", max_length=300)
    page_views = models.PositiveIntegerField("访问量", default=0)
    unique_visitors = models.PositiveIntegerField("独立访客", default=0)

    class Meta:
        verbose_name = "页面每日访问量"
        verbose_name_plural = "页面每日访问量"
        constraints = [models.UniqueConstraint(fields=["department", "day", "path"], name="unique_page_visits_day")]
        indexes = [models.Index(fields=["day"], name="page_visits_day")]
