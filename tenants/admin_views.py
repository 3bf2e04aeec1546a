"""Admin views of the 区信息中心: create, rename, suspend, archive departments and set plugins.

Departments live in the public schema, so these views work from any site's admin; only
system administrators may use them.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from portal.plugins import describe_plugins, set_enabled

from .forms import DepartmentCreateForm, DepartmentEditForm, DepartmentStatusForm
from .models import Department
from .provisioning import ProvisioningError, set_status, timed_create_department, update_department


def is_central_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_central_role("system_admin")


def central_admin_required(view):
    """Only system administrators; anyone else gets a plain 403 page in Chinese."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_central_admin(request.user):
            return TemplateResponse(
                request, "accounts/forbidden.html",
                {"department": getattr(request, "tenant", None), "message": "只有系统管理员可以使用此功能。"},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


@central_admin_required
def department_index(request):
    departments = Department.objects.exclude(kind__in=["platform", "template"]).order_by("sort_order", "id")
    return TemplateResponse(request, "tenants/admin/index.html", {"page_title": "单位管理", "departments": departments})


@central_admin_required
def department_create(request):
    form = DepartmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            department, seconds = timed_create_department(**form.cleaned_data)
        except ProvisioningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"已创建“{department.name}”，网站地址 {department.base_url}/ ，用时 {seconds:.1f} 秒"
            )
            return redirect("tenants_admin:index")
    return TemplateResponse(request, "tenants/admin/form.html", {"page_title": "新建单位", "form": form})


@central_admin_required
def department_edit(request, pk):
    department = get_object_or_404(Department.objects.exclude(kind__in=["platform", "template"]), pk=pk)
    old_name = department.name
    form = DepartmentEditForm(request.POST or None, instance=department)
    status_form = DepartmentStatusForm(
        request.POST if "status" in request.POST else None,
        initial={"status": department.status, "reason": department.status_reason},
    )
    if request.method == "POST" and "status" in request.POST:
        if status_form.is_valid():
            set_status(department, status_form.cleaned_data["status"], status_form.cleaned_data["reason"])
            messages.success(request, f"“{department.name}”状态已改为{department.get_status_display()}")
            return redirect("tenants_admin:edit", pk=department.pk)
    elif request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in DepartmentEditForm.Meta.fields}
        department.name = old_name  # the form wrote to the instance; let the service see the change
        update_department(department, **fields)
        enabled = set(form.cleaned_data["enabled_plugins"])
        for plugin in describe_plugins():
            set_enabled(department, plugin["name"], plugin["name"] in enabled)
        messages.success(request, f"已保存“{department.name}”")
        return redirect("tenants_admin:edit", pk=department.pk)
    return TemplateResponse(
        request, "tenants/admin/edit.html",
        {"page_title": f"编辑单位：{department.name}", "department": department, "form": form,
         "status_form": status_form},
    )
