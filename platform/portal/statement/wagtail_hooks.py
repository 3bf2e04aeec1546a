"""The 年度报表 screens in the admin menu of the centre and the 区政府办公室."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .service import may_draft


@hooks.register("register_admin_urls")
def statement_urls():
    return [
        path("statement/", views.index, name="statement_admin_index"),
        path("statement/<int:year>/", views.edit, name="statement_admin"),
        path("statement/<int:year>/regenerate/", views.regenerate, name="statement_regenerate"),
        path("statement/<int:year>/publish/", views.publish, name="statement_publish"),
        path("statement/<int:year>.pdf", views.admin_file, {"kind": "pdf"}, name="statement_admin_file_pdf"),
        path("statement/<int:year>.xlsx", views.admin_file, {"kind": "xlsx"}, name="statement_admin_file_xlsx"),
    ]


class DrafterMenuItem(MenuItem):
    def is_shown(self, request):
        return may_draft(request.user)


@hooks.register("register_admin_menu_item")
def statement_menu_item():
    return DrafterMenuItem("年度工作报表", reverse("statement_admin_index"), icon_name="table", order=830)
