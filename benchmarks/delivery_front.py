"""S2, S10 and S11: cached pages through one app server and through the production front, a burst
right after a publish, and how long a publish on one app server takes to show on another.

Everything runs against a store of its own (a separate Valkey on another port and folder, started
and stopped here) and a fresh database with the portal and one department. With the servers under
test pinned to core 1 and `wrk` pinned to core 0 (warm-up, then the median of three runs):
- S2 ceilings: a Django "hello" view through the same gunicorn set-up, with the project's
  middleware minus tenancy and minus the page cache; nginx serving the saved bytes of the article
  page as a static file;
- S2 the cached article page through gunicorn alone, and through the shipped nginx front
  (deploy/nginx/govsite.conf rendered for this machine, micro-cache on) in front of it;
- S10 20,000 requests to the portal homepage at 200 connections started right after a publish
  that invalidated it, directly and through the front: errors, p50/p99, and the store's render
  counter (one render expected per invalidated page);
- S11 100 publishes on app server A (an HTTP request to A that publishes, as an editor's request
  would), each timed until the changed title shows on app server B, and on the front in front of B.

Usage: python benchmarks/delivery_front.py [--duration 5] [--runs 3] [--publishes 100]
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _common import HELLO_URLS, ROOT, STATIC_NGINX, save, stop, use_benchmark_database, wrk_figures

SERVER_CORE, CLIENT_CORE = "1", "0"
STORE_PORT = int(os.environ.get("BENCH_STORE_PORT", "56391"))
ARTICLE_PATH = "/news/bench-1/"
SPIKE_REQUESTS, SPIKE_CONNECTIONS = 20_000, 200

PAGE_SETTINGS = """from portal.settings.dev import *  # noqa
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench_front_urls"
"""
HELLO_SETTINGS = """from bench_front_settings import *  # noqa
LEFT_OUT = ("tenants.middleware.DepartmentMiddleware", "tenants.middleware.DepartmentStatusMiddleware",
            "portal.delivery.middleware.PageCacheMiddleware")
MIDDLEWARE = [name for name in MIDDLEWARE if name not in LEFT_OUT]
ROOT_URLCONF = "bench_hello_urls"
"""
# The department's own URLs plus one that publishes a new title of the benchmark article: a
# publish made by app server A itself, in the request's department, committed before it answers.
FRONT_URLS = """from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from portal.urls_tenant import urlpatterns as department_urls


@csrf_exempt
def publish(request):
    from portal.pages.models import ArticlePage

    page = ArticlePage.objects.get(slug="bench-1")
    page.title = request.GET["title"]
    page.save_revision().publish()
    return HttpResponse("ok")


urlpatterns = [path("bench-publish/", publish), *department_urls]
"""
# Stops the load generator after a fixed number of answers (wrk itself only bounds time): the
# thread stops and leaves a file, on which this script interrupts wrk so that it reports at once.
COUNTED_LUA = """local answered = 0
response = function(status, headers, body)
    answered = answered + 1
    if answered == {requests} then
        local done = io.open("{done}", "w")
        done:close()
        wrk.thread:stop()
    end
end
"""


def run_wrk(url: str, host: str, duration: int, connections: int = 8, script: Path | None = None,
            done: Path | None = None) -> dict:
    command = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
               "--timeout", "10s", "-H", f"Host: {host}"]
    if script:
        command += ["-s", str(script)]
    process = subprocess.Popen(command + [url], stdout=subprocess.PIPE, text=True)
    if done is not None:
        deadline = time.monotonic() + duration
        while not done.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=duration + 60)
    return wrk_figures(output)


def measure(url: str, host: str, duration: int, runs: int) -> dict:
    run_wrk(url, host, max(2, duration // 2))  # warm-up
    samples = [run_wrk(url, host, duration) for _ in range(runs)]
    median = {key: statistics.median(sample[key] for sample in samples) for key in ("rps", "p50_ms", "p99_ms")}
    median["errors"] = sum(sample["errors"] for sample in samples)
    median["rps_runs"] = [sample["rps"] for sample in samples]
    return median


def wait_for(url: str, host: str, process, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"基准服务器未能启动：{url}")
        try:
            httpx.get(url, headers={"Host": host}, timeout=30)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"基准服务器 {seconds} 秒内未启动：{url}")


def gunicorn(port: int, settings_module: str, tmp: Path, threads: int = 2):
    env = dict(os.environ, PUBLIC_PORT=str(port), DJANGO_SETTINGS_MODULE=settings_module)
    command = ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "gunicorn", "portal.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", str(threads), "--worker-class",
               "gthread", "--pythonpath", f"{tmp},{ROOT},{ROOT / 'platform'}", "--chdir", str(ROOT / "platform"),
               "--log-level", "warning", "--backlog", "2048"]
    return subprocess.Popen(command, env=env)


def build_data() -> dict:
    """The portal and one department, each with a few published articles."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.core.management import call_command
    from django_tenants.utils import tenant_context
    from portal.pages.models import ArticlePage, ColumnPage

    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    portal = create_department(name="源城区人民政府", host_prefix="www", kind="portal", organization_code="007218000")
    bureau = create_department(name="区教育局", host_prefix="jyj", organization_code="007218384")
    base = datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    for department in (portal, bureau):
        with tenant_context(department):
            column = ColumnPage.objects.get(depth=3, slug="news")
            for number in range(1, 6):
                text = "深入贯彻落实区委区政府工作部署，进一步优化营商环境，持续改善人居环境。" * 8
                article = ArticlePage(title=f"{department.name}工作动态（{number}）", slug=f"bench-{number}",
                                      publish_time=base - timedelta(days=number), source=department.name,
                                      summary=text[:60], body=[("text", f"<p>{text}</p>" * 4)])
                column.add_child(instance=article)
                article.save_revision().publish()
    return {"portal": portal, "bureau": bureau,
            "portal_host": f"www.{settings.DOMAIN_SUFFIX}", "bureau_host": f"jyj.{settings.DOMAIN_SUFFIX}"}


def publish_in_portal(portal, title: str) -> None:
    from django.utils import timezone
    from django_tenants.utils import tenant_context
    from portal.pages.models import ArticlePage, ColumnPage

    with tenant_context(portal):
        column = ColumnPage.objects.get(depth=3, slug="news")
        article = ArticlePage(title=title, slug=f"spike-{time.time_ns()}", publish_time=timezone.now(),
                              source=portal.name, summary=title, body=[("text", f"<p>{title}</p>")])
        column.add_child(instance=article)
        article.save_revision().publish()


def spike(url: str, host: str, portal, tmp: Path, runs: int, label: str) -> dict:
    from portal.delivery.store import renders

    script, done = tmp / "counted.lua", tmp / "counted.done"
    script.write_text(COUNTED_LUA.format(requests=SPIKE_REQUESTS, done=done))
    samples = []
    for run in range(runs):
        done.unlink(missing_ok=True)
        httpx.get(url, headers={"Host": host}, timeout=60)  # the homepage is cached
        title = f"突发访问前发布的信息（{label}{run + 1}）"
        publish_in_portal(portal, title)  # commits: the homepage is stale on every server now
        before = renders()
        result = run_wrk(url, host, 120, connections=SPIKE_CONNECTIONS, script=script, done=done)
        result["renders"] = renders() - before
        result["shows_publish"] = title in httpx.get(url, headers={"Host": host}, timeout=60).text
        samples.append(result)
    return {
        "p50_ms": statistics.median(sample["p50_ms"] for sample in samples),
        "p99_ms": statistics.median(sample["p99_ms"] for sample in samples),
        "rps": statistics.median(sample["rps"] for sample in samples),
        "errors": sum(sample["errors"] for sample in samples),
        "requests": [sample["requests"] for sample in samples],
        "renders": [sample["renders"] for sample in samples],
        "shows_publish": all(sample["shows_publish"] for sample in samples),
    }


def invalidation_latency(publisher: str, reader: str, host: str, publishes: int, label: str) -> dict:
    latencies = []
    with httpx.Client(timeout=30) as client:
        for number in range(publishes):
            title = f"区教育局发布测试{label}第{number + 1}次"
            client.get(reader + ARTICLE_PATH, headers={"Host": host})  # the reader holds a cached copy
            answer = client.post(publisher + f"/bench-publish/?title={title}", headers={"Host": host})
            answer.raise_for_status()
            published = time.monotonic()
            while title not in client.get(reader + ARTICLE_PATH, headers={"Host": host}).text:
                if time.monotonic() - published > 10:
                    raise SystemExit(f"发布 10 秒后仍未在另一台服务器上显示：{title}")
                time.sleep(0.005)
            latencies.append((time.monotonic() - published) * 1000)
    latencies.sort()
    return {"publishes": publishes, "p50_ms": statistics.median(latencies),
            "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)], "max_ms": latencies[-1]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--publishes", type=int, default=100)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="govsite-bench-front-"))
    tmp.chmod(0o755)  # nginx's workers may run as another user and must read the saved page
    # A store of its own, so that the benchmark neither reads nor empties anyone else's.
    store_env = dict(os.environ, GOVSITE_STORE_PORT=str(STORE_PORT), GOVSITE_STORE_DIR=str(tmp / "store"))
    subprocess.run([sys.executable, str(ROOT / "services" / "store.py"), "start"], env=store_env, check=True)
    os.environ["CACHE_URL"] = f"redis://127.0.0.1:{STORE_PORT}/0"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    processes = []
    try:
        run(args, tmp, processes)
    finally:
        stop(processes)
        subprocess.run([sys.executable, str(ROOT / "services" / "store.py"), "stop"], env=store_env)
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path, processes: list) -> None:
    sys.path.insert(0, str(ROOT))
    from services import front

    use_benchmark_database("govsite_bench_front")
    data = build_data()
    from django.core.cache import caches

    caches["shared"].clear()
    for name, text in (("bench_front_settings", PAGE_SETTINGS), ("bench_hello_settings", HELLO_SETTINGS),
                       ("bench_hello_urls", HELLO_URLS), ("bench_front_urls", FRONT_URLS)):
        (tmp / f"{name}.py").write_text(text)
    (tmp / "html").mkdir()
    page_port, other_port, hello_port = front.free_port(), front.free_port(), front.free_port()
    static_port, front_port, other_front_port = front.free_port(), front.free_port(), front.free_port()
    os.sched_setaffinity(0, {int(CLIENT_CORE)})

    page_server = gunicorn(page_port, "bench_front_settings", tmp)
    hello_server = gunicorn(hello_port, "bench_hello_settings", tmp)
    other_server = gunicorn(other_port, "bench_front_settings", tmp)
    processes += [page_server, hello_server, other_server]
    page, other = f"http://127.0.0.1:{page_port}", f"http://127.0.0.1:{other_port}"
    wait_for(page + ARTICLE_PATH, data["bureau_host"], page_server)
    wait_for(other + ARTICLE_PATH, data["bureau_host"], other_server)
    wait_for(f"http://127.0.0.1:{hello_port}/", "hello.localhost", hello_server)
    body = httpx.get(page + ARTICLE_PATH, headers={"Host": data["bureau_host"]}).content
    cached = httpx.get(page + ARTICLE_PATH, headers={"Host": data["bureau_host"]})
    assert cached.headers["X-Page-Cache"] == "HIT" and cached.content == body
    (tmp / "html" / "page.html").write_bytes(body)
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / folder).mkdir(exist_ok=True)
    (tmp / "static.conf").write_text(STATIC_NGINX.format(tmp=tmp, port=static_port))
    static = subprocess.Popen(["taskset", "-c", SERVER_CORE, front.nginx_binary(), "-p", str(tmp), "-c",
                               str(tmp / "static.conf")], stderr=subprocess.DEVNULL)
    processes.append(static)
    front_tmp = tmp / "front"
    main = front.prepare(front_tmp, front.render(front_tmp, [f"127.0.0.1:{page_port}"], front_port, server_name="_"))
    processes.append(front.start(front_tmp, main, front_port, prefix_command=("taskset", "-c", SERVER_CORE)))
    other_tmp = tmp / "front-other"
    main = front.prepare(other_tmp, front.render(other_tmp, [f"127.0.0.1:{other_port}"], other_front_port,
                                                 server_name="_"))
    processes.append(front.start(other_tmp, main, other_front_port, prefix_command=("taskset", "-c", SERVER_CORE)))
    wait_for(f"http://127.0.0.1:{static_port}/", "static", static)
    through_front = f"http://127.0.0.1:{front_port}"
    assert httpx.get(through_front + ARTICLE_PATH, headers={"Host": data["bureau_host"]}).content == body

    figures = {"duration_s": args.duration, "runs": args.runs, "page_bytes": len(body)}
    print("S2 nginx static copy …", flush=True)  # noqa: T201
    figures["nginx_static"] = measure(f"http://127.0.0.1:{static_port}/", "static", args.duration, args.runs)
    print("S2 Django hello …", flush=True)  # noqa: T201
    figures["hello"] = measure(f"http://127.0.0.1:{hello_port}/", "hello.localhost", args.duration, args.runs)
    hello_server.terminate()
    print("S2 cached article through gunicorn …", flush=True)  # noqa: T201
    figures["cached_app"] = measure(page + ARTICLE_PATH, data["bureau_host"], args.duration, args.runs)
    print("S2 cached article through the nginx front …", flush=True)  # noqa: T201
    figures["cached_front"] = measure(through_front + ARTICLE_PATH, data["bureau_host"], args.duration, args.runs)
    figures["cached_app_to_hello"] = figures["cached_app"]["rps"] / figures["hello"]["rps"]
    figures["cached_front_to_static"] = figures["cached_front"]["rps"] / figures["nginx_static"]["rps"]

    portal = data["portal"]
    print("S10 spike after a publish, direct and through the front …", flush=True)  # noqa: T201
    figures["spike_app"] = spike(page + "/", data["portal_host"], portal, tmp, args.runs, "直连")
    figures["spike_front"] = spike(through_front + "/", data["portal_host"], portal, tmp, args.runs, "前端")

    print(f"S11 {args.publishes} publishes on A, read on B and through B's front …", flush=True)  # noqa: T201
    figures["invalidation_app"] = invalidation_latency(page, other, data["bureau_host"], args.publishes, "甲")
    figures["invalidation_front"] = invalidation_latency(page, f"http://127.0.0.1:{other_front_port}",
                                                         data["bureau_host"], args.publishes, "乙")
    report(figures, args)


def report(figures: dict, args) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"缓存页面与生产前端（服务器 1 核：gunicorn 1 进程 2 线程、nginx 1 个工作进程；wrk 另 1 核；"
                        f"{args.runs} 次中位数，每次 {args.duration} 秒）")
    for column in ("场景", "请求/秒", "p50 ms", "p99 ms", "错误", "比值", "目标"):
        table.add_column(column, justify="left" if column in ("场景", "目标") else "right")

    def row(label, result, ratio="", target=""):
        table.add_row(label, f"{result['rps']:.0f}", f"{result['p50_ms']:.2f}", f"{result['p99_ms']:.2f}",
                      str(result["errors"]), ratio, target)

    row("nginx 静态副本（物理上限）", figures["nginx_static"], "—", "分母")
    row("Django hello（去掉多租户和页面缓存的中间件）", figures["hello"], "—", "分母")
    row("S2 已缓存的部门文章页，直达 gunicorn", figures["cached_app"], f"{figures['cached_app_to_hello']:.2f}×hello",
        "≥ 0.6 × hello")
    row("S2 同一页面，经 nginx 前端（微缓存）", figures["cached_front"],
        f"{figures['cached_front_to_static']:.2f}×静态", "≥ 0.5 × nginx 静态")
    for key, label in (("spike_app", "直达 gunicorn"), ("spike_front", "经 nginx 前端")):
        result = figures[key]
        row(f"S10 发布后突发 {SPIKE_REQUESTS} 次请求、{SPIKE_CONNECTIONS} 连接，{label}", result,
            f"渲染 {'/'.join(map(str, result['renders']))} 次", "0 错误；每个失效页面渲染 1 次")
    Console(width=200).print(table)
    latency = Table(title="S11 在服务器甲上发布、在服务器乙上可见的时间")
    for column in ("读取方", "发布次数", "p50 ms", "p99 ms", "最大 ms", "目标"):
        latency.add_column(column)
    for key, label in (("invalidation_app", "服务器乙"), ("invalidation_front", "服务器乙前的 nginx 前端")):
        result = figures[key]
        latency.add_row(label, str(result["publishes"]), f"{result['p50_ms']:.0f}", f"{result['p99_ms']:.0f}",
                        f"{result['max_ms']:.0f}", "p99 ≤ 1000 ms")
    Console(width=200).print(latency)
    print("结果已写入", save("delivery_front", figures))  # noqa: T201


if __name__ == "__main__":
    main()
