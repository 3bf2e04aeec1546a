"""What can happen to an interview and its questions; every step is audited.

The live transcript is read by many visitors at once through the page cache. A question the
public sends changes nothing they see, so it invalidates nothing; publishing, withdrawing and the
interview's own changes bump its `TRANSCRIPT_TAG`, and each change costs one render of each page.
"""

from django.db import transaction
from django.utils import timezone
from portal.audit.log import record
from portal.delivery import changed
from portal.plugins import documents_changed

from .models import Interview, Question

# What an interview's page and its transcript JSON depend on besides the interview rows: one tag
# per interview, so an answer in one leaves the cached pages of the others alone.
TRANSCRIPT_TAG = "interviews:transcript:{pk}"

# Which status each moderator action moves an interview to, and from where.
TRANSITIONS = {
    "announce": (Interview.Status.DRAFT, Interview.Status.UPCOMING, "发布访谈预告"),
    "start": (Interview.Status.UPCOMING, Interview.Status.LIVE, "开始访谈"),
    "end": (Interview.Status.LIVE, Interview.Status.ENDED, "结束访谈"),
}


class InterviewError(Exception):
    """An action the interview's or the question's state does not allow; shown to the person."""


def _audit(event, request, target, **details):
    record(event, request=request, target=target, details=details)


def _transcript_changed(interview) -> None:
    changed(TRANSCRIPT_TAG.format(pk=interview.pk))
    if interview.status == Interview.Status.ENDED:
        documents_changed(interview.department)


def submit_question(interview, *, nickname, text, token, ip) -> Question:
    if not interview.accepts_questions:
        raise InterviewError("本期访谈已结束，不再接受提问")
    return Question.objects.create(interview=interview, nickname=nickname, text=text, submit_token=token, ip=ip)


@transaction.atomic
def move(interview, action, request=None) -> None:
    """`announce`, `start` or `end` the interview (an ended interview is archived and searchable)."""
    before, after, label = TRANSITIONS[action]
    if interview.status == Interview.Status.DRAFT and action == "start":
        before = Interview.Status.DRAFT  # an interview may start without an announcement first
    if interview.status != before:
        raise InterviewError(f"访谈当前状态为“{interview.get_status_display()}”，不能{label}")
    interview.status = after
    interview.save(update_fields=["status"])
    _audit(f"interviews_{action}", request, f"interviews.interview:{interview.pk}", title=interview.title)
    _transcript_changed(interview)


@transaction.atomic
def publish(question, *, answer, answered_by, request=None) -> None:
    """Put the question and its answer into the transcript (or correct one already there)."""
    if not answer.strip():
        raise InterviewError("请填写答复内容")
    if question.interview.status == Interview.Status.DRAFT:
        raise InterviewError("访谈尚未发布，不能发布问答")
    question.answer = answer
    question.answered_by = answered_by
    if question.status != Question.Status.PUBLISHED:
        question.status = Question.Status.PUBLISHED
        question.published_at = timezone.now()
    question.moderated_by = request.user if request is not None and request.user.is_authenticated else None
    question.save()
    _audit("interviews_publish", request, f"interviews.question:{question.pk}", interview=question.interview_id)
    _transcript_changed(question.interview)


@transaction.atomic
def reject(question, request=None) -> None:
    """Not published (abusive, off topic, repeated); taken out of the transcript if it was in it."""
    was_published = question.status == Question.Status.PUBLISHED
    question.status = Question.Status.REJECTED
    question.published_at = None
    question.moderated_by = request.user if request is not None and request.user.is_authenticated else None
    question.save()
    _audit("interviews_reject", request, f"interviews.question:{question.pk}", interview=question.interview_id)
    if was_published:
        _transcript_changed(question.interview)


def interview_saved(interview, created: bool, request=None) -> None:
    """The admin created or edited an interview (its row's own tag refreshes its pages)."""
    _audit("interviews_create" if created else "interviews_edit", request,
           f"interviews.interview:{interview.pk}", title=interview.title)
    if interview.status == Interview.Status.ENDED:
        documents_changed(interview.department)
