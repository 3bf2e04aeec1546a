"""Row access for the application's database role to everything the owner role creates.

Production connects the web app, the worker and the scheduler as a role that owns nothing
(settings.DATABASE_APP_ROLE, the user of DATABASE_URL); migrations run as the owner
(DATABASE_OWNER_URL). After every migration of the public schema the owner grants the
application role USAGE on the schemas and SELECT, INSERT, UPDATE and DELETE on their tables (ids
come from identity columns, which need no grant on their sequences),
now and, through default privileges, on every schema and table it creates later (a department
cloned at run time, a table a later migration adds); then the audit log takes back all but
SELECT and INSERT (`portal.audit.protection`). Nothing here gives TRUNCATE, REFERENCES,
TRIGGER, CREATE or ownership, so the application role cannot change the structure.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from psycopg import sql

ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def application_role(cursor) -> str | None:
    """The role to grant to, or None where the application connects as the owner itself."""
    role = settings.DATABASE_APP_ROLE
    cursor.execute("SELECT current_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", [role])
    owner, exists = cursor.fetchone()
    if not role or role == owner:
        return None
    if not exists:
        raise ImproperlyConfigured(
            f"数据库角色 {role}（DATABASE_URL 中的用户）不存在：请先创建它（开发环境运行 "
            f"python services/postgres.py start），再运行迁移"
        )
    return role


def grant_application_role(connection) -> str | None:
    """Brings the application role's grants in line; returns the role (None: nothing to do)."""
    from portal.audit.protection import protect

    with connection.cursor() as cursor:
        role = application_role(cursor)
        if role is None:
            return None
        role_name = sql.Identifier(role)
        for statement in (
            "ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER GRANT USAGE ON SCHEMAS TO {role}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER GRANT {ROW_PRIVILEGES} ON TABLES TO {{role}}",
        ):
            cursor.execute(sql.SQL(statement).format(role=role_name))
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE left(nspname, 3) <> 'pg_' AND nspname <> 'information_schema' "
            "AND (nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) OR nspname = 'public') "
            "ORDER BY nspname"
        )
        for (schema,) in cursor.fetchall():
            for statement in (
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                f"GRANT {ROW_PRIVILEGES} ON ALL TABLES IN SCHEMA {{schema}} TO {{role}}",
            ):
                cursor.execute(sql.SQL(statement).format(schema=sql.Identifier(schema), role=role_name))
        protect(cursor, role)
    return role


def grant_after_migrate(sender, using, **kwargs):
    """post_migrate of the public schema (a department's own migration has nothing new to grant)."""
    from django.db import connections
    from django_tenants.utils import get_public_schema_name

    connection = connections[using]
    if getattr(connection, "schema_name", get_public_schema_name()) != get_public_schema_name():
        return
    grant_application_role(connection)
