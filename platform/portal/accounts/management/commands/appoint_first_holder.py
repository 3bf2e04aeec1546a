"""Appoints the installation's first 安全管理员 or 审计管理员, who approve every later change.

Nobody could approve the first request on a new platform; so whoever installs it appoints these
two here, once each. The command gives the account a random password printed once, to be changed
at the first login; once the role is held, it refuses, and 人员管理 › 双人审批 takes over.
"""

import secrets

from django.core.management.base import BaseCommand, CommandError

from portal.accounts.models import CentralRole, User
from portal.accounts.roles import DUAL_CONTROL_ROLES, RoleError, appoint_first_holder


class Command(BaseCommand):
    help = "任命平台的第一位安全管理员或审计管理员（该角色尚无人担任时才可用）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名；不存在时新建")
        parser.add_argument("role", choices=list(DUAL_CONTROL_ROLES), help="security_admin 或 audit_admin")
        parser.add_argument("--full-name", default="", help="新建账号时的姓名")

    def handle(self, username, role, full_name, **options):
        from django.db import transaction

        from portal.accounts.models import TOTPDevice

        password = f"{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}"
        try:
            with transaction.atomic():
                person, _ = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
                appoint_first_holder(person, role)
                person.set_password(password)
                person.must_change_password = True
                person.save()
                TOTPDevice.objects.filter(user=person).delete()
        except RoleError as error:
            raise CommandError(str(error)) from None
        from portal.audit.log import record

        record("role_grant", username="manage.py", target=f"{username} {role}", details={"first_holder": True})
        self.stdout.write(f"已任命 {username} 为{CentralRole(role).label}。")
        self.stdout.write(f"临时密码（只显示这一次，请当面交给本人，首次登录后须修改）：{password}")
