"""The admin's delete routes lead to the bin; the bin stays out of the explorer and the editors.

Both ways the admin deletes pages — the delete view (a page's 删除 in the explorer, the listing's
menu, the edit screen) and the listing's bulk 删除 — end in `service.move_to_bin`, after Wagtail's
own checks (who may delete, the typed confirmation for large trees).
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction

from . import service
from .models import RecycleBinPage
from .views import can_view_bin


@hooks.register("register_admin_urls")
def recycle_bin_urls():
    return [path("recycle-bin/", include("portal.recyclebin.urls", namespace="recyclebin"))]


class RecycleBinMenuItem(MenuItem):
    def is_shown(self, request):
        department = getattr(request, "tenant", None)
        return getattr(department, "is_site", False) and can_view_bin(request.user, department)


@hooks.register("register_admin_menu_item")
def recycle_bin_menu_item():
    return RecycleBinMenuItem("回收站", reverse("recyclebin:index"), icon_name="bin", order=820)


def _back_to_bin(request, text):
    messages.error(request, text)
    return redirect("recyclebin:index")


@hooks.register("before_delete_page")
def delete_to_bin(request, page):
    if service.in_bin(page):
        return _back_to_bin(request, "回收站中的页面请在回收站中彻底删除。")
    # GET shows Wagtail's confirmation; a POST whose typed site name is wrong goes on to Wagtail,
    # which says so and shows it again.
    typed = request.POST.get("confirm_site_name")
    if request.method != "POST" or (typed and typed != settings.WAGTAIL_SITE_NAME):
        return None
    parent_id = page.get_parent().pk
    try:
        service.move_to_bin(page, request.user)
    except service.RecycleBinError as error:
        messages.error(request, error.message)
        return redirect("wagtailadmin_explore", parent_id)
    messages.success(
        request, f"“{page.get_admin_display_title()}”已移入回收站，{service.RETENTION.days} 天内可由负责人恢复。"
    )
    next_url = get_valid_next_url_from_request(request)
    return redirect(next_url) if next_url else redirect("wagtailadmin_explore", parent_id)


class DeleteToBinBulkAction(DeleteBulkAction):
    """The listing's bulk 删除, with Wagtail's checks and confirmation, moving to the bin."""

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        parents = children = 0
        # Parents first: a selected page below another selected one goes with its ancestor.
        for page in sorted(objects, key=lambda page: page.path):
            if service.in_bin(page) or page.depth <= 2:  # already gone with an ancestor; a home page stays
                continue
            children += page.get_descendant_count()
            service.move_to_bin(page, user)
            parents += 1
        return parents, children

    def get_success_message(self, num_parent_objects, num_child_objects):
        text = ngettext("%(n)d 个页面", "%(n)d 个页面", num_parent_objects) % {"n": num_parent_objects}
        if num_child_objects:
            text += f"（及其 {num_child_objects} 个下级页面）"
        return f"已将{text}移入回收站，{service.RETENTION.days} 天内可由负责人恢复。"


# After Wagtail's own registration (order 0), so this class takes the "delete" slot of pages.
hooks.register("register_bulk_action", DeleteToBinBulkAction, order=100)


def _outside_bin(pages, parent_page=None):
    root = RecycleBinPage.objects.only("path").first()
    if root is None or (parent_page is not None and parent_page.path.startswith(root.path)):
        return pages
    return pages.exclude(path__startswith=root.path)


@hooks.register("construct_explorer_page_queryset")
def hide_bin_from_explorer(parent_page, pages, request):
    return _outside_bin(pages, parent_page)


@hooks.register("construct_page_chooser_queryset")
def hide_bin_from_chooser(pages, request):
    return _outside_bin(pages)


IN_BIN = "该页面在回收站中，恢复后才能编辑、复制、移动或添加下级页面。"


@hooks.register("before_edit_page")
def no_editing_in_bin(request, page):
    if service.in_bin(page):
        return _back_to_bin(request, IN_BIN)
    return None


@hooks.register("before_create_page")
def no_creating_in_bin(request, parent_page, page_class):
    if service.in_bin(parent_page):
        return _back_to_bin(request, IN_BIN)
    return None


@hooks.register("before_copy_page")
def no_copying_in_bin(request, page):
    if service.in_bin(page):
        return _back_to_bin(request, IN_BIN)
    return None


@hooks.register("before_move_page")
def no_moving_through_bin(request, page, destination):
    if service.in_bin(page) or service.in_bin(destination):
        return _back_to_bin(request, IN_BIN)
    return None
