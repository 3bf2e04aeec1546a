"""Two people for every change that would let one administrator get around 三员分立.

Whoever alone could make someone 审计管理员, or reset the 审计管理员's password, could also read
the audit log of their own work. So these changes take a request filed by one central
administrator and approved by a second, different one, and only the approval applies them:

- granting or revoking 安全管理员 or 审计管理员 — filed by a 系统管理员;
- resetting the password or the second factor of a 系统管理员, 安全管理员 or 审计管理员 — filed by a
  系统管理员 or 安全管理员.

The approver holds the counterpart role: a 安全管理员 decides on 审计管理员 matters, an 审计管理员 on
安全管理员 matters, either of them on a 系统管理员's credentials. Nobody approves a request they
filed or one about themselves. A new password (a reset, and every grant: the account may carry a
password its creator knows) is random and split in two halves, one shown once to the applicant
when filing and one shown once to the approver, so that neither alone can log in as the person;
the person changes it at the first login and binds the authenticator anew after a grant. Every
step is in the audit log. `roles.grant_central_role` and `security.reset_password` refuse these
changes, so a script cannot skip the request either.
"""

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.audit.log import record

from .models import CentralRole, CentralRoleAssignment, DualControlRequest, PasswordHistory, TOTPDevice, User
from .roles import (
    DUAL_CONTROL_ROLES,
    RoleError,
    _assign_central_role,
    _remove_central_role,
    check_central_grant,
    separated_roles_held,
)

Kind = DualControlRequest.Kind
Status = DualControlRequest.Status

# A request nobody decided on within this time lapses: the situation it describes may have changed.
REQUEST_VALID_FOR = timedelta(days=3)

# Who approves a matter, by the role it concerns (the role granted or revoked, or the role held
# by the person whose credentials are reset).
APPROVER_ROLES = {
    CentralRole.AUDIT_ADMIN: (CentralRole.SECURITY_ADMIN,),
    CentralRole.SECURITY_ADMIN: (CentralRole.AUDIT_ADMIN,),
    CentralRole.SYSTEM_ADMIN: (CentralRole.SECURITY_ADMIN, CentralRole.AUDIT_ADMIN),
}
ROLE_CHANGES = (Kind.GRANT_ROLE, Kind.REVOKE_ROLE)
NEW_PASSWORD_KINDS = (Kind.GRANT_ROLE, Kind.RESET_PASSWORD)

# No 0/O, 1/l/I: the halves are read out or written down and typed again.
HALF_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
HALF_LENGTH = 8


class DualControlError(RoleError):
    """A request that may not be filed or decided; the message says why, in Chinese."""


def protected_role(person: User) -> str | None:
    """The separated role whose holder's credentials only a request may reset, or None."""
    held = separated_roles_held(person)
    for role in (CentralRole.AUDIT_ADMIN, CentralRole.SECURITY_ADMIN, CentralRole.SYSTEM_ADMIN):
        if role in held:
            return role
    return None


def _label(role: str) -> str:
    return CentralRole(role).label


def _holds(user: User, roles) -> bool:
    # Real assignments only: being a superuser makes nobody a 安全管理员 or 审计管理员.
    return CentralRoleAssignment.objects.filter(user=user, role__in=roles).exists()


def subject_role(kind: str, person: User, role: str = "") -> str:
    """The role the matter concerns, which decides who approves it."""
    if kind in ROLE_CHANGES:
        if role not in DUAL_CONTROL_ROLES:
            raise DualControlError("只有安全管理员和审计管理员的授予或撤销需要双人审批，其他角色请直接授予或撤销")
        return role
    held = protected_role(person)
    if held is None:
        raise DualControlError("该人员不是系统管理员、安全管理员或审计管理员，无需审批，请直接重置")
    return held


def approver_roles(obj: DualControlRequest) -> tuple[str, ...]:
    try:
        subject = subject_role(obj.kind, obj.person, obj.role)
    except DualControlError:  # the person no longer holds the role: keep the strictest rule
        subject = CentralRole.SYSTEM_ADMIN
    return APPROVER_ROLES[subject]


def approver_labels(obj: DualControlRequest) -> str:
    return "或".join(_label(role) for role in approver_roles(obj))


def may_file(user: User, kind: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    wanted = {CentralRole.SYSTEM_ADMIN} if kind in ROLE_CHANGES else {CentralRole.SYSTEM_ADMIN,
                                                                       CentralRole.SECURITY_ADMIN}
    return bool(separated_roles_held(user) & wanted)


def may_decide(user: User, obj: DualControlRequest) -> bool:
    """Whether the person may approve or reject the request (not whether it is still open)."""
    return (
        user.is_authenticated and user.is_active
        and user.pk not in (obj.requested_by_id, obj.person_id)
        and _holds(user, approver_roles(obj))
    )


def may_see_requests(user: User) -> bool:
    """The three separated administrators see the list: they file and decide."""
    return user.is_authenticated and user.is_active and bool(separated_roles_held(user))


def _new_half() -> str:
    while True:
        half = "".join(secrets.choice(HALF_ALPHABET) for _ in range(HALF_LENGTH))
        if any(c.isdigit() for c in half) and any(c.isalpha() for c in half):
            return half


def join_halves(applicant_half: str, approver_half: str) -> str:
    """The password the person types: both halves joined by a hyphen."""
    return f"{applicant_half}-{approver_half}"


def _expire_stale() -> None:
    DualControlRequest.objects.filter(
        status=Status.PENDING, requested_at__lt=timezone.now() - REQUEST_VALID_FOR
    ).update(status=Status.EXPIRED, password_hash="", approver_half="", decided_at=timezone.now())


def file_request(requested_by: User, person: User, kind: str, reason: str, role: str = "",
                 request=None) -> tuple[DualControlRequest, str | None]:
    """Files a request; returns it and the applicant's half of the new password (or None).

    The half is shown once and kept nowhere: lost, the request is withdrawn and filed again.
    """
    reason = (reason or "").strip()
    if kind not in Kind.values:
        raise DualControlError("未知的申请事项")
    role = role if kind in ROLE_CHANGES else ""
    subject_role(kind, person, role)
    if kind in ROLE_CHANGES and not may_file(requested_by, kind):
        raise DualControlError("只有系统管理员可以申请授予或撤销安全管理员、审计管理员")
    if not may_file(requested_by, kind):
        raise DualControlError("只有系统管理员或安全管理员可以申请重置密码或动态口令")
    if kind == Kind.GRANT_ROLE:
        check_central_grant(person, role, requested_by)
        if CentralRoleAssignment.objects.filter(user=person, role=role).exists():
            raise DualControlError(f"该人员已是{_label(role)}")
    elif requested_by.pk == person.pk:
        raise DualControlError("不能为自己提交申请，请由其他管理员提交")
    if kind == Kind.REVOKE_ROLE and not CentralRoleAssignment.objects.filter(user=person, role=role).exists():
        raise DualControlError(f"该人员不是{_label(role)}，无需撤销")
    if kind == Kind.RESET_SECOND_FACTOR and not TOTPDevice.objects.filter(user=person).exists():
        raise DualControlError("该人员尚未绑定动态口令，无需重置")
    if not reason:
        raise DualControlError("请填写申请理由：为什么需要这项变更")
    if len(reason) > 500:
        raise DualControlError("申请理由不能超过 500 字")

    applicant_half = approver_half = None
    if kind in NEW_PASSWORD_KINDS:
        applicant_half, approver_half = _new_half(), _new_half()
    _expire_stale()
    try:
        with transaction.atomic():
            obj = DualControlRequest.objects.create(
                kind=kind, person=person, role=role, reason=reason, requested_by=requested_by,
                password_hash=make_password(join_halves(applicant_half, approver_half)) if applicant_half else "",
                approver_half=approver_half or "",
            )
    except IntegrityError:
        raise DualControlError("已有一份相同的申请在等待审批，请等待审批结果或先撤回那份申请") from None
    record("dual_control_request", request=request, user=requested_by, target=person.username,
           details={"request": obj.pk, "kind": kind, "role": role, "reason": reason})
    return obj, applicant_half


def _open(obj: DualControlRequest) -> DualControlRequest:
    """The request, locked for the decision, if it is still waiting for one."""
    obj = DualControlRequest.objects.select_for_update().select_related("person", "requested_by").get(pk=obj.pk)
    stale = obj.status == Status.PENDING and obj.requested_at < timezone.now() - REQUEST_VALID_FOR
    if stale or obj.status == Status.EXPIRED:
        raise DualControlError(f"该申请超过 {REQUEST_VALID_FOR.days} 天未审批，已失效，请重新提交")
    if obj.status != Status.PENDING:
        raise DualControlError(f"该申请{obj.get_status_display()}，不能再处理")
    return obj


def _check_decider(obj: DualControlRequest, user: User) -> None:
    if user.pk == obj.requested_by_id:
        raise DualControlError("不能审批自己提交的申请，须由另一名管理员审批")
    if user.pk == obj.person_id:
        raise DualControlError("不能审批与自己有关的申请")
    if not may_decide(user, obj):
        raise DualControlError(f"该申请须由{approver_labels(obj)}审批")


def _install_password(person: User, encoded: str) -> None:
    """The split password replaces the old one; the person must change it at the first login."""
    person.password = encoded
    person.must_change_password = True
    person.password_changed_at = timezone.now()
    person.save(update_fields=["password", "must_change_password", "password_changed_at"])
    PasswordHistory.remember(person)


def _apply(obj: DualControlRequest, request, approver: User) -> dict:
    from .security import end_sessions

    person = User.objects.select_for_update().get(pk=obj.person_id)
    on_record = {"request": obj.pk, "requested_by": obj.requested_by.username, "approved_by": approver.username}
    if obj.kind == Kind.GRANT_ROLE:
        check_central_grant(person, obj.role)  # roles may have changed since the request
        _assign_central_role(person, obj.role)
        # Fresh credentials: whoever created or used the account before must not keep it.
        _install_password(person, obj.password_hash)
        TOTPDevice.objects.filter(user=person).defer("secret").delete()  # also when its key is lost
        end_sessions(person)
        record("role_grant", request=request, user=approver, target=f"{person.username} {obj.role}",
               details=on_record)
    elif obj.kind == Kind.REVOKE_ROLE:
        _remove_central_role(person, obj.role)
        record("role_revoke", request=request, user=approver, target=f"{person.username} {obj.role}",
               details=on_record)
    elif obj.kind == Kind.RESET_PASSWORD:
        _install_password(person, obj.password_hash)
        on_record["sessions"] = end_sessions(person)
        record("password_reset", request=request, user=approver, target=person.username, details=on_record)
    else:
        TOTPDevice.objects.filter(user=person).defer("secret").delete()  # also when its key is lost
        on_record["sessions"] = end_sessions(person)
        record("totp_reset", request=request, user=approver, target=person.username, details=on_record)
    return on_record


@transaction.atomic
def approve(obj: DualControlRequest, approver: User, note: str = "", request=None) -> str | None:
    """Approves and applies the request; returns the approver's half of the new password (or None)."""
    obj = _open(obj)
    _check_decider(obj, approver)
    _apply(obj, request, approver)
    half = obj.approver_half or None
    obj.status, obj.decided_by, obj.decided_at = Status.APPROVED, approver, timezone.now()
    obj.decision_note, obj.password_hash, obj.approver_half = (note or "").strip()[:500], "", ""
    obj.save()
    record("dual_control_approve", request=request, user=approver, target=obj.person.username,
           details={"request": obj.pk, "kind": obj.kind, "role": obj.role,
                    "requested_by": obj.requested_by.username})
    return half


@transaction.atomic
def reject(obj: DualControlRequest, approver: User, note: str, request=None) -> None:
    note = (note or "").strip()
    obj = _open(obj)
    _check_decider(obj, approver)
    if not note:
        raise DualControlError("请填写驳回理由")
    obj.status, obj.decided_by, obj.decided_at = Status.REJECTED, approver, timezone.now()
    obj.decision_note, obj.password_hash, obj.approver_half = note[:500], "", ""
    obj.save()
    record("dual_control_reject", request=request, user=approver, target=obj.person.username,
           details={"request": obj.pk, "kind": obj.kind, "role": obj.role, "note": note[:500]})


@transaction.atomic
def withdraw(obj: DualControlRequest, user: User, request=None) -> None:
    obj = _open(obj)
    if user.pk != obj.requested_by_id:
        raise DualControlError("只有申请人可以撤回申请")
    obj.status, obj.decided_at, obj.password_hash, obj.approver_half = Status.WITHDRAWN, timezone.now(), "", ""
    obj.save()
    record("dual_control_withdraw", request=request, user=user, target=obj.person.username,
           details={"request": obj.pk, "kind": obj.kind, "role": obj.role})
