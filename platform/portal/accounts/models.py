"""One account per person for the whole platform, with central and per-department roles.

The account lives in the public schema. Wagtail decides page permissions through Django
groups, and those groups live in each department's schema; so `groups` runs through a
tenant-local table (`access.GroupMembership`) and the membership a person has in one department
is invisible from every other department. `DepartmentRole` in the public schema is the source of
truth for who holds which role where; `portal.accounts.roles` keeps the tenant memberships in
step with it.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, Permission, PermissionsMixin, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .encryption import EncryptedSecretField

# How many of a person's latest passwords may not be used again (第十四条, 等保 level 3).
PASSWORD_HISTORY_SIZE = 5


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
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="由区信息中心创建或重置密码的账号，登录后须先修改密码"
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Raised to end every session of the person at once (force logout, lock, second-factor reset).
    session_generation = models.PositiveIntegerField("会话代数", default=0, editable=False)
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

    def central_role_names(self) -> frozenset[str]:
        """The person's central roles, read once per user object: the admin asks about them in
        many places (menus, panels, permissions) while drawing one page, and a request has one
        user object."""
        names = self.__dict__.get("_central_role_names")
        if names is None:
            names = frozenset(self.central_roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._central_role_names = names
        return names

    def forget_central_roles(self) -> None:
        """After a grant or a revocation: the next question reads them again."""
        self.__dict__.pop("_central_role_names", None)
        self.__dict__.pop("_central_role_cache", None)

    def has_central_role(self, *roles: str) -> bool:
        if self.is_superuser:
            return True
        return not self.central_role_names().isdisjoint(roles)

    def save(self, *args, **kwargs):
        """Stamp and remember every new password, whichever way it was set.

        `set_password()` leaves the raw password in `_password`; Django's own re-hashing on login
        (a new hasher or more iterations) clears it first, so a re-hash is not a change.
        """
        changed = self._password is not None or (
            self._state.adding and self.password and self.has_usable_password()
        )
        if changed:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)
        if changed:
            PasswordHistory.remember(self)

    # Django checks this hash against the session on every request; it also covers the session
    # generation, so raising the generation ends all of the person's sessions on every host.
    def _session_hash(self, secret=None) -> str:
        return salted_hmac(
            "portal.accounts.User.session_hash", f"{self.password}\x00{self.session_generation}",
            secret=secret, algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self):
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(fallback_secret)


class PasswordHistory(models.Model):
    """Hashes of a person's latest passwords, so that none of the last five is used again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", verbose_name="用户")
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    @classmethod
    def remember(cls, user: User) -> None:
        cls.objects.create(user=user, password=user.password)
        stale = cls.objects.filter(user=user).values_list("pk", flat=True)[PASSWORD_HISTORY_SIZE:]
        cls.objects.filter(pk__in=list(stale)).delete()

    @classmethod
    def latest_hashes(cls, user: User) -> list[str]:
        """The person's last PASSWORD_HISTORY_SIZE passwords, the current one included."""
        hashes = list(cls.objects.filter(user=user).values_list("password", flat=True)[:PASSWORD_HISTORY_SIZE])
        if user.password and user.password not in hashes:
            hashes = [user.password, *hashes][:PASSWORD_HISTORY_SIZE]
        return hashes


class TOTPDevice(models.Model):
    """A central administrator's authenticator app (TOTP, RFC 6238): the second factor.

    The secret is stored encrypted (`encryption.EncryptedSecretField`, key from the settings).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device", verbose_name="用户")
    secret = EncryptedSecretField("密钥")
    confirmed_at = models.DateTimeField("绑定时间", default=timezone.now)
    # The time step of the last code accepted: a code is good once (no replay).
    last_time_step = models.BigIntegerField("最近使用的时间片", default=0)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"

    def __str__(self):
        return f"{self.user} 的动态口令"


class LoginSession(models.Model):
    """A session a person opened by logging in, so that an administrator can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions", verbose_name="用户")
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    created_at = models.DateTimeField("登录时间", default=timezone.now)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        ordering = ["-created_at"]


class CentralRole(models.TextChoices):
    """Roles that reach every department: the 区信息中心's (等保 separation of duties) and the
    区政府办公室's 办公室管理员, who reads every department's figures and approves the yearly 通报
    but is none of the three separated administrators and does not read the audit log."""

    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    THEME_ADMIN = "theme_admin", "主题管理员"
    MAILBOX_ADMIN = "mailbox_admin", "信箱管理员"
    OFFICE_ADMIN = "office_admin", "办公室管理员"


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


class DualControlRequest(models.Model):
    """A change that one administrator asks for and a second, different one approves (三员分立).

    Granting or revoking 安全管理员 or 审计管理员, and resetting the password or second factor of
    a 系统管理员, 安全管理员 or 审计管理员, take effect only through such a request; see
    `portal.accounts.dual_control` for who may file and who may approve which one.
    """

    class Kind(models.TextChoices):
        GRANT_ROLE = "grant_role", "授予角色"
        REVOKE_ROLE = "revoke_role", "撤销角色"
        RESET_PASSWORD = "reset_password", "重置密码"
        RESET_SECOND_FACTOR = "reset_second_factor", "重置动态口令"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"
        WITHDRAWN = "withdrawn", "已撤回"
        EXPIRED = "expired", "已失效"

    kind = models.CharField("申请事项", max_length=32, choices=Kind.choices)
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="dual_control_requests",
                               verbose_name="涉及人员")
    role = models.CharField("角色", max_length=32, choices=CentralRole.choices, blank=True)
    reason = models.TextField("申请理由", max_length=500)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", max_length=500, blank=True)
    # A new password is split in two halves: the applicant sees one when filing, the approver the
    # other when approving, so neither alone can log in. Until the decision the row keeps the hash
    # of the whole password and the approver's half; both are blanked once decided.
    password_hash = models.CharField("临时密码哈希", max_length=128, blank=True, editable=False)
    approver_half = models.CharField("临时密码后半段", max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = "双人审批申请"
        verbose_name_plural = "双人审批申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "role"], condition=models.Q(status="pending"),
                                    name="one_pending_dual_control_request"),
        ]

    def __str__(self):
        role = f"（{self.get_role_display()}）" if self.role else ""
        return f"{self.get_kind_display()}{role}：{self.person}"
