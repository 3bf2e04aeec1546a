"""Central people management: one account per person, roles per department or central."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from portal.audit.log import record as audit_record
from tenants.admin_views import central_admin_required

from .forms import CentralRoleForm, DepartmentRoleForm, PersonCreateForm
from .models import User
from .roles import RoleError, grant_central_role, grant_department_role, revoke_department_role


@central_admin_required
def person_index(request):
    people = User.objects.prefetch_related("department_roles__department", "central_roles").order_by("username")
    return TemplateResponse(request, "accounts/admin/index.html", {"page_title": "人员管理", "people": people})


@central_admin_required
def person_create(request):
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        audit_record("user_create", request=request, target=person.username)
        messages.success(request, f"已创建账号 {person.username}")
        return redirect("accounts_admin:detail", pk=person.pk)
    return TemplateResponse(request, "tenants/admin/form.html", {"page_title": "新建人员账号", "form": form})


@central_admin_required
def person_detail(request, pk):
    person = get_object_or_404(User, pk=pk)
    role_form = DepartmentRoleForm(request.POST if request.POST.get("form") == "department" else None)
    central_form = CentralRoleForm(request.POST if request.POST.get("form") == "central" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "department" and role_form.is_valid():
                department, role = role_form.cleaned_data["department"], role_form.cleaned_data["role"]
                grant_department_role(person, department, role)
                audit_record("role_grant", request=request, target=f"{person.username} {department.name} {role}")
                messages.success(request, "已授予单位角色")
                return redirect("accounts_admin:detail", pk=person.pk)
            if request.POST.get("form") == "revoke":
                from tenants.models import Department

                department = get_object_or_404(Department, pk=request.POST.get("department"))
                revoke_department_role(person, department, request.POST.get("role", ""))
                audit_record("role_revoke", request=request,
                             target=f"{person.username} {department.name} {request.POST.get('role')}")
                messages.success(request, "已撤销单位角色")
                return redirect("accounts_admin:detail", pk=person.pk)
            if request.POST.get("form") == "central" and central_form.is_valid():
                grant_central_role(person, central_form.cleaned_data["role"], granted_by=request.user)
                audit_record("role_grant", request=request, target=f"{person.username} {central_form.cleaned_data['role']}")
                messages.success(request, "已授予中心角色")
                return redirect("accounts_admin:detail", pk=person.pk)
        except RoleError as error:
            messages.error(request, str(error))
    return TemplateResponse(
        request, "accounts/admin/detail.html",
        {"page_title": f"人员：{person}", "person": person, "role_form": role_form, "central_form": central_form,
         "department_roles": person.department_roles.select_related("department"),
         "central_roles": person.central_roles.all()},
    )
