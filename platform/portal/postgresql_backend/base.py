"""django-tenants' PostgreSQL backend, without two costs it adds to every request.

Stock django-tenants empties Django's content-type cache whenever the connection switches
schema (content type ids may differ from schema to schema), and forgets which `search_path` the
connection already has, so every request re-reads the content types of the pages it serves and
sends one more `SET search_path`. Here the content-type cache is kept per schema instead of
being emptied, and `SET search_path` is sent only when the schemas the next query needs differ
from those the connection last set.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django_tenants.postgresql_backend import base as tenant_backend
from django_tenants.utils import get_limit_set_calls


class SchemaContentTypeCache:
    """Stands in for `ContentType.objects._cache` (a dict keyed by database alias): each alias's
    entries are kept per schema, the schema being the one the calling thread's connection uses."""

    def __init__(self):
        self._caches: dict[tuple[str, str | None], dict] = {}

    @staticmethod
    def _key(alias: str) -> tuple[str, str | None]:
        return alias, getattr(connections[alias], "schema_name", None)

    def __getitem__(self, alias):
        return self._caches[self._key(alias)]

    def setdefault(self, alias, default):
        return self._caches.setdefault(self._key(alias), default)

    def get(self, alias, default=None):
        return self._caches.get(self._key(alias), default)

    def clear(self):
        self._caches.clear()


ContentType.objects._cache = SchemaContentTypeCache()


class DatabaseWrapper(tenant_backend.DatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        """django-tenants' `set_tenant`, minus emptying the content-type cache (it is per schema
        now) and minus forgetting the search path (`_handle_search_path` compares instead)."""
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if tenant_backend.EXTRA_SET_TENANT_METHOD:
            tenant_backend.EXTRA_SET_TENANT_METHOD(self, tenant)

    def _handle_search_path(self, cursor=None):
        # The flag holds the schemas actually set on this connection (None after a rollback or a
        # reconnect, which lose them): nothing to send while they are the ones needed.
        if (
            get_limit_set_calls() and self.search_path_set_schemas
            and not self._setting_search_path
            and self.search_path_set_schemas != self._get_cursor_search_paths()
        ):
            self.search_path_set_schemas = None
        super()._handle_search_path(cursor)
