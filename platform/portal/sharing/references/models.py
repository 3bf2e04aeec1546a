"""The reference page: an article of the receiving column that shows content kept elsewhere.

It is an `ArticlePage` so the column list, the homepage blocks, the feeds and the site map list
it like any article of the column, with the original's title, date and 来源 (copied here and
kept in step by `portal.sharing.following`). What it shows comes from the cross-department
projection at render time, so it never shows a stale body; the original's own page stays the
one thing search finds (`projected = False`).
"""

from django.db import models
from django.template.response import TemplateResponse
from wagtail.admin.panels import FieldPanel, HelpPanel

from portal.pages.models import ArticlePage


class SharedItemPage(ArticlePage):
    """信息报送 / 资源库 reference to the live item `source_page_id` of `source_schema`."""

    source_schema = models.CharField("来源网站", max_length=63)
    source_page_id = models.BigIntegerField("原文编号")

    # The original is in the projection and in search; this page must not be a second copy there.
    projected = False

    content_panels = [
        HelpPanel(content="<p>这是引用其他网站信息的页面：标题、发布时间、来源和正文随原文自动更新，"
                          "原文撤下后本页自动下线。显示正文还是只显示摘要并链接原文，由所在栏目的"
                          "“引用信息的显示方式”决定。如需修改内容，请联系原文发布单位。</p>",
                  heading="引用信息"),
        FieldPanel("title", read_only=True),
    ]
    promote_panels = []
    parent_page_types = ["pages.ColumnPage"]
    subpage_types = []
    is_creatable = False
    template = "sharing_references/shared_item_page.html"

    class Meta:
        verbose_name = "引用信息"

    def original(self):
        """The original's projection row, or None when it is no longer live and public."""
        from portal.models import PublishedItem

        return (PublishedItem.objects.filter(department__schema_name=self.source_schema, kind="article",
                                             object_id=self.source_page_id, department__status="active")
                .select_related("department").first())

    def serve(self, request, *args, **kwargs):
        original = self.original()
        if original is None:
            # The original left (unpublished, deleted, made private) before this page followed it.
            return TemplateResponse(request, "sharing_references/gone.html", {"page": self}, status=410)
        request.shared_original = original
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        original = getattr(request, "shared_original", None) or self.original()
        context["original"] = original
        # The receiving column decides whether its references show the body or link to it.
        column = self.get_parent().specific
        context["show_body"] = getattr(column, "shared_display", "full") != "link"
        context["paragraphs"] = [line for line in (original.body_text if original else "").splitlines() if line]
        return context
