"""Site-wide search: index definition, indexing pipeline, query service and views."""

from django.apps import AppConfig


def _plugin_setting_changed(sender, instance, **kwargs):
    """A plugin was turned on or off for a department: its documents follow (a disabled plugin
    contributes none), after the setting is committed."""
    from django.db import transaction

    def sync():
        from django_tenants.utils import tenant_context
        from portal.plugins import forget_plugin_settings

        from .outbox import sync_plugin_documents

        forget_plugin_settings()  # this callback may run before the caller drops its cache
        department = instance.department
        if department.is_site:
            with tenant_context(department):
                sync_plugin_documents(department)

    transaction.on_commit(sync)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "全站搜索"

    def ready(self):
        from django.db.models.signals import post_save

        from . import service

        service.connect_signals()
        post_save.connect(
            _plugin_setting_changed, sender="portal.PluginSetting", dispatch_uid="search.plugin_setting_changed"
        )
