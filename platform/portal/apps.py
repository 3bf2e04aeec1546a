from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台核心"

    def ready(self):
        from django.db.models.signals import post_migrate

        # First: receivers run in the order they were connected, and the projection's receivers
        # must read view restrictions and sites after their cached copies were dropped.
        from . import render_caches, signals  # noqa: F401  (signals: publishing keeps the projection in step)
        from .database_roles import grant_after_migrate
        from .delivery import invalidation  # noqa: F401  (every change makes the cached pages it shows stale)
        from .transactions import publish_in_one_transaction

        publish_in_one_transaction()

        # Once per migration run (sent with this app as sender), after every app has migrated.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="portal.database_roles")
