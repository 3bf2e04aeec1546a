"""Admin views: a department fills in and prints the form; the centre approves or rejects."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin.auth import require_admin_access

from tenants.admin_views import central_admin_required

from . import services
from .forms import DecisionForm, HomepageRequestForm
from .models import HomepageRequest


@require_admin_access
def department_index(request):
    department = request.tenant
    requests = HomepageRequest.objects.filter(department=department).select_related("decided_by")
    return TemplateResponse(request, "homepage_requests/index.html",
                            {"page_title": "首页发布申请", "requests": requests, "department": department})


@require_admin_access
def department_create(request):
    department = request.tenant
    form = HomepageRequestForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        homepage_request = services.submit(form, department=department, applicant=request.user, request=request)
        messages.success(request, "申请已提交，等待区信息中心审批")
        return redirect("homepage_requests:print", pk=homepage_request.pk)
    return TemplateResponse(request, "tenants/admin/form.html", {"page_title": "填写信息发布申请表", "form": form})


@require_admin_access
def department_print(request, pk):
    homepage_request = get_object_or_404(HomepageRequest, pk=pk, department=request.tenant)
    return TemplateResponse(request, "homepage_requests/print.html", {"r": homepage_request})


@central_admin_required
def review_index(request):
    pending = HomepageRequest.objects.filter(status="pending").select_related("department", "applicant")
    decided = HomepageRequest.objects.exclude(status="pending").select_related("department", "decided_by")[:50]
    return TemplateResponse(request, "homepage_requests/review.html",
                            {"page_title": "首页发布申请审批", "pending": pending, "decided": decided})


@central_admin_required
def review_decide(request, pk):
    homepage_request = get_object_or_404(HomepageRequest.objects.select_related("department"), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.decide(homepage_request, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
                        user=request.user, request=request)
        messages.success(request, f"已{homepage_request.get_status_display()}：{homepage_request.title}")
        return redirect("homepage_requests:review")
    return TemplateResponse(request, "homepage_requests/decide.html",
                            {"page_title": "审批信息发布申请", "r": homepage_request, "form": form})
