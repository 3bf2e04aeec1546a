"""Search management in the admin (搜索管理), shown to central administrators only: recommended
results, the query log, the index state, and the synonyms applied to every query."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Synonym


class CentralSearchMenuItem(MenuItem):
    def is_shown(self, request):
        from tenants.admin_views import is_central_admin

        return is_central_admin(request.user)


class CentralOnlyPolicy(ModelPermissionPolicy):
    """Every action on the model is the central system administrators', nobody else's."""

    def user_has_permission(self, user, action):
        from tenants.admin_views import is_central_admin

        return is_central_admin(user)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)


class SynonymViewSet(ModelViewSet):
    model = Synonym
    menu_label = "同义词"
    icon = "search"
    add_to_admin_menu = False
    list_display = ["__str__", "note", "enabled", "updated_at"]
    list_filter = ["enabled"]
    form_fields = ["terms", "note", "enabled"]
    search_fields = ["terms", "note"]


register_permission_policy(Synonym, CentralOnlyPolicy(Synonym))
synonym_viewset = SynonymViewSet("search_synonyms")


@hooks.register("register_admin_viewset")
def register_synonyms():
    return synonym_viewset


@hooks.register("register_admin_urls")
def search_admin_urls():
    return [path("search-admin/", include("search.admin_urls", namespace="search_admin"))]


@hooks.register("register_admin_menu_item")
def search_menu_item():
    return CentralSearchMenuItem("搜索管理", reverse("search_admin:best_bets"), icon_name="search", order=9020)
