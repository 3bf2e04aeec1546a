"""The 访问统计 screen in the admin menu of every site (the centre sees all sites there)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import visits_report


@hooks.register("register_admin_urls")
def visits_urls():
    return [path("visits/", visits_report, name="visits_report")]


@hooks.register("register_admin_menu_item")
def visits_menu_item():
    return MenuItem("访问统计", reverse("visits_report"), icon_name="view", order=820)
