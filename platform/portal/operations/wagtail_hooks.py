"""Admin menu of the centre's operations screens."""

from django.urls import path, reverse
from wagtail import hooks

from portal.wagtail_hooks import CentralMenuItem

from .views import backup_list


@hooks.register("register_admin_urls")
def operations_urls():
    return [path("operations/backups/", backup_list, name="operations_backups")]


@hooks.register("register_admin_menu_item")
def backups_menu_item():
    return CentralMenuItem("数据备份", reverse("operations_backups"), icon_name="download", order=9060)
