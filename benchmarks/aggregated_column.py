"""An aggregated column (聚合栏目) against the department's own column page, in the same run.

The portal's 政策文件 gathers the 政策文件 of `--departments` departments, `--items` items in all
(read from the projection, `PublishedItem`); the baseline is one department's own 政策文件 column
with its share of the items as real pages. Both pages are rendered uncached (the request carries
a session cookie, so the page cache lets it through) through the same middleware, alternating in
each round; the figure is the median of `--rounds`, for the first page of 20 and a deep page.

Usage: python benchmarks/aggregated_column.py [--departments 100 --items 100000 --rounds 40]
"""

import argparse
import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from _common import print_figures, save, use_benchmark_database

SHANGHAI = ZoneInfo("Asia/Shanghai")
TARGET = 1.2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    use_benchmark_database("govsite_bench_aggregated")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import tenant_context
    from portal.models import PublishedItem
    from portal.pages.models import ArticlePage, ColumnPage

    from tenants.models import Department
    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    portal = create_department(name="源城区人民政府", host_prefix="www", kind="portal", organization_code="007218000")
    own = create_department(name="测试单位0", host_prefix="bench0", organization_code="007218100")
    per_department = args.items // args.departments
    started = datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)

    # The department's own column: real pages (live, without revisions, to keep the set-up short).
    print(f"创建 {per_department} 篇本单位文章……")
    with tenant_context(own):
        column = ColumnPage.objects.get(depth=3, slug="policies")
        for n in range(per_department):
            column.add_child(instance=ArticlePage(
                title=f"测试单位0政策文件{n}", slug=f"p{n}", live=True, publish_time=started - timedelta(minutes=n),
                summary="政策文件摘要"))
    # Every other department only in the public schema: the aggregated column never reads their schemas.
    connection.set_schema_to_public()
    departments = [own]
    for index in range(1, args.departments):
        department = Department(schema_name=f"bench{index}", name=f"测试单位{index}", host_prefix=f"bench{index}",
                                kind="bureau", organization_code=f"{7218100 + index:09d}")
        department.auto_create_schema = False
        department.save()
        departments.append(department)
    print(f"写入 {per_department * len(departments)} 条投影……")
    rows = [
        PublishedItem(department=department, object_id=n, title=f"{department.name}政策文件{n}",
                      url=f"{department.base_url}/policies/p{n}/", column_title="政策文件", column_type="policy",
                      publish_time=started - timedelta(minutes=n * len(departments) + index),
                      summary="政策文件摘要", topics=["政策"])
        for index, department in enumerate(departments) for n in range(per_department)
    ]
    PublishedItem.objects.bulk_create(rows, batch_size=5000)
    connection.cursor().execute("VACUUM ANALYZE portal_publisheditem")
    with tenant_context(portal):
        portal_column = ColumnPage.objects.get(depth=3, slug="policies")
        portal_column.aggregate_column_type = "policy"
        portal_column.save_revision().publish()

    suffix = settings.DOMAIN_SUFFIX
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "anonymous-visitor"  # through the stack, not the page cache
    views = {
        "own_column": (f"bench0.{suffix}", "/policies/"),
        "aggregated": (f"www.{suffix}", "/policies/"),
        "own_column_page_40": (f"bench0.{suffix}", "/policies/?page=40"),
        "aggregated_page_40": (f"www.{suffix}", "/policies/?page=40"),
    }

    def get(name):
        host, path = views[name]
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200 and response["X-Page-Cache"] == "BYPASS", name
        return response

    figures = {"departments": args.departments, "items": per_department * len(departments)}
    first_page = get("aggregated").content.decode()
    assert first_page.count('class="item-department"') == 20 and "测试单位1政策文件0" in first_page
    for name in views:
        get(name)
        with CaptureQueriesContext(connection) as captured:
            get(name)
        figures[f"{name}_queries"] = len(captured)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM portal_publisheditem WHERE column_type = 'policy' ORDER BY publish_time DESC, "
            "id DESC LIMIT 20")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(plan)
    figures["page_of_20_uses_index"] = "published_aggregation" in plan and "Sort" not in plan

    timings = {name: [] for name in views}
    for _ in range(3):
        for name in views:
            get(name)
    for _ in range(args.rounds):
        for name in views:
            began = time.perf_counter()
            get(name)
            timings[name].append((time.perf_counter() - began) * 1000)
    for name, values in timings.items():
        figures[f"{name}_ms"] = statistics.median(values)
    figures["ratio_first_page"] = figures["aggregated_ms"] / figures["own_column_ms"]
    figures["ratio_page_40"] = figures["aggregated_page_40_ms"] / figures["own_column_page_40_ms"]
    figures["target"] = TARGET

    print_figures(f"聚合栏目（{args.departments} 个单位、{figures['items']} 条信息，同一次运行交替测量，未缓存）",
                  figures)
    print(save("aggregated_column", figures))


if __name__ == "__main__":
    main()
