"""The central disclosure catalogue and 索引号 allocation.

Measures, in one run on a fresh database:

- the central catalogue query (newest page of 20 with the total count) over `--items` entries of
  `--departments` departments, unfiltered and filtered by department, topic, year and a keyword,
  against the baseline of the core's own cross-department listing (`PublishedItem`, newest 20 of
  the same number of rows);
- 索引号 allocation (counter row locked per department and year) with 1 and 4 threads, against
  the baseline of inserting the same rows without the counter.

Usage: python benchmarks/disclosure_catalogue.py [--departments 100 --items 100000]
"""

import argparse
import random
import statistics
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from _common import save, use_benchmark_database

SHANGHAI = ZoneInfo("Asia/Shanghai")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timed(function, repeat):
    for _ in range(3):  # warm-up
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.99)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--allocations", type=int, default=400)
    args = parser.parse_args()
    use_benchmark_database("govsite_bench_disclosure")

    from django.core.management import call_command
    from django.db import connection
    from portal.models import PublishedItem
    from rich.console import Console
    from rich.table import Table

    from plugins.disclosure.catalogue import catalogue_items
    from plugins.disclosure.models import CatalogueItem, Genre, IndexNumber, Validity
    from plugins.disclosure.numbering import number_for
    from plugins.disclosure.topics import topic_choices
    from tenants.models import Department

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    rng = random.Random(2026)
    departments = []
    for index in range(args.departments):
        department = Department(schema_name=f"bench{index}", name=f"测试单位{index}", host_prefix=f"bench{index}",
                                kind="bureau", organization_code=f"{7218000 + index:09d}")
        department.auto_create_schema = False
        department.save()
        departments.append(department)
    topics = [code for code, _ in topic_choices()]
    words = ["教育", "卫生", "交通", "财政", "预算", "规划", "安全生产", "招生", "医保", "环境"]
    start = datetime(2019, 1, 1, tzinfo=SHANGHAI)
    catalogue_rows, projection_rows = [], []
    for number in range(args.items):
        department = departments[number % len(departments)]
        published = start + timedelta(minutes=rng.randint(0, 7 * 365 * 24 * 60))
        title = f"关于{rng.choice(words)}{rng.choice(words)}工作的{rng.choice(['通知', '意见', '办法'])}{number}"
        catalogue_rows.append(CatalogueItem(
            department=department, page_id=number, index_number=f"{department.organization_code}/{published.year}-"
            f"{number:05d}", title=title, summary=title, publisher=department.name, publish_time=published,
            year=published.year, topic=rng.choice(topics), genre=rng.choice(Genre.values),
            validity=rng.choice(Validity.values), url=f"http://bench/{number}/"))
        projection_rows.append(PublishedItem(department=department, object_id=number, title=title, url="x",
                                             column_type="news", publish_time=published, summary=title))
    CatalogueItem.objects.bulk_create(catalogue_rows, batch_size=5000)
    PublishedItem.objects.bulk_create(projection_rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would leave the tables: counts read the index

    def catalogue_page(filters):
        def run():
            items = catalogue_items(filters)
            list(items[:20])
            items.count()
        return run

    def baseline():
        items = PublishedItem.objects.select_related("department").order_by("-publish_time", "-id")
        list(items[:20])
        items.count()

    repeat = 60
    figures = {"baseline_publisheditem_ms": timed(baseline, repeat)}
    scenarios = {
        "all": {}, "department": {"department": "bench7"}, "topic": {"topic": "10"},
        "year": {"year": "2023"}, "keyword": {"q": "预算"},
        "department_topic_year": {"department": "bench7", "topic": "03", "year": "2024"},
    }
    for name, filters in scenarios.items():
        figures[f"catalogue_{name}_ms"] = timed(catalogue_page(filters), repeat)

    # 索引号 allocation: the counter path against plain inserts of the same rows (baseline).
    target = departments[0]
    started = time.perf_counter()
    IndexNumber.objects.bulk_create([IndexNumber(department=target, page_id=10_000_000 + n, year=2030, sequence=n + 1,
                                                 index_number=f"BASE/2030-{n:05d}") for n in range(args.allocations)])
    figures["baseline_insert_per_s"] = args.allocations / (time.perf_counter() - started)

    def allocate(department, page_ids):
        for page_id in page_ids:
            number_for(department, page_id, 2031)
        connection.close()

    for threads_count in (1, 4):
        page_ids = list(range(20_000_000 * threads_count, 20_000_000 * threads_count + args.allocations))
        threads = [threading.Thread(target=allocate, args=(target, page_ids[i::threads_count]))
                   for i in range(threads_count)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        figures[f"allocations_{threads_count}_threads_per_s"] = args.allocations / (time.perf_counter() - started)
    sequences = list(IndexNumber.objects.filter(department=target, year=2031).values_list("sequence", flat=True))
    figures["allocation_gaps_or_repeats"] = len(sequences) - len(set(sequences)) + (max(sequences) - len(sequences))

    table = Table(title=f"信息公开目录（{args.departments} 个单位，{args.items} 条目录，同一次运行）")
    table.add_column("指标")
    table.add_column("p50 / 数值", justify="right")
    table.add_column("p99", justify="right")
    base = figures["baseline_publisheditem_ms"][0]
    table.add_row("基线：PublishedItem 最新 20 条 + 总数", f"{base:.1f} ms",
                  f"{figures['baseline_publisheditem_ms'][1]:.1f} ms")
    for name in scenarios:
        p50, p99 = figures[f"catalogue_{name}_ms"]
        table.add_row(f"目录查询：{name}（÷基线 {p50 / base:.2f}）", f"{p50:.1f} ms", f"{p99:.1f} ms")
    table.add_row("基线：直接插入索引号行", f"{figures['baseline_insert_per_s']:.0f} /s", "")
    for threads_count in (1, 4):
        value = figures[f"allocations_{threads_count}_threads_per_s"]
        table.add_row(f"生成索引号（{threads_count} 线程，同一单位同一年）", f"{value:.0f} /s", "")
    table.add_row("流水号缺号或重号", str(figures["allocation_gaps_or_repeats"]), "")
    Console().print(table)
    print("结果已写入", save("disclosure_catalogue", figures))  # noqa: T201


if __name__ == "__main__":
    main()
