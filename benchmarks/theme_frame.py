"""What the central theme costs a page: the live theme and the mode schedule are read on every
request of every site.

Measures, in one run on a fresh database, a department's column page rendered through the whole
middleware stack (Django test client):
- baseline: the theme taken from the settings' defaults, no mode schedule read (what the frame
  cost before the theme became central);
- central theme, warm cache: a published theme, two mode schedules, cache filled (the normal case);
- central theme, cold cache: the cache emptied before every request (the first request after
  a change).
Figures: median milliseconds per page and SQL queries per page (median of three interleaved
rounds). Target: warm ≤ 1.05 × baseline and no extra SQL query on a warm cache.

Usage: python benchmarks/theme_frame.py [--requests 200]
"""

import argparse
import statistics
import time
from datetime import timedelta

from _common import save, use_benchmark_database


def measure(client, url, host, requests, before=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], []
    for _ in range(requests):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST=host)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries.append(len(captured))
    return statistics.median(timings), statistics.median(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    use_benchmark_database("govsite_bench_theme")

    from unittest import mock

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from rich.console import Console
    from rich.table import Table

    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template
    from themes import services
    from themes.models import ThemeSettings

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    department = create_department(name="区教育局", host_prefix="jyj", organization_code="007218384")
    host = f"{department.host_prefix}.{settings.DOMAIN_SUFFIX}"
    url = "/news/"
    client = Client()
    for _ in range(20):  # warm-up: templates compiled, navigation cached
        client.get(url, HTTP_HOST=host)

    ThemeSettings.objects.create(status="draft", **services.draft_initial())
    services.publish_draft(user=None)
    now = timezone.now()
    services.schedule_mode("grey", now + timedelta(days=30), now + timedelta(days=31), user=None)
    services.schedule_mode("elderly", now - timedelta(days=1), now + timedelta(days=1), user=None)

    # Three rounds, the cases interleaved, so that the shared machine's noise hits all of them.
    rounds = {"baseline": [], "warm": [], "cold": []}
    for _ in range(3):
        with mock.patch.object(services, "theme_for", lambda request: services.default_theme()), \
                mock.patch.object(services, "active_modes", lambda now=None: set()):
            rounds["baseline"].append(measure(client, url, host, args.requests))
        client.get(url, HTTP_HOST=host)
        rounds["warm"].append(measure(client, url, host, args.requests))
        rounds["cold"].append(measure(client, url, host, args.requests, before=services.forget_theme_cache))
    (baseline_ms, baseline_sql), (warm_ms, warm_sql), (cold_ms, cold_sql) = (
        (statistics.median(ms for ms, _ in rounds[case]), statistics.median(sql for _, sql in rounds[case]))
        for case in ("baseline", "warm", "cold")
    )

    figures = {
        "requests": args.requests,
        "baseline_ms_median": baseline_ms, "baseline_sql_median": baseline_sql,
        "warm_ms_median": warm_ms, "warm_sql_median": warm_sql, "warm_ratio": warm_ms / baseline_ms,
        "cold_ms_median": cold_ms, "cold_sql_median": cold_sql, "cold_ratio": cold_ms / baseline_ms,
    }
    table = Table(title="统一主题：每个页面的开销（部门栏目页）")
    for column in ("情形", "中位耗时 ms", "SQL 次数", "与基线之比"):
        table.add_column(column)
    table.add_row("基线：默认设置，不读模式计划", f"{baseline_ms:.2f}", f"{baseline_sql:.0f}", "1.00")
    table.add_row("中心主题，缓存命中", f"{warm_ms:.2f}", f"{warm_sql:.0f}", f"{warm_ms / baseline_ms:.2f}")
    table.add_row("中心主题，缓存未命中", f"{cold_ms:.2f}", f"{cold_sql:.0f}", f"{cold_ms / baseline_ms:.2f}")
    Console().print(table)
    print(f"结果已写入 {save('theme_frame', figures)}")


if __name__ == "__main__":
    main()
