"""Inspection crawl throughput for one department of about 2,000 pages.

In one run, against the same server (gunicorn, pinned to core 1; the crawler on core 0):
- baseline: the same URLs fetched one after another with a plain `httpx.Client` loop;
- the crawler alone (discovering the pages from the homepage, bounded concurrency, parsing links);
- the whole inspection of the department (crawl, page checks, data checks, storing findings).
Figures are pages per second and their ratio to the baseline.

Usage: python benchmarks/crawl.py [--pages 2000] [--concurrency 4] [--port 18950]
The generated department is kept in its own database and reused by later runs.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta

from _common import ROOT, save, use_benchmark_database

SERVER_CORE, CLIENT_CORE = "1", "0"


def build_department(pages: int):
    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenants.models import Department
    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    existing = Department.objects.filter(host_prefix="crawl").first()
    if existing is not None:
        return existing
    ensure_public_tenant()
    ensure_template()
    department = create_department(name="区巡检基准局", host_prefix="crawl", organization_code="007218999")
    from portal.pages.models import ArticlePage, ColumnPage

    with tenant_context(department):
        columns = list(ColumnPage.objects.filter(depth=3).order_by("path"))
        now = timezone.now()
        # Column list pages (20 items each, paginated) make up the rest of the ~2,000 pages.
        articles = pages - 1 - len(columns) - pages // 20
        for number in range(articles):
            column = columns[number % len(columns)]
            column.add_child(instance=ArticlePage(
                title=f"基准文章{number}", slug=f"a{number}", live=True,
                publish_time=now - timedelta(hours=number), summary=f"第{number}篇基准文章",
                body=[("text", f"<p>第{number}篇。请见<a href=\"/news/\">部门动态</a>。</p>")],
            ))
            if number % 200 == 0:
                print(f"  已生成 {number}/{articles} 篇", flush=True)  # noqa: T201
    return department


def start_server(port: int, database_url: str):
    env = dict(os.environ, DATABASE_URL=database_url, PUBLIC_PORT=str(port),
               DJANGO_SETTINGS_MODULE="portal.settings.dev")
    command = ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "gunicorn", "portal.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--worker-class", "gthread",
               "--chdir", str(ROOT / "platform"), "--pythonpath", str(ROOT), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("基准服务器未能启动")


def plain_loop(urls):
    import httpx

    from plugins.inspection.crawler import SyncLoopbackTransport

    started = time.perf_counter()
    with httpx.Client(transport=SyncLoopbackTransport(), timeout=15) as client:
        for url in urls:
            client.get(url)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=18950)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["PUBLIC_PORT"] = str(args.port)
    os.sched_setaffinity(0, {int(CLIENT_CORE)})
    database_url = use_benchmark_database("govsite_bench_crawl", keep=True)

    from django.conf import settings
    from rich.console import Console
    from rich.table import Table

    from plugins.inspection import service
    from plugins.inspection.crawler import Crawler
    from plugins.inspection.models import IgnoreRule

    department = build_department(args.pages)
    settings.INSPECTION_CRAWLER = {"concurrency": args.concurrency, "host_interval": 0.0}
    for pattern in ("https://beian.miit.gov.cn/*", "https://bszs.conac.cn/*"):  # no request leaves the machine
        IgnoreRule.objects.get_or_create(url_pattern=pattern, status=None,
                                         defaults={"reason": "基准测试不访问外部网站"})
    server = start_server(args.port, database_url)
    try:
        start = department.base_url + "/"
        offline = lambda url: not url.startswith(department.base_url)  # noqa: E731 - no request leaves the machine
        warm = Crawler(concurrency=args.concurrency, host_interval=0, skip_url=offline).crawl(start)
        urls = list(warm.pages)
        plain, crawled, inspected = [], [], []
        for _ in range(args.runs):
            plain.append(len(urls) / plain_loop(urls))
            result = Crawler(concurrency=args.concurrency, host_interval=0, skip_url=offline).crawl(start)
            crawled.append(len(result.pages) / result.seconds)
            began = time.perf_counter()
            run = service.start_run(department)
            service.execute_run(run)
            inspected.append(run.pages_done / (time.perf_counter() - began))
    finally:
        server.terminate()
        server.wait(10)

    figures = {
        "pages": len(urls), "concurrency": args.concurrency,
        "plain_loop_pages_per_s": statistics.median(plain),
        "crawler_pages_per_s": statistics.median(crawled),
        "inspection_pages_per_s": statistics.median(inspected),
    }
    figures["crawler_to_plain_ratio"] = figures["crawler_pages_per_s"] / figures["plain_loop_pages_per_s"]
    figures["inspection_to_plain_ratio"] = figures["inspection_pages_per_s"] / figures["plain_loop_pages_per_s"]
    table = Table(title=f"巡检抓取吞吐量（{len(urls)} 个页面，服务器 1 核，中位数 / {args.runs} 次）")
    table.add_column("方式")
    table.add_column("页面/秒", justify="right")
    table.add_column("与基线之比", justify="right")
    table.add_row("基线：httpx.Client 逐个抓取同一批网址", f"{figures['plain_loop_pages_per_s']:.1f}", "1.00")
    table.add_row(f"巡检爬虫（并发 {args.concurrency}，发现链接）", f"{figures['crawler_pages_per_s']:.1f}",
                  f"{figures['crawler_to_plain_ratio']:.2f}")
    table.add_row("完整巡检（抓取 + 页面检查 + 数据检查 + 保存）", f"{figures['inspection_pages_per_s']:.1f}",
                  f"{figures['inspection_to_plain_ratio']:.2f}")
    Console().print(table)
    print("结果已写入", save("crawl", figures))  # noqa: T201


if __name__ == "__main__":
    main()
