from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台核心"

    def ready(self):
        from . import signals  # noqa: F401  (publishing keeps the projection in step)
        from .delivery import invalidation  # noqa: F401  (every change makes the cached pages it shows stale)
