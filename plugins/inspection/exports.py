"""The report as an Excel workbook (one sheet per table) and as a printable 通报 in PDF.

Both are built from the same tables (`report_tables`), so the screen, the workbook and the PDF
never disagree.
"""

from __future__ import annotations

import io

from django.utils import timezone
from portal.exporting import pdf_paragraph, xlsx_row
from portal.hookspecs import INSPECTION_ITEMS

from .report import ISSUING_OFFICE, Report

# Days (calendar days, as the 管理办法 counts them) a criticised department has to file its 整改.
RECTIFICATION_DAYS = 15


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def _number(value) -> object:
    return "—" if value is None else value


def report_tables(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """(sheet name, header, rows) for every table of the report."""
    ranking = [
        [row.rank, row.department.name, row.score, row.items_total, len(row.column_breaks), len(row.unreviewed),
         row.mailbox.get("received", 0), _rate(row.on_time_rate), row.findings_total, row.health_score,
         "是" if row.criticisms else "否"]
        for row in report.ranking
    ]
    month_labels = [f"{year}-{month:02d}" for year, month in report.months]
    columns = [
        [row.department.name, column, *counts, sum(counts)]
        for row in report.ranking for column, counts in sorted(row.items_by_column.items())
    ]
    breaks = [
        [row.department.name, broken.column, "空白栏目" if broken.blank else f"{broken.rule_days} 天",
         broken.overdue_days, broken.longest_gap_days, broken.describe()]
        for row in report.ranking for broken in row.column_breaks
    ]
    unreviewed = [
        [row.department.name, timezone.localtime(p.time).strftime("%Y-%m-%d %H:%M"), p.title, p.username,
         p.get_route_display()]
        for row in report.ranking for p in row.unreviewed
    ]
    mailbox = [
        [row.department.name, "启用" if row.mailbox_enabled else "未启用", row.mailbox.get("received", 0),
         row.mailbox.get("replied", 0), row.mailbox.get("replied_on_time", 0), row.mailbox.get("overdue", 0),
         row.mailbox.get("unanswered_3_months", 0), _number(row.mailbox.get("avg_working_days")),
         _rate(row.on_time_rate)]
        for row in report.ranking
    ]
    disclosure = [
        [row.department.name, "启用" if row.disclosure_enabled else "未启用", row.disclosure.get("received", 0),
         row.disclosure.get("answered", 0), row.disclosure.get("answered_on_time", 0),
         row.disclosure.get("overdue", 0), _number(row.disclosure.get("avg_working_days"))]
        for row in report.ranking
    ]
    sharing = [
        [row.department.name, row.sharing.get("submitted", 0), row.sharing.get("accepted", 0),
         _rate(row.sharing.get("rate"))]
        for row in report.ranking
    ]
    # Only the items found in the period get a column: thirteen columns of zeros say nothing, and
    # an item's name alone (涉密标识) would hold the published 通报 at the 保密 gate for nothing.
    found_items = [item for item in INSPECTION_ITEMS if any(row.findings_by_item.get(item) for row in report.ranking)]
    findings = [
        [row.department.name, *(row.findings_by_item.get(item, 0) for item in found_items), row.findings_total,
         row.findings_fixed, _number(row.avg_fix_days), row.health_score]
        for row in report.ranking
    ]
    criticisms = [
        [row.department.name, condition, "；".join(evidence)]
        for row in report.criticised for condition, evidence in row.criticisms
    ]
    return [
        ("绩效排名", ["名次", "单位", "绩效得分", "发布信息", "栏目违规", "未审核发布", "收到来信", "按时答复率",
                  "巡检问题", "健康度", "通报批评"], ranking),
        ("栏目发布", ["单位", "栏目", *month_labels, "合计"], columns),
        ("栏目更新", ["单位", "栏目", "更新要求", "累计超期天数", "最长间隔天数", "说明"], breaks),
        ("未审核发布", ["单位", "发布时间", "标题", "发布人", "方式"], unreviewed),
        ("政务邮箱", ["单位", "功能", "收到", "已答复", "按时答复", "超期", "超3个月未答复", "平均答复工作日",
                  "按时答复率"], mailbox),
        ("依申请公开", ["单位", "功能", "收到申请", "已答复", "按时答复", "超期", "平均答复工作日"], disclosure),
        ("信息报送", ["单位", "报送数", "采用数", "采用率"], sharing),
        ("巡检问题", ["单位", *(INSPECTION_ITEMS[item] for item in found_items),
                  "合计", "已整改", "平均整改天数", "健康度"], findings),
        ("通报批评", ["单位", "情形", "证据"], criticisms),
    ]


def excel_report(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in report_tables(report):
        sheet = workbook.create_sheet(name)
        xlsx_row(sheet, header, font=Font(bold=True))
        for row in rows:
            xlsx_row(sheet, row)
        sheet.freeze_panes = "A2"
        for index, title in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(title)) * 2 + 4))
    workbook.properties.title = report.title
    workbook.properties.creator = ISSUING_OFFICE
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_body(report: Report) -> list[str]:
    """The paragraphs of the 通报, in the office's usual order."""
    rows = report.ranking
    total_items = sum(row.items_total for row in rows)
    received = sum(row.mailbox.get("received", 0) or 0 for row in rows)
    on_time = sum(row.mailbox.get("replied_on_time", 0) or 0 for row in rows)
    replied = sum(row.mailbox.get("replied", 0) or 0 for row in rows)
    findings = sum(row.findings_total for row in rows)
    fixed = sum(row.findings_fixed for row in rows)
    paragraphs = [
        "各镇人民政府（街道办事处），区直各单位：",
        f"根据《源城区政府门户网站管理办法》第十七条、第十八条和《政府网站与政务新媒体检查指标》，区政府办公室对"
        f"{report.start:%Y年%m月%d日}至{report.end:%Y年%m月%d日}各单位政府网站的信息发布、栏目更新、审核发布、"
        f"互动回应和日常巡检情况进行了评估。现将有关情况通报如下：",
        f"一、总体情况。评估期内 {len(rows)} 个单位共发布信息 {total_items} 条；政务邮箱收到来信 {received} 件，"
        f"已答复 {replied} 件，其中按期答复 {on_time} 件；日常巡检发现问题 {findings} 个，已整改 {fixed} 个。",
    ]
    if rows:
        top = "、".join(row.department.name for row in rows[:3])
        paragraphs.append(f"二、绩效排名。{top}等单位绩效得分位居前列，排名详见附表。")
    criticised = report.criticised
    if criticised:
        names = "、".join(row.department.name for row in criticised)
        paragraphs.append(f"三、通报批评。{names}存在《管理办法》第十八条所列情形，予以通报批评，情形和证据详见附表；"
                          f"请有关单位自本通报发布之日起 {RECTIFICATION_DAYS} 日内完成整改，并在网站后台提交整改情况"
                          "（整改内容和佐证材料）报区政府办公室。")
    else:
        paragraphs.append("三、评估期内未发现《管理办法》第十八条所列应予通报批评的情形。")
    paragraphs.append("各单位要进一步落实网站主体责任，加强信息发布审核，及时更新栏目内容，按时答复群众来信，"
                      "确保政府网站安全、规范、有效运行。")
    return paragraphs


def pdf_report(report: Report, paragraphs: list[str] | None = None, issued=None) -> bytes:
    """The 通报 as A4 landscape pages: the text (`paragraphs`, as the office edited it, or the
    generated one), the issuing office and date, then the tables as 附表."""
    from portal.pdf import chinese_font
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

    font = chinese_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=28, alignment=TA_CENTER)
    office_style = ParagraphStyle("office", fontName=font, fontSize=12, leading=20, alignment=TA_CENTER)
    body_style = ParagraphStyle("body", fontName=font, fontSize=11, leading=20, firstLineIndent=22)
    right_style = ParagraphStyle("right", fontName=font, fontSize=11, leading=20, alignment=TA_RIGHT)
    heading_style = ParagraphStyle("heading", fontName=font, fontSize=13, leading=22)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)

    issued = issued or timezone.localdate()
    story = [
        pdf_paragraph(report.title, title_style),
        pdf_paragraph(f"{ISSUING_OFFICE}　{issued:%Y年%m月%d日}", office_style),
        Spacer(1, 6 * mm),
    ]
    story += [pdf_paragraph(text, body_style) for text in (paragraphs or report_body(report))]
    story += [Spacer(1, 8 * mm), pdf_paragraph(ISSUING_OFFICE, right_style),
              pdf_paragraph(f"{issued:%Y年%m月%d日}", right_style)]
    wanted = {"绩效排名", "栏目更新", "政务邮箱", "依申请公开", "巡检问题", "通报批评", "未审核发布"}
    for number, (name, header, rows) in enumerate(
            [table for table in report_tables(report) if table[0] in wanted], start=1):
        story += [PageBreak(), pdf_paragraph(f"附表{number}　{name}", heading_style), Spacer(1, 3 * mm)]
        data = [[pdf_paragraph(cell, cell_style) for cell in header]]
        data += [[pdf_paragraph(cell, cell_style) for cell in row] for row in rows] or [
            [pdf_paragraph("无", cell_style)] + [""] * (len(header) - 1)]
        table = Table(data, repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(table)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=report.title, author=ISSUING_OFFICE,
                                 leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
    document.build(story)
    return buffer.getvalue()
