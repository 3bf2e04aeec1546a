"""Granting and revoking roles: the one way to change who may do what.

The public `DepartmentRole` row and the membership of the department's Wagtail group are
written together, so Wagtail's page permissions always agree with the central record.
"""

from django.db import transaction
from django_tenants.utils import tenant_context

from .models import CentralRole, CentralRoleAssignment, DepartmentRole, DepartmentRoleName, User


class RoleError(Exception):
    """A role change that is not allowed; the message says why, in Chinese."""


@transaction.atomic
def grant_department_role(user: User, department, role: str) -> DepartmentRole:
    from tenants.provisioning import role_group

    if role not in DepartmentRoleName.values:
        raise RoleError("单位角色只能是业务员或负责人")
    if not department.is_site:
        raise RoleError("只能在门户或部门网站上授予单位角色")
    assignment, _ = DepartmentRole.objects.get_or_create(user=user, department=department, role=role)
    with tenant_context(department):
        user.groups.add(role_group(role))
    return assignment


@transaction.atomic
def revoke_department_role(user: User, department, role: str) -> None:
    from tenants.provisioning import role_group

    DepartmentRole.objects.filter(user=user, department=department, role=role).delete()
    with tenant_context(department):
        user.groups.remove(role_group(role))


# 等保 三员分立: system, security and audit administration are held by three different people.
SEPARATED_ROLES = (CentralRole.SYSTEM_ADMIN, CentralRole.SECURITY_ADMIN, CentralRole.AUDIT_ADMIN)
# Granting or revoking these takes a second person (`portal.accounts.dual_control`): whoever could
# hand them out alone could make a puppet of the people who check them.
DUAL_CONTROL_ROLES = (CentralRole.SECURITY_ADMIN, CentralRole.AUDIT_ADMIN)
DUAL_CONTROL_MESSAGE = ("授予或撤销{label}须先提交申请，由另一名有审批权的管理员批准后生效，"
                        "请在人员页面的“需双人审批的变更”中提交")


def separated_roles_held(user: User) -> set[str]:
    """Which of 系统管理员, 安全管理员 and 审计管理员 the person holds (a superuser counts as the first)."""
    held = set(user.central_role_names() & set(SEPARATED_ROLES))
    if user.is_superuser:
        held.add(CentralRole.SYSTEM_ADMIN)  # a superuser can do everything a system administrator can
    return held


def check_central_grant(user: User, role: str, granted_by: User | None = None) -> None:
    """Raises RoleError if the role may not go to this person at all, whoever approves it."""
    if role not in CentralRole.values:
        raise RoleError("未知的中心角色")
    if granted_by is not None and granted_by.pk == user.pk:
        raise RoleError("不能给自己授予角色")
    if role in SEPARATED_ROLES:
        others = separated_roles_held(user) - {role}
        if others:
            held = "、".join(CentralRole(other).label for other in sorted(others))
            raise RoleError(f"系统管理员、安全管理员和审计管理员须由不同人员担任，该人员已是{held}")


@transaction.atomic
def grant_central_role(user: User, role: str, granted_by: User | None = None) -> CentralRoleAssignment:
    """Grants a central role at once; 安全管理员 and 审计管理员 are refused here (file a request)."""
    check_central_grant(user, role, granted_by)
    if role in DUAL_CONTROL_ROLES:
        raise RoleError(DUAL_CONTROL_MESSAGE.format(label=CentralRole(role).label))
    return _assign_central_role(user, role)


def _assign_central_role(user: User, role: str) -> CentralRoleAssignment:
    assignment, _ = CentralRoleAssignment.objects.get_or_create(user=user, role=role)
    user.forget_central_roles()
    if role == CentralRole.SYSTEM_ADMIN and not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return assignment


@transaction.atomic
def appoint_first_holder(user: User, role: str) -> CentralRoleAssignment:
    """The installation's first 安全管理员 or 审计管理员, while nobody holds the role yet.

    A new platform has nobody who could approve the first request, so the person who installs it
    appoints them from the command line (`manage.py appoint_first_holder`); once the role is held,
    every further grant goes through a request like any other.
    """
    check_central_grant(user, role)
    if role not in DUAL_CONTROL_ROLES:
        raise RoleError("只有安全管理员和审计管理员需要这样任命，其他角色请直接授予")
    # Serialises two appointments running at the same moment.
    list(CentralRoleAssignment.objects.select_for_update().filter(role=role))
    if CentralRoleAssignment.objects.filter(role=role).exclude(user=user).exists():
        raise RoleError(f"已有人担任{CentralRole(role).label}：新的任命须提交申请，由另一名管理员批准")
    return _assign_central_role(user, role)


@transaction.atomic
def revoke_central_role(user: User, role: str, revoked_by: User | None = None) -> None:
    """Revokes a central role at once; 安全管理员 and 审计管理员 are refused here (file a request)."""
    if revoked_by is not None and revoked_by.pk == user.pk:
        raise RoleError("不能撤销自己的角色")
    if role in DUAL_CONTROL_ROLES:
        raise RoleError(DUAL_CONTROL_MESSAGE.format(label=CentralRole(role).label))
    _remove_central_role(user, role)


def _remove_central_role(user: User, role: str) -> None:
    CentralRoleAssignment.objects.filter(user=user, role=role).delete()
    user.forget_central_roles()
    if role == CentralRole.SYSTEM_ADMIN and user.is_superuser:
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])


def is_office_admin(user) -> bool:
    """Whether the person holds 办公室管理员 (区政府办公室) themselves.

    Asked of the assignment, not through `has_central_role`: a 系统管理员 is a superuser, and the
    centre that drafts the yearly 通报 must not be the office that approves it.
    """
    return bool(
        user is not None and user.is_authenticated and user.is_active
        and CentralRole.OFFICE_ADMIN in user.central_role_names()
    )


def departments_of(user: User):
    """Departments where the person holds a role (public schema, no loop over schemas)."""
    from tenants.models import Department

    return Department.objects.filter(roles__user=user).distinct().order_by("sort_order", "id")


def can_enter_admin(user: User, department) -> bool:
    """Whether the person may use this department's admin at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.central_role_names():
        return True
    return DepartmentRole.objects.filter(user=user, department=department).exists()


def roles_on_this_site(request) -> set[str]:
    """The department roles (`editor`, `head`) the person holds on the site the request is for;
    empty on the public schema, for visitors and for people of other departments."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or not request.user.is_authenticated or not getattr(tenant, "is_site", False):
        return set()
    return set(DepartmentRole.objects.filter(user=request.user, department=tenant).values_list("role", flat=True))
