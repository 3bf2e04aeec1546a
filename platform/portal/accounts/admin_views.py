"""Central people management: one account per person, roles per department or central.

System administrators create accounts and grant roles; system and security administrators lock,
unlock, log out and reset accounts (第十八条(五)); an audit administrator has no business here.
What would let one administrator get around 三员分立 is filed here as a request and decided by a
second person (`dual_control`, `request_views`).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.sessions.models import Session
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from portal.audit.log import record as audit_record
from tenants.admin_views import central_admin_required, is_central_admin

from . import dual_control, security
from .forms import (
    CentralRoleForm,
    DepartmentRoleForm,
    DualControlRequestForm,
    PasswordResetByAdminForm,
    PersonCreateForm,
)
from .models import CentralRole, DualControlRequest, LoginSession, TOTPDevice, User
from .roles import (
    DUAL_CONTROL_ROLES,
    RoleError,
    grant_central_role,
    grant_department_role,
    revoke_central_role,
    revoke_department_role,
)


def _forbidden(request, message):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": message}, status=403,
    )


def people_admin_required(view):
    """System and security administrators; anyone else gets a plain 403 page in Chinese."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not security.can_manage_security(request.user):
            return _forbidden(request, "只有系统管理员或安全管理员可以使用此功能。")
        return view(request, *args, **kwargs)

    return wrapped


@people_admin_required
def person_index(request):
    people = User.objects.prefetch_related("department_roles__department", "central_roles").order_by("username")
    return TemplateResponse(request, "accounts/admin/index.html", {
        "page_title": "人员管理", "people": people, "can_create": is_central_admin(request.user),
    })


@central_admin_required
def person_create(request):
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        audit_record("user_create", request=request, target=person.username)
        messages.success(request, f"已创建账号 {person.username}，对方首次登录后须修改初始密码")
        return redirect("accounts_admin:detail", pk=person.pk)
    return TemplateResponse(request, "tenants/admin/form.html", {"page_title": "新建人员账号", "form": form})


SECURITY_ACTIONS = {
    "lock": (security.lock, "已锁定账号，对方的所有会话已结束"),
    "unlock": (security.unlock, "已解锁账号，并解除了登录失败锁定"),
    "force_logout": (security.force_logout, "已强制下线：对方在所有网站后台的会话均已结束"),
    "reset_totp": (security.reset_second_factor, "已重置动态口令，对方下次登录时须重新绑定"),
}


def _role_action(request, person, role_form, central_form):
    """Role changes, for system administrators only; returns a redirect when done."""
    action = request.POST.get("form")
    if action == "department" and role_form.is_valid():
        department, role = role_form.cleaned_data["department"], role_form.cleaned_data["role"]
        grant_department_role(person, department, role)
        audit_record("role_grant", request=request, target=f"{person.username} {department.name} {role}")
        messages.success(request, "已授予单位角色")
        return redirect("accounts_admin:detail", pk=person.pk)
    if action == "revoke":
        from tenants.models import Department

        department = get_object_or_404(Department, pk=request.POST.get("department"))
        revoke_department_role(person, department, request.POST.get("role", ""))
        audit_record("role_revoke", request=request,
                     target=f"{person.username} {department.name} {request.POST.get('role')}")
        messages.success(request, "已撤销单位角色")
        return redirect("accounts_admin:detail", pk=person.pk)
    if action == "central" and central_form.is_valid():
        grant_central_role(person, central_form.cleaned_data["role"], granted_by=request.user)
        audit_record("role_grant", request=request, target=f"{person.username} {central_form.cleaned_data['role']}")
        messages.success(request, "已授予中心角色")
        return redirect("accounts_admin:detail", pk=person.pk)
    if action == "revoke_central":
        role = request.POST.get("role", "")
        revoke_central_role(person, role, revoked_by=request.user)
        audit_record("role_revoke", request=request, target=f"{person.username} {role}")
        messages.success(request, "已撤销中心角色")
        return redirect("accounts_admin:detail", pk=person.pk)
    return None


def _file_request(request, person, form):
    """Files the request; the applicant's half of a new password is on the returned page only."""
    data = form.cleaned_data
    obj, half = dual_control.file_request(request.user, person, data["kind"], data["reason"],
                                          role=data.get("role") or "", request=request)
    messages.success(request, f"已提交申请：{obj}。须由{dual_control.approver_labels(obj)}审批后生效")
    return {"filed": obj, "applicant_half": half}


@people_admin_required
def person_detail(request, pk):
    person = get_object_or_404(User, pk=pk)
    action = request.POST.get("form")
    role_form = DepartmentRoleForm(request.POST if action == "department" else None)
    central_form = CentralRoleForm(request.POST if action == "central" else None)
    reset_form = PasswordResetByAdminForm(person, request.POST if action == "reset_password" else None)
    dual_form = DualControlRequestForm(request.POST if action == "dual_request" else None)
    may_grant = is_central_admin(request.user)
    filed = {}
    if request.method == "POST":
        try:
            if action in SECURITY_ACTIONS:
                perform, done = SECURITY_ACTIONS[action]
                perform(request, person)
                messages.success(request, done)
                return redirect("accounts_admin:detail", pk=person.pk)
            if action == "reset_password" and reset_form.is_valid():
                security.reset_password(request, person, reset_form.cleaned_data["password"])
                messages.success(request, "已重置密码，对方下次登录后须立即修改")
                return redirect("accounts_admin:detail", pk=person.pk)
            if action == "dual_request" and dual_form.is_valid():
                filed = _file_request(request, person, dual_form)
                dual_form = DualControlRequestForm()
            if action in ("department", "revoke", "central", "revoke_central"):
                if not may_grant:
                    return _forbidden(request, "只有系统管理员可以授予或撤销角色。")
                done = _role_action(request, person, role_form, central_form)
                if done is not None:
                    return done
        except (RoleError, security.SecurityActionError) as error:
            messages.error(request, str(error))
    person.refresh_from_db()
    keys = LoginSession.objects.filter(user=person).values_list("session_key", flat=True)
    protected = dual_control.protected_role(person)
    response = TemplateResponse(
        request, "accounts/admin/detail.html",
        {"page_title": f"人员：{person}", "person": person, "role_form": role_form, "central_form": central_form,
         "reset_form": reset_form, "may_grant": may_grant, "dual_form": dual_form, **filed,
         "protected_role": protected, "protected_label": CentralRole(protected).label if protected else "",
         "dual_roles": DUAL_CONTROL_ROLES,
         "pending_requests": DualControlRequest.objects.filter(person=person, status=DualControlRequest.Status.PENDING),
         "department_roles": person.department_roles.select_related("department"),
         "central_roles": person.central_roles.all(),
         "open_sessions": Session.objects.filter(session_key__in=list(keys), expire_date__gt=timezone.now()).count(),
         "has_totp": TOTPDevice.objects.filter(user=person).exists(),
         "needs_totp": person.is_superuser or person.central_roles.exists(),
         "lockout": security.lockout_state(person),
         "password_status": security.PASSWORD_CHANGE_STATUS.get(security.password_change_reason(person) or ""),
         "central_role_labels": dict(CentralRole.choices)},
    )
    if filed:
        response["Cache-Control"] = "no-store"  # a password half is on this page
    return response
