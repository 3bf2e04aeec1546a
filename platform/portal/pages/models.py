"""Home, column and article pages.

Every department schema holds one tree: HomePage → ColumnPage (栏目) → ArticlePage. The page
metadata the national rules require (ColumnName, ArticleTitle, PubDate …) is derived from these
fields by the theme.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.governance.panels import GovernanceChecksPanel

from .columns import UPDATE_RULE_DAYS, ColumnType
from .forms import WHO_MAY_CHANGE as COLUMN_SETTINGS_HELP
from .forms import ColumnPageForm

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "image"]


class BodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="正文")
    table = TableBlock(label="表格")
    image = ImageBlock(label="图片")

    class Meta:
        label = "正文"


class RenderedPageQuerySet(PageQuerySet):
    def private_q(self):
        """Wagtail's rule (restricted pages and their descendants are private) with the
        restricted pages read from the site's cache instead of one query per `.public()`."""
        from portal.render_caches import restricted_paths

        private = Q()
        for path in restricted_paths():
            private |= Q(path__startswith=path)
        return private if private else Q(pk__in=[])


RenderedPageManager = PageManager.from_queryset(RenderedPageQuerySet)


class RenderedPage(Page):
    """What the platform's page types share for serving: view restrictions and `.public()` read
    from the site's cache (`portal.render_caches`)."""

    objects = RenderedPageManager()

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """The restrictions Wagtail's own method finds (this page's, its ancestors', through
        aliases), without its two queries when there are none."""
        from wagtail.models import PageViewRestriction

        from portal.render_caches import restriction_ids_for

        ids = restriction_ids_for(self.path)
        return PageViewRestriction.objects.filter(id__in=ids) if ids else PageViewRestriction.objects.none()


def _joined_specific(page: Page) -> Page:
    """The specific page of a row fetched with `select_related("columnpage", "articlepage")`:
    taken from the join for columns and articles, fetched for other page types."""
    specific_class = page.specific_class
    if specific_class is ColumnPage:
        return page.columnpage
    if specific_class is ArticlePage:
        return page.articlepage
    return page.specific if specific_class is not None else page


class HomePage(RenderedPage):
    """The homepage of a department channel, or of the district portal."""

    intro = models.TextField("简介", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ColumnPage", "topics.TopicColumnPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "网站首页"

    @classmethod
    def allowed_subpage_models(cls):
        """Columns, plus the page types of the plugins this department has enabled."""
        from portal.plugins import hooks_for
        from tenants.middleware import current_department

        models = list(super().allowed_subpage_models())
        for plugin_models in hooks_for(current_department()).page_models():
            models.extend(model for model in plugin_models or [] if model not in models)
        return models

    def route(self, request, path_components):
        """Wagtail's routing (child by slug, level after level, each page's own `route`), with
        every page on the path read in one query: the address's prefixes are the pages' url_paths.
        Each page found keeps its parent, so breadcrumbs and column metadata need no query."""
        if not path_components:
            return super().route(request, path_components)
        url_paths, prefix = [], self.url_path
        for component in path_components:
            prefix += component + "/"
            url_paths.append(prefix)
        found = {
            page.url_path: page
            # The slugs let PostgreSQL use Wagtail's index on them: url_path has none.
            for page in Page.objects.filter(slug__in=set(path_components), url_path__in=url_paths,
                                            path__startswith=self.path)
            .select_related("columnpage", "articlepage")
        }
        parent = self
        for level, url_path in enumerate(url_paths):
            page = found.get(url_path)
            if page is None:
                raise Http404
            page = _joined_specific(page)
            page._cached_parent_obj = parent
            remaining = path_components[level + 1:]
            if not remaining or type(page).route is not Page.route:
                return page.route(request, remaining)
            parent = page
        raise Http404  # not reached: the last level returns

    def get_context(self, request, *args, **kwargs):
        from portal.homepage import homepage_context

        context = super().get_context(request, *args, **kwargs)
        context.update(homepage_context(self, request))
        return context


SHARED_DISPLAY_CHOICES = [("full", "显示正文"), ("link", "显示摘要并链接原文")]


class ColumnPage(RenderedPage):
    """A column (栏目): a list of articles with an update rule decided by its type."""

    column_type = models.CharField("栏目类型", max_length=20, choices=ColumnType.choices, default=ColumnType.NEWS)
    description = models.CharField("栏目描述", max_length=200, blank=True)
    keywords = models.CharField("栏目关键词", max_length=200, blank=True)
    # 聚合来源 (portal.pages.aggregation): set either, and the column lists other sites' items.
    aggregate_column_type = models.CharField(
        "聚合来源：栏目类型", max_length=20, choices=ColumnType.choices, blank=True,
        help_text="选择后，本栏目汇集所选单位该类型栏目中的信息（最新在前，注明发布单位）",
    )
    aggregate_topic = models.CharField(
        "聚合来源：专题标签", max_length=50, blank=True,
        help_text="填写后，本栏目汇集关键词中含有该标签的信息，例如“优化营商环境”",
    )
    aggregate_departments = ArrayField(
        models.CharField(max_length=63), verbose_name="聚合来源：单位", default=list, blank=True,
        help_text="不选则汇集全部单位",
    )
    # How the items this column takes from other sites (信息报送, 资源库) show (portal.sharing).
    shared_display = models.CharField(
        "引用信息的显示方式", max_length=8, choices=SHARED_DISPLAY_CHOICES, default="full",
        help_text="本栏目采用的报送信息和从资源库复用的信息：显示原文正文，或只显示摘要并链接到原文",
    )

    content_panels = [
        *Page.content_panels,
        HelpPanel(content=f"<p>{COLUMN_SETTINGS_HELP}</p>", heading="栏目设置由谁修改"),
        FieldPanel("column_type"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        MultiFieldPanel(
            [FieldPanel("aggregate_column_type"), FieldPanel("aggregate_topic"), FieldPanel("aggregate_departments")],
            heading="聚合栏目",
            help_text="汇集其他网站栏目的信息；不设置则本栏目只列出自己的文章",
        ),
        FieldPanel("shared_display"),
    ]
    parent_page_types = ["pages.HomePage", "pages.ColumnPage"]
    subpage_types = ["pages.ArticlePage", "pages.ColumnPage", "topics.TopicColumnPage"]
    base_form_class = ColumnPageForm
    page_size = 20

    class Meta:
        verbose_name = "栏目"

    @classmethod
    def allowed_subpage_models(cls):
        """Columns and articles, plus the plugin page types (of this department's enabled
        plugins) that name ColumnPage as their parent, e.g. the disclosure catalogue's entries."""
        from portal.plugins import hooks_for
        from tenants.middleware import current_department

        models = list(super().allowed_subpage_models())
        for plugin_models in hooks_for(current_department()).page_models():
            models.extend(
                model for model in plugin_models or []
                if model not in models and cls in model.clean_parent_page_models()
            )
        return models

    @property
    def update_rule_days(self) -> int | None:
        return UPDATE_RULE_DAYS.get(self.column_type)

    @property
    def is_aggregated(self) -> bool:
        from .aggregation import is_aggregated

        return is_aggregated(self)

    def articles(self):
        return (
            ArticlePage.objects.child_of(self).live().public()
            .order_by("-publish_time", "-id")
            .only("id", "title", "slug", "url_path", "publish_time", "path", "depth")
        )

    def listed_items(self, request=None):
        """What the column lists, newest first: its own articles, or for an aggregated column the
        projected items of its sources (`PublishedItem`s with their department). With a request,
        the page cache learns what the list depends on before it is read."""
        if not self.is_aggregated:
            return self.articles()
        from portal.delivery.policy import depends_on

        from .aggregation import aggregated_items, cache_tags

        if request is not None:
            depends_on(request, *cache_tags(self))
        return aggregated_items(self)

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.listed_items(request), self.page_size)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        context["show_department"] = self.is_aggregated
        return context


class ArticlePage(RenderedPage):
    """An item of information: news, notice, policy, interpretation, guide …

    Publishing rules apply to it wherever it is saved or published (`portal.governance`): its
    rich text is cleaned to structure only on every save, and it cannot go live — by the admin,
    a bulk action, a scheduled publish, a copy or code — with a classification mark or personal
    data that no 保密审查 has cleared.
    """

    publish_time = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    source = models.CharField("信息来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=64, blank=True)
    summary = models.TextField("摘要", blank=True, help_text="用于列表、搜索结果和页面描述")
    keywords = models.CharField("关键词", max_length=200, blank=True)
    information_date = models.DateField(
        "信息生成日期", null=True, blank=True, help_text="信息形成或变更的日期，用于主动公开时限（20 个工作日）"
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name="正文")

    content_panels = [
        GovernanceChecksPanel(heading="发布前检查"),
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("publish_time"), FieldPanel("source"), FieldPanel("author"), FieldPanel("information_date")],
            heading="发布信息",
        ),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("publish_time"),
    ]
    parent_page_types = ["pages.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = "文章"
        ordering = ["-publish_time"]

    def clean_body_html(self):
        """Store structure only: every text block goes through the platform's one HTML cleaner."""
        from wagtail.rich_text import RichText

        from portal.governance.cleaning import clean_html

        for position, block in enumerate(self.body):
            if block.block_type == "text":
                source = getattr(block.value, "source", block.value) or ""
                cleaned = clean_html(source)
                if cleaned != source:
                    self.body[position] = ("text", RichText(cleaned), block.id)

    def save(self, *args, **kwargs):
        from portal.governance.publishing import guard_going_live

        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.clean_body_html()
        guard_going_live(self, update_fields)
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        self.clean_body_html()
        return super().save_revision(*args, **kwargs)

    def publish(self, revision, user=None, changed=True, log_action=True, previous_revision=None,
                skip_permission_checks=False):
        from portal.governance.publishing import guarded_publish

        with guarded_publish(self, revision, user=user, skip_permission_checks=skip_permission_checks,
                             log_action=log_action) as go_ahead:
            if not go_ahead:
                return None
            return super().publish(
                revision, user=user, changed=changed, log_action=log_action, previous_revision=previous_revision,
                skip_permission_checks=skip_permission_checks,
            )

    @property
    def column(self) -> "ColumnPage | None":
        parent = self.get_parent()
        return parent.specific if parent else None

    def search_validity(self) -> str:
        """有效性 for search ranking: "valid", "expired", "repealed" or "superseded". Page types
        that know better (the disclosure catalogue's entries) override it; the projection passes
        it to the search document, where a document that is no longer valid ranks lower."""
        return "valid"

    def body_text(self) -> str:
        """The body as plain text, for summaries, the projection and search."""
        from django.utils.html import strip_tags

        parts = []
        for block in self.body:
            if block.block_type == "text":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "table":
                rows = (block.value or {}).get("data") or []
                parts.extend(" ".join(cell or "" for cell in row) for row in rows)
        return "\n".join(part.strip() for part in parts if part.strip())


class AttachmentManager(models.Manager):
    def get_queryset(self):
        # Every list of attachments shows each file's name, type and size: read the documents
        # with the attachments (also through `page.attachments`), not one query per file.
        return super().get_queryset().select_related("document")


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        get_document_model_string(), on_delete=models.CASCADE, related_name="+", verbose_name="文件"
    )
    title = models.CharField("附件名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    objects = AttachmentManager()

    class Meta(Orderable.Meta):
        verbose_name = "附件"

    @property
    def display_title(self) -> str:
        return self.title or self.document.title
