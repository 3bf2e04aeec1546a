"""访问统计: what counting visits costs a page served from the page cache.

Two app servers on the same data and store, one with the project's middleware and one without
the visit-counting middleware, both pinned to core 1 and measured in turn by `wrk` on core 0
(warm-up, then pairs of back-to-back runs, median of each, and the median of the pairs' ratios,
which a drifting load on a shared machine disturbs less). Each request comes from a
browser (a browser's User-Agent) at a different address (X-Forwarded-For behind one trusted
proxy), so every one is counted and adds a new visitor. Printed: requests per second of both,
their ratio (target ≥ 0.95), and how many views the counting server recorded in the store
against the answers wrk received.

Everything runs against a store of its own (started and stopped here) and a fresh database.

Usage: python benchmarks/visit_counting.py [--duration 5] [--runs 3]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _common import ROOT, save, use_benchmark_database, wrk_figures
from delivery_front import ARTICLE_PATH, CLIENT_CORE, build_data, gunicorn, wait_for

COUNTING_SETTINGS = """from portal.settings.dev import *  # noqa
DEBUG = False
ALLOWED_HOSTS = ["*"]
TRUSTED_PROXY_COUNT = 1  # wrk plays the proxy: each request names another visitor
"""
PLAIN_SETTINGS = """from bench_visits_settings import *  # noqa
MIDDLEWARE = [name for name in MIDDLEWARE if name != "portal.visits.middleware.VisitCountingMiddleware"]
"""
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# A new visitor address for every request; counts the answers so that counted views can be compared.
VISITORS_LUA = """local counter = 0
request = function()
    counter = counter + 1
    local a, b = math.random(0, 255), math.random(1, 254)
    wrk.headers["X-Forwarded-For"] = "10." .. (counter % 250) .. "." .. a .. "." .. b
    return wrk.format(nil)
end
"""


def run_wrk(url: str, host: str, duration: int, script: Path) -> dict:
    command = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", "-c8", f"-d{duration}s", "--latency", "--timeout", "10s",
               "-H", f"Host: {host}", "-H", f"User-Agent: {BROWSER}", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    return wrk_figures(output)


def counted_views(host: str) -> int:
    from portal.visits import counting

    views = counting.store().hget(counting.views_key(counting.today()), f"{host}\n{ARTICLE_PATH}")
    return int(views or 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from services import front

    tmp = Path(tempfile.mkdtemp(prefix="govsite-bench-visits-"))
    store_port = front.free_port()
    store_env = dict(os.environ, GOVSITE_STORE_PORT=str(store_port), GOVSITE_STORE_DIR=str(tmp / "store"))
    subprocess.run([sys.executable, str(ROOT / "services" / "store.py"), "start"], env=store_env, check=True)
    os.environ["CACHE_URL"] = f"redis://127.0.0.1:{store_port}/0"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    processes = []
    try:
        run(args, tmp, processes, front)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run([sys.executable, str(ROOT / "services" / "store.py"), "stop"], env=store_env)
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path, processes: list, front) -> None:
    use_benchmark_database("govsite_bench_visits")
    data = build_data()
    host = data["bureau_host"]
    (tmp / "bench_visits_settings.py").write_text(COUNTING_SETTINGS)
    (tmp / "bench_plain_settings.py").write_text(PLAIN_SETTINGS)
    script = tmp / "visitors.lua"
    script.write_text(VISITORS_LUA)
    os.sched_setaffinity(0, {int(CLIENT_CORE)})
    servers = {}
    for label, module in (("counting", "bench_visits_settings"), ("plain", "bench_plain_settings")):
        port = front.free_port()
        process = gunicorn(port, module, tmp)
        processes.append(process)
        servers[label] = f"http://127.0.0.1:{port}{ARTICLE_PATH}"
        wait_for(servers[label], host, process)
        answer = httpx.get(servers[label], headers={"Host": host, "User-Agent": BROWSER})
        assert httpx.get(servers[label], headers={"Host": host}).headers["X-Page-Cache"] == "HIT", answer.headers

    for url in servers.values():  # warm-up
        run_wrk(url, host, max(2, args.duration // 2), script)
    time.sleep(2)  # the counting server's writer thread empties its buffer
    before = counted_views(host)
    samples = {"counting": [], "plain": []}
    for number in range(args.runs):
        # Back to back, the first of a pair changing every run, so that drifting load hits both alike.
        for label in (("counting", "plain") if number % 2 == 0 else ("plain", "counting")):
            print(f"{number + 1}/{args.runs} {label} …", flush=True)  # noqa: T201
            samples[label].append(run_wrk(servers[label], host, args.duration, script))
    time.sleep(2)
    figures = {"duration_s": args.duration, "runs": args.runs}
    for label, runs in samples.items():
        figures[label] = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p99_ms")}
        figures[label]["errors"] = sum(run["errors"] for run in runs)
        figures[label]["rps_runs"] = [run["rps"] for run in runs]
    figures["ratio"] = figures["counting"]["rps"] / figures["plain"]["rps"]
    # On a shared machine the load drifts between runs; the runs of one pair met the same load.
    figures["pair_ratios"] = [counting["rps"] / plain["rps"]
                              for counting, plain in zip(samples["counting"], samples["plain"], strict=True)]
    figures["pair_ratio_median"] = statistics.median(figures["pair_ratios"])
    answered = sum(run["requests"] for run in samples["counting"])
    figures["answers_counting"] = answered
    figures["views_counted"] = counted_views(host) - before
    report(figures, args)


def report(figures: dict, args) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"访问统计的开销：已缓存的部门文章页（服务器 1 核：gunicorn 1 进程 2 线程；wrk 另 1 核；"
                        f"{args.runs} 次中位数，每次 {args.duration} 秒）")
    for column in ("场景", "请求/秒", "p50 ms", "p99 ms", "错误", "比值", "目标"):
        table.add_column(column, justify="left" if column in ("场景", "目标") else "right")
    plain, counting = figures["plain"], figures["counting"]
    table.add_row("不计访问（去掉访问统计中间件）", f"{plain['rps']:.0f}", f"{plain['p50_ms']:.2f}",
                  f"{plain['p99_ms']:.2f}", str(plain["errors"]), "—", "分母")
    table.add_row("计访问（每个请求一位新访客）", f"{counting['rps']:.0f}", f"{counting['p50_ms']:.2f}",
                  f"{counting['p99_ms']:.2f}", str(counting["errors"]), f"{figures['ratio']:.3f}", "≥ 0.95")
    Console(width=200).print(table)
    pairs = "、".join(f"{ratio:.2f}" for ratio in figures["pair_ratios"])
    print(f"逐对比值（同一时段先后测得）：{pairs}；中位数 {figures['pair_ratio_median']:.3f}")  # noqa: T201
    print(f"计入的访问 {figures['views_counted']} 次 / 收到的应答 {figures['answers_counting']} 次")  # noqa: T201
    print("结果已写入", save("visit_counting", figures))  # noqa: T201


if __name__ == "__main__":
    main()
