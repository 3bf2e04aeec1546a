"""S5: provisioning and migrations.

Measures, in one run on a fresh database: creating a department by cloning the template schema,
against migrating a fresh schema from nothing (the baseline); and a no-op `migrate_schemas`
per department. Targets: new department ≤ 0.25 × a fresh migrate; no-op ≤ 0.25 s per department.

Usage: python benchmarks/provisioning.py [--departments 20]
"""

import argparse
import statistics
import time

from _common import save, use_benchmark_database


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=20)
    args = parser.parse_args()
    use_benchmark_database("govsite_bench_provisioning")

    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.table import Table

    from tenants.models import Department
    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()

    # Baseline: a schema migrated from nothing (what provisioning without the template costs).
    fresh_times = []
    for index in range(3):
        department = Department(schema_name=f"fresh{index}", name=f"基线{index}", host_prefix=f"fresh{index}")
        department.auto_create_schema = False
        department.save()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "fresh{index}"')
        call_command("migrate_schemas", tenant=True, schema_name=f"fresh{index}", interactive=False, verbosity=0)
        fresh_times.append(time.perf_counter() - started)

    clone_times = []
    for index in range(args.departments):
        started = time.perf_counter()
        create_department(name=f"测试部门{index}", host_prefix=f"bench{index}", organization_code=f"B{index:08d}")
        clone_times.append(time.perf_counter() - started)

    schemas = Department.objects.exclude(schema_name="public").count()
    started = time.perf_counter()
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    noop_total = time.perf_counter() - started

    figures = {
        "fresh_migrate_s_median": statistics.median(fresh_times),
        "clone_department_s_median": statistics.median(clone_times),
        "clone_department_s_max": max(clone_times),
        "clone_to_fresh_ratio": statistics.median(clone_times) / statistics.median(fresh_times),
        "noop_migrate_s_per_schema": noop_total / schemas,
        "schemas": schemas,
    }
    table = Table(title="S5 新建单位与迁移（同一次运行）")
    table.add_column("指标")
    table.add_column("数值", justify="right")
    table.add_row("全新模式迁移（基线，中位数）", f"{figures['fresh_migrate_s_median']:.2f} s")
    table.add_row(f"克隆模板新建单位（{args.departments} 个，中位数）", f"{figures['clone_department_s_median']:.2f} s")
    table.add_row("克隆新建单位（最慢）", f"{figures['clone_department_s_max']:.2f} s")
    table.add_row("新建 / 基线（目标 ≤ 0.25）", f"{figures['clone_to_fresh_ratio']:.3f}")
    table.add_row(f"空迁移 migrate_schemas（每个模式，共 {schemas} 个；目标 ≤ 0.25 s）",
                  f"{figures['noop_migrate_s_per_schema']:.3f} s")
    Console().print(table)
    print("结果已写入", save("provisioning", figures))  # noqa: T201


if __name__ == "__main__":
    main()
