from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台核心"

    def ready(self):
        # First: receivers run in the order they were connected, and the projection's receivers
        # must read view restrictions and sites after their cached copies were dropped.
        from . import render_caches, signals  # noqa: F401  (signals: publishing keeps the projection in step)
