"""Receivers of publishing governance: the submission gate, review audit events, unreviewed publishes.

Publish, unpublish and delete are already audited by `portal.signals`; this adds what the
workflow does (`submit`, `approve`, `reject` with its comment) and `publish_without_review`.
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import page_published, task_approved, task_rejected, task_submitted

from portal.audit.log import record as audit_record

from .confidentiality import PublishingBlocked, check_publishable, current_site_department
from .workflow import holds_head_role, is_reviewed_publish, publishing_user


class RejectionCommentRequired(PublishingBlocked):
    pass


def _page_of(state):
    page = state.content_object
    return getattr(page, "specific", page)


def _target(page) -> str:
    return f"{page.title} (#{page.pk})"


@receiver(pre_save, sender=WorkflowState)
def gate_submission(sender, instance, **kwargs):
    """A submission (new, or resumed after changes were requested) is scanned like a publish."""
    from portal.pages.models import ArticlePage

    if instance.status != WorkflowState.STATUS_IN_PROGRESS:
        return
    if instance.pk is not None:
        before = WorkflowState.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if before != WorkflowState.STATUS_NEEDS_CHANGES:
            return
    page = _page_of(instance)
    if isinstance(page, ArticlePage):
        check_publishable(page.get_latest_revision_as_object(), "submit", user=instance.requested_by)


@receiver(pre_save, sender=TaskState)
def require_rejection_comment(sender, instance, **kwargs):
    if instance.status == TaskState.STATUS_REJECTED and not (instance.comment or "").strip():
        page = _page_of(instance.workflow_state)
        raise RejectionCommentRequired("退回修改时必须填写意见，说明需要修改什么", page=page)


@receiver(task_submitted)
def on_task_submitted(sender, instance, user=None, **kwargs):
    page = _page_of(instance.workflow_state)
    audit_record("submit", user=user, target=_target(page),
                 details={"workflow": instance.workflow_state.workflow.name, "task": instance.task.name,
                          "revision_id": instance.revision_id})


@receiver(task_approved)
@receiver(task_rejected)
def on_task_decided(sender, instance, user=None, signal=None, **kwargs):
    page = _page_of(instance.workflow_state)
    audit_record("approve" if signal is task_approved else "reject", user=user, target=_target(page),
                 details={"task": instance.task.name, "comment": instance.comment or "",
                          "revision_id": instance.revision_id})


@receiver(page_published)
def on_page_published(sender, instance, revision=None, **kwargs):
    """Going live without an approved review is allowed, and recorded (第十八条(二))."""
    from portal.pages.models import ColumnPage, HomePage

    from .models import UnreviewedPublication

    # The site's structure (home page, columns) is not information that needs a review; a publish
    # scheduled for later is recorded when it actually goes live.
    if isinstance(instance, HomePage | ColumnPage) or not instance.live:
        return
    department = current_site_department()
    if department is None or is_reviewed_publish(instance, revision):
        return
    user = publishing_user.get() or getattr(revision, "user", None)
    route = UnreviewedPublication.Route.DIRECT if user is not None else UnreviewedPublication.Route.SYSTEM
    by_head = holds_head_role(user, department)
    UnreviewedPublication.objects.create(
        department=department, page_id=instance.pk, title=instance.title[:255],
        revision_id=getattr(revision, "pk", None), user=user, username=user.get_username() if user else "",
        route=route, by_head=by_head,
    )
    audit_record(
        "publish_without_review", user=user, department=department, target=_target(instance),
        details={"route": route, "by_head": by_head, "revision_id": getattr(revision, "pk", None)},
    )
