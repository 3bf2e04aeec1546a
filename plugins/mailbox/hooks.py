"""Hooks of the citizen mailbox plugin."""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.mailbox"]


@hookimpl
def plugin_info():
    return {"title": "政务邮箱", "description": "群众来信、转办、答复和公开"}


@hookimpl
def template_slot(slot, department, request):
    if slot == "footer_links":
        return '<li><a href="/interaction/">政务邮箱</a></li>'
    return None
