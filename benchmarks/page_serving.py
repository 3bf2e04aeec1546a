"""S1, S3 and S4: what serving a department's article page costs, against ceilings measured in
the same run.

On a fresh database, departments are created by cloning the template schema and each gets a few
articles with deterministic Chinese text (seeded) and an attachment. Then, with the server under
test pinned to core 1 and `wrk` pinned to core 0 (warm-up, then the median of three runs):
- S1 nginx: a saved copy of the same article page served as a static file (the physical ceiling);
- S1 Django hello: a view returning "ok" with the project's settings and middleware minus tenancy
  (the framework ceiling), served by the same gunicorn set-up;
- S3 the department article page (menu, body, attachment), uncached, through the whole stack;
- S4 the same article on a random host among N departments (N = 1, 10, and more with --fanout).
SQL per page is measured separately in this process through the Django test client: statements
counted by Django (CaptureQueriesContext) and every statement sent to PostgreSQL by the driver
(including django-tenants' `SET search_path`), for a department with a small and a large menu.

S2 (cached pages) is not measured: the platform has no page cache yet. The S3 target, a ratio to
a single-site Wagtail peer, is measured by benchmarks/render_peer.py; this script reports the
ratio to the Django hello and nginx ceilings.

Usage: python benchmarks/page_serving.py [--duration 5] [--fanout 1,10] [--port 18960]
"""

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import HELLO_URLS, ROOT, STATIC_NGINX, save, stop, use_benchmark_database, wrk_figures

SERVER_CORE, CLIENT_CORE = "1", "0"
ARTICLE_PATH = "/news/bench-1/"
PHRASES = [
    "深入贯彻落实区委区政府工作部署", "进一步优化营商环境", "推进基本公共服务均等化", "加强安全生产监管",
    "持续改善人居环境", "做好群众来信来访工作", "完善政务公开制度", "提升依法行政水平", "强化财政资金绩效管理",
    "扎实推进乡村振兴", "加快数字政府建设", "切实保障和改善民生",
]

# Settings of the servers under test: the development settings with DEBUG off (no query log, no
# debug pages), written into the temporary folder so that nothing is added to the project.
PAGE_SETTINGS = """from portal.settings.dev import *  # noqa
DEBUG = False
ALLOWED_HOSTS = ["*"]
"""
HELLO_SETTINGS = """from bench_page_settings import *  # noqa
TENANCY = ("tenants.middleware.DepartmentMiddleware", "tenants.middleware.DepartmentStatusMiddleware")
MIDDLEWARE = [name for name in MIDDLEWARE if name not in TENANCY]
ROOT_URLCONF = "bench_hello_urls"
"""
FANOUT_LUA = """local hosts = {{{hosts}}}
math.randomseed(7)
request = function()
    wrk.headers["Host"] = hosts[math.random(#hosts)]
    return wrk.format("GET", "{path}")
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"基准服务器未能启动（端口 {port}）")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"基准服务器 {seconds} 秒内未启动（端口 {port}）")


def article_text(rng: random.Random, department: str, number: int) -> tuple[str, list]:
    paragraphs = ["".join(rng.choice(PHRASES) + "，" for _ in range(rng.randint(6, 12))).rstrip("，") + "。"
                  for _ in range(rng.randint(4, 8))]
    summary = f"{department}{paragraphs[0][:40]}"
    body = [("text", "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))]
    return summary, body


def publish_articles(department, rng: random.Random, articles: int, extra_columns: int) -> None:
    """Articles bench-1 … bench-N in the department's news column (see `fill_site`)."""
    from django_tenants.utils import tenant_context

    with tenant_context(department):
        fill_site(department.name, rng, articles, extra_columns)


def fill_site(name: str, rng: random.Random, articles: int, extra_columns: int) -> None:
    """In the site the connection uses: articles bench-1 … bench-N in the news column, each with
    one attachment; `extra_columns` more top-level columns make the menu large. The single-site
    peer (benchmarks/peer/) loads its data with the same function and seed."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from portal.demo.files import store_document
    from portal.pages.models import ArticleAttachment, ArticlePage, ColumnPage

    base = datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    column = ColumnPage.objects.get(depth=3, slug="news")
    home = column.get_parent()
    for number in range(extra_columns):
        home.add_child(instance=ColumnPage(title=f"专题栏目{number + 1}", slug=f"topic-{number + 1}",
                                           show_in_menus=True))
    for number in range(1, articles + 1):
        summary, body = article_text(rng, name, number)
        document = store_document(f"{name}附件{number}", f"bench-{number}.txt", "\n".join(PHRASES).encode())
        article = ArticlePage(
            title=f"{name}{rng.choice(PHRASES)}（{number}）", slug=f"bench-{number}",
            publish_time=base - timedelta(days=number), source=name, author="基准作者",
            summary=summary, body=body,
            attachments=[ArticleAttachment(document=document, title=f"附件{number}：实施方案")],
        )
        column.add_child(instance=article)
        article.save_revision().publish()


def sql_per_page(host: str, path: str, hosts: list[str] | None = None) -> dict:
    """Median SQL statements per page: counted by Django, and sent by the driver (all round trips,
    SET search_path included), with the navigation cache warm and emptied before each request."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for target in hosts or [host]:  # every host once: the host lookup and navigation caches filled
        client.get(path, HTTP_HOST=target)
    connection.ensure_connection()
    raw = connection.connection
    counted = [0]
    original_factory = raw.cursor_factory

    class CountingCursor(original_factory):
        def execute(self, *args, **kwargs):
            counted[0] += 1
            return super().execute(*args, **kwargs)

        def executemany(self, *args, **kwargs):
            counted[0] += 1
            return super().executemany(*args, **kwargs)

    raw.cursor_factory = CountingCursor
    results = {}
    try:
        for case, before in (("warm", None), ("cold_navigation", cache.clear)):
            django_counts, driver_counts, search_path_counts = [], [], []
            for index in range(max(20, len(hosts or []))):
                target = hosts[index % len(hosts)] if hosts else host
                if before:
                    before()
                counted[0] = 0
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path, HTTP_HOST=target)
                assert response.status_code == 200, (target, response.status_code)
                django_counts.append(len(captured))
                driver_counts.append(counted[0])
                search_path_counts.append(sum(query["sql"].startswith("SET search_path") for query in captured))
            results[case] = {"django": statistics.median(django_counts), "driver": statistics.median(driver_counts),
                             "set_search_path": statistics.median(search_path_counts)}
    finally:
        raw.cursor_factory = original_factory
    return results


def run_wrk(url: str, duration: int, host: str | None = None, script: Path | None = None) -> dict:
    command = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", "-c8", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if host:
        command += ["-H", f"Host: {host}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True, timeout=duration + 30).stdout
    return wrk_figures(output)


def measure(url: str, duration: int, runs: int, **options) -> dict:
    run_wrk(url, max(2, duration // 2), **options)  # warm-up
    samples = [run_wrk(url, duration, **options) for _ in range(runs)]
    median = {key: statistics.median(sample[key] for sample in samples) for key in ("rps", "p50_ms", "p99_ms")}
    median["errors"] = sum(sample["errors"] for sample in samples)
    median["rps_runs"] = [sample["rps"] for sample in samples]
    return median


def gunicorn(port: int, settings_module: str, tmp: Path, database_url: str):
    env = dict(os.environ, DATABASE_URL=database_url, PUBLIC_PORT=str(port), DJANGO_SETTINGS_MODULE=settings_module)
    command = ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "gunicorn", "portal.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--worker-class", "gthread",
               "--pythonpath", f"{tmp},{ROOT},{ROOT / 'platform'}", "--chdir", str(ROOT / "platform"),
               "--log-level", "warning"]
    return subprocess.Popen(command, env=env)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fanout", default="1,10", help="numbers of departments for S4, e.g. 1,10,50")
    parser.add_argument("--port", type=int, default=18960)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    fanout = sorted({int(number) for number in args.fanout.split(",")})
    tmp = Path(tempfile.mkdtemp(prefix="govsite-bench-pages-"))
    tmp.chmod(0o755)  # nginx's worker may run as another user and must read the saved page
    os.environ["PUBLIC_PORT"] = str(args.port)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")  # the attachments' files stay out of the project
    database_url = use_benchmark_database("govsite_bench_pages")

    from django.conf import settings
    from django.core.management import call_command
    from rich.console import Console
    from rich.table import Table

    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    rng = random.Random(args.seed)
    departments = [create_department(name="区教育局", host_prefix="jyj", organization_code="007218384")]
    publish_articles(departments[0], rng, articles=5, extra_columns=0)
    large_menu = create_department(name="区大菜单局", host_prefix="menu", organization_code="007218777")
    publish_articles(large_menu, rng, articles=5, extra_columns=30)
    for number in range(1, max(fanout)):
        department = create_department(name=f"区基准局{number}", host_prefix=f"d{number:03d}",
                                       organization_code=f"B{number:08d}")
        publish_articles(department, rng, articles=3, extra_columns=0)
        departments.append(department)
    hosts = [f"{department.host_prefix}.{settings.DOMAIN_SUFFIX}" for department in departments]
    menu_host = f"menu.{settings.DOMAIN_SUFFIX}"

    sql = {"small_menu": sql_per_page(hosts[0], ARTICLE_PATH), "large_menu": sql_per_page(menu_host, ARTICLE_PATH),
           "fanout": sql_per_page(hosts[0], ARTICLE_PATH, hosts=hosts[:max(fanout)])}

    (tmp / "bench_page_settings.py").write_text(PAGE_SETTINGS)
    (tmp / "bench_hello_settings.py").write_text(HELLO_SETTINGS)
    (tmp / "bench_hello_urls.py").write_text(HELLO_URLS)
    for folder in ("html", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / folder).mkdir()
    nginx_port, hello_port = free_port(), free_port()
    (tmp / "nginx.conf").write_text(STATIC_NGINX.format(tmp=tmp, port=nginx_port))
    os.sched_setaffinity(0, {int(CLIENT_CORE)})

    processes = []
    figures = {"duration_s": args.duration, "runs": args.runs, "sql": sql}
    try:
        page_server = gunicorn(args.port, "bench_page_settings", tmp, database_url)
        processes.append(page_server)
        hello_server = gunicorn(hello_port, "bench_hello_settings", tmp, database_url)
        processes.append(hello_server)
        wait_for_port(args.port, page_server)
        wait_for_port(hello_port, hello_server)
        request = urllib.request.Request(f"http://127.0.0.1:{args.port}{ARTICLE_PATH}", headers={"Host": hosts[0]})
        with urllib.request.urlopen(request, timeout=30) as response:
            page = response.read()
        assert "实施方案".encode() in page, "the article page lacks its attachment"
        (tmp / "html" / "page.html").write_bytes(page)
        figures["page_bytes"] = len(page)
        nginx = subprocess.Popen(["taskset", "-c", SERVER_CORE, "nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                                 stderr=subprocess.DEVNULL)
        processes.append(nginx)
        wait_for_port(nginx_port, nginx)

        print("S1 nginx …", flush=True)  # noqa: T201
        figures["nginx"] = measure(f"http://127.0.0.1:{nginx_port}/", args.duration, args.runs)
        print("S1 Django hello …", flush=True)  # noqa: T201
        figures["hello"] = measure(f"http://127.0.0.1:{hello_port}/", args.duration, args.runs, host="hello.localhost")
        hello_server.terminate()
        print("S3 article page, small and large menu …", flush=True)  # noqa: T201
        figures["article_small_menu"] = measure(f"http://127.0.0.1:{args.port}{ARTICLE_PATH}", args.duration,
                                                args.runs, host=hosts[0])
        figures["article_large_menu"] = measure(f"http://127.0.0.1:{args.port}{ARTICLE_PATH}", args.duration,
                                                args.runs, host=menu_host)
        figures["fanout"] = {}
        for count in fanout:
            print(f"S4 random host over {count} departments …", flush=True)  # noqa: T201
            script = tmp / f"fanout{count}.lua"
            script.write_text(FANOUT_LUA.format(hosts=", ".join(f'"{host}"' for host in hosts[:count]),
                                                path=ARTICLE_PATH))
            figures["fanout"][count] = measure(f"http://127.0.0.1:{args.port}{ARTICLE_PATH}", args.duration,
                                               args.runs, script=script)
    finally:
        stop(processes)
        shutil.rmtree(tmp, ignore_errors=True)

    article = figures["article_small_menu"]
    figures["article_to_hello_ratio"] = article["rps"] / figures["hello"]["rps"]
    figures["article_to_nginx_ratio"] = article["rps"] / figures["nginx"]["rps"]
    base_rps = figures["fanout"][fanout[0]]["rps"]
    for count in fanout:
        figures["fanout"][count]["ratio_to_first"] = figures["fanout"][count]["rps"] / base_rps

    table = Table(title=f"页面服务（服务器 1 核、gunicorn 1 进程 2 线程；wrk 另 1 核 8 连接；"
                        f"{args.runs} 次中位数，每次 {args.duration} 秒）")
    for column in ("场景", "请求/秒", "p50 ms", "p99 ms", "错误", "比值", "目标"):
        table.add_column(column, justify="right" if column not in ("场景", "目标") else "left")

    def row(label, result, ratio="", target=""):
        table.add_row(label, f"{result['rps']:.0f}", f"{result['p50_ms']:.2f}", f"{result['p99_ms']:.2f}",
                      str(result["errors"]), ratio, target)

    row("S1 nginx 静态副本（物理上限）", figures["nginx"], "—", "分母")
    row("S1 Django hello（去掉多租户的中间件）", figures["hello"], "—", "分母")
    row("S3 部门文章页（小菜单，无缓存）", article,
        f"{figures['article_to_hello_ratio']:.2f}×hello / {figures['article_to_nginx_ratio']:.3f}×nginx",
        "≥ 0.9 × 单站 Wagtail（见 render_peer.py）")
    row("S3 部门文章页（大菜单 +30 栏目）", figures["article_large_menu"],
        f"{figures['article_large_menu']['rps'] / article['rps']:.2f}×小菜单", "")
    for count in fanout:
        row(f"S4 随机主机，{count} 个部门", figures["fanout"][count],
            f"{figures['fanout'][count]['ratio_to_first']:.2f}×N={fanout[0]}", "≥ 0.9（N = 1000）")
    Console(width=200).print(table)

    sql_table = Table(title="每个页面的 SQL（测试客户端，每种情形至少 20 次的中位数）")
    for column in ("情形", "Django 记录的查询", "驱动发出的语句", "其中 SET search_path", "目标"):
        sql_table.add_column(column)
    labels = {"small_menu": "小菜单", "large_menu": "大菜单（+30 栏目）",
              "fanout": f"轮流访问 {max(fanout)} 个部门"}
    for key, label in labels.items():
        for case, case_label in (("warm", "导航缓存命中"), ("cold_navigation", "导航缓存清空")):
            sql_table.add_row(f"{label}，{case_label}", f"{sql[key][case]['django']:.0f}",
                              f"{sql[key][case]['driver']:.0f}", f"{sql[key][case]['set_search_path']:.0f}",
                              "≤ 8，随菜单不变；切换部门 ≤ 1 次额外往返")
    Console(width=200).print(sql_table)
    print("S2（缓存页面）未测：平台目前没有页面缓存。S3 与单站 Wagtail 同内容之比由 render_peer.py 测量，"  # noqa: T201
          "本脚本报告与 Django hello 和 nginx 上限之比。")
    print("结果已写入", save("page_serving", figures))  # noqa: T201


if __name__ == "__main__":
    main()
