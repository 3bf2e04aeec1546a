"""The audit log is insert-only for the application's database role; pruning records itself.

Before this, a trigger let a DELETE through whenever the session had set `portal.audit_prune`,
which any connection could set. Now:

- the application role (settings.DATABASE_APP_ROLE, the user of DATABASE_URL) keeps SELECT and
  INSERT on the table and nothing else (`portal.audit.protection`); it owns neither the table
  nor its triggers, so it cannot alter, disable or drop them either;
- the trigger refuses every UPDATE, and every DELETE except the one statement inside
  `audit_prune_events(days)`, recognised by PostgreSQL's own report of the calling function, not
  by anything a session can set; TRUNCATE is refused as well;
- `audit_prune_events(days)` runs as its owner (SECURITY DEFINER, fixed search_path), refuses
  fewer than 180 days, deletes older rows and writes an audit row of its own saying which
  database role pruned how many rows, in the same transaction.
"""

import importlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

from portal.audit.protection import protect

RETENTION_DAYS = 180
# The one DELETE the trigger lets through; it must stay on one line, because the trigger
# compares it with the statement line of PostgreSQL's call stack.
PRUNE_DELETE = "DELETE FROM public.audit_auditevent WHERE time < now() - make_interval(days => days)"

CREATE = f"""
CREATE OR REPLACE FUNCTION public.audit_auditevent_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    stack text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- Line 1 is this trigger, line 2 the statement that fired it, line 3 the function
        -- that ran that statement: only the pruning function's own DELETE passes.
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF split_part(stack, E'\\n', 2) = 'SQL statement "{PRUNE_DELETE}"'
           AND split_part(stack, E'\\n', 3) ~ '^PL/pgSQL function public\\.audit_prune_events\\(integer\\) line [0-9]+ at SQL statement$' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '审计日志不可删除：只能由保留期清理（prune_audit_log）删除 {RETENTION_DAYS} 天以前的记录'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION '审计日志不可清空：只能由保留期清理（prune_audit_log）删除 {RETENTION_DAYS} 天以前的记录'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION '审计日志不可修改' USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON public.audit_auditevent;
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON public.audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION public.audit_auditevent_guard();

CREATE OR REPLACE FUNCTION public.audit_prune_events(days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    IF days IS NULL OR days < {RETENTION_DAYS} THEN
        RAISE EXCEPTION '审计日志至少保留 {RETENTION_DAYS} 天（网络安全法第二十一条），不能只保留 % 天', days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    {PRUNE_DELETE};
    GET DIAGNOSTICS removed = ROW_COUNT;
    INSERT INTO public.audit_auditevent (time, username, event, success, ip, target, details)
    VALUES (now(), session_user, 'audit_prune', true, NULL, days || ' 天以前',
            jsonb_build_object('days', days, 'removed', removed, 'database_role', session_user));
    RETURN removed;
END;
$$;
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON public.audit_auditevent;
"""


def grant_to_application_role(apps, schema_editor):
    role = settings.DATABASE_APP_ROLE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", [role])
        owner, exists = cursor.fetchone()
        if not role or role == owner:
            return  # one role for both (a database of one's own): nothing to separate
        if not exists:
            raise ImproperlyConfigured(
                f"数据库角色 {role}（DATABASE_URL 中的用户）不存在：请先创建它（开发环境运行 "
                f"python services/postgres.py start），再运行迁移"
            )
        protect(cursor, role)


def previous_functions(apps, schema_editor):
    previous = importlib.import_module("portal.audit.migrations.0002_immutable_log")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(previous.CREATE)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_immutable_log'),
    ]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.RunPython(grant_to_application_role, previous_functions),
    ]
