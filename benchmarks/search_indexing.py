"""S7: bulk (re)indexing, against raw `_bulk` of the same documents, in the same run.

- ours: `search.rebuild.rebuild()` — the command's code path: read the search projection from
  PostgreSQL, build each `_source` with `search.documents.es_source`, send `_bulk` with two
  requests in flight, then refresh and swap the alias. The docs/s figure is its bulk phase; the
  whole rebuild (new index, refresh, swap) is reported too.
- baseline: the same documents, serialized to NDJSON beforehand (not timed), sent with the same
  chunk size and concurrency to a new index with the same settings.
- downtime: while each rebuild runs, a thread searches the alias continuously; any error or empty
  answer counts.

Runs alternate (baseline, ours) after a warm-up; medians are reported. The benchmark process is
pinned to core 0; the Elasticsearch node is the shared development node and is not re-pinned.
Target: ours ≥ 0.85 × raw; no empty answer during a rebuild.

Usage: python benchmarks/search_indexing.py [--docs 100000] [--tenants 10] [--seed 7] [--runs 3]
"""

import statistics
import threading
import time

from _common import save
from search_corpus import arguments, open_data_set, pin


def serialized_chunks(target: str, chunk_size: int = 1000) -> list[bytes]:
    """The same documents as NDJSON bodies, built before the clock starts."""
    from search.rebuild import operation_chunks

    return list(operation_chunks(target, chunk_size))


def raw_bulk(chunks: list[bytes], name: str, threads: int) -> float:
    from search import index
    from search.rebuild import send_chunks

    es = index.client("index")
    es.indices.delete(index=name, ignore_unavailable=True)
    index.create_index(name, bulk_load=True)
    started = time.perf_counter()
    indexed, conflicts, errors = send_chunks(iter(chunks), thread_count=threads)
    seconds = time.perf_counter() - started
    assert not errors, errors[:3]
    es.indices.delete(index=name, ignore_unavailable=True)
    return indexed / seconds


def watch_search(stop: threading.Event, counts: dict) -> None:
    from search import index

    es = index.client("search")
    while not stop.is_set():
        try:
            hits = es.search(index=index.alias(), query={"match": {"title": "教育"}}, size=1)["hits"]["total"]["value"]
            counts["queries"] += 1
            if hits == 0:
                counts["empty"] += 1
        except Exception:  # noqa: BLE001 - any failure is downtime
            counts["queries"] += 1
            counts["errors"] += 1
        time.sleep(0.02)


def ours(threads: int) -> tuple[float, float, dict]:
    from search.rebuild import rebuild

    counts = {"queries": 0, "empty": 0, "errors": 0}
    stop = threading.Event()
    watcher = threading.Thread(target=watch_search, args=(stop, counts))
    watcher.start()
    started = time.perf_counter()
    try:
        result = rebuild(collect_plugins=False, thread_count=threads)
    finally:
        stop.set()
        watcher.join()
    return result.docs_per_second, time.perf_counter() - started, counts


def main():
    args = arguments("S7 批量索引").parse_args()
    open_data_set(args.docs, args.tenants, args.seed)
    pin(0)
    from rich.console import Console
    from rich.table import Table

    from search import index
    from search.models import SearchDocument
    from search.rebuild import rebuild

    threads = 2
    documents = SearchDocument.objects.count()
    if not index.current_indices():
        rebuild(collect_plugins=False)  # the watcher needs a live alias from the first run on
    baseline_name = f"{index.alias()}-rawbulk"
    chunks = serialized_chunks(baseline_name)
    # Warm-up on a tenth of the data, both ways.
    raw_bulk(chunks[: max(1, len(chunks) // 10)], baseline_name, threads)
    raw_rates, our_rates, rebuild_seconds, downtime = [], [], [], {"queries": 0, "empty": 0, "errors": 0}
    for run in range(args.runs):
        raw_rates.append(raw_bulk(chunks, baseline_name, threads))
        rate, seconds, counts = ours(threads)
        our_rates.append(rate)
        rebuild_seconds.append(seconds)
        for key in downtime:
            downtime[key] += counts[key]
        print(f"第 {run + 1} 轮：原始 _bulk {raw_rates[-1]:.0f} 条/秒，本系统 {rate:.0f} 条/秒，重建 {seconds:.1f} 秒")

    figures = {
        "documents": documents,
        "runs": args.runs,
        "raw_bulk_docs_per_s_median": statistics.median(raw_rates),
        "ours_docs_per_s_median": statistics.median(our_rates),
        "ratio": statistics.median(our_rates) / statistics.median(raw_rates),
        "rebuild_total_s_median": statistics.median(rebuild_seconds),
        "searches_during_rebuilds": downtime["queries"],
        "empty_or_failed_searches_during_rebuilds": downtime["empty"] + downtime["errors"],
        "raw_runs": raw_rates,
        "ours_runs": our_rates,
    }
    table = Table(title=f"S7 批量索引（{documents} 个文档，同一次运行，{args.runs} 轮中位数）")
    table.add_column("指标")
    table.add_column("数值", justify="right")
    table.add_row("原始 _bulk（基线，预先序列化，2 个并发请求）", f"{figures['raw_bulk_docs_per_s_median']:.0f} 条/秒")
    table.add_row("本系统重建（读投影 + 组装 + _bulk）", f"{figures['ours_docs_per_s_median']:.0f} 条/秒")
    table.add_row("本系统 / 基线（目标 ≥ 0.85）", f"{figures['ratio']:.3f}")
    table.add_row("完整重建（新索引、刷新、切换别名）", f"{figures['rebuild_total_s_median']:.1f} 秒")
    table.add_row("重建期间的搜索（空结果或失败 / 总数）",
                  f"{figures['empty_or_failed_searches_during_rebuilds']} / {figures['searches_during_rebuilds']}")
    Console().print(table)
    print("结果已写入", save("search_indexing", figures))


if __name__ == "__main__":
    main()
