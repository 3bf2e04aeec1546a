"""Which change makes which cached pages stale: every model write is classified here.

Listening to every save and delete (not to the admin's views or to Wagtail's publish signal
alone) catches each way a change is made: the page editor, bulk actions, moves, scheduled
publishing and expiry, the importer, the management commands, a plugin's own screens. Content
of a department (its schema) bumps `site:<schema>`; the cross-department projection and the
centre's homepage picks bump `projection`; a department or its domains bump its `site:<schema>`
and `departments` (the portal lists them); those and plugin settings also bump `config`, on which
every process drops its own host and setting copies; the theme
and mode schedule bump `theme`; a plugin's shared models bump `model:<app>.<model>`, which the
plugin's pages name in `policy`. Writes that no public page shows (sessions, audit, logins,
revisions, image renditions made while rendering, …) bump nothing.
"""

from django.conf import settings
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import post_page_move

from .store import changed

# Apps none of whose rows a public page shows.
IGNORED_APPS = {
    "sessions", "contenttypes", "auth", "axes", "audit", "accounts", "access", "django_tasks",
    "django_tasks_db", "search", "inspection", "governance", "workcalendar", "wagtailusers",
}
# Rows written alongside a real change or while rendering, never shown by themselves.
IGNORED_MODELS = {
    "wagtailimages.rendition", "wagtailcore.referenceindex", "wagtailsearch.indexentry",
    "wagtailcore.pagelogentry", "wagtailcore.modellogentry", "wagtailcore.revision",
    "wagtailcore.pagesubscription", "wagtailcore.workflowstate", "wagtailcore.taskstate",
    "wagtailcore.comment", "wagtailcore.commentreply", "wagtailadmin.editingsession", "wagtailadmin.admin",
    "portal.scheduledrun", "portal.formsubmission",
}
PROJECTION_MODELS = {"portal.publisheditem", "homepage_requests.homepagerequest"}
THEME_APPS = {"themes"}


def _shared_only_apps() -> set[str]:
    return set(settings.SHARED_APPS) - set(settings.TENANT_APPS)


def tags_for_write(instance) -> list[str]:
    meta = instance._meta
    label = meta.label_lower
    if meta.app_config is None or meta.app_label in IGNORED_APPS or label in IGNORED_MODELS:
        return []
    if label in ("tenants.department", "tenants.domain"):
        department = instance if label == "tenants.department" else getattr(instance, "tenant", None)
        return ["config", "departments"] + ([f"site:{department.schema_name}"] if department is not None else [])
    if label == "portal.pluginsetting":
        return ["config", f"site:{instance.department.schema_name}"]
    if label in PROJECTION_MODELS:
        return ["projection"]
    if meta.app_label in THEME_APPS:
        return ["theme"]
    if meta.app_config.name in _shared_only_apps():
        return [f"model:{label}"]
    # A department's own content, in the schema the connection is using.
    schema = connection.schema_name
    if not schema or schema == "public":
        return []
    return [f"site:{schema}"]


def on_write(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixtures loading
        return
    tags = tags_for_write(instance)
    if tags:
        changed(*tags)


def on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        on_write(sender, instance)


def on_move(sender, instance, **kwargs):
    on_write(sender, instance)


post_save.connect(on_write, dispatch_uid="delivery.save")
post_delete.connect(on_write, dispatch_uid="delivery.delete")
m2m_changed.connect(on_m2m, dispatch_uid="delivery.m2m")
post_page_move.connect(on_move, dispatch_uid="delivery.move")
