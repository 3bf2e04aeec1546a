"""Central roles reach every department's admin.

Wagtail lets a person into its admin with the `wagtailadmin.access_admin` permission, which
department staff get through their department's groups. A 安全管理员 or 审计管理员 of the
区信息中心 has no department group, so this backend gives that one permission to anyone who holds
a central role — nothing else: what they may do inside is decided by their role's own views.
"""

from django.contrib.auth.backends import BaseBackend

ACCESS_ADMIN = "wagtailadmin.access_admin"


class CentralRoleBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None  # never logs anyone in; ModelBackend checks passwords

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if perm != ACCESS_ADMIN or not user_obj.is_active or user_obj.is_anonymous:
            return False
        return bool(user_obj.central_role_names())  # read once per user object
