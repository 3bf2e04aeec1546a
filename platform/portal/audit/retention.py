"""Retention of the audit log: at least 180 days (网络安全法 第二十一条: six months).

Rows are removed only by PostgreSQL's `audit_prune_events()` (migration 0002), which refuses
fewer than 180 days; the table's trigger refuses every other DELETE and every UPDATE.
"""

from django.db import connection, transaction
from django_tenants.utils import schema_context

MINIMUM_DAYS = 180


class RetentionError(Exception):
    """A retention shorter than the law allows; the message says so in Chinese."""


def prune(days: int) -> int:
    """Deletes audit rows older than `days` days and returns how many; logs that it did."""
    if days < MINIMUM_DAYS:
        raise RetentionError(f"审计日志至少保留 {MINIMUM_DAYS} 天（网络安全法第二十一条），不能只保留 {days} 天")
    from .log import record

    with schema_context("public"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_prune_events(%s)", [days])
            removed = cursor.fetchone()[0]
        record("audit_prune", target=f"{days} 天以前", details={"days": days, "removed": removed})
    return removed
