"""The public side on the department's site: the list, each consultation, taking part, figures.

The list, a consultation's page and the figures are the same for every visitor and stored in
the page cache (they live in the department's schema, so any change makes them stale, and the
scheduled phase job saves a consultation when it opens or closes). Taking part carries a
one-time token and a captcha and is never stored.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from portal.audit.log import client_ip
from portal.delivery import cacheable
from portal.public_forms import PublicFormGuard

from . import service
from .forms import OpinionForm, SurveyForm, YearForm
from .models import Consultation, Question, Submission
from .statistics import LABELS, figures

SCOPE = "consultation"


def published_consultations():
    return Consultation.objects.filter(published_at__isnull=False)


def grouped(consultations):
    """(open, upcoming, closed awaiting the result, with a result) in the order the public reads them."""
    groups = {phase: [] for phase in Consultation.Phase.values}
    now = timezone.now()
    for consultation in consultations:
        groups[consultation.current_phase(now)].append(consultation)
    return groups


@cacheable()
def index(request):
    groups = grouped(published_consultations()[:300])
    return TemplateResponse(request, "consultation/index.html", {
        "open": groups["open"], "upcoming": groups["upcoming"], "closed": groups["closed"],
        "results": groups["result"],
    })


def survey_tallies(consultation):
    """For each question: the options with their counts among approved questionnaires, or the
    approved text answers."""
    questions = list(consultation.questions.all())
    answers = list(consultation.submissions.filter(status=Submission.Status.APPROVED).values_list("answers", flat=True))
    tallies = []
    for question in questions:
        key = str(question.pk)
        if question.kind == Question.Kind.TEXT:
            texts = [answer.get(key) for answer in answers if answer.get(key)]
            tallies.append({"question": question, "texts": texts, "options": []})
            continue
        counts = [0] * len(question.option_list)
        for answer in answers:
            value = answer.get(key)
            for index in value if isinstance(value, list) else [value]:
                if isinstance(index, int) and 0 <= index < len(counts):
                    counts[index] += 1
        total = len(answers) or 1
        tallies.append({"question": question, "texts": [], "options": [
            {"label": label, "count": count, "percent": round(100 * count / total)}
            for label, count in zip(question.option_list, counts, strict=True)
        ]})
    return tallies, len(answers)


@cacheable()
def detail(request, pk):
    consultation = get_object_or_404(published_consultations(), pk=pk)
    context = {"consultation": consultation, "phase": consultation.current_phase()}
    if consultation.result_published_at is not None:
        if consultation.is_survey:
            context["tallies"], context["answered"] = survey_tallies(consultation)
        else:
            context["opinions"] = consultation.submissions.filter(status=Submission.Status.APPROVED)[:500]
    return TemplateResponse(request, "consultation/detail.html", context)


def _form_for(consultation, data=None):
    if consultation.is_survey:
        return SurveyForm(consultation.questions.all(), data)
    return OpinionForm(data)


def _render_form(request, consultation, guard, form, token, status=200):
    text = request.GET.get("captcha") == "text" or request.POST.get("captcha_kind") == "text"
    return TemplateResponse(request, "consultation/take_part.html", {
        "consultation": consultation, "form": form, "token": token, "captcha": guard.new_captcha(text=text),
    }, status=status)


def _closed(request, consultation, status=200):
    return TemplateResponse(request, "consultation/not_open.html", {"consultation": consultation}, status=status)


def _done(request, submission):
    return TemplateResponse(request, "consultation/done.html", {
        "consultation": submission.consultation, "submission": submission})


def take_part(request, pk):
    consultation = get_object_or_404(published_consultations(), pk=pk)
    guard = PublicFormGuard(request, SCOPE)
    token = request.POST.get("token", "")
    if request.method == "POST" and guard.token_issued(token):
        # A second click on the same form: show what the first click saved.
        existing = Submission.objects.filter(submit_token=token).first()
        if existing is not None:
            return _done(request, existing)
    if not consultation.is_open:
        return _closed(request, consultation, status=400 if request.method == "POST" else 200)
    if request.method != "POST":
        return _render_form(request, consultation, guard, _form_for(consultation), guard.issue_token())
    form = _form_for(consultation, request.POST)
    refused = guard.refusal(form, token, contact_fields=("contact",) if not consultation.is_survey else ())
    if refused:
        status, token = refused
        return _render_form(request, consultation, guard, form, token, status=status)
    data = form.cleaned_data
    fields = {"answers": form.answers()} if consultation.is_survey else {
        "name": data["name"], "contact": data["contact"], "content": data["content"]}
    try:
        with transaction.atomic():
            submission = service.submit(consultation, token=token, ip=client_ip(request), **fields)
    except IntegrityError:  # the same form sent twice at once: saved and counted once
        guard.withdraw()
        submission = Submission.objects.get(submit_token=token)
    except service.ConsultationError:
        guard.withdraw()
        return _closed(request, consultation, status=400)
    return _done(request, submission)


@cacheable(params=("year",))
def statistics(request):
    """The department's figures for a year (the same the yearly statement reports)."""
    today = timezone.localdate()
    form = YearForm(request.GET or None)
    year = today.year
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    values = figures(date(year, 1, 1), date(year, 12, 31))
    rows = [(LABELS[key], values[key]) for key in LABELS]
    return TemplateResponse(request, "consultation/statistics.html", {"form": form, "year": year, "rows": rows},
                            status=400 if form.is_bound and not form.is_valid() else 200)
