"""The inspection's check of the statement: from 1 February, the portal must show last year's."""

from datetime import date

from django.utils import timezone

from .models import Statement

ITEM = "annual_statement"


def statement_missing(department, today: date | None = None) -> list[dict]:
    """A finding on the portal when the previous year's statement is not published by 31 January."""
    if not department.is_portal:
        return []
    today = today or timezone.localdate()
    year = today.year - 1
    if today < date(today.year, 2, 1) or Statement.objects.filter(
            year=year, status=Statement.Status.PUBLISHED).exists():
        return []
    return [{
        "item": ITEM, "key": f"statement:{year}", "severity": "serious",
        "title": f"未在 {today.year} 年 1 月 31 日前发布{year}年政府网站工作年度报表",
        "url": "", "edit_url": f"/admin/statement/{year}/" if Statement.objects.filter(year=year).exists()
        else "/admin/statement/",
        "evidence": "《政府网站工作年度报表》须在每年 1 月 31 日前在门户网站首页公开（国办函〔2018〕12号）。"
                    "请在“年度工作报表”中生成、填写并由区政府办公室审核发布。",
    }]
