"""Site-wide search: index definition, indexing pipeline, query service and views."""

from django.apps import AppConfig


def _plugin_setting_changed(sender, instance, **kwargs):
    """A plugin was turned on or off for a department: its documents follow (a disabled plugin
    contributes none), after the setting is committed."""
    from portal.plugins import documents_changed

    documents_changed(instance.department)


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
