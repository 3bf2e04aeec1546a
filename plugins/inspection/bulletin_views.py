"""Screens of the yearly 通报 and its 整改.

The centre drafts, edits and submits; the 区政府办公室 approves or returns with comments; both read
every 通报 and the 整改 status table. A criticised department files its 整改 on its own site and
reads its own only. Anyone else gets 404, as in the rest of the inspection.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import bulletin as service
from .admin_views import is_centre, own_department, readers_only, reads_every_department
from .exports import RECTIFICATION_DAYS
from .models import Bulletin, Rectification


class DraftForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2999,
                              error_messages={"required": "请填写年度，例如 2025",
                                              "invalid": "年度应为四位数字，例如 2025",
                                              "min_value": "年度应为四位数字，例如 2025",
                                              "max_value": "年度应为四位数字，例如 2025"})


class BodyForm(forms.Form):
    body = forms.CharField(label="通报正文（每段一行）", widget=forms.Textarea(attrs={"rows": 14}),
                           error_messages={"required": "请填写通报正文，每段一行"})


class CommentForm(forms.Form):
    comment = forms.CharField(label="审批意见", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": "审批意见不能超过 2000 字"})


class RectificationForm(forms.Form):
    text = forms.CharField(label="整改情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text="针对通报指出的问题逐条说明做了哪些整改",
                           error_messages={"required": "请填写整改情况：针对通报指出的问题做了哪些整改",
                                           "max_length": "整改情况不能超过 5000 字"})
    evidence = forms.FileField(label="佐证材料",
                               help_text="整改后的页面截图、制度文件等（PDF、DOCX、图片或 ZIP，20 MB 以内）",
                               error_messages={"required": "请上传佐证材料（整改后的页面截图、制度文件等）",
                                               "empty": "佐证材料是空文件，请重新选择"})


def bulletins(request):
    readers_only(request)
    form = DraftForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        if not is_centre(request.user):
            raise Http404("未找到该页面")
        if form.is_valid():
            try:
                bulletin = service.draft(form.cleaned_data["year"], request.user, request)
            except service.BulletinError as error:
                form.add_error("year", str(error))
            else:
                messages.success(request, f"已根据绩效评估报告起草{bulletin.year}年度通报")
                return redirect("inspection_admin:bulletin", pk=bulletin.pk)
    return TemplateResponse(request, "inspection/admin/bulletins.html", {
        "page_title": "年度通报", "bulletins": Bulletin.objects.select_related("drafted_by", "decided_by"),
        "form": form if is_centre(request.user) else None,
    }, status=400 if form.errors else 200)


def _bulletin(request, pk):
    readers_only(request)
    return get_object_or_404(Bulletin.objects.select_related("drafted_by", "submitted_by", "decided_by"), pk=pk)


def bulletin_detail(request, pk, body_form=None, comment_form=None, status=200):
    bulletin = _bulletin(request, pk)
    centre, office = is_centre(request.user), service.is_office(request.user)
    editable = bulletin.status in (Bulletin.Status.DRAFT, Bulletin.Status.RETURNED)
    return TemplateResponse(request, "inspection/admin/bulletin.html", {
        "page_title": f"{bulletin.year}年度通报", "bulletin": bulletin,
        "events": bulletin.events.select_related("user"),
        "rectifications": bulletin.rectifications.select_related("department", "filed_by"),
        "may_edit": centre and editable,
        "may_decide": office and bulletin.status == Bulletin.Status.PENDING,
        "body_form": body_form or BodyForm(initial={"body": bulletin.body}),
        "comment_form": comment_form or CommentForm(), "days": RECTIFICATION_DAYS,
    }, status=status)


def _step(request, pk, action, success):
    bulletin = _bulletin(request, pk)
    try:
        action(bulletin)
    except service.BulletinError as error:
        messages.error(request, str(error))
        return bulletin_detail(request, pk, status=400)
    messages.success(request, success)
    return redirect("inspection_admin:bulletin", pk=pk)


@require_POST
def bulletin_edit(request, pk):
    form = BodyForm(request.POST)
    if not form.is_valid():
        _bulletin(request, pk)
        return bulletin_detail(request, pk, body_form=form, status=400)
    return _step(request, pk, lambda b: service.edit(b, form.cleaned_data["body"], request.user, request),
                 "已保存通报正文，PDF 已按新正文重新生成")


@require_POST
def bulletin_submit(request, pk):
    return _step(request, pk, lambda b: service.submit(b, request.user, request), "已报送区政府办公室审批")


@require_POST
def bulletin_decide(request, pk):
    form = CommentForm(request.POST)
    if not form.is_valid():
        _bulletin(request, pk)
        return bulletin_detail(request, pk, comment_form=form, status=400)
    comment = form.cleaned_data["comment"]
    if request.POST.get("decision") == "return":
        return _step(request, pk, lambda b: service.return_for_changes(b, request.user, comment, request),
                     "已退回区信息中心修改")
    return _step(request, pk, lambda b: service.approve(b, request.user, comment, request),
                 "已批准，通报已在门户网站通知公告栏目发布")


def bulletin_pdf(request, pk):
    bulletin = _bulletin(request, pk)
    response = HttpResponse(bytes(bulletin.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bulletin-{bulletin.year}.pdf"'
    return response


def _visible_rectifications(request):
    rectifications = Rectification.objects.filter(bulletin__status=Bulletin.Status.PUBLISHED)
    if reads_every_department(request.user):
        return rectifications
    department = own_department(request)
    if department is None:
        raise Http404("未找到该页面")
    return rectifications.filter(department=department)


def rectifications(request):
    rows = list(_visible_rectifications(request).select_related("bulletin", "department", "filed_by")
                .order_by("-bulletin__year", "department__sort_order"))
    return TemplateResponse(request, "inspection/admin/rectifications.html", {
        "page_title": "通报整改情况", "rows": rows, "reader": reads_every_department(request.user),
        "days": RECTIFICATION_DAYS,
    })


def rectification_detail(request, pk):
    rectification = get_object_or_404(
        _visible_rectifications(request).select_related("bulletin", "department", "filed_by"), pk=pk)
    may_file = not rectification.filed_at and service.may_file(request.user, rectification) \
        and own_department(request) == rectification.department
    form = RectificationForm(request.POST or None, request.FILES or None) if may_file else None
    status = 200
    if request.method == "POST":
        if not may_file:
            raise Http404("未找到该页面")
        if form.is_valid():
            try:
                service.file_rectification(rectification, request.user, form.cleaned_data["text"],
                                           form.cleaned_data["evidence"], request)
            except service.BulletinError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "已提交整改情况")
                return redirect("inspection_admin:rectification", pk=pk)
        status = 400
    return TemplateResponse(request, "inspection/admin/rectification.html", {
        "page_title": f"{rectification.bulletin.year}年度通报整改：{rectification.department.name}",
        "rectification": rectification, "form": form,
    }, status=status)


def rectification_evidence(request, pk):
    rectification = get_object_or_404(_visible_rectifications(request), pk=pk)
    if not rectification.evidence:
        raise Http404("尚未上传佐证材料")
    response = HttpResponse(bytes(rectification.evidence),
                            content_type=rectification.evidence_type or "application/octet-stream")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + _quote(rectification.evidence_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name or "evidence")
