"""The Elasticsearch index: its definition (through `elasticsearch.dsl`), its alias and clients.

One shared index behind the alias `<SEARCH_INDEX_PREFIX>-search`; every document carries its
department's schema as `tenant`, so a department's search is a filter. A rebuild creates a new
concrete index, exposes it as `<alias>-building` so the pusher writes changes to both while it is
filled, then swaps the alias in one atomic call.

Analysis uses only what stock Elasticsearch has (the `cjk` family of `analysis-common`, here
provided by our plugin on the minimal local node): text arrives folded (see `search.text`),
`zh` makes overlapping bigrams for ranking and phrase matching of two or more characters, and the
`.char` sub-fields keep single characters for one-character queries.
"""

import threading
import time

from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Boolean, Date, Document, Float, Index, Integer, Keyword, Text, analyzer

zh = analyzer("zh", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])
zh_char = analyzer("zh_char", tokenizer="standard", filter=["cjk_width", "lowercase"])


def _zh_text(**kwargs):
    return Text(analyzer=zh, fields={"char": Text(analyzer=zh_char)}, **kwargs)


class SearchDoc(Document):
    tenant = Keyword()
    kind = Keyword()
    type = Keyword()
    title = _zh_text()
    title_display = Keyword(index=False, doc_values=False)
    title_exact = Keyword(ignore_above=256)
    summary = _zh_text()
    body = _zh_text()
    url = Keyword(index=False, doc_values=False)
    date = Date()
    year = Integer()
    # "jiaoyu|教育" and "jy|教育": prefix filter plus a terms aggregation give as-you-type
    # suggestions with live document counts; `suggest_pinyin` feeds the spelling suggester.
    suggest_zh = Keyword()
    suggest_py = Keyword()
    suggest_pinyin = Text(analyzer="keyword")
    # Ranking inputs: 有效性 and its factor (valid 1.0, repealed lower …), and whether a newer
    # document of the same department shares the title's shape (last year's notice).
    validity = Keyword()
    rank = Float()
    outdated = Boolean()


def alias() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-search"


def building_alias() -> str:
    return f"{alias()}-building"


def new_index_name() -> str:
    return f"{alias()}-{time.strftime('%Y%m%d%H%M%S')}-{int(time.time() * 1000) % 1000:03d}"


def index_body(bulk_load: bool = False) -> dict:
    index = Index("unused")
    index.document(SearchDoc)
    index.settings(
        number_of_shards=1,
        number_of_replicas=0 if bulk_load else settings.SEARCH_INDEX_REPLICAS,
        refresh_interval="-1" if bulk_load else "1s",
        # Delete tombstones live long enough that a delayed older write cannot resurrect a document.
        gc_deletes="1h",
        max_result_window=10_000,
    )
    body = index.to_dict()
    return {"settings": body["settings"], "mappings": body["mappings"]}


_clients: dict[tuple[str, str, float], Elasticsearch] = {}
_clients_lock = threading.Lock()


def client(purpose: str = "search") -> Elasticsearch:
    """The one place an Elasticsearch client is made. A search gives up after SEARCH_TIMEOUT
    seconds, connecting and waiting for the answer together, with no retry, so a slow node costs
    a visitor no more than that before the PostgreSQL fallback answers; indexing waits longer.

    Clients are kept per address and timeout as well as purpose: a changed setting (another
    node, a shorter timeout) takes effect on the next call instead of after a restart."""
    timeout = float(settings.SEARCH_TIMEOUT if purpose == "search" else 120)
    key = (purpose, settings.ELASTICSEARCH_URL, timeout)
    existing = _clients.get(key)
    if existing is not None:
        return existing
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Elasticsearch(
                settings.ELASTICSEARCH_URL, request_timeout=timeout, max_retries=0, retry_on_timeout=False,
            )
    return _clients[key]


def create_index(name: str, bulk_load: bool = False) -> None:
    client("index").indices.create(index=name, **index_body(bulk_load=bulk_load))


def finish_bulk_load(name: str) -> None:
    es = client("index")
    es.indices.put_settings(
        index=name,
        settings={"index": {"refresh_interval": "1s", "number_of_replicas": settings.SEARCH_INDEX_REPLICAS}},
    )
    es.indices.refresh(index=name)


def current_indices(name: str | None = None) -> list[str]:
    es = client("index")
    name = name or alias()
    if not es.indices.exists_alias(name=name):
        return []
    return sorted(es.indices.get_alias(name=name).keys())


def ensure_index() -> str:
    """The concrete index behind the alias, creating both when there is none (first start)."""
    existing = current_indices()
    if existing:
        return existing[0]
    name = new_index_name()
    create_index(name)
    es = client("index")
    try:
        es.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias()}}])
    except Exception:
        es.indices.delete(index=name, ignore_unavailable=True)
        raise
    return current_indices()[0]


def write_targets() -> list[str]:
    """Aliases every change is written to: the live one (created on first use), and a rebuild's
    new index while it is being filled."""
    found = client("index").options(ignore_status=404).indices.get_alias(name=f"{alias()},{building_alias()}")
    names = {name for info in found.body.values() if isinstance(info, dict) for name in info.get("aliases", {})}
    if alias() not in names:
        ensure_index()
    return [alias(), building_alias()] if building_alias() in names else [alias()]


def refresh() -> None:
    client("index").indices.refresh(index=alias())
