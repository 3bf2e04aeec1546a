"""The annual report (政府信息公开工作年度报告) in the national table format.

Generated from the platform's data for a year, for one department or the whole district:

- 主动公开: catalogue entries published in the year, by 体裁 and by 主题分类;
- 收到和处理政府信息公开申请情况: new applications by applicant type, those carried over from
  earlier years, the year's results by decision, and those carried forward to the next year;
- 行政复议、行政诉讼: entered by hand (the platform does not hold them).

Everything stays editable until the report is published. The request table must balance for
every applicant column — new + carried over = handled + carried forward — and a report that
does not balance cannot be published. Reports are due by 31 January of the following year.
"""

from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from portal.audit.log import record
from portal.plugins import documents_changed

from .applications import require_head
from .models import AnnualReport, ApplicantType, Application, CatalogueItem, Decision, Genre
from .topics import TOPIC_TREE

COLUMNS = list(ApplicantType.values)
COLUMN_LABELS = dict(ApplicantType.choices)
RESULTS = list(Decision.values)
RESULT_LABELS = dict(Decision.choices)
REQUEST_ROWS = ["new", "carried_over", *[f"result_{decision}" for decision in RESULTS], "carried_forward"]
REQUEST_ROW_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    **{f"result_{decision}": f"三、本年度办理结果：{label}" for decision, label in Decision.choices},
    "carried_forward": "四、结转下年度继续办理",
}
REVIEW_KINDS = [("review", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
                ("litigation_after_review", "行政诉讼（复议后起诉）")]
REVIEW_RESULTS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")]


class ReportError(Exception):
    """The report cannot be published or changed as asked; the message says why."""


def today_year() -> int:
    from .applications import today_in_shanghai

    return today_in_shanghai().year


def due_date(year: int) -> date:
    return date(year + 1, 1, 31)


# -- generating ----------------------------------------------------------------------------------


def _empty_requests() -> dict:
    return {row: dict.fromkeys(COLUMNS, 0) for row in REQUEST_ROWS}


def request_table(department, year: int) -> dict:
    """{row: {applicant type: count}} counted from the applications."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    applications = Application.objects.all()
    if department is not None:
        applications = applications.filter(department=department)
    table = _empty_requests()
    relevant = applications.filter(received_on__lte=end).filter(Q(answered_on__isnull=True) | Q(answered_on__gte=start))
    for applicant_type, received_on, answered_on, decision in relevant.values_list(
            "applicant_type", "received_on", "answered_on", "decision"):
        table["new" if received_on >= start else "carried_over"][applicant_type] += 1
        if answered_on is not None and answered_on <= end:
            table[f"result_{decision}"][applicant_type] += 1
        else:
            table["carried_forward"][applicant_type] += 1
    return table


def proactive_table(department, year: int) -> dict:
    items = CatalogueItem.objects.filter(year=year)
    if department is not None:
        items = items.filter(department=department)
    genres = Counter(items.values_list("genre", flat=True))
    topics = Counter(topic.split("-")[0] for topic in items.values_list("topic", flat=True))
    return {
        "by_genre": {genre: genres.get(genre, 0) for genre in Genre.values},
        "by_topic": {code: topics.get(code, 0) for code, _name, _children in TOPIC_TREE},
        "total": sum(genres.values()),
    }


def generate(department, year: int) -> dict:
    return {
        "proactive": proactive_table(department, year),
        "requests": request_table(department, year),
        "review": {kind: dict.fromkeys((key for key, _ in REVIEW_RESULTS), 0) for kind, _ in REVIEW_KINDS},
        "overview": "",
        "problems": "",
    }


@transaction.atomic
def generate_report(department, year: int, *, user, request=None) -> AnnualReport:
    """Create the year's draft, or refresh a draft's counted tables (hand-entered parts stay)."""
    report = AnnualReport.objects.select_for_update().filter(department=department, year=year).first()
    fresh = generate(department, year)
    if report is None:
        report = AnnualReport.objects.create(department=department, year=year, data=fresh)
    else:
        if report.status == AnnualReport.Status.PUBLISHED:
            raise ReportError(f"{report.title}已发布，不能重新生成")
        report.data = {**fresh, "review": report.data.get("review", fresh["review"]),
                       "overview": report.data.get("overview", ""), "problems": report.data.get("problems", "")}
        report.save(update_fields=["data"])
    _audit("disclosure_report_generate", report, user, request)
    return report


def _audit(event, report, user, request, **details):
    record(event, request=request, user=user, department=report.department,
           target=f"disclosure.report:{report.pk}", details={"report": report.pk, "year": report.year, **details})


# -- reading, checking, editing, publishing ------------------------------------------------------


def column_total(row: dict) -> int:
    return sum(int(row.get(column, 0)) for column in COLUMNS)


def handled(requests: dict, column: str) -> int:
    return sum(int(requests[f"result_{decision}"].get(column, 0)) for decision in RESULTS)


def imbalances(data: dict) -> list[str]:
    """The applicant columns where new + carried over ≠ handled + carried forward, explained."""
    requests = data["requests"]
    problems = []
    for column in [*COLUMNS, "total"]:
        def value(row, column=column):
            return column_total(requests[row]) if column == "total" else int(requests[row].get(column, 0))

        incoming = value("new") + value("carried_over")
        results = (sum(value(f"result_{decision}") for decision in RESULTS))
        outgoing = results + value("carried_forward")
        if incoming != outgoing:
            label = "总计" if column == "total" else COLUMN_LABELS[column]
            problems.append(f"{label}：新收 {value('new')} + 上年结转 {value('carried_over')} = {incoming}，"
                            f"但办理结果 {results} + 结转下年 {value('carried_forward')} = {outgoing}")
    return problems


@transaction.atomic
def update_report(report, data: dict, *, user, request=None) -> None:
    if report.status == AnnualReport.Status.PUBLISHED:
        raise ReportError("年报已发布，不能修改")
    report.data = data
    report.save(update_fields=["data"])
    _audit("disclosure_report_edit", report, user, request)


def report_segments(report) -> list[tuple[str, str]]:
    """The texts of the report people wrote, named as the form names them, for the 保密 scan."""
    return [("年报标题", report.title), ("年报“总体情况”", report.data.get("overview") or ""),
            ("年报“存在的主要问题及改进情况”", report.data.get("problems") or "")]


def publish_report(report, *, user, request=None) -> None:
    """Publish the report: the 负责人's (or the centre's) act, balanced, and through the same
    confidentiality gate as an article (a classification mark or personal data stops it unless a
    安全管理员's 保密审查 agreed to exactly this content)."""
    from portal.governance.confidentiality import ConfidentialityBlocked, check_text_publishable

    require_head(user, report.department, "发布信息公开年报")
    if report.status == AnnualReport.Status.PUBLISHED:
        raise ReportError("年报已经发布")
    problems = imbalances(report.data)
    if problems:
        raise ReportError(
            "申请情况表不平衡（新收 + 上年结转 应等于 办理结果 + 结转下年），不能发布：" + "；".join(problems)
        )
    try:
        check_text_publishable(report_segments(report), "publish", department=report_site(report), user=user,
                               target=f"disclosure.report:{report.pk}")
    except ConfidentialityBlocked as blocked:
        blocked.record(request)
        raise ReportError(blocked.text) from None
    _publish(report, user=user, request=request)


@transaction.atomic
def _publish(report, *, user, request=None) -> None:
    report.status = AnnualReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = user
    report.save(update_fields=["status", "published_at", "published_by"])
    _audit("disclosure_report_publish", report, user, request)
    site = report_site(report)
    if site is not None:
        documents_changed(site)  # a published report joins the site-wide search


def report_site(report):
    """The site a report belongs to: its department's, or the portal's for the district report."""
    if report.department_id:
        return report.department
    from tenants.models import Department

    return Department.objects.filter(kind="portal", status="active").first()


def published_report_documents(department) -> list[dict]:
    reports = AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED)
    reports = reports.filter(Q(department=department) | Q(department__isnull=True)) if department.is_portal \
        else reports.filter(department=department)
    documents = []
    for report in reports.select_related("department"):
        rows = rows_for_display(report.data)
        summary = (f"本年新收政府信息公开申请 {rows['requests'][0][2]} 件，"
                   f"主动公开政府信息 {rows['proactive_total']} 条。")
        documents.append({
            "kind": "annual_report", "type_label": "信息公开年报", "object_id": report.pk, "title": report.title,
            "url": f"/catalogue/reports/{report.pk}/", "publish_time": report.published_at,
            "summary": summary, "body_text": f"{report.data.get('overview', '')}\n{summary}\n"
                                             f"{report.data.get('problems', '')}",
        })
    return documents


def rows_for_display(data: dict) -> dict:
    """The tables as lists of rows, in the national order, with the 总计 column."""
    requests = data["requests"]
    request_rows = [
        (REQUEST_ROW_LABELS[row], [int(requests[row].get(column, 0)) for column in COLUMNS],
         column_total(requests[row]))
        for row in REQUEST_ROWS
    ]
    handled_row = ("三、本年度办理结果：合计", [handled(requests, column) for column in COLUMNS],
                   sum(handled(requests, column) for column in COLUMNS))
    request_rows.insert(2 + len(RESULTS), handled_row)
    review_rows = []
    for kind, label in REVIEW_KINDS:
        values = [int(data["review"][kind].get(key, 0)) for key, _ in REVIEW_RESULTS]
        review_rows.append((label, values, sum(values)))
    topic_names = {code: name for code, name, _children in TOPIC_TREE}
    return {
        "columns": [COLUMN_LABELS[column] for column in COLUMNS],
        "requests": request_rows,
        "review_columns": [label for _, label in REVIEW_RESULTS],
        "review": review_rows,
        "genres": [(label, data["proactive"]["by_genre"].get(genre, 0)) for genre, label in Genre.choices],
        "topics": [(topic_names[code], count) for code, count in data["proactive"]["by_topic"].items() if count],
        "proactive_total": data["proactive"]["total"],
    }


# -- PDF -------------------------------------------------------------------------------------------


def report_pdf(report) -> bytes:
    """The published report as a PDF in the national table layout."""
    import io

    from portal.exporting import pdf_paragraph
    from portal.pdf import chinese_font
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    font = chinese_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=11)
    table_style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ])
    rows = rows_for_display(report.data)

    story = [pdf_paragraph(report.title, title_style), Spacer(1, 6 * mm)]
    story += [pdf_paragraph("一、总体情况", heading),
              pdf_paragraph(report.data.get("overview") or "（无）", body)]
    story += [pdf_paragraph("二、主动公开政府信息情况", heading)]
    genre_table = [["体裁", *[label for label, _ in rows["genres"]], "合计"],
                   ["条数", *[str(count) for _, count in rows["genres"]], str(rows["proactive_total"])]]
    story.append(Table(genre_table, style=table_style))
    story += [pdf_paragraph("三、收到和处理政府信息公开申请情况", heading)]
    request_table_rows = [["", *rows["columns"], "总计"]]
    request_table_rows += [[pdf_paragraph(label, cell), *[str(v) for v in values], str(total)]
                           for label, values, total in rows["requests"]]
    story.append(Table(request_table_rows, colWidths=[80 * mm] + [22 * mm] * (len(rows["columns"]) + 1),
                       style=table_style))
    story += [pdf_paragraph("四、政府信息公开行政复议、行政诉讼情况", heading)]
    review_rows = [["", *rows["review_columns"], "总计"]]
    review_rows += [[label, *[str(v) for v in values], str(total)] for label, values, total in rows["review"]]
    story.append(Table(review_rows, style=table_style))
    story += [pdf_paragraph("五、存在的主要问题及改进情况", heading),
              pdf_paragraph(report.data.get("problems") or "（无）", body)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), title=report.title, leftMargin=15 * mm,
                      rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm).build(story)
    return buffer.getvalue()
