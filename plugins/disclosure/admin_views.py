"""The admin side of 依申请公开 and the annual reports.

A department handles the applications addressed to it, on its own site; the centre sees every
department's (read-only). For anyone else an application does not exist (404). Extending the
deadline needs the department's 负责人 (《政府信息公开条例》 第三十三条: with the head's consent).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from portal.accounts.roles import roles_on_this_site

from . import applications
from .applications import ApplicationError, overdue, today_in_shanghai
from .forms import CompletionReceivedForm, CompletionRequestForm, DecisionForm, ExtendForm
from .models import Application


def is_centre(user) -> bool:
    from tenants.admin_views import is_central_admin

    return is_central_admin(user)


def _forbidden(request, message="您没有办理依申请公开的权限。"):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": message}, status=403,
    )


def visible_applications(request):
    """The centre sees all; a department, on its own site, its own; anyone else: None."""
    if roles_on_this_site(request):
        return Application.objects.filter(department=request.tenant)
    if is_centre(request.user):
        return Application.objects.all()
    return None


def _application(request, pk) -> Application:
    visible = visible_applications(request)
    if visible is None:
        raise Http404("未找到该申请")
    return get_object_or_404(visible.select_related("department"), pk=pk)


def _roles_for(request, application) -> set:
    """This person's roles for acting on the application: those in its department, on its site."""
    if application.department_id != getattr(request.tenant, "pk", None):
        return set()
    return roles_on_this_site(request)


def _handler(request, pk, role=None) -> Application:
    """The application, if this person may act on it: a role in its department, on its site."""
    application = _application(request, pk)
    roles = _roles_for(request, application)
    if not roles or (role and role not in roles):
        raise Http404("未找到该申请")
    return application


def index(request):
    visible = visible_applications(request)
    if visible is None:
        return _forbidden(request)
    today = today_in_shanghai()
    status = request.GET.get("status", "")
    listed = visible
    if status == "overdue":
        listed = overdue(visible, today)
    elif status in Application.Status.values:
        listed = visible.filter(status=status)
    return TemplateResponse(request, "disclosure/admin/index.html", {
        "page_title": "依申请公开", "applications": listed.select_related("department")[:200],
        "statuses": Application.Status.choices, "status": status, "centre": not roles_on_this_site(request),
        "overdue_count": overdue(visible, today).count(), "today": today,
        "missing_years": sorted(set(visible.filter(calendar_missing_year__isnull=False)
                                    .values_list("calendar_missing_year", flat=True))),
    })


def detail(request, pk, **forms):
    application = _application(request, pk)
    roles = _roles_for(request, application)
    return TemplateResponse(request, "disclosure/admin/detail.html", {
        "page_title": f"依申请公开：{application.name}", "application": application,
        "can_handle": bool(roles) and application.is_open, "is_head": "head" in roles,
        "explanation": applications.deadline_explanation(application),
        "completion_deadline": applications.completion_deadline(application),
        "overdue": application.is_overdue(), "events": application.events.select_related("actor"),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "completion_request_form": forms.get("completion_request_form") or CompletionRequestForm(),
        "completion_received_form": forms.get("completion_received_form")
        or CompletionReceivedForm(initial={"on": today_in_shanghai()}),
        "decision_form": forms.get("decision_form") or DecisionForm(),
    })


def _run(request, pk, form_class, form_name, action, success, role=None):
    application = _handler(request, pk, role)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(application, form.cleaned_data)
        except PermissionDenied as refused:
            return _forbidden(request, str(refused))
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect("disclosure_admin:detail", pk=application.pk)
    return detail(request, pk, **{form_name: form})


@require_POST
def extend(request, pk):
    return _run(request, pk, ExtendForm, "extend_form", lambda application, data: applications.extend(
        application, days=data["days"], reason=data["reason"], user=request.user, request=request,
    ), "答复期限已延长", role="head")


@require_POST
def request_completion(request, pk):
    return _run(request, pk, CompletionRequestForm, "completion_request_form",
                lambda application, data: applications.request_completion(
                    application, text=data["text"], user=request.user, request=request),
                "已要求申请人补正，答复期限暂停计算")


@require_POST
def completion_received(request, pk):
    return _run(request, pk, CompletionReceivedForm, "completion_received_form",
                lambda application, data: applications.completion_received(
                    application, user=request.user, request=request, on=data["on"]),
                "已登记补正到达，答复期限顺延")


@require_POST
def decide(request, pk):
    return _run(request, pk, DecisionForm, "decision_form", lambda application, data: applications.decide(
        application, decision=data["decision"], reason=data["reason"], answer=data["answer"],
        user=request.user, request=request,
    ), "已作出答复")


# -- annual reports -----------------------------------------------------------------------------


def _report_scope(request):
    """(department whose reports this person writes — None for the district —, may write)."""
    if roles_on_this_site(request):
        return request.tenant, True
    if is_centre(request.user):
        return None, True
    return None, False


def _visible_reports(request):
    from .models import AnnualReport

    department, allowed = _report_scope(request)
    if not allowed:
        return None
    if department is not None:
        return AnnualReport.objects.filter(department=department)
    return AnnualReport.objects.all()


def _report(request, pk, *, write=False):
    """A report this person may see; with `write`, only one of their own scope (the centre reads
    departments' reports but writes only the district's)."""
    visible = _visible_reports(request)
    if visible is None:
        raise Http404("未找到该年报")
    report = get_object_or_404(visible.select_related("department"), pk=pk)
    department, _allowed = _report_scope(request)
    if write and report.department_id != (department.pk if department else None):
        raise Http404("未找到该年报")
    return report


def _may_write(request, report) -> bool:
    department, _allowed = _report_scope(request)
    return report.department_id == (department.pk if department else None)


def _may_publish(request, report) -> bool:
    try:
        applications.require_head(request.user, report.department, "发布信息公开年报")
    except PermissionDenied:
        return False
    return _may_write(request, report)


def reports(request):
    from . import reports as report_service
    from .forms import GenerateReportForm

    visible = _visible_reports(request)
    if visible is None:
        return _forbidden(request)
    department, _allowed = _report_scope(request)
    form = GenerateReportForm(request.POST or None, initial={"year": today_in_shanghai().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            report = report_service.generate_report(department, form.cleaned_data["year"], user=request.user,
                                                    request=request)
        except report_service.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已根据本年度数据生成{report.title}，请核对后发布")
            return redirect("disclosure_admin:report", pk=report.pk)
    return TemplateResponse(request, "disclosure/admin/reports.html", {
        "page_title": "信息公开年报", "reports": visible.select_related("department"), "form": form,
        "scope_name": department.name if department else "全区（区信息中心）",
    })


def report(request, pk):
    from . import reports as report_service
    from .forms import ReportForm

    report = _report(request, pk, write=request.method == "POST")
    form = ReportForm(request.POST or None, report_data=report.data)
    if request.method == "POST" and form.is_valid():
        try:
            report_service.update_report(report, form.report_data(report.data), user=request.user, request=request)
        except report_service.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "年报已保存")
            return redirect("disclosure_admin:report", pk=report.pk)
    return TemplateResponse(request, "disclosure/admin/report.html", {
        "page_title": report.title, "report": report, "form": form, "may_write": _may_write(request, report),
        "may_publish": _may_publish(request, report),
        "imbalances": report_service.imbalances(report.data),
        "tables": report_service.rows_for_display(report.data),
        "due": report_service.due_date(report.year),
    }, status=400 if form.errors else 200)


@require_POST
def publish_report(request, pk):
    from . import reports as report_service

    report = _report(request, pk, write=True)
    try:
        report_service.publish_report(report, user=request.user, request=request)
    except PermissionDenied as refused:
        return _forbidden(request, str(refused))
    except report_service.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{report.title}已发布")
    return redirect("disclosure_admin:report", pk=report.pk)
