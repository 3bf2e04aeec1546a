"""Monthly figures from a spreadsheet (.xlsx), the way the accounts' back-ends export them.

The first row names the columns (平台, 账号名称, 月份, 发布量, 关注量; 关注/订阅量 and 订阅数 are
accepted for the last). Every other row is one account's month. A row that cannot be read is
reported with its row number and what to fix; the readable rows are saved all the same, and a
month imported again replaces the earlier figures.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zipfile import BadZipFile

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .models import Account, MonthlyFigure

HEADERS = {
    "platform": ("平台",),
    "name": ("账号名称", "账号"),
    "month": ("月份",),
    "posts": ("发布量", "信息发布量"),
    "followers": ("关注量", "关注/订阅量", "订阅数", "关注量/订阅数"),
}
PLATFORMS = {label: value for value, label in Account.Platform.choices}
MAX_ROWS = 5000


class ImportRefused(ValueError):
    """The file as a whole cannot be read; the message says why in Chinese."""


@dataclass
class ImportResult:
    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _month(value) -> date:
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = [part for part in text.split("-") if part]
    if len(parts) < 2 or not all(part.isdigit() for part in parts[:2]):
        raise ValueError(f"月份“{value or ''}”无法识别，请写成 2026-03 或 2026年3月")
    year, month = int(parts[0]), int(parts[1])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(f"月份“{value}”不存在，请写成 2026-03 或 2026年3月")
    return date(year, month, 1)


def _count(value, label) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text.isdigit():
        raise ValueError(f"{label}“{value if value is not None else ''}”不是非负整数")
    return int(text)


def _columns(header_row) -> dict[str, int]:
    names = [str(cell or "").strip() for cell in header_row]
    columns, missing = {}, []
    for key, accepted in HEADERS.items():
        position = next((index for index, name in enumerate(names) if name in accepted), None)
        if position is None:
            missing.append(accepted[0])
        else:
            columns[key] = position
    if missing:
        raise ImportRefused(
            "表头缺少以下列：" + "、".join(missing) + "。第一行应为：平台、账号名称、月份、发布量、关注量。"
        )
    return columns


def import_figures(file) -> ImportResult:
    """Read the workbook `file` (a path or a file object) and save each readable row."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise ImportRefused("无法读取该文件，请上传 Excel 工作簿（.xlsx）。") from error
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportRefused("文件是空的：第一行应为表头（平台、账号名称、月份、发布量、关注量）。")
        columns = _columns(header)
        accounts = {(account.platform, account.name): account for account in Account.objects.all()}
        result = ImportResult()
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                result.errors.append((number, f"一次最多导入 {MAX_ROWS} 行，其余行未导入，请分成多个文件"))
                break
            if not any(cell not in (None, "") for cell in row):
                continue

            def cell(key, row=row):
                position = columns[key]
                return row[position] if position < len(row) else None

            try:
                platform_label = str(cell("platform") or "").strip()
                platform = PLATFORMS.get(platform_label)
                name = str(cell("name") or "").strip()
                if platform is None:
                    # Accounts on other platforms may be listed under their own platform's name.
                    candidates = [a for (p, n), a in accounts.items() if n == name and p == Account.Platform.OTHER
                                  and a.platform_name == platform_label]
                    if not candidates:
                        raise ValueError(f"平台“{platform_label}”不是微博、微信或已登记的其他平台名称")
                    account = candidates[0]
                else:
                    account = accounts.get((platform, name))
                if account is None:
                    raise ValueError(f"未登记的账号“{name}”（{platform_label}），请先在政务新媒体账号中登记")
                month = _month(cell("month"))
                posts = _count(cell("posts"), "发布量")
                followers = _count(cell("followers"), "关注量")
            except ValueError as error:
                result.errors.append((number, str(error)))
                continue
            with transaction.atomic():
                MonthlyFigure.objects.update_or_create(
                    account=account, month=month, defaults={"posts": posts, "followers": followers}
                )
            result.saved += 1
        return result
    finally:
        workbook.close()
