"""Retention of the audit log: at least 180 days (网络安全法 第二十一条: six months).

Rows are removed only by PostgreSQL's `audit_prune_events(days)` (migration 0003): a SECURITY
DEFINER function of the owner role, the one thing the application role may do beyond adding and
reading rows. It refuses fewer than 180 days and writes the audit row of its own pruning in the
same transaction, so a pruning cannot happen unrecorded, whoever calls it.
"""

from django.db import connection, transaction
from django_tenants.utils import schema_context

MINIMUM_DAYS = 180


class RetentionError(Exception):
    """A retention shorter than the law allows; the message says so in Chinese."""


def prune(days: int) -> int:
    """Deletes audit rows older than `days` days and returns how many."""
    if days < MINIMUM_DAYS:
        raise RetentionError(f"审计日志至少保留 {MINIMUM_DAYS} 天（网络安全法第二十一条），不能只保留 {days} 天")
    from portal.plugins import hooks_for

    with schema_context("public"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT public.audit_prune_events(%s)", [days])
            removed = cursor.fetchone()[0]
    # The row is PostgreSQL's; plugins that follow the log hear of it as of any other event.
    hooks_for(None).audit_event(event="audit_prune", user=None, department=None, target=f"{days} 天以前",
                                success=True, details={"days": days, "removed": removed})
    return removed
