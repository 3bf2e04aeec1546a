"""Admin menu of the centre's operations screens, and the incident banner on every admin page."""

from django.contrib import messages
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.wagtail_hooks import CentralMenuItem

from .models import DutyShift, Incident
from .views import backup_list
from .viewsets import WatchGroup, WatchStaffPolicy

register_permission_policy(DutyShift, WatchStaffPolicy(DutyShift, {"view", "add", "change", "delete"}))
# The 事件记录 is a record: incidents are acknowledged and resolved, never edited or deleted.
register_permission_policy(Incident, WatchStaffPolicy(Incident, {"view", "add"}))


@hooks.register("register_admin_urls")
def operations_urls():
    return [path("operations/backups/", backup_list, name="operations_backups")]


@hooks.register("register_admin_menu_item")
def backups_menu_item():
    return CentralMenuItem("数据备份", reverse("operations_backups"), icon_name="download", order=9060)


@hooks.register("register_admin_viewset")
def register_watch():
    return WatchGroup()


@hooks.register("construct_main_menu")
def incident_banner(request, menu_items):
    """Unacknowledged incidents, as a message at the top of the page, for watch staff.

    The main menu is built for every full admin page, before the page's messages are listed, so
    a message added here shows on exactly those pages (not in choosers or partial responses) and
    is not carried over to the next one: it comes back on each page until someone acknowledges.
    """
    from .incidents import banner_incidents

    if getattr(request, "_incident_banner_added", False):
        return
    request._incident_banner_added = True
    incidents, total = banner_incidents(request.user)
    if not incidents:
        return
    html = render_to_string("operations/incident_banner.html",
                            {"incidents": incidents, "total": total, "next": request.get_full_path()}, request=request)
    messages.warning(request, mark_safe(html), extra_tags="incident-banner")  # noqa: S308 - rendered and escaped by the template
