"""Search tables in the public schema.

`SearchDocument` is the search projection: one row per live, public document of every department
(articles derived from `portal.PublishedItem`, plus what plugins contribute), with the text
already folded (traditional → simplified, full-width → half-width) and segmented. It is written in
the same transaction as the publish, so it is what Elasticsearch must converge to and what the
PostgreSQL fallback searches when Elasticsearch is down.

`OutboxEntry` records that a document changed; the push task drains it into Elasticsearch and
deletes an entry only once Elasticsearch acknowledged it. Entries carry no payload: the pusher
sends the document's state at push time, versioned, so sending twice changes nothing.
"""

import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class SearchDocument(models.Model):
    doc_id = models.CharField("文档编号", max_length=200, unique=True)  # "<schema>:<kind>:<pk>"
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="search_documents", verbose_name="单位"
    )
    tenant = models.CharField("模式名", max_length=63)
    kind = models.CharField("对象类型", max_length=32)
    object_id = models.BigIntegerField("对象编号")
    type = models.CharField("信息类型", max_length=32)
    type_label = models.CharField("类型名称", max_length=32)
    title = models.CharField("标题", max_length=255)
    title_folded = models.CharField("检索标题", max_length=255)
    url = models.CharField("网址", max_length=500)
    summary = models.TextField("检索摘要", blank=True)
    body = models.TextField("检索正文", blank=True)
    publish_time = models.DateTimeField("发布时间")
    year = models.SmallIntegerField("年份")
    suggest = models.JSONField("联想词", default=list)
    # jieba tokens of title (A), summary (B) and body (D), plus the title's and summary's
    # single characters and character pairs (for one- and two-character queries).
    tsv = SearchVectorField("全文向量")
    title_tsv = SearchVectorField("标题向量")
    # Microseconds of the database clock when this state was written; Elasticsearch stores it as
    # the external version, so an older state can never overwrite a newer one.
    version = models.BigIntegerField("版本")
    source_updated_at = models.DateTimeField("来源更新时间", null=True, blank=True)
    # 有效性 as the source says it (valid / expired / repealed / superseded), and whether a newer
    # document of the same department has the same title shape (the title with its numbers
    # blanked: last year's notice of a yearly series). Both lower the rank, never hide.
    validity = models.CharField("有效性", max_length=16, default="valid")
    title_shape = models.CharField("标题模式", max_length=255, default="")
    outdated = models.BooleanField("已有更新版本", default=False)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        indexes = [
            GinIndex(fields=["tsv"], name="search_doc_tsv"),
            models.Index(fields=["tenant", "-publish_time"], name="search_doc_tenant_time"),
            models.Index(fields=["-publish_time"], name="search_doc_time"),
            models.Index(fields=["department", "kind", "object_id"], name="search_doc_source"),
            models.Index(fields=["tenant", "title_shape"], name="search_doc_shape"),
        ]

    def __str__(self):
        return self.doc_id


class OutboxEntry(models.Model):
    doc_id = models.CharField("文档编号", max_length=200, db_index=True)
    version = models.BigIntegerField("版本")
    created_at = models.DateTimeField("记录时间", default=timezone.now)
    attempts = models.PositiveIntegerField("推送次数", default=0)
    next_attempt_at = models.DateTimeField("下次推送", default=timezone.now)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "待推送变更"
        verbose_name_plural = "待推送变更"
        indexes = [models.Index(fields=["next_attempt_at", "id"], name="search_outbox_due")]

    def __str__(self):
        return f"{self.doc_id}@{self.version}"


class PushSchedule(models.Model):
    """One row: when a retry of failed pushes is already scheduled, so failing runs do not each
    schedule their own."""

    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "推送重试计划"
        verbose_name_plural = "推送重试计划"


class BestBet(models.Model):
    queries = models.TextField(
        "搜索词", help_text="每行一个；访客的搜索词与其中之一相同（忽略大小写、全半角和繁简）时显示"
    )
    title = models.CharField("标题", max_length=200)
    url = models.URLField("链接", max_length=500)
    description = models.CharField("说明", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "推荐结果"
        verbose_name_plural = "推荐结果"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.title

    def query_list(self) -> list[str]:
        return [line.strip() for line in self.queries.splitlines() if line.strip()]


class QueryLog(models.Model):
    query = models.CharField("搜索词", max_length=100)
    department = models.CharField("搜索范围", max_length=30, blank=True)
    total = models.IntegerField("结果数")
    backend = models.CharField("检索方式", max_length=16)
    created_at = models.DateTimeField("时间", default=timezone.now)
    # A keyed digest of the visitor's address under a salt that changes every day (search.querylog):
    # it tells distinct visitors of one day apart without keeping their address.
    visitor = models.CharField("访客摘要", max_length=16, blank=True)

    class Meta:
        verbose_name = "搜索日志"
        verbose_name_plural = "搜索日志"
        indexes = [models.Index(fields=["-created_at"], name="search_log_time")]

    def __str__(self):
        return self.query


class HiddenQuery(models.Model):
    """A search word the 区信息中心 keeps out of "大家都在搜", whatever its count."""

    query = models.CharField("搜索词", max_length=100)
    key = models.CharField("比较用搜索词", max_length=100, unique=True)  # text.exact_key(query)
    hidden_by = models.CharField("操作人", max_length=150, blank=True)
    created_at = models.DateTimeField("隐藏时间", default=timezone.now)

    class Meta:
        verbose_name = "隐藏的热门搜索词"
        verbose_name_plural = "隐藏的热门搜索词"
        ordering = ["-created_at"]

    def __str__(self):
        return self.query


class SearchTerm(models.Model):
    """The vocabulary of the index: every title word with its pinyin and how many live documents
    have it. Corrections and suggestions read it (in memory) whichever backend answers; it is
    recomputed from the projection after pushes and rebuilds."""

    word = models.CharField("词语", max_length=32, unique=True)
    pinyin = models.CharField("拼音", max_length=200)
    initials = models.CharField("首字母", max_length=32)
    documents = models.PositiveIntegerField("文档数")

    class Meta:
        verbose_name = "检索词表"
        verbose_name_plural = "检索词表"

    def __str__(self):
        return self.word


class Synonym(models.Model):
    """A group of words that mean the same to a visitor (社保 / 社会保险), applied when a query is
    made, so editing a group needs no reindex."""

    terms = models.TextField("同义词", help_text="一组意思相同的词语或简称，用空格、逗号或换行分隔，至少两个")
    note = models.CharField("说明", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["id"]

    def __str__(self):
        return " ↔ ".join(self.term_list())

    def term_list(self) -> list[str]:
        from .text import fold

        seen: list[str] = []
        for term in re.split(r"[\s,，、;；/|↔]+", fold(self.terms or "")):
            if term and term.lower() not in [existing.lower() for existing in seen]:
                seen.append(term)
        return seen

    def clean(self):
        from django.core.exceptions import ValidationError

        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError({"terms": "请至少填写两个意思相同的词语，用空格或逗号分隔，例如“社保 社会保险”。"})
        if any(len(term) > 30 for term in terms):
            raise ValidationError({"terms": "每个词语不能超过 30 个字。"})
