"""Admin screens of the statement (the centre and the 区政府办公室) and its public pages (portal only)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from portal.delivery.policy import cacheable

from . import service
from .exports import sections, statement_excel, statement_pdf
from .forms import ManualForm, YearForm
from .models import Statement


def _drafters_only(request):
    if not service.may_draft(request.user):
        raise Http404("未找到该页面")


@require_admin_access
def index(request):
    _drafters_only(request)
    form = YearForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                statement = service.generate(form.cleaned_data["year"], user=request.user, request=request)
            except service.StatementError as error:
                form.add_error("year", str(error))
            else:
                messages.success(request, f"已生成{statement.title}（草稿），"
                                          "请填写需要人工填写的项目后由区政府办公室审核发布")
                return redirect("statement_admin", year=statement.year)
        status = 400
    return TemplateResponse(request, "statement/admin/index.html", {
        "page_title": "政府网站工作年度报表", "form": form, "statements": Statement.objects.all(),
    }, status=status)


@require_admin_access
def edit(request, year):
    _drafters_only(request)
    statement = get_object_or_404(Statement, year=year)
    form = ManualForm(request.POST or None, initial=ManualForm.initial_from(statement.data.get("manual") or {}))
    status = 200
    if request.method == "POST":
        if statement.is_published:
            messages.error(request, "年度报表已发布，不能修改")
            return redirect("statement_admin", year=year)
        if form.is_valid():
            service.enter(statement, form.cleaned_data, user=request.user, request=request)
            messages.success(request, "已保存人工填写的项目")
            return redirect("statement_admin", year=year)
        status = 400
    return TemplateResponse(request, "statement/admin/edit.html", {
        "page_title": statement.title, "statement": statement, "form": form, "sections": sections(statement),
        "missing": service.missing_entries(statement), "may_publish": service.may_publish(request.user),
        "due": service.due_date(statement.year),
    }, status=status)


def _act(request, year, act, done: str):
    """Run `act(statement)` from a button of the statement's screen and say how it went."""
    _drafters_only(request)
    statement = get_object_or_404(Statement, year=year)
    try:
        act(statement)
    except service.StatementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("statement_admin", year=year)


@require_admin_access
@require_POST
def regenerate(request, year):
    return _act(request, year, lambda statement: service.generate(statement.year, user=request.user, request=request),
                "已按最新数据重新统计，人工填写的项目保持不变")


@require_admin_access
@require_POST
def publish(request, year):
    return _act(request, year, lambda statement: service.publish(statement, user=request.user, request=request),
                "年度报表已发布到门户网站首页")


def _file(statement, kind) -> HttpResponse:
    if kind == "pdf":
        response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="statement-{statement.year}.pdf"'
    else:
        response = HttpResponse(statement_excel(statement),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="statement-{statement.year}.xlsx"'
    return response


@require_admin_access
def admin_file(request, year, kind):
    _drafters_only(request)
    return _file(get_object_or_404(Statement, year=year), kind)


# -- public pages (the portal only) ---------------------------------------------------------------


def _published(request, year=None):
    if not request.tenant.is_portal:
        raise Http404("政府网站工作年度报表在区政府门户网站发布")
    published = Statement.objects.filter(status=Statement.Status.PUBLISHED)
    return published if year is None else get_object_or_404(published, year=year)


@cacheable(tags=("model:statement.statement",))
def public_index(request):
    return TemplateResponse(request, "statement/index.html", {"statements": _published(request)})


@cacheable(tags=("model:statement.statement",))
def public_statement(request, year):
    statement = _published(request, year)
    return TemplateResponse(request, "statement/statement.html",
                            {"statement": statement, "sections": sections(statement)})


def public_file(request, year, kind):
    return _file(_published(request, year), kind)
