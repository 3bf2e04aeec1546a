"""The admin side: the centre triages and forwards, a department drafts and its head approves.

A letter is visible to the centre from any site, and to a department only on its own site and
only when it is the letter's department; for anyone else the letter does not exist (404).
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from portal.accounts.roles import roles_on_this_site

from . import service
from .models import Letter, letter_departments
from .notifications import overdue_letters


def is_centre(user) -> bool:
    from tenants.admin_views import is_central_admin

    return is_central_admin(user) or (
        user.is_authenticated and user.is_active and user.has_central_role("mailbox_admin")
    )


def _forbidden(request):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": "您没有处理政务邮箱来信的权限。"}, status=403,
    )


def _visible_letters(request):
    if is_centre(request.user):
        return Letter.objects.all()
    if roles_on_this_site(request):
        return Letter.objects.filter(department=request.tenant).exclude(status=Letter.Status.RECEIVED)
    return None


def _letter(request, pk):
    letters = _visible_letters(request)
    if letters is None:
        raise Http404("未找到该来信")
    return get_object_or_404(letters.select_related("department"), pk=pk)


def _centre_letter(request, pk):
    """A letter the centre acts on; for anyone else it does not exist."""
    letter = _letter(request, pk)
    if not is_centre(request.user):
        raise Http404("未找到该来信")
    return letter


def _department_letter(request, pk, role=None):
    """A letter its department acts on, on the department's own site (and, if given, only in `role`)."""
    letter = _letter(request, pk)
    roles = roles_on_this_site(request)
    if letter.department_id != getattr(request.tenant, "pk", None) or not roles or (role and role not in roles):
        raise Http404("未找到该来信")
    return letter


class ForwardForm(forms.Form):
    department = forms.ModelChoiceField(label="承办单位", queryset=None, empty_label="请选择",
                                        error_messages={"required": "请选择承办单位"})
    reason = forms.CharField(label="说明（改派时必填）", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = letter_departments().filter(status="active")


class CloseForm(forms.Form):
    CHOICES = [("无效来信", "无效来信"), ("重复来信", "重复来信"), ("恶意或辱骂来信", "恶意或辱骂来信")]
    category = forms.ChoiceField(label="关闭类别", choices=CHOICES)
    reason = forms.CharField(label="关闭原因", max_length=400, error_messages={"required": "请填写关闭原因"})


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=10, initial=5,
                              error_messages={"required": "请填写延长的工作日数"})
    reason = forms.CharField(label="延期原因", max_length=400, error_messages={"required": "请填写延期原因"})


class DenyForm(forms.Form):
    reason = forms.CharField(label="驳回理由", max_length=400, error_messages={"required": "请填写驳回理由"})


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"required": "请填写答复内容"})


def index(request):
    letters = _visible_letters(request)
    if letters is None:
        return _forbidden(request)
    missing_years = sorted(set(
        letters.filter(calendar_missing_year__isnull=False).values_list("calendar_missing_year", flat=True)))
    overdue_count = letters.filter(pk__in=overdue_letters().values("pk")).count()
    status = request.GET.get("status", "")
    if status == "overdue":
        letters = letters.filter(pk__in=overdue_letters().values("pk"))
    elif status in Letter.Status.values:
        letters = letters.filter(status=status)
    return TemplateResponse(request, "mailbox/admin/index.html", {
        "page_title": "政务邮箱", "letters": letters.select_related("department")[:200],
        "statuses": Letter.Status.choices, "status": status, "centre": is_centre(request.user),
        "missing_years": missing_years, "overdue_count": overdue_count,
    })


def detail(request, pk, forward_form=None, close_form=None, reply_form=None, extend_form=None,
           request_form=None, deny_form=None):
    letter = _letter(request, pk)
    centre = is_centre(request.user)
    roles = roles_on_this_site(request) if letter.department_id == getattr(request.tenant, "pk", None) else set()
    draft = letter.replies.filter(approved_at__isnull=True).first()
    return TemplateResponse(request, "mailbox/admin/detail.html", {
        "page_title": f"来信：{letter.subject}", "letter": letter, "centre": centre,
        "can_reply": bool(roles) and letter.status == Letter.Status.FORWARDED,
        "can_approve": "head" in roles and draft is not None and letter.status == Letter.Status.FORWARDED,
        "draft": draft, "replies": letter.replies.filter(approved_at__isnull=False),
        "events": letter.events.select_related("actor", "from_department", "to_department"),
        "explanation": service.deadline_explanation(letter) if letter.status != Letter.Status.RECEIVED else "",
        "forward_form": forward_form or ForwardForm(), "close_form": close_form or CloseForm(),
        "extend_form": extend_form or ExtendForm(initial={
            "days": letter.extension_requested_days or 5, "reason": letter.extension_request_reason}),
        "request_form": request_form or ExtendForm(), "deny_form": deny_form or DenyForm(),
        "reply_form": reply_form or ReplyForm(initial={"text": draft.text if draft else ""}),
    })


def _done(request, letter, message):
    messages.success(request, message)
    return redirect("mailbox_admin:detail", pk=letter.pk)


@require_POST
def forward(request, pk):
    letter = _centre_letter(request, pk)
    return _form_action(
        request, letter, ForwardForm, "forward_form",
        lambda data: service.forward(letter, data["department"], request.user, request, data["reason"]),
        lambda: f"已转交{letter.department.name}",
    )


@require_POST
def close(request, pk):
    letter = _centre_letter(request, pk)
    return _form_action(
        request, letter, CloseForm, "close_form",
        lambda data: service.close(letter, f"{data['category']}：{data['reason']}", request.user, request),
        "来信已关闭",
    )


@require_POST
def reply(request, pk):
    letter = _department_letter(request, pk)
    return _form_action(
        request, letter, ReplyForm, "reply_form",
        lambda data: service.draft_reply(letter, data["text"], request.user, request),
        "答复草稿已保存，等待负责人审核",
    )


def _act(request, letter, action, success_message):
    """Run a one-click service action; a refusal goes back to the letter as a message."""
    try:
        action(letter, request.user, request)
    except service.MailboxError as error:
        messages.error(request, str(error))
        return redirect("mailbox_admin:detail", pk=letter.pk)
    return _done(request, letter, success_message)


@require_POST
def approve(request, pk):
    letter = _department_letter(request, pk, role="head")
    return _act(request, letter, service.approve, "答复已审核发送")


@require_POST
def publish(request, pk):
    letter = _centre_letter(request, pk)
    return _act(request, letter, service.publish, "来信及答复已公开")


@require_POST
def extend(request, pk):
    """The centre grants more time (approving a department's request, or on its own)."""
    letter = _centre_letter(request, pk)
    return _form_action(
        request, letter, ExtendForm, "extend_form",
        lambda data: service.extend(letter, data["days"], data["reason"], request.user, request),
        lambda: f"答复期限已延至 {letter.due_date:%Y-%m-%d}",
    )


def _form_action(request, letter, form_class, form_name, action, success_message):
    """Validate a posted form and run `action(cleaned_data)`; a refusal or invalid data goes back
    to the letter page with the form as it was filled in."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except service.MailboxError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, letter, success_message() if callable(success_message) else success_message)
    return detail(request, letter.pk, **{form_name: form})


@require_POST
def request_extension(request, pk):
    letter = _department_letter(request, pk)
    return _form_action(
        request, letter, ExtendForm, "request_form",
        lambda data: service.request_extension(letter, data["days"], data["reason"], request.user, request),
        "延期申请已提交，等待区信息中心审批",
    )


@require_POST
def deny_extension(request, pk):
    letter = _centre_letter(request, pk)
    return _form_action(
        request, letter, DenyForm, "deny_form",
        lambda data: service.deny_extension(letter, data["reason"], request.user, request), "已驳回延期申请",
    )
