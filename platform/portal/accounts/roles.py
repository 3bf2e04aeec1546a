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


def _separated_roles_held(user: User) -> set[str]:
    held = set(CentralRoleAssignment.objects.filter(user=user, role__in=SEPARATED_ROLES).values_list("role", flat=True))
    if user.is_superuser:
        held.add(CentralRole.SYSTEM_ADMIN)  # a superuser can do everything a system administrator can
    return held


@transaction.atomic
def grant_central_role(user: User, role: str, granted_by: User | None = None) -> CentralRoleAssignment:
    if role not in CentralRole.values:
        raise RoleError("未知的中心角色")
    if granted_by is not None and granted_by.pk == user.pk:
        raise RoleError("不能给自己授予角色")
    if role in SEPARATED_ROLES:
        others = _separated_roles_held(user) - {role}
        if others:
            held = "、".join(CentralRole(other).label for other in sorted(others))
            raise RoleError(f"系统管理员、安全管理员和审计管理员须由不同人员担任，该人员已是{held}")
    assignment, _ = CentralRoleAssignment.objects.get_or_create(user=user, role=role)
    if role == CentralRole.SYSTEM_ADMIN and not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return assignment


@transaction.atomic
def revoke_central_role(user: User, role: str, revoked_by: User | None = None) -> None:
    if revoked_by is not None and revoked_by.pk == user.pk:
        raise RoleError("不能撤销自己的角色")
    CentralRoleAssignment.objects.filter(user=user, role=role).delete()
    if role == CentralRole.SYSTEM_ADMIN and user.is_superuser:
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])


def departments_of(user: User):
    """Departments where the person holds a role (public schema, no loop over schemas)."""
    from tenants.models import Department

    return Department.objects.filter(roles__user=user).distinct().order_by("sort_order", "id")


def can_enter_admin(user: User, department) -> bool:
    """Whether the person may use this department's admin at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or CentralRoleAssignment.objects.filter(user=user).exists():
        return True
    return DepartmentRole.objects.filter(user=user, department=department).exists()


def roles_on_this_site(request) -> set[str]:
    """The department roles (`editor`, `head`) the person holds on the site the request is for;
    empty on the public schema, for visitors and for people of other departments."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or not request.user.is_authenticated or not getattr(tenant, "is_site", False):
        return set()
    return set(DepartmentRole.objects.filter(user=request.user, department=tenant).values_list("role", flat=True))
