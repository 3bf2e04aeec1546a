"""The plugin's checks in the daily inspection (item 信息公开), run inside a department's schema."""

from datetime import date

from .applications import overdue, today_in_shanghai
from .models import AnnualReport, Application


def overdue_applications(department, today: date | None = None) -> list[dict]:
    """Applications past their reply deadline (a request waiting for 补正 is paused, not late)."""
    today = today or today_in_shanghai()
    late = overdue(Application.objects.filter(department=department), today)
    return [{
        "item": "disclosure", "key": f"application:{application.pk}", "severity": "serious",
        "title": f"依申请公开申请逾期未答复（已超期 {(today - application.due_date).days} 天）",
        "edit_url": f"{department.base_url}/admin/plugins/disclosure/{application.pk}/",
        "evidence": f"收到申请 {application.received_on:%Y-%m-%d}，答复期限 {application.due_date:%Y-%m-%d}",
    } for application in late]


def unpublished_annual_report(department, today: date | None = None) -> list[dict]:
    """Last year's annual report must be published by 31 January (the portal answers for the
    district's report)."""
    today = today or today_in_shanghai()
    year = today.year - 1
    if today <= date(today.year, 1, 31):
        return []
    reports = AnnualReport.objects.filter(year=year, status=AnnualReport.Status.PUBLISHED)
    published = reports.filter(department__isnull=True) if department.is_portal else reports.filter(
        department=department)
    if published.exists():
        return []
    whose = "全区" if department.is_portal else department.name
    return [{
        "item": "disclosure", "key": f"annual_report:{year}", "severity": "serious",
        "title": f"{whose}{year}年政府信息公开工作年度报告未在 {year + 1}年1月31日前发布",
        "url": f"{department.base_url}/catalogue/reports/",
        "edit_url": f"{department.base_url}/admin/plugins/disclosure/reports/",
    }]


def missing_standard_parts(department) -> list[dict]:
    """信息公开指南, 制度, 法定主动公开内容, 年报, 依申请公开 must exist and be live."""
    from portal.pages.models import ColumnPage, HomePage

    from .hooks import STANDARD_PARTS

    # The site's own 信息公开 column (a deleted one waits in the 回收站, beside the home page).
    home = HomePage.objects.filter(depth=2).first()
    disclosure = ColumnPage.objects.child_of(home).filter(column_type="disclosure").first() if home else None
    live = set()
    if disclosure is not None:
        live = set(ColumnPage.objects.child_of(disclosure).live().values_list("slug", flat=True))
    return [{
        "item": "disclosure", "key": f"part:{slug}", "severity": "normal",
        "title": f"信息公开栏目缺少“{title}”", "url": f"{department.base_url}/disclosure/",
    } for slug, title, _description in STANDARD_PARTS if slug not in live]
