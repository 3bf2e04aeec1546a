from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem


@hooks.register("register_admin_urls")
def sharing_urls():
    return [path("sharing/", include("portal.sharing.urls", namespace="sharing"))]


sharing_menu = Menu(register_hook_name="register_sharing_menu_item", construct_hook_name="construct_sharing_menu")


@hooks.register("register_admin_menu_item")
def sharing_menu_item():
    return SubmenuMenuItem("信息报送", sharing_menu, icon_name="resubmit", order=790, name="sharing")


@hooks.register("register_sharing_menu_item")
def sharing_create_item():
    return MenuItem("报送信息", reverse("sharing:create"), icon_name="plus", order=100)


@hooks.register("register_sharing_menu_item")
def sharing_mine_item():
    return MenuItem("我的报送", reverse("sharing:mine"), icon_name="list-ul", order=200)


@hooks.register("register_sharing_menu_item")
def sharing_queue_item():
    return MenuItem("待处理报送", reverse("sharing:queue"), icon_name="tasks", order=300)


@hooks.register("register_sharing_menu_item")
def sharing_library_item():
    return MenuItem("统一信息资源库", reverse("sharing:library"), icon_name="folder-open-inverse", order=400)


@hooks.register("register_sharing_menu_item")
def sharing_statistics_item():
    return MenuItem("报送统计", reverse("sharing:statistics"), icon_name="table", order=500)


def _submit_button(page):
    from portal.pages.models import ArticlePage

    if page.live and issubclass(page.specific_class or object, ArticlePage) \
            and getattr(page.specific_class, "projected", True):
        yield PageMenuItem("报送", reverse("sharing:create") + f"?page={page.pk}", icon_name="resubmit",
                           priority=35, page=page)


@hooks.register("register_page_listing_more_buttons")
def submit_listing_button(page, user, next_url=None):
    yield from _submit_button(page)


@hooks.register("register_page_header_buttons")
def submit_header_button(page, user, view_name, next_url=None):
    yield from _submit_button(page)
