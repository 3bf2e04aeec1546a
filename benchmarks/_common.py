"""Shared set-up of the benchmark scripts: a separate database and a results folder."""

import json
import os
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


def save(name: str, figures: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    return path
