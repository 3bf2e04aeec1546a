"""Keeps each department's admin to the people who hold a role there.

Wagtail alone would send a person without rights back to its login form; a department account
that tries another department's admin gets a plain 403 instead, whatever the URL.
"""

from django.template.response import TemplateResponse

from .roles import can_enter_admin

OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


class DepartmentAdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        department = getattr(request, "tenant", None)
        if (
            department is not None
            and request.path.startswith("/admin/")
            and not request.path.startswith(OPEN_ADMIN_PATHS)
            and request.user.is_authenticated
            and not can_enter_admin(request.user, department)
        ):
            return TemplateResponse(
                request, "accounts/forbidden.html", {"department": department}, status=403
            ).render()
        return self.get_response(request)
