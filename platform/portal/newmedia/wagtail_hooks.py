"""Admin menu of the 政务新媒体 register (the centre's system administrators only)."""

from django.contrib.auth import get_user_model
from wagtail import hooks
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from tenants.admin_views import is_central_admin

from .models import Account, MonthlyFigure
from .viewsets import NewMediaGroup


class CentralAdminPolicy(BasePermissionPolicy):
    """Everything to system administrators of the centre, nothing to anyone else (the menu and
    every screen ask this)."""

    def user_has_permission(self, user, action):
        return is_central_admin(user)

    def user_has_any_permission(self, user, actions):
        return is_central_admin(user)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, central_roles__role="system_admin").distinct()


register_permission_policy(Account, CentralAdminPolicy(Account))
register_permission_policy(MonthlyFigure, CentralAdminPolicy(MonthlyFigure))


@hooks.register("register_admin_viewset")
def register_newmedia():
    return NewMediaGroup()
