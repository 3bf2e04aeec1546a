"""Account security actions: the one way to lock, unlock, log out, reset and check a person.

Each action writes the audit log itself, so a view, a command or a future API cannot forget to.
第十八条(五): when an account leaks, an administrator ends all its sessions and locks it at once.
"""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.audit.log import record

from .models import LoginSession, TOTPDevice, User

PASSWORD_MAX_AGE = timedelta(days=90)

FIRST_LOGIN = "first_login"
EXPIRED = "expired"
PASSWORD_CHANGE_REASONS = {
    FIRST_LOGIN: "这是区信息中心为您设置的初始密码（或重置后的临时密码），请先修改密码再使用后台。",
    EXPIRED: f"您的密码已使用超过 {PASSWORD_MAX_AGE.days} 天，按规定须修改后才能继续使用后台。",
}


# The same reasons as an administrator reads them on the person's page.
PASSWORD_CHANGE_STATUS = {
    FIRST_LOGIN: "须修改：初始密码或管理员重置的临时密码，登录后须先修改",
    EXPIRED: f"须修改：已超过 {PASSWORD_MAX_AGE.days} 天未修改",
}


class SecurityActionError(Exception):
    """An action that is not allowed; the message says why, in Chinese."""


def password_change_reason(user) -> str | None:
    """Why the person must change the password before working, or None."""
    if not user.is_authenticated or not user.has_usable_password():
        return None
    if user.must_change_password:
        return FIRST_LOGIN
    changed = user.password_changed_at or user.date_joined
    if changed is None or timezone.now() - changed > PASSWORD_MAX_AGE:
        return EXPIRED
    return None


def can_manage_security(user) -> bool:
    """System and security administrators lock, unlock, log out and reset accounts."""
    return user.is_authenticated and user.is_active and user.has_central_role("system_admin", "security_admin")


def track_login(request, user) -> None:
    from portal.audit.log import client_ip

    # Sessions that ended by idling or by Django's clearsessions are forgotten here.
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    LoginSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    key = request.session.session_key
    if key:
        LoginSession.objects.update_or_create(
            session_key=key,
            defaults={"user": user, "ip": client_ip(request),
                      "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255]},
        )


def track_rotated_session(old_key: str | None, new_key: str | None) -> None:
    """The session key changed (after a password change): keep tracking the same session."""
    if old_key and new_key and old_key != new_key:
        LoginSession.objects.filter(session_key=old_key).update(session_key=new_key)


def end_sessions(person: User) -> int:
    """Ends every session of the person on every host; returns how many were open."""
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(session_generation=F("session_generation") + 1)
        person.refresh_from_db(fields=["session_generation"])
        keys = list(LoginSession.objects.filter(user=person).values_list("session_key", flat=True))
        open_sessions = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).count()
        Session.objects.filter(session_key__in=keys).delete()
        LoginSession.objects.filter(user=person).delete()
    return open_sessions


def _refuse_self(request, person, message):
    if request.user.pk == person.pk:
        raise SecurityActionError(message)


def _refuse_without_second_person(person, what):
    """Whoever resets a 系统管理员's, 安全管理员's or 审计管理员's credentials could log in as them
    and use the role: that takes a request approved by a second person (`dual_control`)."""
    from .dual_control import protected_role
    from .models import CentralRole

    role = protected_role(person)
    if role is not None:
        raise SecurityActionError(
            f"该人员是{CentralRole(role).label}：重置其{what}须提交双人审批申请，由另一名有审批权的管理员批准后生效"
            "（新密码由系统随机生成，分两段分别交给申请人和审批人）"
        )


def force_logout(request, person: User) -> int:
    _refuse_self(request, person, "不能强制自己下线，请使用“退出登录”")
    count = end_sessions(person)
    record("force_logout", request=request, target=person.username, details={"sessions": count})
    return count


def lock(request, person: User) -> None:
    _refuse_self(request, person, "不能锁定自己的账号")
    User.objects.filter(pk=person.pk).update(is_active=False)
    person.is_active = False
    count = end_sessions(person)
    record("user_lock", request=request, target=person.username, details={"sessions": count})


def unlock(request, person: User) -> None:
    """Re-enables the account and lifts every login lock and captcha that holds its name."""
    from axes.models import AccessAttempt

    User.objects.filter(pk=person.pk).update(is_active=True)
    person.is_active = True
    addresses = set(
        AccessAttempt.objects.filter(username=person.username).exclude(ip_address=None)
        .values_list("ip_address", flat=True)
    )
    cleared, _ = AccessAttempt.objects.filter(username=person.username).delete()
    record("user_unlock", request=request, target=person.username,
           details={"cleared_attempts": cleared, "addresses": sorted(addresses)})


def lockout_state(person: User) -> dict | None:
    """The login locks (per address) and the login captcha that hold the person's name now."""
    from .lockout import restrictions_of

    return restrictions_of(person.username)


def reset_password(request, person: User, new_password: str) -> None:
    _refuse_self(request, person, "不能在这里重置自己的密码，请使用“修改密码”")
    _refuse_without_second_person(person, "密码")
    person.set_password(new_password)
    person.must_change_password = True
    person.save()
    end_sessions(person)
    record("password_reset", request=request, target=person.username)


def change_own_password(request, new_password: str) -> None:
    from django.contrib.auth import update_session_auth_hash

    user = request.user
    reason = password_change_reason(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save()
    old_key = request.session.session_key
    update_session_auth_hash(request, user)
    track_rotated_session(old_key, request.session.session_key)
    record("password_change", request=request, target=user.username, details={"reason": reason or "voluntary"})


def reset_second_factor(request, person: User) -> None:
    """A lost phone: remove the device and end the sessions, so the next login enrols anew.

    Sessions end too, or whoever holds a stolen session could bind their own phone.
    """
    _refuse_self(request, person, "不能重置自己的动态口令，请由其他管理员操作")
    _refuse_without_second_person(person, "动态口令")
    # Without reading the secret: this is also the way out when the key that encrypted it is lost.
    deleted, _ = TOTPDevice.objects.filter(user=person).defer("secret").delete()
    if not deleted:
        raise SecurityActionError("该人员尚未绑定动态口令")
    count = end_sessions(person)
    record("totp_reset", request=request, target=person.username, details={"sessions": count})
