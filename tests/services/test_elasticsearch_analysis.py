"""Chinese analysis on the real local Elasticsearch node (no Django needed).

The node is started by `python services/elasticsearch.py start` (or `make test`); its URL comes
from ELASTICSEARCH_URL. These tests fail, never skip, when the node is unreachable: search
quality for Chinese depends on the `cjk` analysis provided by our plugin, and a silently skipped
check would hide a broken setup.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

ES_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9250").rstrip("/")


def _request(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(
        f"{ES_URL}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _ok(method: str, path: str, body: dict | None = None) -> dict:
    status, payload = _request(method, path, body)
    assert status < 300, f"{method} {path} -> HTTP {status}: {json.dumps(payload, ensure_ascii=False)}"
    return payload


def _tokens(path: str, body: dict) -> list[str]:
    return [token["token"] for token in _ok("POST", path, body)["tokens"]]


@pytest.fixture(scope="module", autouse=True)
def node() -> None:
    health, problem = None, None
    try:
        with urllib.request.urlopen(f"{ES_URL}/_cluster/health", timeout=5) as response:
            health = json.load(response)
    except (OSError, ValueError) as error:
        problem = error
    if health is None:
        # Fail (not skip) outside the except block, so the report shows one clear line.
        pytest.fail(
            f"Elasticsearch 不可达 ({ES_URL}): {problem}。"
            "请先运行 `python services/elasticsearch.py start`，或设置 ELASTICSEARCH_URL。",
            pytrace=False,
        )
    assert health["status"] in ("yellow", "green"), f"集群状态异常: {health}"


@pytest.fixture(scope="module")
def index() -> Iterator[str]:
    name = f"govsite-test-analysis-{uuid.uuid4().hex[:12]}"
    _ok("PUT", f"/{name}", {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "index": {"max_ngram_diff": 9},
            "analysis": {
                "filter": {
                    "zh_bigram": {"type": "cjk_bigram", "output_unigrams": True},
                    "prefix": {"type": "edge_ngram", "min_gram": 1, "max_gram": 10},
                },
                "tokenizer": {
                    "prefix_tokenizer": {
                        "type": "edge_ngram",
                        "min_gram": 1,
                        "max_gram": 10,
                        "token_chars": ["letter", "digit"],
                    },
                },
                "analyzer": {
                    "zh_custom": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "zh_bigram"],
                    },
                    "prefix_filter_analyzer": {
                        "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "prefix"],
                    },
                    "prefix_tokenizer_analyzer": {
                        "type": "custom", "tokenizer": "prefix_tokenizer", "filter": ["lowercase"],
                    },
                },
            },
        },
        "mappings": {"properties": {"body": {"type": "text", "analyzer": "cjk"}}},
    })
    yield name
    _request("DELETE", f"/{name}")


def test_cjk_analyzer_makes_bigrams():
    tokens = _tokens("/_analyze", {"analyzer": "cjk", "text": "义务教育政策"})
    assert tokens == ["义务", "务教", "教育", "育政", "政策"]


def test_custom_analyzer_with_cjk_width_lowercase_and_bigrams(index):
    tokens = _tokens(f"/{index}/_analyze", {"analyzer": "zh_custom", "text": "义务教育 ＡＢＣ"})
    # Full-width Latin is folded to ASCII and lower-cased; Han characters give unigrams + bigrams.
    assert tokens == ["义", "义务", "务", "务教", "教", "教育", "育", "abc"]


def test_edge_ngram_filter_and_tokenizer(index):
    expected = ["j", "ji", "jia", "jiao", "jiaoy", "jiaoyu"]
    by_filter = _tokens(f"/{index}/_analyze", {"analyzer": "prefix_filter_analyzer", "text": "jiaoyu"})
    assert by_filter == expected
    by_tokenizer = _tokens(f"/{index}/_analyze", {"analyzer": "prefix_tokenizer_analyzer", "text": "JiaoYu"})
    assert by_tokenizer == expected
    # Inline definitions and the stock option names work without an index too.
    assert _tokens("/_analyze", {
        "tokenizer": "keyword",
        "filter": [{"type": "edge_ngram", "min_gram": 2, "max_gram": 3, "preserve_original": True}],
        "text": "jiaoyu",
    }) == ["ji", "jia", "jiaoyu"]


STOCK_COMPONENTS = [
    ({"tokenizer": "whitespace", "text": "市 教育局"}, ["市", "教育局"]),
    ({"tokenizer": "keyword", "filter": ["trim"], "text": "  教育局  "}, ["教育局"]),
    ({"tokenizer": {"type": "ngram", "min_gram": 2, "max_gram": 3}, "text": "教育局"},
     ["教育", "教育局", "育局"]),
    ({"tokenizer": "whitespace", "filter": ["asciifolding", "unique"], "text": "café cafe"}, ["cafe"]),
    ({"tokenizer": "standard", "filter": ["cjk_width"], "text": "ｶﾀｶﾅ"}, ["カタカナ"]),
    ({"tokenizer": "standard", "filter": [{"type": "ngram", "max_gram": 2}], "text": "ab"}, ["a", "ab", "b"]),
]


@pytest.mark.parametrize(("request_body", "expected"), STOCK_COMPONENTS)
def test_stock_component_names_are_available(request_body, expected):
    assert _tokens("/_analyze", request_body) == expected


def test_match_query_finds_two_character_word_and_ranks_by_frequency(index):
    documents = {
        "once": "市政府召开工作会议，部署教育改革任务",
        "many": "教育局召开教育工作会议，部署教育改革",
        "other": "市政府召开交通会议，部署道路改造任务",
    }
    for doc_id, body in documents.items():
        _ok("PUT", f"/{index}/_doc/{doc_id}?refresh=true", {"body": body})

    result = _ok("POST", f"/{index}/_search", {"query": {"match": {"body": "教育"}}})
    hits = [hit["_id"] for hit in result["hits"]["hits"]]
    assert hits == ["many", "once"], result["hits"]
