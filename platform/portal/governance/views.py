"""Admin views of publishing governance: the 保密审查 of a page, and the list of what waits for one.

The review of a page runs on the department's own host (the content lives in its schema). The
安全管理员 sees what the scanner found, in context, and the whole scanned text, then records
同意发布 or 不同意 with a reason; the decision is bound to the content hash shown, so a page
edited while the review was open is not cleared by it. The page's editors may open the same
screen read-only to see where their content stands.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .confidentiality import ReviewError, can_review, current_site_department, latest_decision, record_decision
from .models import ConfidentialityHold, ConfidentialityReview
from .scanning import scan_page

CONTEXT_CHARS = 30


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审查结论", choices=ConfidentialityReview.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="例如：所列号码为单位公开的办事电话，不属于个人信息；或：附件为内部文件，不得公开。",
        error_messages={"required": "请填写审查理由"},
    )
    content_hash = forms.CharField(widget=forms.HiddenInput)


def _forbidden(request, message):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": message}, status=403,
    )


def _hit_rows(result):
    """Each blocking hit with a little text around it (personal data stays masked)."""
    texts = {segment.place: segment.text for segment in result.segments}
    rows = []
    for hit in result.blocking:
        text = texts.get(hit.place, "")
        start = hit.offset - 1
        end = start + len(hit.quote)
        rows.append({
            "hit": hit,
            "before": text[max(0, start - CONTEXT_CHARS):start],
            "after": text[end:end + CONTEXT_CHARS],
        })
    return rows


def confidentiality_review(request, page_id):
    from wagtail.models import Page

    from portal.pages.models import ArticlePage

    page = Page.objects.filter(pk=page_id).first()
    if page is None or not issubclass(page.specific_class or Page, ArticlePage):
        raise Http404("页面不存在")
    page = page.specific
    reviewer = can_review(request.user)
    can_edit = page.permissions_for_user(request.user).can_edit()
    if not reviewer and not can_edit:
        return _forbidden(request, "只有安全管理员和本单位编辑人员可以查看保密审查。")
    department = current_site_department()
    content = page.get_latest_revision_as_object()
    result = scan_page(content)
    form = ReviewForm(initial={"content_hash": result.content_hash})
    if request.method == "POST":
        if not reviewer:
            return _forbidden(request, "只有安全管理员可以进行保密审查。")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                review = record_decision(
                    page, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
                    reviewer=request.user, expected_hash=form.cleaned_data["content_hash"], request=request,
                )
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"已记录保密审查：{review.get_decision_display()}")
                return redirect("governance:confidentiality_review", page_id=page.pk)
    decisions = ConfidentialityReview.objects.filter(department=department, page_id=page.pk)[:20]
    return TemplateResponse(request, "governance/confidentiality_review.html", {
        "page_title": f"保密审查：{content.title}",
        "header_title": f"保密审查：{content.title}",
        "article": page,
        "content": content,
        "department": department,
        "result": result,
        "rows": _hit_rows(result),
        "current": latest_decision(department, result.content_hash) if result.blocking else None,
        "decisions": decisions,
        "form": form,
        "can_decide": reviewer and bool(result.blocking),
        "can_edit": can_edit,
    })


def confidentiality_index(request):
    """What waits for a 保密审查 in every department (public schema), newest first."""
    if not can_review(request.user):
        return _forbidden(request, "只有安全管理员可以进行保密审查。")
    pending = ConfidentialityHold.objects.filter(review__isnull=True).select_related("department", "requested_by")
    recent = ConfidentialityReview.objects.select_related("department")[:50]
    return TemplateResponse(request, "governance/confidentiality_index.html", {
        "page_title": "保密审查", "header_title": "保密审查", "pending": pending, "recent": recent,
    })
