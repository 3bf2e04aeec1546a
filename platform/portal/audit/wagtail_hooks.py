"""The 审计日志 page in the admin, shown to the 审计管理员 only."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def audit_admin_urls():
    return [path("audit/", include("portal.audit.admin_urls", namespace="audit_admin"))]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import is_audit_admin

        return is_audit_admin(request.user)


@hooks.register("register_admin_menu_item")
def audit_menu_item():
    return AuditMenuItem("审计日志", reverse("audit_admin:index"), icon_name="list-ul", order=9020)
