"""The fresh-machine set-up: what `make test` finds missing and what it does about it.

These run the real detection script in a subprocess with a PATH that lacks the programs, the way a
newcomer's machine lacks them, and as a user without root, who gets one message saying what to
install instead of a stack trace twenty tests later.
"""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "services" / "system_packages.py"


def _path_with(tmp_path, *programs):
    """A PATH that has only the named programs (linked from this machine) and the Python running us."""
    folder = tmp_path / "bin"
    folder.mkdir(parents=True)
    for program in programs:
        found = shutil.which(program)
        assert found, f"这台机器上没有 {program}，无法构造测试用的 PATH"
        (folder / program).symlink_to(found)
    (folder / "python3").symlink_to(sys.executable)
    return str(folder)


def _run(path, *args, user=None):
    env = {"PATH": path, "HOME": "/tmp", "LANG": "C.UTF-8"}
    # Another user may not reach this interpreter's folder; the script needs only the standard library.
    python = "/usr/bin/python3" if user and os.path.exists("/usr/bin/python3") else sys.executable
    command = [python, str(SCRIPT), *args]
    kwargs = {}
    if user is not None:
        kwargs = {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False, **kwargs)


def test_a_machine_without_browser_fonts_java_or_maven_is_told_all_of_them(tmp_path):
    result = _run(_path_with(tmp_path), "test", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["openjdk-17-jre-headless", "maven", "chromium", "fontconfig", "fonts-noto-cjk"]


def test_the_browser_is_found_on_path_under_any_of_its_usual_names(tmp_path):
    browser = shutil.which("chromium")
    assert browser, "测试机器应当已由 make test 安装 chromium"
    path = _path_with(tmp_path, "java", "mvn", "fc-list")
    (Path(path) / "chromium-browser").symlink_to(browser)
    result = _run(path, "test", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
    # The demo needs no browser at all.
    assert _run(_path_with(tmp_path / "demo", "java", "mvn"), "demo", "--dry-run").stdout.split() == []


def test_without_root_the_command_stops_with_one_message_naming_the_packages(tmp_path):
    # As root, run it as `govsite`, the unprivileged user the services run as (created when
    # PostgreSQL starts); a developer who is not root is that user already. pytest's own temporary
    # folders are private to root, so this PATH lives in a folder the other user may read.
    user = "govsite" if os.geteuid() == 0 else None
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)
        result = _run(_path_with(Path(folder), "java", "mvn", "fc-list"), "test", user=user)
    assert result.returncode == 1
    assert "缺少系统软件包：chromium" in result.stderr
    assert "请以 root 身份安装" in result.stderr
    assert "Traceback" not in result.stderr
