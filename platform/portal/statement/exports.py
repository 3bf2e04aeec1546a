"""The statement as rows (for its page), and as the Excel and PDF files published beside it."""

import io

from portal.exporting import pdf_paragraph, xlsx_row

from .fields import SECTIONS, display_value
from .service import values_of

COMPUTED, MANUAL = "平台统计", "人工填写"


def sections(statement) -> list[dict]:
    """`[{"title", "rows": [{"key", "label", "value", "source", "how"}]}]` in the template's order."""
    values = values_of(statement)
    return [
        {"title": section.title, "rows": [
            {"key": field.key, "label": field.label, "value": display_value(field, values.get(field.key)),
             "source": MANUAL if field.manual else COMPUTED, "how": field.how}
            for field in section.fields]}
        for section in SECTIONS
    ]


def statement_excel(statement) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{statement.year}年度报表"
    xlsx_row(sheet, [statement.title], font=Font(bold=True, size=14))
    xlsx_row(sheet, ["项目", "指标", "数值", "来源", "说明"], font=Font(bold=True))
    for section in sections(statement):
        for row in section["rows"]:
            xlsx_row(sheet, [section["title"], row["label"], row["value"], row["source"], row["how"]])
    for column, width in zip("ABCDE", (12, 44, 40, 10, 70), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def statement_pdf(statement) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from portal.pdf import chinese_font

    font = chinese_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=13)
    story = [pdf_paragraph(statement.title, title), Spacer(1, 6 * mm)]
    rows = [[pdf_paragraph(text, cell) for text in ("项目", "指标", "数值", "来源")]]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]
    for section in sections(statement):
        first = len(rows)
        for row in section["rows"]:
            rows.append([pdf_paragraph(section["title"] if len(rows) == first else "", cell),
                         pdf_paragraph(row["label"], cell), pdf_paragraph(row["value"], cell),
                         pdf_paragraph(row["source"], cell)])
        style.append(("SPAN", (0, first), (0, len(rows) - 1)))
    story.append(Table(rows, colWidths=[22 * mm, 70 * mm, 70 * mm, 18 * mm], style=TableStyle(style),
                       repeatRows=1))
    if statement.published_at:
        from django.utils import timezone

        story += [Spacer(1, 4 * mm), pdf_paragraph(
            f"发布日期：{timezone.localtime(statement.published_at):%Y年%m月%d日}", cell)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=statement.title, leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm).build(story)
    return buffer.getvalue()
