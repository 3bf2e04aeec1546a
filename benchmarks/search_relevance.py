"""Search relevance: top-3 success per kind of query and mean reciprocal rank, on Elasticsearch
and on the PostgreSQL fallback, over the judged set in benchmarks/relevance/.

The corpus is written into a separate database through the real search code (`search.documents`
rows stored by `search.outbox.store`, which also marks outdated yearly documents), indexed by a
real rebuild (which also computes the vocabulary), and every query goes through
`search.service.search` — the page's and the API's path: department recognition, synonyms,
corrections, ranking. Targets: ≥ 95% overall and ≥ 90% in every kind on Elasticsearch, ≥ 80%
overall on the fallback.

Usage: python benchmarks/search_relevance.py [--show-failures]
"""

import argparse
import json
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from _common import ROOT, save, use_benchmark_database

DATABASE = "govsite_bench_relevance"
HERE = ROOT / "benchmarks" / "relevance"
os.environ.setdefault("SEARCH_INDEX_PREFIX", "bench-relevance")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")


def load_set() -> tuple[dict, list[dict]]:
    corpus = json.loads((HERE / "corpus.json").read_text())
    return corpus, json.loads((HERE / "queries.json").read_text())


def write_corpus(corpus: dict, departments: dict) -> dict[str, str]:
    """Store every document as a search row of its department; returns {url: key}."""
    from django.db import transaction

    from search import outbox, text
    from search.documents import TYPE_LABELS, Row, doc_id

    urls = {}
    with transaction.atomic():
        for number, (key, item) in enumerate(sorted(corpus["documents"].items()), start=1):
            department = departments[item["department"]]
            title = text.fold(item["title"])
            url = f"{department.base_url}/relevance/{key}/"
            when = datetime.fromisoformat(item["date"]).replace(hour=9, tzinfo=ZoneInfo("Asia/Shanghai"))
            outbox.store(
                Row(
                    doc_id=doc_id(department.schema_name, "relevance", number),
                    department_id=department.pk,
                    tenant=department.schema_name,
                    kind="relevance",
                    object_id=number,
                    type=item["type"],
                    type_label=TYPE_LABELS.get(item["type"], item["type"]),
                    title=item["title"],
                    title_folded=title,
                    url=url,
                    summary=text.fold(item["body"][:120]),
                    body=text.fold(item["body"]),
                    publish_time=when,
                    suggest=text.suggest_entries(text.title_terms(title)),
                    validity=item["validity"],
                )
            )
            urls[url] = key
    return urls


def judge(queries: list[dict], urls: dict[str, str]) -> dict:
    from search import service

    kinds: dict[str, dict] = {}
    failures = []
    for entry in queries:
        outcome = service.search(service.Params(q=entry["q"]))
        found = [urls.get(hit.url, hit.url) for hit in outcome.hits]
        if "top3_any" in entry:  # any one of the listed documents will do
            ranks = [found.index(key) + 1 for key in entry["top3_any"] if key in found]
            success = bool(ranks) and min(ranks) <= 3
            reciprocal = 1 / min(ranks) if ranks else 0.0
        else:  # every listed document must be there
            ranks = [found.index(key) + 1 for key in entry["top3"] if key in found]
            success = len(ranks) == len(entry["top3"]) and max(ranks) <= 3
            reciprocal = 1 / max(ranks) if success or len(ranks) == len(entry["top3"]) else 0.0
        figures = kinds.setdefault(entry["kind"], {"queries": 0, "top3": 0, "rr": 0.0})
        figures["queries"] += 1
        figures["top3"] += success
        figures["rr"] += reciprocal
        if not success:
            failures.append(
                {
                    "kind": entry["kind"],
                    "q": entry["q"],
                    "want": entry.get("top3") or entry["top3_any"],
                    "got": found[:5],
                    "ran": outcome.query_run,
                    "backend": outcome.backend,
                }
            )
    total = sum(figures["queries"] for figures in kinds.values())
    return {
        "kinds": {
            kind: {"queries": f["queries"], "top3": f["top3"] / f["queries"], "mrr": f["rr"] / f["queries"]}
            for kind, f in sorted(kinds.items())
        },
        "overall": {
            "queries": total,
            "top3": sum(f["top3"] for f in kinds.values()) / total,
            "mrr": sum(f["rr"] for f in kinds.values()) / total,
        },
        "failures": failures,
    }


def main():
    parser = argparse.ArgumentParser(description="搜索相关性")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    use_benchmark_database(DATABASE)
    from django.conf import settings
    from django.core.management import call_command

    from search import backend, index, rebuild, vocabulary
    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    corpus, queries = load_set()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    departments = {}
    for number, (prefix, name) in enumerate(corpus["departments"].items()):
        departments[prefix] = create_department(
            name=name,
            host_prefix=prefix,
            organization_code=f"0072185{number:02d}",
            kind="portal" if prefix == "www" else "bureau",
        )
    urls = write_corpus(corpus, departments)
    es = index.client("index")
    es.indices.delete(index=f"{index.alias()}-*", ignore_unavailable=True, allow_no_indices=True)
    rebuild.rebuild(collect_plugins=False)
    index.refresh()
    vocabulary.refresh()
    figures = {"documents": len(corpus["documents"]), "elasticsearch": judge(queries, urls)}
    settings.SEARCH_BACKEND = "postgres"
    backend.forget_es_state()
    figures["postgres_fallback"] = judge(queries, urls)

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"搜索相关性（{len(corpus['documents'])} 个文档，{len(queries)} 个查询）")
    for column in ("类别", "查询数", "ES 前三命中", "ES MRR", "PG 前三命中", "PG MRR"):
        table.add_column(column, justify="right")
    es_kinds, pg_kinds = figures["elasticsearch"]["kinds"], figures["postgres_fallback"]["kinds"]
    for kind in es_kinds:
        table.add_row(
            kind,
            str(es_kinds[kind]["queries"]),
            f"{es_kinds[kind]['top3']:.0%}",
            f"{es_kinds[kind]['mrr']:.2f}",
            f"{pg_kinds[kind]['top3']:.0%}",
            f"{pg_kinds[kind]['mrr']:.2f}",
        )
    es_all, pg_all = figures["elasticsearch"]["overall"], figures["postgres_fallback"]["overall"]
    table.add_row(
        "全部",
        str(es_all["queries"]),
        f"{es_all['top3']:.1%}",
        f"{es_all['mrr']:.2f}",
        f"{pg_all['top3']:.1%}",
        f"{pg_all['mrr']:.2f}",
    )
    Console().print(table)
    if args.show_failures:
        for backend_name in ("elasticsearch", "postgres_fallback"):
            for failure in figures[backend_name]["failures"]:
                print(backend_name, json.dumps(failure, ensure_ascii=False))
    print("结果已写入", save("search_relevance", figures))
    es.indices.delete(index=f"{index.alias()}-*", ignore_unavailable=True, allow_no_indices=True)
    return 0 if es_all["top3"] >= 0.95 and pg_all["top3"] >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
