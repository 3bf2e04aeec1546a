"""Search management in the admin (搜索管理), shown to central administrators only."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def search_admin_urls():
    return [path("search-admin/", include("search.admin_urls", namespace="search_admin"))]


class CentralSearchMenuItem(MenuItem):
    def is_shown(self, request):
        from tenants.admin_views import is_central_admin

        return is_central_admin(request.user)


@hooks.register("register_admin_menu_item")
def search_menu_item():
    return CentralSearchMenuItem("搜索管理", reverse("search_admin:best_bets"), icon_name="search", order=9020)
