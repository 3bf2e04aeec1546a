from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台核心"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (publishing keeps the projection in step)
        from .delivery import invalidation  # noqa: F401  (every change makes the cached pages it shows stale)
        from .database_roles import grant_after_migrate

        # Once per migration run (sent with this app as sender), after every app has migrated.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="portal.database_roles")
