"""The moderators' screens: create and edit interviews, move them through 预告 → 直播 → 结束,
and publish the public's questions with the guests' answers into the transcript.

An interview is run by the department that hosts it: people with a role on that department's
site, and the central system administrators. For anyone else it does not exist (404).
"""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from portal.accounts.roles import roles_on_this_site

from . import service
from .forms import AnswerForm, InterviewForm
from .models import Interview, Question


def can_moderate(request) -> bool:
    from tenants.admin_views import is_central_admin

    return is_central_admin(request.user) or bool(roles_on_this_site(request))


def _forbidden(request):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": "您没有管理本单位在线访谈的权限。"}, status=403,
    )


def _interview(request, pk) -> Interview:
    if not can_moderate(request):
        raise Http404("未找到该访谈")
    return get_object_or_404(Interview.objects.filter(department=request.tenant), pk=pk)


def _question(request, interview_pk, pk) -> Question:
    interview = _interview(request, interview_pk)
    return get_object_or_404(interview.questions.select_related("interview__department"), pk=pk)


def index(request):
    if not can_moderate(request):
        return _forbidden(request)
    interviews = Interview.objects.filter(department=request.tenant)
    pending = dict(
        Question.objects.filter(interview__in=interviews, status=Question.Status.PENDING)
        .order_by().values_list("interview").annotate(n=Count("id"))
    )
    rows = [(interview, pending.get(interview.pk, 0)) for interview in interviews]
    return TemplateResponse(request, "interviews/admin/index.html", {"page_title": "在线访谈", "rows": rows})


def edit(request, pk=None):
    if not can_moderate(request):
        return _forbidden(request)
    interview = _interview(request, pk) if pk else Interview(department=request.tenant)
    form = InterviewForm(request.POST or None, request.FILES or None, instance=interview)
    if request.method == "POST" and form.is_valid():
        created = interview.pk is None
        interview = form.save()
        service.interview_saved(interview, created, request)
        messages.success(request, "访谈已保存")
        return redirect("interviews_admin:moderate", pk=interview.pk)
    return TemplateResponse(request, "interviews/admin/edit.html", {
        "page_title": f"编辑访谈：{interview.title}" if interview.pk else "新建访谈", "form": form,
        "interview": interview,
    }, status=400 if form.is_bound and not form.is_valid() else 200)


def moderate(request, pk, answer_forms=None):
    interview = _interview(request, pk)
    answer_forms = answer_forms or {}
    questions = list(interview.questions.order_by("submitted_at", "id"))
    pending = [(q, answer_forms.get(q.pk) or AnswerForm(interview, prefix=f"q{q.pk}"))
               for q in questions if q.status == Question.Status.PENDING]
    published = sorted((q for q in questions if q.status == Question.Status.PUBLISHED),
                       key=lambda q: (q.published_at, q.pk))
    published = [(q, answer_forms.get(q.pk) or AnswerForm(
        interview, prefix=f"q{q.pk}", initial={"answer": q.answer, "answered_by": q.answered_by})) for q in published]
    rejected = [q for q in questions if q.status == Question.Status.REJECTED]
    actions = [(name, label) for name, (before, _after, label) in service.TRANSITIONS.items()
               if interview.status == before or (name == "start" and interview.status == Interview.Status.DRAFT)]
    return TemplateResponse(request, "interviews/admin/moderate.html", {
        "page_title": f"访谈主持：{interview.title}", "interview": interview, "pending": pending,
        "published": published, "rejected": rejected, "actions": actions,
    }, status=400 if answer_forms else 200)


@require_POST
def move(request, pk, action):
    interview = _interview(request, pk)
    if action not in service.TRANSITIONS:
        raise Http404("没有这个操作")
    try:
        service.move(interview, action, request)
    except service.InterviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已{service.TRANSITIONS[action][2]}")
    return redirect("interviews_admin:moderate", pk=interview.pk)


@require_POST
def publish(request, pk, question_pk):
    question = _question(request, pk, question_pk)
    form = AnswerForm(question.interview, request.POST, prefix=f"q{question.pk}")
    if form.is_valid():
        try:
            service.publish(question, answer=form.cleaned_data["answer"],
                            answered_by=form.cleaned_data["answered_by"], request=request)
        except service.InterviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "问答已发布到文字直播")
            return redirect("interviews_admin:moderate", pk=pk)
    return moderate(request, pk, answer_forms={question.pk: form})


@require_POST
def reject(request, pk, question_pk):
    question = _question(request, pk, question_pk)
    service.reject(question, request)
    messages.success(request, "该提问不予发布")
    return redirect("interviews_admin:moderate", pk=pk)
