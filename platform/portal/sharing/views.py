"""Admin screens of 信息报送 and the resource library, on each site's own admin.

The site whose admin is open is the sending department (报送, 我的报送) and the receiving one
(待处理, 复用): people without a role there never reach these views (403 for every admin URL).
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.auth import require_admin_access

from portal.models import PublishedItem
from tenants.models import SITE_KINDS

from . import services
from .forms import DecisionForm, LibraryFilterForm, PeriodForm, ReuseForm, SubmitForm
from .models import Submission


def _forbidden(request, message):
    return TemplateResponse(request, "accounts/forbidden.html",
                            {"department": getattr(request, "tenant", None), "message": message}, status=403)


@require_admin_access
def mine(request):
    submissions = Submission.objects.filter(source_department=request.tenant, kind=Submission.Kind.SUBMISSION) \
        .select_related("target_department", "decided_by")
    return TemplateResponse(request, "sharing/mine.html", {"page_title": "我的报送", "submissions": submissions[:200]})


@require_admin_access
def create(request):
    initial = {}
    page_id = request.GET.get("page", "")
    if page_id.isdigit():
        item = PublishedItem.objects.filter(department=request.tenant, kind="article", object_id=page_id).first()
        if item is not None:
            initial["item"] = item.pk
    form = SubmitForm(request.POST or None, initial=initial, department=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(item=form.cleaned_data["item"], target_department=form.cleaned_data["target_department"],
                            column_type=form.cleaned_data["column_type"], note=form.cleaned_data["note"],
                            user=request.user, request=request)
        except services.SharingError as error:
            form.add_error(None, str(error))
        else:
            receiver = form.cleaned_data["target_department"].name
            messages.success(request, f"已报送给{receiver}，请在“我的报送”查看处理情况")
            return redirect("sharing:mine")
    status = 400 if form.errors else 200
    return TemplateResponse(request, "sharing/form.html",
                            {"page_title": "报送信息", "form": form, "submit_label": "报送"}, status=status)


@require_admin_access
def queue(request):
    received = Submission.objects.filter(target_department=request.tenant, kind=Submission.Kind.SUBMISSION) \
        .select_related("source_department", "submitter", "decided_by")
    return TemplateResponse(request, "sharing/queue.html", {
        "page_title": "待处理报送", "pending": received.filter(status=Submission.Status.PENDING),
        "decided": received.exclude(status=Submission.Status.PENDING)[:50]})


@require_admin_access
def decide(request, pk):
    submission = get_object_or_404(Submission.objects.select_related("source_department", "submitter"), pk=pk,
                                   target_department=request.tenant, kind=Submission.Kind.SUBMISSION)
    columns = services.receiving_columns(request.user)
    if not columns:
        return _forbidden(request, "您没有在本网站栏目发布信息的权限，不能处理报送。")
    # Columns of the requested type first: the usual choice is the one the sender asked for.
    columns.sort(key=lambda column: column.column_type != submission.target_column_type)
    form = DecisionForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.accept(submission, user=request.user, column_id=form.cleaned_data["column"],
                                request=request)
                messages.success(request, f"已采用：{submission.title}。引用页面已提交本网站审核，审核通过后上线")
            else:
                services.reject(submission, user=request.user, reason=form.cleaned_data["reason"], request=request)
                messages.success(request, f"未采用：{submission.title}")
        except PermissionDenied as error:
            return _forbidden(request, str(error))
        except services.SharingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("sharing:queue")
    return TemplateResponse(request, "sharing/decide.html",
                            {"page_title": "处理报送信息", "submission": submission, "form": form,
                             "original": services.original_item(submission), "submit_label": "确定"},
                            status=400 if form.errors else 200)


@require_admin_access
def library(request):
    form = LibraryFilterForm(request.GET or None)
    items = PublishedItem.objects.filter(kind="article", department__status="active",
                                         department__kind__in=SITE_KINDS).select_related("department")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            items = items.filter(Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"]))
        if data["department"]:
            items = items.filter(department=data["department"])
        if data["column_type"]:
            items = items.filter(column_type=data["column_type"])
        if data["genre"]:
            items = items.filter(genre=data["genre"])
        if data["date_from"]:
            items = items.filter(publish_time__date__gte=data["date_from"])
        if data["date_to"]:
            items = items.filter(publish_time__date__lte=data["date_to"])
    elif form.is_bound:
        items = items.none()
    page = Paginator(items.order_by("-publish_time", "-id"), 30).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(request, "sharing/library.html", {
        "page_title": "统一信息资源库", "form": form, "items": page, "query": query.urlencode(),
        "department": request.tenant}, status=400 if form.is_bound and form.errors else 200)


@require_admin_access
def reuse(request, pk):
    item = get_object_or_404(PublishedItem.objects.select_related("department"), pk=pk, kind="article")
    columns = services.receiving_columns(request.user)
    if not columns:
        return _forbidden(request, "您没有在本网站栏目发布信息的权限，不能复用信息。")
    form = ReuseForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        try:
            services.reuse(item=item, target_department=request.tenant, column_id=form.cleaned_data["column"],
                           user=request.user, request=request)
        except PermissionDenied as error:
            return _forbidden(request, str(error))
        except services.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已复用：{item.title}。引用页面已提交本网站审核，审核通过后上线")
            return redirect("sharing:library")
    return TemplateResponse(request, "sharing/reuse.html",
                            {"page_title": "复用信息", "item": item, "form": form, "submit_label": "复用"},
                            status=400 if form.errors else 200)


def _statistics_rows(request, start, end):
    from portal.workbench import has_central_role
    from tenants.models import Department

    if has_central_role(request.user) and request.tenant.is_portal:
        departments = list(Department.sites().order_by("sort_order", "id"))
    else:
        departments = [request.tenant]
    figures = services.statistics(departments, start, end)
    return [{"department": department, **figures[department.pk]} for department in departments]


@require_admin_access
def statistics(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": date(today.year, 1, 1).isoformat(), "end": today.isoformat()})
    if not form.is_valid():
        return TemplateResponse(request, "sharing/statistics.html",
                                {"page_title": "信息报送统计", "form": form, "rows": []}, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = _statistics_rows(request, start, end)
    if request.GET.get("format") == "csv":
        return _csv(rows, start, end)
    return TemplateResponse(request, "sharing/statistics.html",
                            {"page_title": "信息报送统计", "form": form, "rows": rows,
                             "export_query": f"start={start.isoformat()}&end={end.isoformat()}&format=csv"})


def _csv(rows, start, end):
    import csv

    from portal.exporting import csv_cell

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sharing-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["单位", "报送数", "采用数", "采用率（%）"])
    for row in rows:
        writer.writerow([csv_cell(row["department"].name), row["submitted"], row["accepted"],
                         "" if row["rate"] is None else row["rate"]])
    return response
