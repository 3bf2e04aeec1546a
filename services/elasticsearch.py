"""Start and stop the local Elasticsearch 8 node used by `make demo` and `make test`.

The node is the minimal Elasticsearch distribution published as a Maven artifact
(`org.elasticsearch.distribution.integ-test-zip`), fetched and unpacked with Maven, which keeps it
in the local Maven repository so later runs do not download it again. That distribution has no
bundled JDK (the system Java 17+ is used) and lacks the `analysis-common` module, so Chinese
analysis (`cjk`, `cjk_bigram`, `cjk_width`) and the n-gram components come from our own small
plugin in `services/elasticsearch-analysis/`, compiled here with `javac` against the
distribution's jars whenever its source is newer than the installed jar.

The node listens on 127.0.0.1 only, runs as a single node without security, and keeps its data,
logs and temporary files under `.services/elasticsearch/`. Elasticsearch refuses to run as root:
when this script runs as root (CI does), the node runs as the `govsite` system user instead.

Usage: python services/elasticsearch.py start|stop|status|url
Environment: GOVSITE_ES_PORT (HTTP port, default 9250; transport port is 100 higher),
GOVSITE_ES_HEAP (default 768m), GOVSITE_ES_DIR (base directory), ES_JAVA_HOME / JAVA_HOME.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from service_user import SERVICE_USER, ensure_service_user, is_root, make_traversable

ES_VERSION = "8.19.21"
ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(os.environ.get("GOVSITE_ES_DIR", ROOT / ".services" / "elasticsearch")).resolve()
HOME = BASE / f"elasticsearch-{ES_VERSION}"
DATA = BASE / "data"
LOGS = BASE / "logs"
TMP = BASE / "tmp"
PID_FILE = BASE / "elasticsearch.pid"
CONSOLE_LOG = LOGS / "console.log"

HOST = "127.0.0.1"
PORT = int(os.environ.get("GOVSITE_ES_PORT", "9250"))
TRANSPORT_PORT = PORT + 100
HEAP = os.environ.get("GOVSITE_ES_HEAP", "768m")
CLUSTER_NAME = "govsite-dev"
START_TIMEOUT = 120
STOP_TIMEOUT = 60

PLUGIN_NAME = "govsite-analysis-cjk"
PLUGIN_SOURCE = Path(__file__).resolve().parent / "elasticsearch-analysis"
PLUGIN_DIR = HOME / "plugins" / PLUGIN_NAME
PLUGIN_JAR = PLUGIN_DIR / f"{PLUGIN_NAME}.jar"

# Elasticsearch refuses to run as root; when we are root we run it as this system user.


def url() -> str:
    return f"http://{HOST}:{PORT}"


def _say(message: str) -> None:
    print(message, flush=True)  # noqa: T201 - command-line progress output


def _fail(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # noqa: T201 - command-line error output
    raise SystemExit(1)


# --------------------------------------------------------------------------------------------
# HTTP and process checks
# --------------------------------------------------------------------------------------------


def _port_open() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, PORT)) == 0


def _health(timeout: float = 2.0) -> dict | None:
    """Cluster health of whatever answers on our port, or None."""
    try:
        with urllib.request.urlopen(f"{url()}/_cluster/health", timeout=timeout) as response:
            return json.load(response)
    except (OSError, ValueError):
        return None


def _healthy(health: dict | None) -> bool:
    if not health or health.get("cluster_name") != CLUSTER_NAME:
        return False
    return health.get("status") in ("yellow", "green")


def status() -> bool:
    return _healthy(_health())


def _read_pid() -> int | None:
    try:
        return int(PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None


def _is_our_node(pid: int) -> bool:
    """True if `pid` is alive and is the Elasticsearch JVM of this installation."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return f"-Des.path.home={HOME}".encode() in cmdline


# --------------------------------------------------------------------------------------------
# Running as root: service user, ownership, traversable parents
# --------------------------------------------------------------------------------------------


def _give_to_service_user(user: pwd.struct_passwd) -> None:
    """chown everything under BASE to the service user (only entries that are not already its)."""
    for folder, dirs, files in os.walk(BASE):
        for name in [".", *dirs, *files]:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if info.st_uid != user.pw_uid or info.st_gid != user.pw_gid:
                os.lchown(path, user.pw_uid, user.pw_gid)


def _as_service_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", SERVICE_USER, "--", *args] if is_root() else args


# --------------------------------------------------------------------------------------------
# Java, distribution, plugin, configuration
# --------------------------------------------------------------------------------------------


def _java_home() -> Path:
    for variable in ("ES_JAVA_HOME", "JAVA_HOME"):
        value = os.environ.get(variable)
        if value and (Path(value) / "bin" / "java").exists():
            return Path(value)
    java = shutil.which("java")
    if java:
        return Path(java).resolve().parent.parent
    _fail("未找到 Java：请安装 JDK 17 或更高版本，或设置 ES_JAVA_HOME / JAVA_HOME")
    raise AssertionError  # unreachable


def _jdk_tool(java_home: Path, name: str) -> str:
    candidate = java_home / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        _fail(f"未找到 {name}：编译中文分词插件需要完整的 JDK 17+（不只是 JRE）")
    return found


def _ensure_distribution() -> None:
    if (HOME / "lib" / f"elasticsearch-{ES_VERSION}.jar").exists():
        return
    mvn = shutil.which("mvn")
    if not mvn:
        _fail("未找到 Maven (mvn)：首次启动需要用 Maven 获取 Elasticsearch 发行包")
    _say(f"获取并解压 Elasticsearch {ES_VERSION}（Maven 会缓存，之后不再下载）…")
    staging = BASE / ".unpack"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    # Run Maven inside the staging folder: without a project it writes its marker files
    # into the working directory, and we throw that folder away afterwards.
    result = subprocess.run(
        [mvn, "-q", "-B", f"{DEPENDENCY_PLUGIN}:unpack", f"-Dartifact={ARTIFACT}",
         f"-DoutputDirectory={staging / 'out'}"],
        cwd=staging, capture_output=True, text=True,
    )
    unpacked = staging / "out" / f"elasticsearch-{ES_VERSION}"
    if result.returncode != 0 or not unpacked.is_dir():
        output = (result.stdout + result.stderr).strip().splitlines()[-40:]
        _fail("获取 Elasticsearch 发行包失败:\n" + "\n".join(output))
    if HOME.exists():
        shutil.rmtree(HOME)
    unpacked.rename(HOME)
    shutil.rmtree(staging, ignore_errors=True)


def _plugin_sources() -> list[Path]:
    return sorted((PLUGIN_SOURCE / "src" / "main" / "java").rglob("*.java"))


def _plugin_outdated() -> bool:
    if not PLUGIN_JAR.exists() or not (PLUGIN_DIR / "plugin-descriptor.properties").exists():
        return True
    inputs = [*_plugin_sources(), PLUGIN_SOURCE / "plugin-descriptor.properties"]
    return max(path.stat().st_mtime for path in inputs) > PLUGIN_JAR.stat().st_mtime


def _ensure_plugin(java_home: Path) -> None:
    """Compile the analysis plugin against the distribution's jars when its source is newer."""
    if not _plugin_outdated():
        return
    _say("编译中文分词插件 (cjk / cjk_bigram / edge_ngram …) …")
    build = BASE / "plugin-build"
    shutil.rmtree(build, ignore_errors=True)
    classes = build / "classes"
    classes.mkdir(parents=True)
    javac = subprocess.run(
        [_jdk_tool(java_home, "javac"), "--release", "17", "-encoding", "UTF-8", "-nowarn",
         "-cp", str(HOME / "lib" / "*"), "-d", str(classes), *map(str, _plugin_sources())],
        capture_output=True, text=True,
    )
    if javac.returncode != 0:
        _fail("编译中文分词插件失败:\n" + javac.stdout + javac.stderr)
    shutil.rmtree(PLUGIN_DIR, ignore_errors=True)
    PLUGIN_DIR.mkdir(parents=True)
    jar = subprocess.run(
        [_jdk_tool(java_home, "jar"), "--create", "--file", str(PLUGIN_JAR), "-C", str(classes), "."],
        capture_output=True, text=True,
    )
    if jar.returncode != 0:
        _fail("打包中文分词插件失败:\n" + jar.stdout + jar.stderr)
    # The descriptor must name the exact server version; keep it in step with ES_VERSION.
    lines = (PLUGIN_SOURCE / "plugin-descriptor.properties").read_text(encoding="utf-8").splitlines()
    lines = [f"elasticsearch.version={ES_VERSION}" if line.startswith("elasticsearch.version=") else line
             for line in lines]
    (PLUGIN_DIR / "plugin-descriptor.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(build, ignore_errors=True)


def _write_config() -> None:
    config = f"""\
# Written by services/elasticsearch.py on every start; edit that script instead.
cluster.name: {CLUSTER_NAME}
node.name: {CLUSTER_NAME}-1
path.data: {DATA}
path.logs: {LOGS}
network.host: {HOST}
http.port: {PORT}
transport.port: {TRANSPORT_PORT}
discovery.type: single-node
xpack.security.enabled: false
xpack.ml.enabled: false
# Tests and `make clean`-style tooling delete indices by wildcard.
action.destructive_requires_name: false
# A nearly full development disk must not turn every index read-only.
cluster.routing.allocation.disk.threshold_enabled: false
"""
    (HOME / "config" / "elasticsearch.yml").write_text(config, encoding="utf-8")
    # Fixed heap; no pre-touching of the whole heap at boot (a development node starts faster).
    (HOME / "config" / "jvm.options.d" / "govsite.options").write_text(
        f"-Xms{HEAP}\n-Xmx{HEAP}\n-XX:-AlwaysPreTouch\n", encoding="utf-8"
    )


def _log_tail(since: float, lines: int = 40) -> str:
    """Last lines of the node's log, or of the launcher's console output when the node never
    got as far as logging (bad JVM options, missing Java, …). Only files written since `since`."""
    for log in (LOGS / f"{CLUSTER_NAME}.log", CONSOLE_LOG):
        if log.exists() and log.stat().st_size and log.stat().st_mtime >= since:
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            return f"--- {log} (最后 {len(tail)} 行) ---\n" + "\n".join(tail)
    return "(本次启动没有写出 Elasticsearch 日志)"


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _start_lock():
    """Serialize concurrent `start` calls: the second one waits, then reuses the node."""
    BASE.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(BASE / "start.lock", os.O_RDWR | os.O_CREAT, 0o664)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def start() -> str:
    if not status():
        with _start_lock():
            return _start()
    if PLUGIN_JAR.exists() and _plugin_outdated():
        _say("提示：中文分词插件源码有更新，先 stop 再 start 才会加载新插件")
    _say(f"Elasticsearch 已在运行: {url()}")
    return url()


def _start() -> str:
    health = _health()
    if _healthy(health):
        _say(f"Elasticsearch 已在运行: {url()}")
        return url()

    started_at = time.monotonic()
    since = time.time() - 1
    pid = _read_pid()
    if pid and _is_our_node(pid):
        # Started earlier (possibly by a parallel run) but not ready yet: wait for it.
        _say("Elasticsearch 进程已存在，等待其就绪 …")
    elif health is not None or _port_open():
        name = (health or {}).get("cluster_name", "未知服务")
        _fail(f"端口 {PORT} 已被占用（{name}）：请停止该服务，"
              "或用 GOVSITE_ES_PORT 换一个端口")
    else:
        _launch(since)

    _say("等待集群状态变为 yellow/green …")
    last_report = time.monotonic()
    while time.monotonic() - started_at < START_TIMEOUT:
        if _healthy(_health()):
            _say(f"Elasticsearch 已就绪（{time.monotonic() - started_at:.1f} 秒）: {url()}")
            return url()
        pid = _read_pid()
        if pid is None or not _is_our_node(pid):
            _abort_start("Elasticsearch 进程已意外退出", since)
        if time.monotonic() - last_report >= 10:
            _say(f"  仍在等待（已 {time.monotonic() - started_at:.0f} 秒）…")
            last_report = time.monotonic()
        time.sleep(0.5)
    _abort_start(f"Elasticsearch 在 {START_TIMEOUT} 秒内没有就绪", since)
    raise AssertionError  # unreachable


def _launch(since: float) -> None:
    """Prepare everything on disk and start the node daemonized."""
    launch_started = time.monotonic()
    BASE.mkdir(parents=True, exist_ok=True)
    java_home = _java_home()
    _ensure_distribution()
    _ensure_plugin(java_home)
    for folder in (DATA, LOGS, TMP):
        folder.mkdir(parents=True, exist_ok=True)
    _write_config()
    PID_FILE.unlink(missing_ok=True)
    if is_root():
        user = ensure_service_user()
        make_traversable(BASE, user)
        make_traversable(java_home, user)
        _give_to_service_user(user)

    env = dict(os.environ)
    env.update(ES_JAVA_HOME=str(java_home), ES_TMPDIR=str(TMP), ES_PATH_CONF=str(HOME / "config"))
    _say(f"启动 Elasticsearch {ES_VERSION}（端口 {PORT}，堆内存 {HEAP}）…")
    # `-d` returns once the node has started (or failed); its console output goes to a file and
    # is only shown on failure. The working directory receives the GC log and crash files.
    remaining = max(START_TIMEOUT - (time.monotonic() - launch_started), 10)
    CONSOLE_LOG.unlink(missing_ok=True)  # may belong to another user after a run as root
    with open(CONSOLE_LOG, "w", encoding="utf-8") as console:
        try:
            launcher = subprocess.run(
                _as_service_user([str(HOME / "bin" / "elasticsearch"), "-d", "-p", str(PID_FILE)]),
                cwd=LOGS, env=env, stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
                timeout=remaining,
            )
            launched = launcher.returncode == 0
        except subprocess.TimeoutExpired:
            launched = False
    if not launched:
        _abort_start("Elasticsearch 启动失败", since)


def _abort_start(reason: str, since: float) -> None:
    tail = _log_tail(since)
    pid = _read_pid()
    if pid and _is_our_node(pid):
        stop(quiet=True)
    _fail(f"{reason}。\n{tail}\n日志目录: {LOGS}")


def stop(quiet: bool = False) -> None:
    pid = _read_pid()
    if pid is None or not _is_our_node(pid):
        PID_FILE.unlink(missing_ok=True)
        if _port_open() and _healthy(_health()):
            _fail(f"端口 {PORT} 上的 Elasticsearch 不是由本脚本启动的"
                  "（没有有效的 PID 文件），未停止它")
        if not quiet:
            _say("Elasticsearch 未运行")
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and (_is_our_node(pid) or _port_open()):
        time.sleep(0.2)
    if _is_our_node(pid):
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _is_our_node(pid):
            time.sleep(0.2)
    PID_FILE.unlink(missing_ok=True)
    if not quiet:
        _say("Elasticsearch 已停止")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    if command == "start":
        start()
    elif command == "stop":
        stop()
    elif command == "url":
        _say(url())
    elif command == "status":
        healthy = status()
        _say(f"Elasticsearch {'运行中' if healthy else '未运行'}: {url()}")
        sys.exit(0 if healthy else 1)
    else:
        sys.exit("用法: python services/elasticsearch.py start|stop|status|url")
