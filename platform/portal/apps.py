from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台核心"

    def ready(self):
        from . import audit, signals  # noqa: F401  (receivers: audit log, projection)
