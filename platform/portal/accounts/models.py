"""One account per person for the whole platform, with central and per-department roles.

The account lives in the public schema. Wagtail decides page permissions through Django
groups, and those groups live in each department's schema; so `groups` runs through a
tenant-local table (`access.GroupMembership`) and the membership a person has in one department
is invisible from every other department. `DepartmentRole` in the public schema is the source of
truth for who holds which role where; `portal.accounts.roles` keeps the tenant memberships in
step with it.
"""

from django.contrib.auth.models import AbstractBaseUser, Group, Permission, PermissionsMixin, UserManager
from django.db import models
from django.utils import timezone


class User(AbstractBaseUser, PermissionsMixin):
    username = models.CharField("用户名", max_length=64, unique=True)
    full_name = models.CharField("姓名", max_length=64, blank=True)
    first_name = models.CharField("名", max_length=64, blank=True)
    last_name = models.CharField("姓", max_length=64, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    is_staff = models.BooleanField("可登录后台", default=True)
    is_active = models.BooleanField("启用", default=True)
    date_joined = models.DateTimeField("创建时间", default=timezone.now)
    groups = models.ManyToManyField(
        Group,
        through="access.GroupMembership",
        related_name="user_set",
        related_query_name="user",
        blank=True,
        verbose_name="用户组",
    )
    user_permissions = models.ManyToManyField(
        Permission,
        through="access.UserPermissionGrant",
        related_name="user_set",
        related_query_name="user",
        blank=True,
        verbose_name="用户权限",
    )

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username

    def has_central_role(self, *roles: str) -> bool:
        if self.is_superuser:
            return True
        return self.central_roles.filter(role__in=roles).exists()


class CentralRole(models.TextChoices):
    """Roles of the 区信息中心 that reach every department (等保 separation of duties)."""

    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    THEME_ADMIN = "theme_admin", "主题管理员"
    MAILBOX_ADMIN = "mailbox_admin", "信箱管理员"


class DepartmentRoleName(models.TextChoices):
    EDITOR = "editor", "业务员"
    HEAD = "head", "负责人"


class CentralRoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="central_roles", verbose_name="用户")
    role = models.CharField("角色", max_length=32, choices=CentralRole.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "中心角色"
        verbose_name_plural = "中心角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_central_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class DepartmentRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="department_roles", verbose_name="用户")
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, related_name="roles", verbose_name="单位"
    )
    role = models.CharField("角色", max_length=16, choices=DepartmentRoleName.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位角色"
        verbose_name_plural = "单位角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="unique_department_role")
        ]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"
