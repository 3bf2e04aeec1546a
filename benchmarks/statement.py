"""政府网站工作年度报表: how long generating a year's statement takes at district scale.

A portal and `--departments` departments (real schemas), `--items` items published in the year
(the `PublishedItem` projection, spread over every column type), `--views` page views in the
year's daily visit counters of every site, `--letters` letters with approved replies, a 专题 per
department, 政务新媒体 accounts with twelve months of figures and a year of incidents and probes.
The baseline, measured in the same run, is the statement of a year without any data (the fixed
cost: one query per source and one schema switch per site). Printed: the median of `--rounds`
generations of each (target: under 10 s for the full year).

Usage: python benchmarks/statement.py [--departments 10 --items 100000 --views 1000000 --letters 2000]
"""

import argparse
import statistics
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from _common import print_figures, save, use_benchmark_database

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025
COLUMN_TYPES = ["news", "notice", "policy", "interpretation", "disclosure", "about", "service", "interaction"]
TARGET_SECONDS = 10


def build(args):
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context
    from portal.models import PublishedItem
    from portal.newmedia.models import Account, MonthlyFigure
    from portal.operations.models import Incident
    from portal.pages.models import HomePage
    from portal.topics.models import TopicColumnPage
    from portal.visits.models import SiteVisits

    from plugins.inspection.models import AvailabilityProbe, InspectionRun
    from plugins.mailbox.models import Letter, Reply
    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    sites = [create_department(name="源城区人民政府", host_prefix="www", kind="portal", organization_code="007218000")]
    for index in range(args.departments):
        print(f"创建单位 {index + 1}/{args.departments}")
        sites.append(create_department(name=f"测试单位{index}", host_prefix=f"bench{index}",
                                       organization_code=f"{7218100 + index:09d}"))
    start = datetime(YEAR, 1, 1, tzinfo=SHANGHAI)
    minutes_in_year = 365 * 24 * 60
    PublishedItem.objects.bulk_create([
        PublishedItem(department=sites[n % len(sites)], object_id=n, title=f"信息{n}", url=f"/x/{n}/",
                      column_type=COLUMN_TYPES[n % len(COLUMN_TYPES)],
                      publish_time=start + timedelta(minutes=(n * 7919) % minutes_in_year))
        for n in range(args.items)], batch_size=5000)
    days = [date(YEAR, 1, 1) + timedelta(days=n) for n in range(365)]
    per_day = args.views // (len(days) * len(sites))
    SiteVisits.objects.bulk_create([SiteVisits(department=site, day=day, page_views=per_day,
                                               unique_visitors=per_day // 3) for site in sites for day in days])
    letters = Letter.objects.bulk_create([
        Letter(subject=f"来信{n}", content="内容", name="市民", department=sites[n % len(sites)],
               received_at=start + timedelta(hours=(n * 37) % (350 * 24)), status=Letter.Status.PUBLISHED,
               due_date=date(YEAR, 12, 31)) for n in range(args.letters)], batch_size=2000)
    Reply.objects.bulk_create([Reply(letter=letter, department=letter.department, text="答复",
                                     approved_at=letter.received_at + timedelta(days=3)) for letter in letters],
                              batch_size=2000)
    for index, site in enumerate(sites):
        with tenant_context(site):
            home = HomePage.objects.get(depth=2)
            topic = TopicColumnPage(title=f"专题{index}", slug=f"topic-{index}", start_date=date(YEAR, 3, 1))
            home.add_child(instance=topic)
            topic.save_revision().publish()
        account = Account.objects.create(platform="wechat", name=f"公众号{index}", department=site,
                                         opened_on=date(YEAR - 1, 1, 1))
        MonthlyFigure.objects.bulk_create([MonthlyFigure(account=account, month=date(YEAR, month, 1), posts=30,
                                                         followers=1000 + month) for month in range(1, 13)])
    InspectionRun.objects.bulk_create([InspectionRun(started_at=start + timedelta(days=n), status="done")
                                       for n in range(365)])
    AvailabilityProbe.objects.bulk_create([
        AvailabilityProbe(department=site, time=start + timedelta(hours=n), ok=True)
        for site in sites for n in range(0, 365 * 24, 6)], batch_size=5000)
    Incident.objects.bulk_create([Incident(kind="site_down", key=f"bench-{n}", title="网站无法访问",
                                           detected_at=start + timedelta(days=n * 30),
                                           resolved_at=start + timedelta(days=n * 30, hours=1)) for n in range(12)])
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return sites


def timed(year, rounds) -> tuple[float, dict]:
    from portal.statement.compute import compute

    compute(year)  # warm
    durations, figures = [], {}
    for _ in range(rounds):
        began = time.perf_counter()
        figures = compute(year)
        durations.append(time.perf_counter() - began)
    return statistics.median(durations), figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--views", type=int, default=1_000_000)
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    use_benchmark_database("govsite_bench_statement")

    build(args)
    full_seconds, figures = timed(YEAR, args.rounds)
    empty_seconds, _ = timed(YEAR - 5, args.rounds)
    assert figures["items_total"] == args.items, figures["items_total"]
    results = {
        "sites": args.departments + 1, "items": figures["items_total"], "page_views": figures["page_views"],
        "letters": figures["letters_received"], "full_year_seconds": round(full_seconds, 3),
        "empty_year_seconds": round(empty_seconds, 3), "target_seconds": TARGET_SECONDS,
    }
    print_figures(f"年度报表生成（{args.departments + 1} 个网站，{YEAR} 年，中位数 / {args.rounds} 次）", results)
    print(save("statement", results))


if __name__ == "__main__":
    main()
