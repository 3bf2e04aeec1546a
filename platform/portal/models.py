"""Cross-department data kept in the public schema.

`PublishedItem` is the projection of every live, public item of every department. Whatever reads
across departments (the portal homepage, the central catalogue, search, reports) reads it
instead of looping over schemas. It is written in the same transaction as the publish.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class PublishedItem(models.Model):
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="published_items", verbose_name="单位"
    )
    kind = models.CharField("对象类型", max_length=32, default="article")
    object_id = models.BigIntegerField("对象编号")
    title = models.CharField("标题", max_length=255)
    url = models.CharField("网址", max_length=500)
    column_title = models.CharField("栏目", max_length=100, blank=True)
    column_type = models.CharField("栏目类型", max_length=20, blank=True, db_index=True)
    publish_time = models.DateTimeField("发布时间", db_index=True)
    source = models.CharField("信息来源", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)
    body_text = models.TextField("正文文本", blank=True)
    information_date = models.DateField("信息生成日期", null=True, blank=True)
    # 体裁 (通知, 公告, 决定 …) when the page's own class has one (`genre_label()`), e.g. a catalogue entry.
    genre = models.CharField("体裁", max_length=20, blank=True)
    # The item's keywords, one topic (专题标签) each: a 专题 column gathers the items tagged with it.
    topics = ArrayField(models.CharField(max_length=50), verbose_name="专题标签", default=list, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "已发布信息"
        verbose_name_plural = "已发布信息"
        constraints = [
            models.UniqueConstraint(fields=["department", "kind", "object_id"], name="unique_published_item")
        ]
        indexes = [
            # Lists by column type (the homepage, aggregated columns in portal.pages.aggregation):
            # newest first across every department, the id breaking ties, so a page of 20 is read
            # from the index without a sort.
            models.Index(fields=["column_type", "-publish_time", "-id"], name="published_aggregation"),
            models.Index(fields=["-publish_time", "-id"], name="published_newest"),
            GinIndex(fields=["topics"], name="published_by_topic"),
        ]

    def __str__(self):
        return self.title


class PluginSetting(models.Model):
    """Whether a plugin is enabled for a department. No row means enabled."""

    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="plugin_settings", verbose_name="单位"
    )
    plugin = models.CharField("插件", max_length=64)
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "插件启用设置"
        verbose_name_plural = "插件启用设置"
        constraints = [models.UniqueConstraint(fields=["department", "plugin"], name="unique_plugin_setting")]

    def __str__(self):
        return f"{self.department} · {self.plugin} · {'启用' if self.enabled else '停用'}"



class ScheduledRun(models.Model):
    """When a scheduled job last ran, so a restarted scheduler neither repeats nor skips a run."""

    name = models.CharField("任务", max_length=100, unique=True)
    last_started = models.DateTimeField("上次开始", null=True, blank=True)
    last_finished = models.DateTimeField("上次结束", null=True, blank=True)
    last_error = models.TextField("上次错误", blank=True)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"

    def __str__(self):
        return self.name


class FormSubmission(models.Model):
    """One submission of a public form, counted by the rate limits of `portal.public_forms`.

    Kept in the database rather than a process-local cache so every server process sees the
    same counts."""

    scope = models.CharField("表单", max_length=32)
    key = models.CharField("限制对象", max_length=200)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开表单提交记录"
        verbose_name_plural = "公开表单提交记录"
        indexes = [models.Index(fields=["scope", "key", "created_at"], name="form_submission_lookup")]
