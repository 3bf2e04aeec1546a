"""信息报送 and reuse: the one place that submits, decides and creates reference pages.

Views, tests and scripts call these functions; each checks who may do it with the receiving
site's own page permissions (the roles the department gave), so no route can skip the check.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from portal.audit.log import record
from portal.models import PublishedItem

from .models import Submission


class SharingError(Exception):
    """Something the person can fix; the message says what, in Chinese."""


def original_item(submission: Submission) -> PublishedItem | None:
    return PublishedItem.objects.filter(department_id=submission.source_department_id, kind="article",
                                        object_id=submission.source_page_id).first()


def submit(*, item: PublishedItem, target_department, column_type: str, note: str, user,
           request=None) -> Submission:
    """A department offers one of its live items to a column (by type) of another site."""
    if item.department_id == target_department.pk:
        raise SharingError("不能报送给本单位网站，请选择其他网站")
    duplicate = Submission.objects.filter(
        source_department_id=item.department_id, source_page_id=item.object_id, target_department=target_department,
        target_column_type=column_type, status__in=[Submission.Status.PENDING, Submission.Status.ACCEPTED])
    if duplicate.exists():
        raise SharingError("这条信息已报送到该栏目，请在“我的报送”查看处理情况")
    submission = Submission.objects.create(
        kind=Submission.Kind.SUBMISSION, source_department_id=item.department_id, source_page_id=item.object_id,
        title=item.title, url=item.url, target_department=target_department, target_column_type=column_type,
        note=note, submitter=user)
    record("sharing_submit", request=request, user=user, department=item.department, target=item.title,
           details={"to": target_department.name, "column_type": column_type})
    return submission


def receiving_columns(user, column_type: str | None = None):
    """Inside the receiving department's schema: the live columns `user` may add items to."""
    from portal.pages.models import ColumnPage

    columns = ColumnPage.objects.live().filter(depth__gte=3).order_by("path")
    if column_type:
        columns = columns.filter(column_type=column_type)
    return [column for column in columns if column.permissions_for_user(user).can_add_subpage()]


def _create_reference(submission: Submission, *, column_id: int, user):
    """Inside the receiving schema: the reference page as a draft, handed to the site's review rule."""
    from portal.pages.models import ColumnPage
    from portal.sharing.references.models import SharedItemPage

    column = ColumnPage.objects.filter(pk=column_id).first()
    if column is None:
        raise SharingError("所选栏目不存在，请重新选择")
    if not column.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied("您没有在该栏目发布信息的权限")
    item = original_item(submission)
    if item is None:
        raise SharingError("原文已撤下或不再公开，无法采用")
    source_schema = submission.source_department.schema_name
    if SharedItemPage.objects.child_of(column).filter(source_schema=source_schema,
                                                      source_page_id=item.object_id).exists():
        raise SharingError(f"栏目“{column.title}”中已有这条信息")
    page = SharedItemPage(
        title=item.title, slug=f"shared-{source_schema}-{item.object_id}", publish_time=item.publish_time,
        source=item.source or item.department.name, summary=item.summary,
        information_date=item.information_date, source_schema=source_schema, source_page_id=item.object_id,
        owner=user, live=False)
    column.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        # The receiving site's review rule: its 负责人 approves before the reference goes live.
        workflow.start(page, user)
    else:
        revision.publish(user=user)
    return column, page


@transaction.atomic
def accept(submission: Submission, *, user, column_id: int, request=None) -> Submission:
    """The receiving site takes the item into one of its columns."""
    if submission.status != Submission.Status.PENDING:
        raise SharingError(f"这条报送已{submission.get_status_display()}，不能再次处理")
    with tenant_context(submission.target_department):
        column, page = _create_reference(submission, column_id=column_id, user=user)
    _decided(submission, Submission.Status.ACCEPTED, "", user, column, page)
    record("sharing_accept", request=request, user=user, department=submission.target_department,
           target=submission.title, details={"from": submission.source_department.name, "column": column.title})
    return submission


@transaction.atomic
def reject(submission: Submission, *, user, reason: str, request=None) -> Submission:
    if submission.status != Submission.Status.PENDING:
        raise SharingError(f"这条报送已{submission.get_status_display()}，不能再次处理")
    if not reason.strip():
        raise SharingError("不采用时请填写理由，报送单位会看到它")
    with tenant_context(submission.target_department):
        if not receiving_columns(user):
            raise PermissionDenied("您没有处理该网站报送信息的权限")
    _decided(submission, Submission.Status.REJECTED, reason.strip(), user)
    record("sharing_reject", request=request, user=user, department=submission.target_department,
           target=submission.title, details={"from": submission.source_department.name, "reason": reason})
    return submission


def _decided(submission, status, reason, user, column=None, page=None):
    submission.status = status
    submission.decision_reason = reason
    submission.decided_by = user
    submission.decided_at = timezone.now()
    if column is not None:
        submission.target_column_title = column.title
        submission.reference_page_id = page.pk
    submission.save()


@transaction.atomic
def reuse(*, item: PublishedItem, target_department, column_id: int, user, request=None) -> Submission:
    """资源库 复用: an editor of the receiving site takes a live item into one of its columns."""
    if item.department_id == target_department.pk:
        raise SharingError("这是本网站自己的信息，无需复用")
    with tenant_context(target_department):
        from portal.pages.models import ColumnPage

        column = ColumnPage.objects.filter(pk=column_id).first()
        column_type = getattr(column, "column_type", "")
    submission = Submission(
        kind=Submission.Kind.REUSE, source_department_id=item.department_id, source_page_id=item.object_id,
        title=item.title, url=item.url, target_department=target_department, target_column_type=column_type,
        submitter=user)
    submission.source_department = item.department
    with tenant_context(target_department):
        column, page = _create_reference(submission, column_id=column_id, user=user)
    submission.save()
    _decided(submission, Submission.Status.ACCEPTED, "", user, column, page)
    record("sharing_reuse", request=request, user=user, department=target_department, target=item.title,
           details={"from": item.department.name, "column": column.title})
    return submission


def statistics(departments, start, end) -> dict[int, dict[str, object]]:
    """报送数, 采用数 and 采用率 by department id, for submissions made from `start` to `end`
    (dates, inclusive): one query however many departments."""
    from datetime import datetime, time

    from django.db.models import Count, Q

    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, tzinfo=tz)
    finish = datetime.combine(end, time.max, tzinfo=tz)
    adopted = Q(status__in=[Submission.Status.ACCEPTED, Submission.Status.WITHDRAWN])
    rows = (Submission.objects.filter(kind=Submission.Kind.SUBMISSION, created_at__range=(begin, finish),
                                      source_department__in=departments)
            .values("source_department").annotate(submitted=Count("id"), accepted=Count("id", filter=adopted)))
    figures = {department.pk: {"submitted": 0, "accepted": 0, "rate": None} for department in departments}
    for row in rows:
        figures[row["source_department"]] = {
            "submitted": row["submitted"], "accepted": row["accepted"],
            "rate": round(100 * row["accepted"] / row["submitted"], 1) if row["submitted"] else None}
    return figures
