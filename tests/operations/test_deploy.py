"""The service files in deploy/ are what production runs: systemd accepts them, every command they
start exists and loads the production settings, and the nightly backup runs once, from the timer."""

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.operations.test_production_settings import COMPLETE

# The virtual environment running these tests stands for /srv/govsite/.venv.
VENV_BIN = Path(sys.executable).parent
UNITS = sorted((ROOT / "deploy" / "systemd").glob("govsite-*.*"))
SERVICES = [unit for unit in UNITS if unit.suffix == ".service"]


def _read(unit: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(unit, encoding="utf-8")
    return parser


def _environment_file(tmp_path) -> Path:
    """govsite.env.example with every empty value filled as an operator would."""
    lines = []
    for line in (ROOT / "deploy" / "govsite.env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            if not value and key in COMPLETE:
                value = COMPLETE[key]
            lines.append(f"{key}={value}")
    path = tmp_path / "govsite.env"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_units_cover_app_worker_scheduler_and_backups():
    names = {unit.name for unit in UNITS}
    assert {"govsite-app.service", "govsite-worker.service", "govsite-scheduler.service",
            "govsite-backup.service", "govsite-backup.timer"} <= names
    for service in SERVICES:
        unit = _read(service)["Service"]
        assert unit["Environment"] == "DJANGO_SETTINGS_MODULE=portal.settings.production", service.name
        assert unit["EnvironmentFile"] == "/etc/govsite/govsite.env" and unit["User"] == "govsite"
    # The timer takes the nightly backup, so the example environment turns the scheduler's off.
    assert "BACKUP_SCHEDULE=off" in (ROOT / "deploy" / "govsite.env.example").read_text(encoding="utf-8")


def test_systemd_accepts_the_units(tmp_path):
    assert shutil.which("systemd-analyze"), "需要 systemd-analyze（Debian 的 systemd 软件包）来检查服务文件"
    environment = _environment_file(tmp_path)
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/srv/govsite/.venv/bin/", f"{VENV_BIN}/").replace(
            "/srv/govsite/", f"{ROOT}/").replace(
            "/srv/govsite\n", f"{ROOT}\n").replace("/etc/govsite/govsite.env", str(environment))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    rendered = sorted(str(path) for path in tmp_path.glob("govsite-*"))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *rendered],
                            capture_output=True, text=True, timeout=60, check=False)
    # systemd ignores what it cannot parse and still exits 0: any remark about our files is a fault.
    problems = [line for line in result.stderr.splitlines() if "govsite-" in line]
    assert result.returncode == 0 and not problems, result.stderr


@pytest.mark.parametrize("service", SERVICES, ids=lambda path: path.name)
def test_each_command_starts_on_the_production_settings(service, tmp_path):
    unit = _read(service)["Service"]
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    for line in _environment_file(tmp_path).read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    commands = [unit["ExecStart"]] + ([unit["ExecStartPost"]] if "ExecStartPost" in unit else [])
    for command in commands:
        args = [arg.replace("/srv/govsite/.venv/bin/", f"{VENV_BIN}/").replace("/srv/govsite/", f"{ROOT}/")
                .replace("/srv/govsite", str(ROOT))
                for arg in shlex.split(command)]
        if Path(args[0]).name == "gunicorn":
            args = [*args, "--check-config"]  # loads the application, binds nothing
        else:
            args = [*args, "--help"]  # loads the settings and the command, runs nothing
        result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, f"{service.name}: {' '.join(args)}\n{result.stdout}\n{result.stderr}"
