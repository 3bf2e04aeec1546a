"""The department's screens: open a consultation, add survey questions, moderate what the public
sent, publish the 结果反馈. People with a role on this site (and the centre) use them; for
anyone else the screens answer 403 and the records do not exist.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from portal.accounts.roles import roles_on_this_site

from . import service
from .forms import ConsultationForm, ModerateForm, QuestionForm, ResultForm
from .models import Consultation, Question, Submission
from .statistics import LABELS, figures


def may_manage(request) -> bool:
    from tenants.admin_views import is_central_admin

    return bool(roles_on_this_site(request)) or is_central_admin(request.user)


def _forbidden(request):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": "您没有管理本单位征集调查的权限。"}, status=403,
    )


def _consultation(request, pk):
    if not may_manage(request):
        raise Http404("未找到该征集调查")
    return get_object_or_404(Consultation, pk=pk)


def index(request):
    if not may_manage(request):
        return _forbidden(request)
    consultations = Consultation.objects.annotate(
        pending=Count("submissions", filter=Q(submissions__status=Submission.Status.PENDING)),
        received=Count("submissions", filter=~Q(submissions__status=Submission.Status.REJECTED)),
    )
    today = timezone.localdate()
    values = figures(today.replace(month=1, day=1), today.replace(month=12, day=31))
    return TemplateResponse(request, "consultation/admin/index.html", {
        "page_title": "征集调查", "consultations": consultations[:200], "year": today.year,
        "figures": [(LABELS[key], values[key]) for key in LABELS],
    })


def new(request):
    if not may_manage(request):
        return _forbidden(request)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = form.save()
        next_step = "请添加问卷题目，然后发布。" if consultation.is_survey else "核对无误后请发布。"
        messages.success(request, f"已保存。{next_step}")
        return redirect("consultation_admin:detail", pk=consultation.pk)
    return TemplateResponse(request, "consultation/admin/edit.html",
                            {"page_title": "新建征集调查", "form": form}, status=400 if form.errors else 200)


def detail(request, pk, edit_form=None, question_form=None, result_form=None, moderate_forms=None, status=200):
    consultation = _consultation(request, pk)
    submissions = list(consultation.submissions.all()[:500])
    moderate_forms = moderate_forms or {}
    questions = list(consultation.questions.all())
    for submission in submissions:
        submission.form = moderate_forms.get(submission.pk) or ModerateForm(prefix=f"s{submission.pk}")
        submission.readable = readable_answers(questions, submission.answers)
    phase = consultation.current_phase()
    return TemplateResponse(request, "consultation/admin/detail.html", {
        "page_title": f"征集调查：{consultation.title}", "consultation": consultation, "phase": phase,
        "edit_form": edit_form or ConsultationForm(instance=consultation),
        "question_form": question_form or QuestionForm(),
        "result_form": result_form or ResultForm(),
        "submissions": submissions, "questions": questions,
        "received": service.counted_submissions(consultation).count(),
        "pending": consultation.submissions.filter(status=Submission.Status.PENDING).count(),
    }, status=status)


def readable_answers(questions, answers) -> list[tuple[str, str]]:
    """(question, answer) in words, as the moderator reads a questionnaire."""
    rows = []
    for question in questions:
        value = answers.get(str(question.pk))
        options = question.option_list
        indexes = value if isinstance(value, list) else [value]
        if question.kind == Question.Kind.TEXT:
            text = value or "（未填写）"
        else:
            chosen = [options[i] for i in indexes if isinstance(i, int) and 0 <= i < len(options)]
            text = "、".join(chosen) or "（未选择）"
        rows.append((question.text, text))
    return rows


def _done(request, consultation, message):
    messages.success(request, message)
    return redirect("consultation_admin:detail", pk=consultation.pk)


@require_POST
def edit(request, pk):
    consultation = _consultation(request, pk)
    form = ConsultationForm(request.POST, instance=consultation)
    if form.is_valid():
        form.save()
        return _done(request, consultation, "已保存修改")
    consultation.refresh_from_db()
    return detail(request, pk, edit_form=form, status=400)


@require_POST
def publish(request, pk):
    consultation = _consultation(request, pk)
    try:
        service.publish(consultation, request)
    except service.ConsultationError as error:
        messages.error(request, str(error))
        return redirect("consultation_admin:detail", pk=pk)
    return _done(request, consultation, "已发布，征集期内公众可以参与")


@require_POST
def add_question(request, pk):
    consultation = _consultation(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            service.add_question(consultation, **form.cleaned_data)
        except service.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, consultation, "题目已添加")
    return detail(request, pk, question_form=form, status=400)


@require_POST
def delete_question(request, pk, question_pk):
    consultation = _consultation(request, pk)
    question = get_object_or_404(Question, consultation=consultation, pk=question_pk)
    try:
        service.delete_question(question)
    except service.ConsultationError as error:
        messages.error(request, str(error))
        return redirect("consultation_admin:detail", pk=pk)
    return _done(request, consultation, "题目已删除")


@require_POST
def moderate(request, pk, submission_pk):
    consultation = _consultation(request, pk)
    submission = get_object_or_404(Submission, consultation=consultation, pk=submission_pk)
    form = ModerateForm(request.POST, prefix=f"s{submission.pk}")
    if form.is_valid():
        try:
            service.moderate(submission, form.cleaned_data["decision"] == "approve", request.user, request,
                             form.cleaned_data["note"])
        except service.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, consultation, f"回执编号 {submission.reference} 已审核")
    return detail(request, pk, moderate_forms={submission.pk: form}, status=400)


@require_POST
def publish_result(request, pk):
    consultation = _consultation(request, pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        try:
            service.publish_result(consultation, adopted=form.cleaned_data["adopted"],
                                   reasons=form.cleaned_data["reasons"], request=request)
        except service.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, consultation, "结果反馈已公布")
    return detail(request, pk, result_form=form, status=400)
