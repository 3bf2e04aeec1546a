"""Review before publishing (第七条(四), 第十二条): the department's workflow and how a publish is told apart.

Every department has one Wagtail workflow, 信息发布审核, with one task, 负责人审核, a
`GroupApprovalTask` for the department's 负责人 group, assigned to the department's home page and
so to every page below it. The 业务员 saves drafts and submits; a 负责人 approves (which publishes)
or requests changes with a comment.

A publish counts as *reviewed* when the page's workflow was approved and the revision that goes
live already existed when the 负责人 approved it: the revision that was submitted, or what the
负责人 saw and changed in the editor while approving. Wagtail's approval publishes from inside
`WorkflowState.finish()`, after it has stored the approved task state, so this is decided from
the stored states and works the same for a publish scheduled by the approval and carried out
later. Anything else that goes live — a 负责人 or an administrator pressing 发布, a bulk publish,
a copy kept live, an import — is recorded as an `UnreviewedPublication` and in the audit log.
"""

from __future__ import annotations

from contextvars import ContextVar

REVIEW_WORKFLOW_NAME = "信息发布审核"
REVIEW_TASK_NAME = "负责人审核"
# Wagtail's own first migration creates this workflow for its stock "Moderators" group.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"

# Who is publishing, where `Page.publish()` knows it but the `page_published` signal does not.
publishing_user: ContextVar = ContextVar("governance_publishing_user", default=None)


def ensure_review_workflow(home, head_group):
    """Inside a department's schema: the workflow, its task for the 负责人 group, on the home page."""
    from wagtail.models import GroupApprovalTask, Task, Workflow, WorkflowPage, WorkflowTask

    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME, active=True)
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([head_group])

    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=REVIEW_WORKFLOW_NAME, active=True)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    WorkflowPage.objects.exclude(page=home).delete()
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    # The stock workflow would otherwise be offered for the stock groups we removed.
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).exclude(pk=workflow.pk).update(active=False)
    Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).exclude(pk=task.pk).update(active=False)
    return workflow


def approving_task_state(page, revision):
    """The approved task state that covers `revision` going live, or None."""
    from wagtail.models import TaskState, WorkflowState

    if revision is None:
        return None
    states = (
        TaskState.objects.filter(
            workflow_state__base_content_type=page.get_base_content_type(),
            workflow_state__object_id=str(page.pk),
            workflow_state__status=WorkflowState.STATUS_APPROVED,
            status=TaskState.STATUS_APPROVED,
            finished_at__gte=revision.created_at,
        )
        .select_related("revision")
        .order_by("-finished_at")
    )
    for state in states:
        if state.revision is None or state.revision.created_at <= revision.created_at:
            return state
    return None


def is_reviewed_publish(page, revision) -> bool:
    return approving_task_state(page, revision) is not None


def holds_head_role(user, department) -> bool:
    if user is None or department is None:
        return False
    from portal.accounts.models import DepartmentRole

    return DepartmentRole.objects.filter(user=user, department=department, role="head").exists()
