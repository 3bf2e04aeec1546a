"""PDF and DOCX attachments for the demo, generated in memory and stored as Wagtail documents.

Department sites carry many attachments (policy texts, application forms), and attachment lists,
downloads and full-text extraction need real files to be tried on. PDFs use `portal.pdf`'s
font; DOCX files only name a Chinese font.
"""

import io
from hashlib import sha1

from django.core.files.base import ContentFile

from portal.pdf import chinese_font

DOCX_FONT = "仿宋_GB2312"
CREATOR = "源城区政府网站集约化平台"
RED = (0.8, 0.0, 0.0)


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text into lines that fit `width` points (any character may end a line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = chinese_font()
    lines, line = [], ""
    for char in text:
        if stringWidth(line + char, font, size) > width and line:
            lines.append(line)
            line = ""
        line += char
    if line:
        lines.append(line)
    return lines or [""]


def make_pdf(heading: str, paragraphs, *, issuer: str = "", number: str = "") -> bytes:
    """An A4 document: an optional red-header (issuer, document number), a title and the text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = chinese_font()
    buffer = io.BytesIO()
    # invariant: no timestamps or random ids, so the same input gives the same bytes.
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(heading)
    pdf.setAuthor(issuer or CREATOR)
    pdf.setCreator(CREATOR)
    page_width, page_height = A4
    left, right, top, bottom = 72, 72, 72, 72
    width = page_width - left - right
    y = page_height - top

    def new_page():
        nonlocal y
        pdf.showPage()
        y = page_height - top

    if issuer:
        pdf.setFillColorRGB(*RED)
        pdf.setFont(font, 24)
        pdf.drawCentredString(page_width / 2, y - 10, f"{issuer}文件")
        y -= 44
        pdf.setFillColorRGB(0, 0, 0)
        if number:
            pdf.setFont(font, 12)
            pdf.drawCentredString(page_width / 2, y, number)
            y -= 14
        pdf.setStrokeColorRGB(*RED)
        pdf.setLineWidth(1.5)
        pdf.line(left, y, page_width - right, y)
        pdf.setStrokeColorRGB(0, 0, 0)
        y -= 30
    pdf.setFont(font, 16)
    for line in wrap(heading, 16, width):
        pdf.drawCentredString(page_width / 2, y, line)
        y -= 24
    y -= 10
    pdf.setFont(font, 12)
    for paragraph in paragraphs:
        for line in wrap("\u3000\u3000" + paragraph, 12, width):
            if y < bottom:
                new_page()
                pdf.setFont(font, 12)
            pdf.drawString(left, y, line)
            y -= 20
        y -= 4
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(heading: str, paragraphs, *, author: str = "") -> bytes:
    """A Word document with a centred bold title and the paragraphs in a Chinese font."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(heading)
    run.bold = True
    run.font.size = Pt(18)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph).paragraph_format.first_line_indent = Pt(28)
    document.core_properties.title = heading
    document.core_properties.author = author or CREATOR
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def store_document(title: str, filename: str, data: bytes, *, user=None):
    """Save the bytes as a Wagtail document of the current department's schema."""
    from wagtail.documents import get_document_model

    document = get_document_model()(
        title=title, file=ContentFile(data, name=filename), file_size=len(data),
        file_hash=sha1(data).hexdigest(), uploaded_by_user=user,
    )
    document.save()
    return document
