"""索引号 (index numbers): `机构代码/年份-5位流水号`, per department and year, never reused.

The counter row of (department, year) is locked with `SELECT … FOR UPDATE` inside the caller's
transaction, so two entries published at the same moment get consecutive numbers, and a publish
that rolls back gives its number back (no gap). An entry keeps the number it got first: asking
again for the same page returns the same number.
"""

import re

from django.db import connection, transaction
from portal.governance.confidentiality import PublishingBlocked

from .models import IndexCounter, IndexNumber

INDEX_NUMBER_PATTERN = re.compile(r"^[0-9A-Z]{9,18}/\d{4}-\d{5}$")
ORGANIZATION_CODE_PATTERN = re.compile(r"^[0-9A-Z]{9,18}$")


class NumberingError(PublishingBlocked):
    """The department cannot give out index numbers; the message says what to fix (the admin
    shows it like any other publishing rule that stopped a publish)."""


def format_number(organization_code: str, year: int, sequence: int) -> str:
    return f"{organization_code}/{year:04d}-{sequence:05d}"


def number_for(department, page_id: int, year: int) -> str:
    """The page's index number: the one it already has, or the next of (department, year)."""
    existing = IndexNumber.objects.filter(department=department, page_id=page_id).values_list(
        "index_number", flat=True).first()
    if existing:
        return existing
    code = (department.organization_code or "").strip().upper()
    if not ORGANIZATION_CODE_PATTERN.match(code):
        raise NumberingError(
            f"{department.name}尚未设置有效的机构代码（9–18 位数字或大写字母），无法生成索引号，请联系区信息中心"
        )
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Create the year's counter if it is the first entry of the year; a concurrent
            # creator waits here and then finds the row.
            cursor.execute(
                f"INSERT INTO {IndexCounter._meta.db_table} (department_id, year, last_sequence) "
                "VALUES (%s, %s, 0) ON CONFLICT (department_id, year) DO NOTHING",
                [department.pk, year],
            )
        counter = IndexCounter.objects.select_for_update().get(department=department, year=year)
        # Another transaction may have numbered this page while we waited for the lock.
        existing = IndexNumber.objects.filter(department=department, page_id=page_id).values_list(
            "index_number", flat=True).first()
        if existing:
            return existing
        counter.last_sequence += 1
        if counter.last_sequence > 99999:
            raise NumberingError(f"{department.name} {year} 年的索引号流水号已用完")
        counter.save(update_fields=["last_sequence"])
        number = format_number(code, year, counter.last_sequence)
        IndexNumber.objects.create(
            department=department, page_id=page_id, year=year, sequence=counter.last_sequence, index_number=number
        )
    return number
