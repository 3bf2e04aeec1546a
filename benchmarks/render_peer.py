"""S3: an uncached department article page against the same page served by a single-site
Wagtail peer, measured in the same run.

The platform's database gets the department 区教育局 (five articles with an attachment each,
deterministic text from the seed), a department with 30 more columns in its menu and, with
--departments, more departments. The peer (benchmarks/peer/: plain Wagtail, no tenancy, the same
page models and templates) gets the same department's pages from the same seed in a database of
its own on the same PostgreSQL server, dropped at the end. Both are served by gunicorn (1 worker,
2 threads, DEBUG off) pinned to core 1; `wrk` (8 connections) runs on core 0; after a warm-up,
three rounds alternate platform and peer and the medians are reported.

SQL per page is counted through the Django test client (median of 20 requests): for the
platform with its caches warm (same department again, and arriving from another department),
with a larger menu, and cold (every cache of the process emptied before each request); for the
peer in its own process.

Usage: python benchmarks/render_peer.py [--duration 5] [--runs 3] [--departments 50]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from _common import ROOT, save, stop, use_benchmark_database
from page_serving import (
    ARTICLE_PATH,
    CLIENT_CORE,
    PAGE_SETTINGS,
    SERVER_CORE,
    free_port,
    publish_articles,
    run_wrk,
    wait_for_port,
)

DATABASE = "govsite_bench_render"
PEER_DATABASE = "govsite_bench_render_peer"


def gunicorn(port: int, settings_module: str, tmp: Path, database_url: str):
    env = dict(os.environ, DATABASE_URL=database_url, PUBLIC_PORT=str(port), DJANGO_SETTINGS_MODULE=settings_module)
    command = ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "gunicorn", "portal.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--worker-class", "gthread",
               "--pythonpath", f"{tmp},{ROOT / 'benchmarks'},{ROOT},{ROOT / 'platform'}",
               "--chdir", str(ROOT / "platform"), "--log-level", "warning"]
    return subprocess.Popen(command, env=env)


def sql_counts(path: str, host: str, other_host: str, requests: int = 20) -> dict:
    """Median statements per page: warm (same host again), arriving from another department,
    and cold (every process cache emptied before the request)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from portal.plugins import forget_plugin_settings

    from tenants.middleware import forget_hosts

    def empty_caches():
        for alias in ("default", "shared"):
            caches[alias].clear()
        ContentType.objects.clear_cache()
        forget_hosts()
        forget_plugin_settings()

    client = Client()
    results = {}
    for case, before in (("warm", None), ("from_other_department", lambda: client.get("/", HTTP_HOST=other_host)),
                         ("cold", empty_caches)):
        client.get(path, HTTP_HOST=host)
        counts = []
        for _ in range(requests):
            if before:
                before()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 200, (host, response.status_code)
            counts.append(len(captured))
        results[case] = statistics.median(counts)
    return results


def measure_alternately(targets: dict, duration: int, runs: int) -> dict:
    """Warm-up, then `runs` rounds that measure every target in turn; medians per target."""
    for url, host in targets.values():
        run_wrk(url, max(2, duration // 2), host=host)
    samples = {name: [] for name in targets}
    for _ in range(runs):
        for name, (url, host) in targets.items():
            samples[name].append(run_wrk(url, duration, host=host))
    figures = {}
    for name, runs_of_target in samples.items():
        figures[name] = {key: statistics.median(run[key] for run in runs_of_target)
                         for key in ("rps", "p50_ms", "p99_ms")}
        figures[name]["errors"] = sum(run["errors"] for run in runs_of_target)
        figures[name]["rps_runs"] = [run["rps"] for run in runs_of_target]
    return figures


def recreate_database(name: str, create: bool = True) -> None:
    import psycopg

    port = os.environ.get("GOVSITE_PG_PORT", "54329")
    admin_url = os.environ.get("BENCH_ADMIN_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/postgres")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--departments", type=int, default=50, help="more departments in the platform's database")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep both databases (for a second look)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="govsite-bench-render-"))
    port, peer_port = free_port(), free_port()
    os.environ["PUBLIC_PORT"] = str(port)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    database_url = use_benchmark_database(DATABASE)
    peer_url = database_url.rsplit("/", 1)[0] + f"/{PEER_DATABASE}"

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from rich.console import Console
    from rich.table import Table

    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    print("平台数据 …", flush=True)
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    department = create_department(name="区教育局", host_prefix="jyj", organization_code="007218384")
    publish_articles(department, random.Random(args.seed), articles=5, extra_columns=0)
    large_menu = create_department(name="区大菜单局", host_prefix="menu", organization_code="007218777")
    publish_articles(large_menu, random.Random(args.seed), articles=5, extra_columns=30)
    for number in range(1, args.departments + 1):
        create_department(name=f"区基准局{number}", host_prefix=f"d{number:03d}", organization_code=f"B{number:08d}")
    host, menu_host = department.hostname, large_menu.hostname
    sql = {"platform": sql_counts(ARTICLE_PATH, host, menu_host),
           "platform_large_menu": sql_counts(ARTICLE_PATH, menu_host, host)}
    if args.departments:
        last = f"d{args.departments:03d}.{settings.DOMAIN_SUFFIX}"
        sql["platform_many_departments"] = sql_counts(ARTICLE_PATH, host, last)

    print("单站对照数据 …", flush=True)
    recreate_database(PEER_DATABASE)
    peer_env = dict(os.environ, DATABASE_URL=peer_url, DJANGO_SETTINGS_MODULE="peer.settings",
                    MEDIA_ROOT=str(tmp / "peer-media"), PUBLIC_PORT=str(peer_port),
                    PYTHONPATH=os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT), str(ROOT / "platform")]))
    loaded = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "peer" / "load.py"), str(args.seed), "5"],
                            env=peer_env, capture_output=True, text=True, timeout=900)
    if loaded.returncode != 0:
        raise SystemExit(f"单站对照加载失败：\n{loaded.stderr[-3000:]}")
    sql["peer"] = json.loads(loaded.stdout.strip().splitlines()[-1])["sql"]

    (tmp / "bench_page_settings.py").write_text(PAGE_SETTINGS)
    connections.close_all()
    os.sched_setaffinity(0, {int(CLIENT_CORE)})
    processes = []
    figures = {"duration_s": args.duration, "runs": args.runs, "departments": args.departments + 2, "sql": sql}
    try:
        platform_server = gunicorn(port, "bench_page_settings", tmp, database_url)
        peer_server = gunicorn(peer_port, "peer.settings", tmp, peer_url)
        processes += [platform_server, peer_server]
        wait_for_port(port, platform_server)
        wait_for_port(peer_port, peer_server)
        pages = {}
        for name, page_port in (("platform", port), ("peer", peer_port)):
            request = urllib.request.Request(f"http://127.0.0.1:{page_port}{ARTICLE_PATH}", headers={"Host": host})
            with urllib.request.urlopen(request, timeout=30) as response:
                pages[name] = response.read().decode()
            assert "附件1：实施方案" in pages[name], f"{name} 的文章页缺少附件"
            assert "专题" not in pages[name]
        figures["page_bytes"] = {name: len(page.encode()) for name, page in pages.items()}
        print("S3 平台与单站对照，交替测量 …", flush=True)
        figures.update(measure_alternately({
            "platform": (f"http://127.0.0.1:{port}{ARTICLE_PATH}", host),
            "peer": (f"http://127.0.0.1:{peer_port}{ARTICLE_PATH}", host),
            "platform_large_menu": (f"http://127.0.0.1:{port}{ARTICLE_PATH}", menu_host),
        }, args.duration, args.runs))
    finally:
        stop(processes)
        shutil.rmtree(tmp, ignore_errors=True)
        connections.close_all()
        if not args.keep:
            recreate_database(PEER_DATABASE, create=False)
            recreate_database(DATABASE, create=False)

    figures["ratio_to_peer"] = figures["platform"]["rps"] / figures["peer"]["rps"]
    table = Table(title=f"S3 无缓存文章页（服务器 1 核、gunicorn 1 进程 2 线程；wrk 另 1 核 8 连接；"
                        f"{args.runs} 轮交替测量的中位数，每次 {args.duration} 秒）")
    for column in ("场景", "请求/秒", "p50 ms", "p99 ms", "错误", "每页 SQL", "比值"):
        table.add_column(column, justify="left" if column == "场景" else "right")
    table.add_row("单站 Wagtail 对照（无多租户，同模板同数据）", f"{figures['peer']['rps']:.0f}",
                  f"{figures['peer']['p50_ms']:.1f}", f"{figures['peer']['p99_ms']:.1f}",
                  str(figures["peer"]["errors"]), f"{sql['peer']:.0f}", "分母")
    table.add_row("平台部门文章页", f"{figures['platform']['rps']:.0f}", f"{figures['platform']['p50_ms']:.1f}",
                  f"{figures['platform']['p99_ms']:.1f}", str(figures["platform"]["errors"]),
                  f"{sql['platform']['warm']:.0f}（切换部门 {sql['platform']['from_other_department']:.0f}，"
                  f"冷 {sql['platform']['cold']:.0f}）", f"{figures['ratio_to_peer']:.2f}×对照（目标 ≥ 0.9）")
    table.add_row("平台，菜单多 30 个栏目", f"{figures['platform_large_menu']['rps']:.0f}",
                  f"{figures['platform_large_menu']['p50_ms']:.1f}", f"{figures['platform_large_menu']['p99_ms']:.1f}",
                  str(figures["platform_large_menu"]["errors"]), f"{sql['platform_large_menu']['warm']:.0f}",
                  f"{figures['platform_large_menu']['rps'] / figures['peer']['rps']:.2f}×对照")
    if "platform_many_departments" in sql:
        many = sql["platform_many_departments"]
        table.add_row(f"平台，共 {args.departments + 2} 个部门", "", "", "", "",
                      f"{many['warm']:.0f}（切换部门 {many['from_other_department']:.0f}）", "")
    Console(width=200).print(table)
    print("结果已写入", save("render_peer", figures))


if __name__ == "__main__":
    main()
