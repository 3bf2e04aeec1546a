"""What a department and the public do with a consultation; the views only call these.

Every refusal is a `ConsultationError` with a Chinese sentence saying what to do instead.
"""

from django.db import transaction
from django.utils import timezone
from portal.audit.log import record
from portal.plugins import documents_changed

from .models import Consultation, Question, Submission


class ConsultationError(Exception):
    pass


def _audit(event, request, consultation, **details):
    record(event, request=request, target=f"consultation:{consultation.pk}",
           details={"consultation": consultation.pk, **details})


def _department(request=None):
    """The department whose schema the connection is using (where the consultation lives)."""
    from django.db import connection

    return getattr(connection, "tenant", None)


@transaction.atomic
def publish(consultation, request=None):
    """Show the consultation on the site (it takes opinions from its start to its end)."""
    if consultation.published_at is not None:
        raise ConsultationError("该征集调查已经发布")
    if consultation.is_survey and not consultation.questions.exists():
        raise ConsultationError("问卷还没有题目，请先添加题目再发布")
    consultation.published_at = timezone.now()
    consultation.save()
    _audit("consultation_publish", request, consultation)
    if _department(request) is not None:
        documents_changed(_department(request))


@transaction.atomic
def add_question(consultation, *, kind, text, options="", required=True):
    if not consultation.is_survey:
        raise ConsultationError("只有问卷调查可以添加题目")
    if consultation.submissions.exists():
        raise ConsultationError("已有人提交答卷，不能再修改题目")
    question = Question(consultation=consultation, kind=kind, text=text, options=options, required=required,
                        order=consultation.questions.count() + 1)
    if kind != Question.Kind.TEXT and len(question.option_list) < 2:
        raise ConsultationError("单选题和多选题至少需要两个选项，每行填写一个")
    question.save()
    return question


@transaction.atomic
def delete_question(question):
    if question.consultation.submissions.exists():
        raise ConsultationError("已有人提交答卷，不能再修改题目")
    question.delete()


def submit(consultation, *, token, ip, name="", contact="", content="", answers=None) -> Submission:
    """An opinion or a questionnaire from the public; it waits for moderation."""
    if not consultation.is_open:
        raise ConsultationError("征集已结束或尚未开始，不能再提交")
    return Submission.objects.create(
        consultation=consultation, name=name, contact=contact, content=content, answers=answers or {},
        submit_token=token, ip=ip,
    )


@transaction.atomic
def moderate(submission, approve: bool, user, request=None, note=""):
    if submission.status != Submission.Status.PENDING:
        raise ConsultationError("该条已经审核过")
    if not approve and not note.strip():
        raise ConsultationError("不予通过须填写原因")
    submission.status = Submission.Status.APPROVED if approve else Submission.Status.REJECTED
    submission.moderation_note = note
    submission.moderated_by = getattr(user, "full_name", "") or getattr(user, "username", "")
    submission.moderated_at = timezone.now()
    submission.save()
    _audit("consultation_moderate", request, submission.consultation, submission=submission.pk,
           approved=approve, note=note)


def counted_submissions(consultation):
    """What counts as received: everything except submissions refused in moderation."""
    return consultation.submissions.exclude(status=Submission.Status.REJECTED)


@transaction.atomic
def publish_result(consultation, *, adopted, reasons, request=None):
    """结果反馈: how many opinions came in, how many were adopted and why (not)."""
    if consultation.published_at is None or consultation.current_phase() != Consultation.Phase.CLOSED:
        raise ConsultationError("征集结束后才能发布结果反馈")
    if consultation.submissions.filter(status=Submission.Status.PENDING).exists():
        raise ConsultationError("还有待审核的意见，请先审核再发布结果反馈")
    received = counted_submissions(consultation).count()
    if adopted > received:
        raise ConsultationError(f"采纳意见数不能超过收到的意见数（{received} 条）")
    if not reasons.strip():
        raise ConsultationError("请填写意见采纳情况及理由")
    consultation.result_received = received
    consultation.result_adopted = adopted
    consultation.result_reasons = reasons
    consultation.result_published_at = timezone.now()
    consultation.save()
    _audit("consultation_result", request, consultation, received=received, adopted=adopted)
    if _department(request) is not None:
        documents_changed(_department(request))


def refresh_phases() -> int:
    """Save every consultation whose phase moved with the clock (inside a department's schema),
    so the cached pages showing it become stale. Returns how many moved."""
    moved = 0
    now = timezone.now()
    for consultation in Consultation.objects.exclude(phase__in=[Consultation.Phase.DRAFT, Consultation.Phase.RESULT]):
        if consultation.current_phase(now) != consultation.phase:
            consultation.save(update_fields=["phase"])
            moved += 1
    return moved


def refresh_all_phases() -> int:
    """The scheduled job: every site that has the plugin on."""
    from django_tenants.utils import tenant_context
    from portal.plugins import is_enabled

    from tenants.models import Department

    moved = 0
    for department in Department.sites().filter(status="active"):
        if is_enabled(department, "consultation"):
            with tenant_context(department):
                moved += refresh_phases()
    return moved
