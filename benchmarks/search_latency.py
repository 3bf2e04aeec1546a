"""S6: search latency at 10^5 documents, Chinese queries of 1, 2, 3, 4 and 5+ characters.

Three figures from the same run, same queries:
- Elasticsearch's own latency (the baseline): the exact request body the search view sends
  (`search.service.build_es_search`), posted straight to the node;
- the view: `GET /api/search/?q=…` on a gunicorn worker pinned to core 1, client on core 0;
- the PostgreSQL fallback: the same view on a second worker with SEARCH_BACKEND=postgres; and
  EXPLAIN of every fallback query, which must show no sequential scan of the projection.

A warm-up pass, then `--runs` runs; p50/p99 are per run, the median of runs is reported.
Targets: view p99 ≤ Elasticsearch p99 + 15 ms; fallback p99 ≤ 100 ms with no sequential scans.

Usage: python benchmarks/search_latency.py [--docs 100000] [--tenants 10] [--seed 7] [--runs 3]
"""

import os
import statistics
import subprocess
import sys
import time

from _common import save
from search_corpus import ROOT, arguments, open_data_set, pin

QUERIES = {
    "1 字": ["税", "医", "学", "水", "路", "房", "农", "药"],
    "2 字": ["教育", "医保", "招生", "养老", "就业", "住房", "防汛", "环境"],
    "3 字": ["教育局", "公积金", "垃圾分类"[:3], "卫生院", "幼儿园", "财政局"],
    "4 字": ["义务教育", "乡村振兴", "城市更新", "安全生产", "食品安全", "疫苗接种", "营商环境", "法律援助"],
    "5 字以上": ["义务教育招生", "基本公共卫生服务", "城乡居民养老保险", "老旧小区改造工作", "高标准农田建设"],
}
FILTERED = [("教育", {"department": "jyj"}), ("实施方案", {"type": "policy"}), ("安全", {"year": "2025"})]
REPEATS = 3


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def requests():
    for group, words in QUERIES.items():
        for word in words:
            yield group, word, {}
    for word, filters in FILTERED:
        yield "带筛选", word, filters


def start_server(port: int, backend: str) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings.dev", SEARCH_BACKEND=backend,
               PUBLIC_PORT=str(port), DB_CONN_MAX_AGE="600", PYTHONPATH=str(ROOT / "platform"))
    process = subprocess.Popen(
        ["taskset", "-c", "1", str(ROOT / ".venv" / "bin" / "gunicorn"), "--pythonpath", str(ROOT / "platform"),
         "portal.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/api/search/?q=教育", headers={"Host": "www.localhost"})
            if response.status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"gunicorn 未能在端口 {port} 启动")


def time_view(port: int) -> dict[str, list[float]]:
    import httpx

    timings: dict[str, list[float]] = {"all": []}
    with httpx.Client(headers={"Host": "www.localhost"}, timeout=30) as client:
        for group, word, filters in requests():
            for _ in range(REPEATS):
                started = time.perf_counter()
                response = client.get(f"http://127.0.0.1:{port}/api/search/", params={"q": word, **filters})
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.text[:200]
                timings.setdefault(group, []).append(elapsed)
                timings["all"].append(elapsed)
    return timings


def time_elasticsearch() -> dict[str, list[float]]:
    from search import index, service, synonyms, text

    es = index.client("search")
    sites = service.departments()
    inactive = sorted(tenant for tenant, site in sites.items() if not site.active)
    timings: dict[str, list[float]] = {"all": []}
    for group, word, filters in requests():
        params = service.Params.from_data({"q": word, **filters})
        folded = text.fold(word)
        body = service.build_es_search(params, folded, service._filters(params, sites), inactive,
                                       synonyms.alternatives(folded))[0].to_dict()
        for _ in range(REPEATS):
            started = time.perf_counter()
            es.search(index=index.alias(), body=body)
            elapsed = (time.perf_counter() - started) * 1000
            timings.setdefault(group, []).append(elapsed)
            timings["all"].append(elapsed)
    return timings


def sequential_scans() -> tuple[int, int]:
    """(plans with a sequential scan of the projection, plans checked) for every fallback query."""
    from django.db import connection

    from search import fallback, service, text

    sites = service.departments()
    checked = scans = 0
    for _, word, filters in requests():
        params = service.Params.from_data({"q": word, **filters})
        tokens, _ = fallback.query_text(text.fold(word))
        conditions = fallback._conditions(service._filters(params, sites))
        values = {"q": " ".join(tokens), "inactive": [], "exact": text.exact_key(word), "limit": 10, "offset": 0,
                  "cap": fallback.MATCH_CAP,
                  **{f"f_{key}": value for key, value in service._filters(params, sites).items()}}
        values.setdefault("f_tenant", None), values.setdefault("f_type", None), values.setdefault("f_year", None)
        for sql in (fallback.facet_sql(conditions),
                    fallback.hits_sql(conditions, "d.publish_time DESC, d.id DESC")):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, values)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            checked += 1
            if "Seq Scan on search_searchdocument" in plan:
                scans += 1
                print("顺序扫描：", word, plan, file=sys.stderr)
    return scans, checked


# Queries that exercise what understanding adds: departments named in the query, pinyin,
# initials and wrong characters (corrections are only tried when results are few).
UNDERSTANDING = ["卫健局 疫苗接种", "区人社局 就业创业", "教育局", "shebao", "jy", "yiwujiaoyu", "营商环竟",
                 "医疗保线", "义物教育", "yingshang环境"]


def understanding_overhead() -> dict:
    """Same run, same process: p99 of department recognition plus correction candidates per query
    (what the view adds on top of the searches themselves), against the data set's vocabulary."""
    from search import corrections, service, sites, text, vocabulary

    vocabulary.refresh()
    every = service.departments()
    timings = []
    for _ in range(REPEATS * 10):
        for word in UNDERSTANDING + [word for words in QUERIES.values() for word in words]:
            started = time.perf_counter()
            folded = text.fold(word)
            found = sites.recognise(folded, every)
            corrections.candidates(found.rest if found and found.rest else folded)
            timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": percentile(timings, 0.5), "p99_ms": percentile(timings, 0.99),
            "words": len(vocabulary.current().documents)}


def summary(runs: list[dict[str, list[float]]]) -> dict:
    groups = runs[0].keys()
    return {
        group: {
            "p50_ms": statistics.median(percentile(run[group], 0.5) for run in runs),
            "p99_ms": statistics.median(percentile(run[group], 0.99) for run in runs),
        }
        for group in groups
    }


def main():
    args = arguments("S6 搜索延迟").parse_args()
    open_data_set(args.docs, args.tenants, args.seed)
    from django.db import connection

    from search import index
    from search.models import SearchDocument
    from search.rebuild import rebuild

    documents = SearchDocument.objects.count()
    if not index.current_indices() or index.client("index").count(index=index.alias())["count"] != documents:
        print("索引与数据不一致，先重建 …")
        rebuild(collect_plugins=False)
    connection.close()
    pin(0)
    es_server = start_server(18601, "auto")
    pg_server = start_server(18602, "postgres")
    try:
        time_elasticsearch(), time_view(18601), time_view(18602)  # warm-up
        es_runs, view_runs, pg_runs = [], [], []
        for run in range(args.runs):
            es_runs.append(time_elasticsearch())
            view_runs.append(time_view(18601))
            pg_runs.append(time_view(18602))
            print(f"第 {run + 1} 轮完成")
    finally:
        es_server.terminate()
        pg_server.terminate()
        es_server.wait(10)
        pg_server.wait(10)
    scans, checked = sequential_scans()
    overhead = understanding_overhead()
    figures = {
        "documents": documents,
        "requests_per_run": len(es_runs[0]["all"]),
        "elasticsearch": summary(es_runs),
        "view": summary(view_runs),
        "postgres_fallback": summary(pg_runs),
        "fallback_plans_with_sequential_scan": scans,
        "fallback_plans_checked": checked,
    }
    figures["understanding_overhead"] = overhead
    figures["view_p99_minus_es_p99_ms"] = figures["view"]["all"]["p99_ms"] - figures["elasticsearch"]["all"]["p99_ms"]

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"S6 搜索延迟（{documents} 个文档，{args.runs} 轮中位数，毫秒）")
    for column in ("查询", "ES p50", "ES p99（基线）", "视图 p50", "视图 p99", "PG 备用 p50", "PG 备用 p99"):
        table.add_column(column, justify="right")
    for group in figures["view"]:
        es, view, pg = (figures[key][group] for key in ("elasticsearch", "view", "postgres_fallback"))
        table.add_row("全部" if group == "all" else group, f"{es['p50_ms']:.1f}", f"{es['p99_ms']:.1f}",
                      f"{view['p50_ms']:.1f}", f"{view['p99_ms']:.1f}", f"{pg['p50_ms']:.1f}", f"{pg['p99_ms']:.1f}")
    Console().print(table)
    print(f"视图 p99 − ES p99 = {figures['view_p99_minus_es_p99_ms']:.1f} ms（目标 ≤ 15）；"
          f"PG 备用 p99 = {figures['postgres_fallback']['all']['p99_ms']:.1f} ms（目标 ≤ 100）；"
          f"顺序扫描 {scans} / {checked} 个执行计划")
    print(f"单位识别与纠错：p50 {overhead['p50_ms']:.2f} ms，p99 {overhead['p99_ms']:.2f} ms"
          f"（词表 {overhead['words']} 个词，目标 p99 ≤ 10 ms）")
    print("结果已写入", save("search_latency", figures))


if __name__ == "__main__":
    main()
