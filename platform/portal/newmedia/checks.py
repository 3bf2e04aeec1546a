"""The inspection's check of the register: operating accounts with no figures for the last quarter.

The register offers `accounts_without_figures` through the `inspection_checks` hook (see hooks.py). It runs inside a
department's schema, like every check, and reports that department's own accounts.
"""

from datetime import date

from django.utils import timezone

from .models import Account, MonthlyFigure

ITEM = "newmedia"


def last_quarter(today: date) -> tuple[date, date]:
    """The first days of the three months of the last complete calendar quarter before `today`."""
    quarter_start_month = (today.month - 1) // 3 * 3 + 1
    year, month = today.year, quarter_start_month - 3
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), date(year, month + 2, 1)


def accounts_without_figures(department, today: date | None = None) -> list[dict]:
    """Findings for the department's accounts that were operating during the whole last quarter
    and have no monthly figure for at least one of its months."""
    first, last = last_quarter(today or timezone.localdate())
    months = [first.replace(month=first.month + offset) for offset in range(3)]
    accounts = Account.objects.filter(
        department_id=department.pk, status=Account.Status.OPERATING, opened_on__lt=first
    )
    have = set(
        MonthlyFigure.objects.filter(account__in=accounts, month__gte=first, month__lte=last)
        .values_list("account_id", "month")
    )
    quarter = f"{first.year}年第{(first.month - 1) // 3 + 1}季度"
    findings = []
    for account in accounts:
        missing = [month for month in months if (account.pk, month) not in have]
        if not missing:
            continue
        findings.append({
            "item": ITEM,
            "key": f"newmedia:{account.pk}:{first:%Y-%m}",
            "title": f"政务新媒体账号“{account.name}”（{account.platform_label}）缺少{quarter}的月度数据",
            "severity": "normal",
            "url": "",
            "edit_url": f"/admin/newmedia/figures/?account={account.pk}",
            "evidence": "缺少月份：" + "、".join(f"{month.year}年{month.month}月" for month in missing)
                        + "。请在“政务新媒体 › 月度数据”中录入或导入。",
        })
    return findings
