"""Shared set-up of the benchmark scripts: a separate database and a results folder."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def use_benchmark_database(name: str, keep: bool = False) -> str:
    """Point Django at a fresh database `name` on the same server as the demo, and set Django up.

    With `keep`, an existing database of that name is reused (benchmarks that share a large
    generated data set)."""
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    import psycopg

    port = os.environ.get("GOVSITE_PG_PORT", "54329")
    admin_url = os.environ.get("BENCH_ADMIN_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/postgres")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (keep and exists):
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    return os.environ["DATABASE_URL"]


def print_figures(title: str, figures: dict) -> None:
    """Print a benchmark's figures, one row each, as a two-column table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    table.add_column("指标")
    table.add_column("数值", justify="right")
    for name, value in figures.items():
        table.add_row(name, f"{value:.2f}" if isinstance(value, float) else str(value))
    Console().print(table)


def save(name: str, figures: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    return path


# The ceilings the page benchmarks compare with: a Django "hello" view and nginx serving the
# saved bytes of a page as a static file (`{tmp}/html/page.html`).
HELLO_URLS = """from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("", lambda request: HttpResponse("ok"))]
"""
STATIC_NGINX = """worker_processes 1;
daemon off;
pid {tmp}/static.pid;
error_log {tmp}/static-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    default_type "text/html; charset=utf-8";
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/html;
        location / {{ try_files /page.html =404; }}
    }}
}}
"""


def stop(processes) -> None:
    """Terminate the servers a benchmark started, and kill those that do not stop in 10 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk_figures(output: str) -> dict:
    """Requests per second, p50/p99 and errors (socket errors and non-2xx/3xx answers) from the
    output of `wrk --latency`."""

    def latency_ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = sum(int(number) for number in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": latency_ms("50"), "p99_ms": latency_ms("99"),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }
