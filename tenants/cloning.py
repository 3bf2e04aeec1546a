"""A new department's schema is cloned by the owner role, on behalf of the application role.

The application role may not create schemas (README, Deploying), yet 单位管理 creates
departments at run time. django-tenants would clone `tenant_template` with its `clone_schema()`
SQL function on the application's own connection, recreating that function first; instead the
owner installs it once after each migration of the public schema, together with
`govsite_clone_department(schema)`, a SECURITY DEFINER wrapper that the application role may
execute. The wrapper clones only the template, only into a new schema whose department row
already exists, so the application role gains no other way to run DDL. The clone belongs to the
owner; default privileges (`portal.database_roles`) give the application role its rows.
"""

from django.conf import settings
from django_tenants.clone import CLONE_SCHEMA_FUNCTION
from psycopg import sql

WRAPPER = """
CREATE OR REPLACE FUNCTION public.govsite_clone_department(dest text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF dest IS NULL OR dest !~ '^[a-z][a-z0-9_]{0,62}$' OR left(dest, 3) = 'pg_'
       OR dest IN ('public', 'information_schema', %(template)s) THEN
        RAISE EXCEPTION '单位的数据库模式名“%%”不可用：应以小写字母开头，只含小写字母、数字和下划线', dest
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.tenants_department WHERE schema_name = dest) THEN
        RAISE EXCEPTION '没有数据库模式为“%%”的单位：请先登记单位，再创建它的站点', dest
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_namespace WHERE lower(nspname) = dest) THEN
        RAISE EXCEPTION '数据库模式“%%”已存在', dest USING ERRCODE = 'duplicate_schema';
    END IF;
    -- NOACL: the owner's default privileges give the application role its grants on the copy.
    PERFORM public.clone_schema(%(template)s, dest, 'DATA', 'NOACL');
END;
$$;
"""


def install(connection, role: str | None) -> None:
    """(Re)installs the clone functions as the connected owner; `role` may run the wrapper."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(CLONE_SCHEMA_FUNCTION.format(db_user=owner))
        cursor.execute(WRAPPER, {"template": settings.TENANT_BASE_SCHEMA})
        cursor.execute("REVOKE ALL ON FUNCTION public.govsite_clone_department(text) FROM PUBLIC")
        if role:
            cursor.execute(sql.SQL("GRANT EXECUTE ON FUNCTION public.govsite_clone_department(text) TO {}").format(
                sql.Identifier(role)))


def clone_template(connection, schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.govsite_clone_department(%s)", [schema_name])
