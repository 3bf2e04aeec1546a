"""Public pages: the catalogue (one department's on its site, every department's on the portal),
the 依申请公开 form and status lookup, and published annual reports."""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from portal.delivery import cacheable

from .catalogue import FILTERS, catalogue_items
from .models import CatalogueItem, Genre, Validity
from .topics import TOPIC_NAMES, TOPIC_TREE

PAGE_SIZE = 20


def _catalogue_departments():
    from tenants.models import Department

    departments = Department.sites().filter(status="active")
    return departments.order_by("sort_order", "id")


@cacheable(params=("department", "topic", "genre", "year", "validity", "q", "page"),
           tags=("model:disclosure.catalogueitem", "projection"))
def catalogue(request):
    """The catalogue with its filters; the portal's spans every department."""
    tenant = getattr(request, "tenant", None)
    central = tenant is None or tenant.is_portal
    filters = {name: request.GET.get(name, "").strip()[:100] for name in FILTERS}
    if not central:
        filters["department"] = ""
    items = catalogue_items(filters, department=None if central else tenant)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = CatalogueItem.objects.all() if central else CatalogueItem.objects.filter(department=tenant)
    years = scope.order_by("-year").values_list("year", flat=True).distinct()
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "disclosure/catalogue.html", {
        "central": central,
        "filters": filters,
        "items": page,
        "departments": _catalogue_departments() if central else [],
        "topic_tree": TOPIC_TREE,
        "topic_name": TOPIC_NAMES.get(filters["topic"], ""),
        "genres": Genre.choices,
        "validities": Validity.choices,
        "years": years,
        "query_string": query.urlencode(),
    })


# ----------------------------------------------------------------------------------------------
# 依申请公开
# ----------------------------------------------------------------------------------------------

SCOPE = "disclosure"


def _render_application_form(request, guard, form, token, status=200):
    text = request.GET.get("captcha") == "text" or request.POST.get("captcha_kind") == "text"
    return TemplateResponse(request, "disclosure/apply.html",
                            {"form": form, "token": token, "captcha": guard.new_captcha(text=text)}, status=status)


def _applied(request, application):
    return TemplateResponse(request, "disclosure/applied.html", {"application": application})


def apply(request):
    """The online application. On a department's site it is addressed to that department."""
    from django.db import IntegrityError, transaction
    from portal.audit.log import client_ip
    from portal.public_forms import PublicFormGuard

    from . import applications
    from .forms import ApplicationForm
    from .models import Application

    tenant = getattr(request, "tenant", None)
    departments = _catalogue_departments()
    if tenant is not None and not tenant.is_portal:
        departments = departments.filter(pk=tenant.pk)
    guard = PublicFormGuard(request, SCOPE)
    if request.method != "POST":
        initial = {"department": tenant.pk} if tenant is not None and not tenant.is_portal else {}
        form = ApplicationForm(initial=initial, departments=departments)
        return _render_application_form(request, guard, form, guard.issue_token())
    token = request.POST.get("token", "")
    if guard.token_issued(token):
        existing = Application.objects.filter(submit_token=token).first()
        if existing is not None:  # a second click on the same form
            return _applied(request, existing)
    form = ApplicationForm(request.POST, departments=departments)
    refused = guard.refusal(form, token, contact_fields=("phone", "email", "id_number"))
    if refused:
        status, token = refused
        return _render_application_form(request, guard, form, token, status=status)
    data = dict(form.cleaned_data)
    department = data.pop("department")
    data.pop("captcha")
    try:
        with transaction.atomic():
            application = applications.submit(department=department, data=data, token=token, ip=client_ip(request))
    except IntegrityError:  # the same form sent twice at once: one application, counted once
        guard.withdraw()
        application = Application.objects.get(submit_token=token)
    return _applied(request, application)


def status(request):
    """The applicant looks up the handling of an application with its query code, and answers a
    request for 补正 there (the code is what proves it is the applicant)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from . import applications
    from .forms import CompletionForm, StatusForm
    from .models import Application

    completion_form = None
    if request.method == "POST":
        completion_form = CompletionForm(request.POST)
        code = request.POST.get("code", "").strip().upper()
        application = Application.objects.select_related("department").filter(query_code=code).first()
        if application is None:
            raise Http404("未找到该申请")
        if not application.is_paused:  # already completed (e.g. a second click): show where it stands
            return redirect(f"/catalogue/status/?code={application.query_code}")
        if completion_form.is_valid():
            try:
                applications.completion_received(application, user=None, request=request,
                                                 text=completion_form.cleaned_data["text"])
            except applications.ApplicationError as error:
                completion_form.add_error(None, str(error))
            else:
                messages.success(request, "补正内容已提交，答复期限恢复计算")
                return redirect(f"/catalogue/status/?code={application.query_code}")
        form = StatusForm({"code": application.query_code})
        form.is_valid()
    else:
        form = StatusForm(request.GET if "code" in request.GET else None)
        application = None
        if form.is_bound and form.is_valid():
            application = (Application.objects.select_related("department")
                           .filter(query_code=form.cleaned_data["code"].strip().upper()).first())
    not_found = form.is_bound and form.is_valid() and application is None
    if application is not None and application.is_paused and completion_form is None:
        completion_form = CompletionForm(initial={"code": application.query_code})
    return TemplateResponse(request, "disclosure/status.html", {
        "form": form, "application": application, "not_found": not_found,
        "completion_form": completion_form if application is not None and application.is_paused else None,
        "explanation": applications.deadline_explanation(application) if application else "",
    }, status=400 if completion_form is not None and completion_form.errors else 200)


# ----------------------------------------------------------------------------------------------
# Published annual reports: the portal lists every one, a department's site its own
# ----------------------------------------------------------------------------------------------


def _published_reports(request):
    from .models import AnnualReport

    published = AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED).select_related("department")
    tenant = getattr(request, "tenant", None)
    if tenant is not None and not tenant.is_portal:
        published = published.filter(department=tenant)
    return published


@cacheable(tags=("model:disclosure.annualreport",))
def reports(request):
    return TemplateResponse(request, "disclosure/reports.html", {"reports": _published_reports(request)})


@cacheable(tags=("model:disclosure.annualreport",))
def report(request, pk):
    from django.shortcuts import get_object_or_404

    from .reports import rows_for_display

    published = get_object_or_404(_published_reports(request), pk=pk)
    return TemplateResponse(request, "disclosure/report.html",
                            {"report": published, "tables": rows_for_display(published.data)})


def report_pdf(request, pk):
    from django.http import HttpResponse
    from django.shortcuts import get_object_or_404

    from .reports import report_pdf as render_pdf

    published = get_object_or_404(_published_reports(request), pk=pk)
    response = HttpResponse(render_pdf(published), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{published.year}-{published.pk}.pdf"'
    return response
