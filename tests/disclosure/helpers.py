"""Building catalogue entries the way an editor's published entry ends up."""

import io
import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django_tenants.utils import tenant_context

SHANGHAI = ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


def pdf_bytes(text: str) -> bytes:
    """A real one-page PDF with Chinese text."""
    from portal.pdf import chinese_font
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(chinese_font(), 12)
    pdf.drawString(72, 760, text)
    pdf.save()
    return buffer.getvalue()


def make_entry(department, title, *, publish=True, attachment_title=None, when=None, slug=None, **fields):
    """Draft an entry in the department's 法定主动公开内容 part and (by default) publish it."""
    from django.core.files.base import ContentFile
    from portal.pages.models import ArticleAttachment, ColumnPage
    from wagtail.documents import get_document_model

    from plugins.disclosure.entries.models import CatalogueEntryPage

    when = when or datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)
    with tenant_context(department):
        column = ColumnPage.objects.get(depth=4, slug="statutory")
        entry = CatalogueEntryPage(
            title=title, slug=slug or f"entry-{next(_serial)}-{when:%Y%m%d}", live=False,
            summary=fields.pop("summary", f"{title}的内容概述"),
            body=[("text", f"<p>{title}正文。</p>")],
            publish_time=when, document_date=fields.pop("document_date", date(when.year, when.month, 1)),
            **fields,
        )
        column.add_child(instance=entry)
        if attachment_title:
            document = get_document_model().objects.create(
                title=attachment_title, file=ContentFile(pdf_bytes(attachment_title), name="attachment.pdf")
            )
            entry.attachments.add(ArticleAttachment(document=document, title=attachment_title))
        revision = entry.save_revision()
        if publish:
            revision.publish()
        entry.refresh_from_db()
        return entry
