"""Wagtail admin integration of the core: central menus, plugin menus and admin URLs, the 工作台
and the help menu."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .guide import guide
from .plugins import collected_urls, hooks_for
from .timeliness_views import timeliness_report


@hooks.register("before_serve_page")
def note_served_page(page, request, serve_args, serve_kwargs):
    """The page cache stores only the page types listed in portal.delivery.policy."""
    request.served_page = page


@hooks.register("register_admin_urls")
def central_admin_urls():
    return [
        path("departments/", include("tenants.admin_urls", namespace="tenants_admin")),
        path("people/", include("portal.accounts.admin_urls", namespace="accounts_admin")),
        path("timeliness/", timeliness_report, name="timeliness_report"),
        path("guide/", guide, name="platform_guide"),
        path("plugins/", include(collected_urls("admin_urls", under_plugin_name=True))),
    ]


class CentralMenuItem(MenuItem):
    def is_shown(self, request):
        from tenants.admin_views import is_central_admin

        return is_central_admin(request.user)


@hooks.register("register_admin_menu_item")
def departments_menu_item():
    return CentralMenuItem("单位管理", reverse("tenants_admin:index"), icon_name="site", order=9000)


@hooks.register("register_admin_menu_item")
def people_menu_item():
    return CentralMenuItem("人员管理", reverse("accounts_admin:index"), icon_name="group", order=9010)


@hooks.register("register_admin_menu_item")
def timeliness_menu_item():
    return MenuItem("主动公开时效", reverse("timeliness_report"), icon_name="time", order=810)


@hooks.register("construct_main_menu")
def plugin_menu_items(request, menu_items):
    department = getattr(request, "tenant", None)
    for links in hooks_for(department).admin_menu_items(department=department):
        for link in links or []:
            menu_items.append(MenuItem(link.label, link.url, icon_name=link.icon_name, order=link.order))


@hooks.register("construct_help_menu")
def platform_help_menu(request, menu_items):
    """The help menu leads to the platform's Chinese guide instead of Wagtail's English pages."""
    menu_items[:] = [
        MenuItem("使用指南", reverse("platform_guide"), icon_name="help", order=100, name="platform-guide"),
        *[item for item in menu_items if item.name == "keyboard-shortcuts-trigger"],
    ]


@hooks.register("construct_homepage_panels")
def workbench_panels(request, panels):
    from .workbench.components import replace_homepage_panels

    replace_homepage_panels(request, panels)


def _label_site_columns():
    """Wagtail's site listing names three of its columns after the field (`Port`, `Site name`,
    `Root page`) without passing them through the translation; the fields' own verbose names
    are translated, so the columns take those."""
    from django.utils.text import capfirst
    from wagtail.admin.ui.tables import Column
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if type(column) is Column and column.label == capfirst(column.name.replace("_", " ")):
            column.label = Site._meta.get_field(column.name).verbose_name


_label_site_columns()
