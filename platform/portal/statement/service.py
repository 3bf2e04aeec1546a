"""Drafting, completing, reviewing and publishing a year's statement.

The centre (系统管理员) or the 区政府办公室 generates the draft and enters what the platform cannot
know; regenerating refreshes the computed fields and keeps what was entered. The 区政府办公室 (the
site's owner, 第五条) reviews and publishes it; after that it no longer changes. It is due on
the portal's homepage by 31 January of the following year (国办函〔2018〕12号).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from portal.accounts.roles import is_office_admin
from portal.audit.log import record
from tenants.admin_views import is_central_admin

from .compute import compute, with_totals
from .fields import MANUAL_FIELDS
from .models import Statement


class StatementError(Exception):
    """The statement cannot be changed as asked; the message says why, in Chinese."""


def due_date(year: int) -> date:
    return date(year + 1, 1, 31)


def may_draft(user) -> bool:
    return is_central_admin(user) or is_office_admin(user)


def may_publish(user) -> bool:
    return is_office_admin(user)


def _audit(event, statement, user, request, **details):
    record(event, request=request, user=user, target=f"statement:{statement.year}",
           details={"year": statement.year, **details})


@transaction.atomic
def generate(year: int, *, user, request=None) -> Statement:
    """The year's draft, created or with its computed fields refreshed (what was entered stays)."""
    statement = Statement.objects.select_for_update().filter(year=year).first()
    if statement is not None and statement.is_published:
        raise StatementError(f"{statement.title}已发布，不能重新生成")
    computed = compute(year)
    now = timezone.now()
    if statement is None:
        statement = Statement.objects.create(year=year, data={"computed": computed, "manual": {}},
                                             generated_at=now, generated_by=user)
    else:
        statement.data = {**statement.data, "computed": computed}
        statement.generated_at, statement.generated_by = now, user
        statement.save(update_fields=["data", "generated_at", "generated_by"])
    _audit("statement_generate", statement, user, request)
    return statement


@transaction.atomic
def enter(statement: Statement, values: dict, *, user, request=None) -> None:
    """Save the fields entered by hand (`values` as cleaned by the form: None for not entered)."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.is_published:
        raise StatementError("年度报表已发布，不能修改")
    statement.data = {**statement.data, "manual": {field.key: values.get(field.key) for field in MANUAL_FIELDS}}
    statement.save(update_fields=["data"])
    _audit("statement_edit", statement, user, request)


def missing_entries(statement: Statement) -> list[str]:
    """Labels of the hand-entered fields still empty (其他创新做法 may stay empty)."""
    manual = statement.data.get("manual") or {}
    return [field.label for field in MANUAL_FIELDS
            if field.key != "innovation_other" and manual.get(field.key) is None]


@transaction.atomic
def publish(statement: Statement, *, user, request=None) -> None:
    if not may_publish(user):
        raise StatementError("年度报表由区政府办公室管理员审核发布")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.is_published:
        raise StatementError("年度报表已经发布")
    missing = missing_entries(statement)
    if missing:
        raise StatementError("还有需要人工填写的项目没有填写，不能发布：" + "、".join(missing))
    statement.status = Statement.Status.PUBLISHED
    statement.published_at, statement.published_by = timezone.now(), user
    statement.save(update_fields=["status", "published_at", "published_by"])
    _audit("statement_publish", statement, user, request)


def values_of(statement: Statement) -> dict:
    """Every field's value: computed, entered, and the totals that add the two."""
    computed = statement.data.get("computed") or {}
    manual = statement.data.get("manual") or {}
    return {**with_totals(computed, manual), **{key: manual.get(key) for key in (f.key for f in MANUAL_FIELDS)}}


def latest_published() -> Statement | None:
    return Statement.objects.filter(status=Statement.Status.PUBLISHED).order_by("-year").first()
