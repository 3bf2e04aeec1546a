"""Admin pages of account security: second factor, password change, the people menu for
security administrators (system administrators find 人员管理 in the core's central menu),
双人审批 for the three separated administrators, and the check that keeps documents of private
pages private (`view_restrictions`)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def account_security_urls():
    return [path("security/", include("portal.accounts.security_urls", namespace="account_security"))]


class SecurityAdminPeopleMenuItem(MenuItem):
    def is_shown(self, request):
        from tenants.admin_views import is_central_admin

        from .security import can_manage_security

        return can_manage_security(request.user) and not is_central_admin(request.user)


@hooks.register("register_admin_menu_item")
def people_menu_item_for_security_admins():
    return SecurityAdminPeopleMenuItem("人员管理", reverse("accounts_admin:index"), icon_name="group", order=9010)


class DualControlMenuItem(MenuItem):
    def is_shown(self, request):
        from .dual_control import may_see_requests

        return may_see_requests(request.user)


@hooks.register("register_admin_menu_item")
def dual_control_menu_item():
    return DualControlMenuItem("双人审批", reverse("accounts_admin:requests"), icon_name="tasks", order=9015)


@hooks.register("register_account_menu_item")
def change_password_item(request):
    return {
        "url": reverse("account_security:password_change"),
        "label": "修改密码",
        "help_text": "密码每 90 天至少修改一次，不能与最近 5 次相同。",
    }


@hooks.register("before_serve_document")
def documents_used_only_on_private_pages(document, request):
    """Wagtail checks the document's collection; a document used only on private pages is private too."""
    from .view_restrictions import file_restriction_response

    return file_restriction_response(request, document)
