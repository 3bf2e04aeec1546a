"""Hooks of the citizen mailbox plugin."""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.mailbox"]


@hookimpl
def plugin_info():
    return {
        "title": "政务邮箱",
        "description": "群众来信、转办、答复和公开",
        "audit_events": {
            "mailbox_forward": "信件转交", "mailbox_transfer": "信件改转", "mailbox_close": "信件办结（无效/重复）",
            "mailbox_reply": "起草答复", "mailbox_approve": "审核并答复信件", "mailbox_publish": "公开信件",
            "mailbox_extend": "信件延期",
        },
    }


@hookimpl
def public_urls():
    from django.urls import path

    from . import public_views

    return [
        path("mailbox/", public_views.published, name="published"),
        path("mailbox/write/", public_views.write, name="write"),
        path("mailbox/query/", public_views.query, name="query"),
    ]


@hookimpl
def admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("", admin_views.index, name="index"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/forward/", admin_views.forward, name="forward"),
        path("<int:pk>/close/", admin_views.close, name="close"),
        path("<int:pk>/reply/", admin_views.reply, name="reply"),
        path("<int:pk>/approve/", admin_views.approve, name="approve"),
        path("<int:pk>/publish/", admin_views.publish, name="publish"),
        path("<int:pk>/extend/", admin_views.extend, name="extend"),
    ]


@hookimpl
def admin_menu_items(department):
    from portal.plugins import MenuLink

    return [MenuLink(label="政务邮箱", url="/admin/plugins/mailbox/", icon_name="mail", order=820)]


@hookimpl
def template_slot(slot, department, request):
    if slot == "footer_links":
        return '<li><a href="/mailbox/">政务邮箱</a></li>'
    return None
