from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "站点与单位"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_clone_functions, sender=self, dispatch_uid="tenants.cloning")


def _install_clone_functions(sender, using, **kwargs):
    """After a migration of the public schema, as the owner: the functions that clone departments."""
    from django.db import connections
    from django_tenants.utils import get_public_schema_name
    from portal.database_roles import application_role

    from . import cloning

    connection = connections[using]
    if getattr(connection, "schema_name", get_public_schema_name()) != get_public_schema_name():
        return
    with connection.cursor() as cursor:
        role = application_role(cursor)
    cloning.install(connection, role)
