"""The public side on the hosting department's site: the list, an interview with its transcript
(live or archived), the transcript as JSON for the page's polling, and the question form.

The interview page and its JSON are the same for every visitor and stored in the page cache; a
question the public sends is not shown until a moderator publishes it, so it invalidates neither.
"""

from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from portal.audit.log import client_ip
from portal.delivery import cacheable
from portal.public_forms import PublicFormGuard

from . import service
from .forms import QuestionForm
from .models import Interview, Question
from .statistics import figures_for

SCOPE = "interviews"
# How often an open interview page asks for new answers (seconds); the cache makes it cheap.
POLL_SECONDS = 2
INTERVIEW_TAGS = ("model:interviews.interview", service.TRANSCRIPT_TAG)


def _interviews(request):
    department = getattr(request, "tenant", None)
    if department is None or not getattr(department, "is_site", False):
        raise Http404("未找到该访谈")
    return Interview.objects.filter(department=department).exclude(status=Interview.Status.DRAFT)


def _interview(request, pk):
    return get_object_or_404(_interviews(request), pk=pk)


@cacheable(tags=("model:interviews.interview", "model:interviews.question"))
def index(request):
    interviews = list(_interviews(request))
    current = [i for i in interviews if i.status in (Interview.Status.LIVE, Interview.Status.UPCOMING)]
    archived = [i for i in interviews if i.status == Interview.Status.ENDED]
    year = timezone.localdate().year
    from datetime import date

    figures = figures_for(request.tenant, date(year, 1, 1), date(year, 12, 31))
    return TemplateResponse(request, "interviews/index.html", {
        "current": current, "archived": archived, "figures": figures, "year": year,
    })


def _entry(question) -> dict:
    return {
        "id": question.pk, "nickname": question.nickname, "question": question.text,
        "answered_by": question.answered_by, "answer": question.answer,
        "time": timezone.localtime(question.published_at).strftime("%H:%M") if question.published_at else "",
    }


@cacheable(tags=INTERVIEW_TAGS)
def detail(request, pk):
    interview = _interview(request, pk)
    return TemplateResponse(request, "interviews/interview.html", {
        "interview": interview, "transcript": list(interview.transcript()), "poll_seconds": POLL_SECONDS,
    })


@cacheable(tags=INTERVIEW_TAGS)
def transcript(request, pk):
    """What the open page polls: the status and every published question with its answer. The
    page writes it with `textContent`, so what the public wrote is never read as HTML."""
    interview = _interview(request, pk)
    return JsonResponse({
        "status": interview.status, "status_label": interview.get_status_display(),
        "entries": [_entry(question) for question in interview.transcript()],
    }, json_dumps_params={"ensure_ascii": False})


def _render_form(request, interview, guard, form, token, status=200):
    text = request.GET.get("captcha") == "text" or request.POST.get("captcha_kind") == "text"
    return TemplateResponse(request, "interviews/ask.html", {
        "interview": interview, "form": form, "token": token, "captcha": guard.new_captcha(text=text),
    }, status=status)


def _asked(request, interview):
    return TemplateResponse(request, "interviews/asked.html", {"interview": interview})


def ask(request, pk):
    interview = _interview(request, pk)
    if not interview.accepts_questions:
        return TemplateResponse(request, "interviews/closed.html", {"interview": interview}, status=410)
    guard = PublicFormGuard(request, SCOPE)
    if request.method != "POST":
        return _render_form(request, interview, guard, QuestionForm(), guard.issue_token())
    token = request.POST.get("token", "")
    if guard.token_issued(token) and Question.objects.filter(submit_token=token).exists():
        return _asked(request, interview)  # a second click on the same form
    form = QuestionForm(request.POST)
    refused = guard.refusal(form, token)
    if refused:
        status, token = refused
        return _render_form(request, interview, guard, form, token, status=status)
    try:
        with transaction.atomic():
            service.submit_question(interview, nickname=form.cleaned_data["nickname"],
                                    text=form.cleaned_data["text"], token=token, ip=client_ip(request))
    except IntegrityError:  # the same form sent twice at once: one question
        guard.withdraw()
    return _asked(request, interview)
