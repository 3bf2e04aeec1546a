"""The application's PostgreSQL role: no superuser, owns nothing, may only add to the audit log.

Each test opens its own connection as the application role (settings.DATABASE_APP_ROLE) or as
the owner that migrated the test database, on the real server, and rolls back what it did. The
rest of the suite runs as the application role too (tests/conftest.py), which shows that the
application needs nothing beyond these grants.
"""

import os
import subprocess
import sys
from datetime import timedelta

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg import errors

from tests.conftest import ROOT

GUARD_TRIGGER = "audit_auditevent_append_only"


def _connect(url: str) -> psycopg.Connection:
    """A connection of its own to the test database; a statement waiting for a lock fails fast."""
    db = settings.DATABASES["default"]
    role = dj_database_url.parse(url)
    return psycopg.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=role["USER"],
                           password=role["PASSWORD"] or None, options="-c lock_timeout=5s")


@pytest.fixture(autouse=True)
def _remember_audit_baseline():
    """Replaces the security tests' own: the test connection must hold no lock on the log, or
    the statements these tests try from other connections would wait for it."""


@pytest.fixture
def as_app(django_db_setup):
    """A second connection as the application role; everything it did is rolled back."""
    conn = _connect(settings.DATABASE_URL)
    yield conn
    conn.rollback()
    conn.close()


@pytest.fixture
def as_owner(django_db_setup):
    conn = _connect(settings.TEST_DATABASE_OWNER_URL)
    yield conn
    conn.rollback()
    conn.close()


def _insert(conn, days_ago: int = 0, event: str = "login") -> int:
    return conn.execute(
        "INSERT INTO audit_auditevent (time, username, event, success, target, details) "
        "VALUES (%s, 'db_roles_test', %s, true, '', '{}') RETURNING id",
        [timezone.now() - timedelta(days=days_ago), event],
    ).fetchone()[0]


def _exists(conn, row_id: int) -> bool:
    return conn.execute("SELECT count(*) FROM audit_auditevent WHERE id = %s", [row_id]).fetchone()[0] == 1


def test_the_suite_itself_runs_as_the_application_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == settings.DATABASE_APP_ROLE
    assert settings.DATABASE_APP_ROLE != dj_database_url.parse(settings.TEST_DATABASE_OWNER_URL)["USER"]


def test_the_application_role_is_no_superuser_and_owns_nothing(as_app):
    role = settings.DATABASE_APP_ROLE
    attributes = as_app.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication FROM pg_roles "
        "WHERE rolname = %s", [role]).fetchone()
    assert attributes == (False, False, False, False, False)
    owned = as_app.execute(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) "
        "     + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) "
        "     + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) "
        "FROM pg_roles r WHERE rolname = %s", [role]).fetchone()[0]
    assert owned == 0
    may = as_app.execute(
        "SELECT has_database_privilege(current_database(), 'CREATE'), has_schema_privilege('public', 'CREATE'), "
        "has_table_privilege('audit_auditevent', 'SELECT'), has_table_privilege('audit_auditevent', 'INSERT'), "
        "has_table_privilege('audit_auditevent', 'UPDATE'), has_table_privilege('audit_auditevent', 'DELETE'), "
        "has_table_privilege('audit_auditevent', 'TRUNCATE'), has_table_privilege('audit_auditevent', 'REFERENCES'), "
        "has_table_privilege('audit_auditevent', 'TRIGGER'), "
        "has_sequence_privilege(pg_get_serial_sequence('audit_auditevent', 'id'), 'USAGE'), "
        "has_sequence_privilege(pg_get_serial_sequence('audit_auditevent', 'id'), 'UPDATE')").fetchone()
    assert may == (False, False, True, True, False, False, False, False, False, True, False)


def test_the_application_role_adds_and_reads_audit_rows(as_app):
    row_id = _insert(as_app, event="db_roles_insert")
    assert as_app.execute("SELECT event FROM audit_auditevent WHERE id = %s", [row_id]).fetchone() == (
        "db_roles_insert",)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET event = 'forged' WHERE id = {id}",
    "DELETE FROM audit_auditevent WHERE id = {id}",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent ADD COLUMN note text",
    "ALTER TABLE audit_auditevent RENAME TO audit_old",
    f"ALTER TABLE audit_auditevent DISABLE TRIGGER {GUARD_TRIGGER}",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    f"DROP TRIGGER {GUARD_TRIGGER} ON audit_auditevent",
    "CREATE TRIGGER sneak BEFORE INSERT ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_auditevent_guard()",
    "DROP TABLE audit_auditevent",
    "CREATE OR REPLACE FUNCTION public.audit_auditevent_guard() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN RETURN OLD; END $$",
    "SET session_replication_role = replica",  # would silence every trigger
    "CREATE SCHEMA sneaky",
], ids=["update", "delete-one", "delete-all", "truncate", "alter", "rename", "disable-trigger",
        "disable-all-triggers", "drop-trigger", "create-trigger", "drop-table", "replace-guard",
        "replica-mode", "create-schema"])
def test_the_application_role_can_change_nothing_of_the_log(as_app, statement):
    row_id = _insert(as_app, days_ago=400)
    with pytest.raises(errors.InsufficientPrivilege), as_app.transaction():
        as_app.execute(statement.format(id=row_id))
    assert _exists(as_app, row_id)
    assert as_app.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [GUARD_TRIGGER]).fetchone() == ("O",)


def test_the_old_session_flag_opens_nothing_for_anybody(as_app, as_owner):
    row_id = _insert(as_app, days_ago=400)
    as_app.execute("SELECT set_config('portal.audit_prune', 'on', false)")
    with pytest.raises(errors.InsufficientPrivilege), as_app.transaction():
        as_app.execute("DELETE FROM audit_auditevent WHERE id = %s", [row_id])
    assert _exists(as_app, row_id)
    as_app.rollback()  # its lock on the table would hold up the owner's TRUNCATE below

    # Even the owner, who has DELETE, meets the trigger: only the pruning function passes.
    with pytest.raises(errors.InsufficientPrivilege, match="审计日志不可清空"), as_owner.transaction():
        as_owner.execute("TRUNCATE audit_auditevent")
    row_id = _insert(as_owner, days_ago=400)
    as_owner.execute("SELECT set_config('portal.audit_prune', 'on', false)")
    with pytest.raises(errors.InsufficientPrivilege, match="审计日志不可删除"), as_owner.transaction():
        as_owner.execute("DELETE FROM audit_auditevent WHERE id = %s", [row_id])
    # The pruning function's own statement, run from anywhere else, is refused too.
    with pytest.raises(errors.InsufficientPrivilege, match="审计日志不可删除"), as_owner.transaction():
        as_owner.execute("DO $$ DECLARE days integer := 180; BEGIN DELETE FROM public.audit_auditevent "
                         "WHERE time < now() - make_interval(days => days); END $$")
    with pytest.raises(errors.InsufficientPrivilege, match="审计日志不可修改"), as_owner.transaction():
        as_owner.execute("UPDATE audit_auditevent SET event = 'forged' WHERE id = %s", [row_id])
    assert _exists(as_owner, row_id)


def test_pruning_refuses_short_retention_removes_only_old_rows_and_records_itself(as_app):
    with pytest.raises(errors.InvalidParameterValue, match="审计日志至少保留 180 天"), as_app.transaction():
        as_app.execute("SELECT audit_prune_events(10)")
    with pytest.raises(errors.InvalidParameterValue), as_app.transaction():
        as_app.execute("SELECT audit_prune_events(NULL)")
    ancient, old, recent = _insert(as_app, 400), _insert(as_app, 181), _insert(as_app, 179)
    before = as_app.execute("SELECT max(id) FROM audit_auditevent").fetchone()[0]

    removed = as_app.execute("SELECT audit_prune_events(180)").fetchone()[0]

    assert removed >= 2
    assert [_exists(as_app, row) for row in (ancient, old, recent)] == [False, False, True]
    record = as_app.execute(
        "SELECT username, event, success, target, details, now() - time FROM audit_auditevent WHERE id > %s",
        [before]).fetchall()
    assert len(record) == 1
    username, event, success, target, details, age = record[0]
    assert (username, event, success, target) == (settings.DATABASE_APP_ROLE, "audit_prune", True, "180 天以前")
    assert details == {"days": 180, "removed": removed, "database_role": settings.DATABASE_APP_ROLE}
    assert age == timedelta(0)  # written in the same transaction as the deletion


def test_the_pruning_and_cloning_functions_run_as_their_owner_with_a_fixed_search_path(as_app):
    rows = as_app.execute(
        "SELECT p.proname, p.prosecdef, pg_get_userbyid(p.proowner), p.proconfig, "
        "has_function_privilege(p.oid, 'EXECUTE'), "
        "EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0) "
        "FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
        "AND p.proname IN ('audit_prune_events', 'govsite_clone_department') ORDER BY p.proname").fetchall()
    assert [row[0] for row in rows] == ["audit_prune_events", "govsite_clone_department"]
    for name, definer, owner, config, executable, public in rows:
        assert definer and owner != settings.DATABASE_APP_ROLE, name
        assert any(item.startswith("search_path=pg_catalog") for item in config), name
        assert executable and not public, name  # the application role may call it; nobody else


@pytest.mark.parametrize("schema, message", [
    ("public", "不可用"),
    ("tenant_template", "不可用"),
    ("pg_toast", "不可用"),
    ("Bad-Name", "不可用"),
    ("nobody", "没有数据库模式为“nobody”的单位"),
])
def test_the_application_role_clones_only_the_template_for_a_registered_department(as_app, schema, message):
    with pytest.raises(errors.InvalidParameterValue, match=message), as_app.transaction():
        as_app.execute("SELECT govsite_clone_department(%s)", [schema])


def test_a_department_created_as_the_application_role_belongs_to_the_owner(departments, as_app):
    owners = as_app.execute(
        "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.relnamespace = 'jyj'::regnamespace "
        "UNION SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'jyj'").fetchall()
    assert settings.DATABASE_APP_ROLE not in {owner for (owner,) in owners}
    with pytest.raises(errors.InsufficientPrivilege), as_app.transaction():
        as_app.execute("ALTER TABLE jyj.wagtailcore_page ADD COLUMN note text")
    assert as_app.execute("SELECT count(*) > 0 FROM jyj.wagtailcore_page").fetchone() == (True,)


def _production(**database_env) -> subprocess.CompletedProcess:
    from tests.security.test_passwords import PRODUCTION_SITE

    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "x" * 64,
                "ELASTICSEARCH_URL": "http://127.0.0.1:1", "ALLOWED_HOSTS": ".yuancheng.gov.cn",
                "STATIC_ROOT": "/tmp/static",
                **{key: value for key, value in PRODUCTION_SITE.items() if not key.startswith("DATABASE_")},
                **database_env,
                "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])})
    return subprocess.run([sys.executable, "-c", "from portal.settings import production"], env=env,
                          cwd=ROOT / "platform", capture_output=True, text=True)


@pytest.mark.parametrize("database_env, message", [
    ({"DATABASE_OWNER_URL": "postgres://owner@db/govsite"}, "生产环境必须设置 DATABASE_URL"),
    ({"DATABASE_URL": "postgres://app@db/govsite"}, "生产环境必须设置 DATABASE_OWNER_URL"),
    ({"DATABASE_URL": "postgres://app@db/govsite", "DATABASE_OWNER_URL": "postgres://app@db/govsite"},
     "必须使用不同的数据库角色"),
    ({"DATABASE_URL": "postgres://app@db/govsite", "DATABASE_OWNER_URL": "postgres://owner@db/other"},
     "必须指向同一个数据库"),
])
def test_production_needs_both_roles_of_one_database(database_env, message):
    result = _production(**database_env)
    assert result.returncode != 0 and message in result.stderr, result.stderr[-500:]


def test_production_accepts_an_application_and_an_owner_role():
    result = _production(DATABASE_URL="postgres://app:secret@db:5432/govsite",
                         DATABASE_OWNER_URL="postgres://owner:secret@db:5432/govsite")
    assert result.returncode == 0, result.stderr[-500:]
