"""The 工作台 of a central account against the Wagtail default home it replaces.

Measures, in one run on a fresh database, the admin home of the portal for a 系统管理员 at
`--departments` departments (and at a tenth of them, for the query counts), each with letters,
disclosure applications, open findings, projected items and homepage requests:

- baseline: Wagtail's own home (its template and default panels: site summary, pages for
  moderation, recent edits …), the same request through the same middleware;
- the 工作台 over every department (with 全区概况), and filtered to one department.

Requests alternate between the two in each round; the figure is the median of `--rounds`.
The 工作台 reads cross-department data from public-schema tables, so its query count must not
grow with the number of departments.

Usage: python benchmarks/workbench.py [--departments 100 --rounds 40]
"""

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from _common import print_figures, save, use_benchmark_database

SHANGHAI = ZoneInfo("Asia/Shanghai")


def add_departments(start, count, rng):
    """Departments with their public-schema work (no schemas: the 工作台 must not read them)."""
    from django.db import connection
    from django.utils import timezone
    from portal.accounts.models import User
    from portal.homepage_requests.models import HomepageRequest
    from portal.models import PluginSetting, PublishedItem

    from plugins.disclosure.models import Application
    from plugins.inspection.models import Finding
    from plugins.mailbox.models import Letter
    from tenants.models import Department

    connection.set_schema_to_public()  # a request before this one left the portal's schema active
    applicant = User.objects.get(username="bench_admin")
    today = timezone.localdate()
    for index in range(start, start + count):
        department = Department(schema_name=f"bench{index}", name=f"测试单位{index}", host_prefix=f"bench{index}",
                                kind="bureau", organization_code=f"{7218000 + index:09d}")
        department.auto_create_schema = False
        department.save()
        # 征集调查 keeps its work in each department's schema (read centrally in one UNION query),
        # which these schema-less departments do not have: it is off for them.
        PluginSetting.objects.create(department=department, plugin="consultation", enabled=False)
        for n in range(5):
            Letter.objects.create(subject=f"来信{index}-{n}", content="请答复", name="张三", department=department,
                                  status=Letter.Status.FORWARDED, due_date=today + timedelta(days=rng.randint(-5, 10)))
            Application.objects.create(department=department, applicant_type="person", name="李四", id_number="x",
                                       phone="1", description=f"申请{index}-{n}", delivery="email",
                                       received_on=today - timedelta(days=30), due_date=today + timedelta(days=n - 2))
            Finding.objects.create(department=department, item="broken_link", key=f"link:{n}", title=f"链接不可用{n}",
                                   severity=rng.choice(["normal", "serious", "veto"]))
        for number, (column_type, title) in enumerate((("news", "部门动态"), ("notice", "通知公告"),
                                                       ("policy", "政策文件"))):
            item = PublishedItem.objects.create(
                department=department, object_id=index * 10 + number, title=f"{title}{index}", url="x",
                column_title=title, column_type=column_type,
                publish_time=datetime.now(SHANGHAI) - timedelta(days=rng.randint(1, 200)),
            )
        HomepageRequest.objects.create(department=department, item=item, title=item.title, url="x", reason="宣传",
                                       column="news", start_date=date.today(), end_date=date.today(),
                                       responsible_person="王", contact_phone="1", applicant=applicant)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="print where the 工作台's time goes")
    args = parser.parse_args()
    use_benchmark_database("govsite_bench_workbench")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from portal.accounts import totp
    from portal.accounts.models import TOTPDevice, User
    from portal.accounts.roles import grant_central_role
    from wagtail import hooks
    from wagtail.admin.views.home import HomeView

    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    create_department(name="源城区人民政府", host_prefix="www", kind="portal", organization_code="007218000")
    connection.set_schema_to_public()
    admin = User.objects.create(username="bench_admin", full_name="区信息中心")
    admin.set_password("Bench-passw0rd!")
    admin.save()
    grant_central_role(admin, "system_admin")
    device = TOTPDevice.objects.create(user=admin, secret=totp.new_secret())
    rng = random.Random(2026)

    # Wagtail's own home template under another name, for the baseline.
    original = Path(__import__("wagtail.admin", fromlist=["x"]).__file__).parent / "templates/wagtailadmin/home.html"
    folder = Path(tempfile.mkdtemp())
    shutil.copy(original, folder / "bench_wagtail_home.html")
    settings.TEMPLATES[0]["DIRS"].append(folder)
    from django.template import engines

    engines["django"].engine.dirs.append(str(folder))
    hooks.get_hooks("construct_homepage_panels")  # loads every app's wagtail_hooks
    ours = list(hooks._hooks["construct_homepage_panels"])

    client = Client(HTTP_HOST=f"www.{settings.DOMAIN_SUFFIX}")
    client.force_login(admin)
    session = client.session
    session[totp.SESSION_KEY] = device.pk
    session.save()

    def wagtail_home():
        HomeView.template_name = "bench_wagtail_home.html"
        hooks._hooks["construct_homepage_panels"] = []
        try:
            return client.get("/admin/")
        finally:
            HomeView.template_name = "wagtailadmin/home.html"
            hooks._hooks["construct_homepage_panels"] = list(ours)

    def workbench(path="/admin/"):
        return lambda: client.get(path)

    def queries(view):
        # Twice: adding departments invalidates the process's host and site caches, which the
        # request after it refills (those queries belong to no 工作台).
        view()
        view()
        with CaptureQueriesContext(connection) as captured:
            response = view()
        assert response.status_code == 200, response.status_code
        return len(captured)

    figures = {}
    small = max(1, args.departments // 10)
    add_departments(0, small, rng)
    figures[f"workbench_queries_{small}"] = queries(workbench())
    add_departments(small, args.departments - small, rng)
    figures[f"workbench_queries_{args.departments}"] = queries(workbench())
    figures["wagtail_home_queries"] = queries(wagtail_home)
    figures["workbench_one_department_queries"] = queries(workbench("/admin/?department=bench7"))
    assert "全区概况" in workbench()().content.decode()

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            workbench()()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return

    timings = {"wagtail_home": [], "workbench": [], "workbench_one_department": []}
    views = {"wagtail_home": wagtail_home, "workbench": workbench(),
             "workbench_one_department": workbench("/admin/?department=bench7")}
    for view in views.values():  # warm-up
        view()
    for _ in range(args.rounds):
        for name, view in views.items():
            started = time.perf_counter()
            view()
            timings[name].append((time.perf_counter() - started) * 1000)
    for name, values in timings.items():
        figures[f"{name}_ms"] = statistics.median(values)
    figures["workbench_ratio"] = figures["workbench_ms"] / figures["wagtail_home_ms"]

    print_figures(f"工作台（中心账号，{args.departments} 个单位，同一次运行交替测量）", figures)
    print(save("workbench", figures))


if __name__ == "__main__":
    main()
