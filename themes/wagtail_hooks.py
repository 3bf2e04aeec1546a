"""The 统一主题 screens in the Wagtail admin, shown to theme and system administrators only."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .services import can_edit_theme


@hooks.register("register_admin_urls")
def theme_admin_urls():
    return [path("theme/", include("themes.admin_urls", namespace="themes_admin"))]


class ThemeMenuItem(MenuItem):
    def is_shown(self, request):
        return can_edit_theme(request.user)


@hooks.register("register_admin_menu_item")
def theme_menu_item():
    return ThemeMenuItem("统一主题", reverse("themes_admin:settings"), icon_name="image", order=9020)
