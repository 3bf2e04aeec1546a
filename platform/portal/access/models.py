"""Through tables of `accounts.User.groups` / `user_permissions`, one copy per department schema.

A row here references the person in the public schema and a group of this schema only, so an
editor's membership in 区教育局 does not exist while 区卫生健康局's schema is active.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models


class GroupMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="unique_group_membership")]


class UserPermissionGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    permission = models.ForeignKey(Permission, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "permission"], name="unique_user_permission_grant")
        ]
