"""`CatalogueEntryPage`: one entry of a department's disclosure catalogue.

An entry is an article (`portal.pages.ArticlePage`) with the catalogue's metadata, so it goes
through exactly the same review workflow, HTML cleaning and confidentiality gate as every other
piece of information, keeps its attachments the same way, and appears in the department's column
lists, the portal's projection and the site-wide search like any article. What it adds: the
metadata table of the catalogue and the 索引号 it receives when it first goes live.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from portal.governance.panels import GovernanceChecksPanel
from portal.pages.models import ArticlePage
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel

from ..models import Genre, Validity
from ..topics import TOPIC_NAMES, topic_choices


class CatalogueEntryPage(ArticlePage):
    """名称 is the title, 内容概述 the summary, 主题词 the keywords, 发布日期 the publish time."""

    index_number = models.CharField("索引号", max_length=40, blank=True, editable=False, db_index=True)
    publisher = models.CharField("发布机构", max_length=100, blank=True, help_text="留空时为本单位名称")
    document_date = models.DateField("成文日期", null=True, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True, help_text="例如：源教〔2026〕12号")
    topic = models.CharField("主题分类", max_length=8, choices=topic_choices(), default="01-01")
    genre = models.CharField("体裁", max_length=16, choices=Genre.choices, default=Genre.NOTICE)
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    validity_date = models.DateField("失效/废止日期", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="替代文件", help_text="被新文件替代时选择新文件",
    )

    # A copy is a new document: it gets its own number when it is published.
    exclude_fields_in_copy = ["index_number"]

    content_panels = [
        GovernanceChecksPanel(heading="发布前检查"),
        FieldPanel("title", heading="名称"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("publisher"), FieldPanel("document_number")]),
                FieldRowPanel([FieldPanel("document_date"), FieldPanel("publish_time", heading="发布日期")]),
                FieldRowPanel([FieldPanel("topic"), FieldPanel("genre")]),
                FieldPanel("keywords", heading="主题词"),
                FieldPanel("information_date"),
            ],
            heading="目录信息",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("validity"), FieldPanel("validity_date")]),
             PageChooserPanel("replaced_by", "disclosure_entries.CatalogueEntryPage")],
            heading="有效性",
        ),
        FieldPanel("summary", heading="内容概述"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
    ]
    parent_page_types = ["pages.ColumnPage"]
    subpage_types = []
    template = "disclosure_entries/catalogue_entry_page.html"

    class Meta:
        verbose_name = "信息公开目录条目"
        verbose_name_plural = "信息公开目录条目"

    def genre_label(self) -> str:
        """The 体裁 the projection keeps, for the 统一信息资源库's filter."""
        return self.get_genre_display()

    def search_validity(self) -> str:
        """What search ranks by: an expired or repealed entry, or one replaced by a newer
        document, ranks below a valid one of the same title."""
        if self.validity != Validity.VALID:
            return self.validity
        return "superseded" if self.replaced_by_id else "valid"

    @classmethod
    def can_create_at(cls, parent) -> bool:
        """Entries belong in the 信息公开 column and its parts, nowhere else."""
        specific = parent.specific
        return super().can_create_at(parent) and getattr(specific, "column_type", None) == "disclosure"

    def clean(self):
        super().clean()
        errors = {}
        if self.validity != Validity.VALID and self.validity_date is None:
            errors["validity_date"] = "文件失效或废止时请填写失效/废止日期"
        if self.validity == Validity.VALID and self.validity_date is not None:
            errors["validity_date"] = "有效的文件不填写失效/废止日期"
        if self.replaced_by_id is not None and self.validity == Validity.VALID:
            errors["replaced_by"] = "只有失效或废止的文件才有替代文件"
        if self.replaced_by_id is not None and self.pk is not None and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "文件不能被自己替代"
        if errors:
            raise ValidationError(errors)

    @property
    def department_publisher(self) -> str:
        from tenants.middleware import current_department

        department = current_department()
        return self.publisher or (department.name if department else "")

    @property
    def topic_name(self) -> str:
        return TOPIC_NAMES.get(self.topic, self.topic)

    @property
    def replacement(self):
        return self.replaced_by.specific if self.replaced_by_id and self.replaced_by else None

    def body_text(self) -> str:
        """The catalogue metadata a visitor searches by (索引号, 文号, 主题词) joins the body."""
        metadata = " ".join(part for part in (self.index_number, self.document_number, self.keywords) if part)
        body = super().body_text()
        return f"{metadata}\n{body}" if metadata else body

    def save(self, *args, **kwargs):
        """A live entry without a number gets one, in the same transaction as the save."""
        from tenants.middleware import current_department

        from ..numbering import number_for

        with transaction.atomic():
            department = current_department()
            needs_number = self.live and not self.index_number and department is not None and department.is_site
            if needs_number and self.pk is not None:
                self.index_number = number_for(department, self.pk, self._number_year())
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = list({*update_fields, "index_number"})
            result = super().save(*args, **kwargs)
            if needs_number and not self.index_number:
                # Created live in one step: the page needed its id first.
                self.index_number = number_for(department, self.pk, self._number_year())
                CatalogueEntryPage.objects.filter(pk=self.pk).update(index_number=self.index_number)
            return result

    def _number_year(self) -> int:
        from django.utils import timezone

        return timezone.localtime(self.publish_time).year
