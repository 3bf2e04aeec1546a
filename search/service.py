"""The query service: one `search()` for the page and the API, Elasticsearch first.

Only live, public documents are in the projection and the index; on top of that every query
excludes departments that are not active (read from the database on each search, so suspending a
department hides it at once), and a department filter is an exact `tenant` term. When
Elasticsearch cannot answer (down, slow, or its alias missing) the same question goes to the
PostgreSQL projection and the answer says it is degraded; after a failure Elasticsearch is not
asked again for a few seconds, so a dead node costs one timeout, not one per visitor.
"""

import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.html import escape
from elasticsearch import ApiError, TransportError
from elasticsearch.dsl import A, Q, Search

from . import fallback, index, text
from .documents import TYPE_LABELS, TYPE_ORDER

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_PAGE = 100
MAX_QUERY_LENGTH = 100
ES_RETRY_AFTER_SECONDS = 5
SITE_KINDS = ("portal", "bureau", "town")


# Column types and plugin document kinds: lower-case codes such as `news` or `letter`.
TYPE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class InvalidQuery(ValueError):
    pass


def known_department(prefix: str) -> bool:
    """Whether a site (portal, bureau or town) has this host prefix, whatever its status."""
    from tenants.models import Department as DepartmentModel

    return DepartmentModel.objects.filter(host_prefix=prefix, kind__in=SITE_KINDS).exists()


@dataclass
class Params:
    q: str = ""
    department: str = ""
    type: str = ""
    year: int | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_data(cls, data) -> "Params":
        q = " ".join((data.get("q") or "").split())[:MAX_QUERY_LENGTH]
        year = (data.get("year") or "").strip()
        # isascii(): "²" and "١" are digits to str.isdigit() but not numbers to int().
        if year and not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2100):
            raise InvalidQuery("year 参数应为四位年份")
        page = (data.get("page") or "1").strip()
        if not (page.isascii() and page.isdigit()) or int(page) < 1:
            raise InvalidQuery("page 参数应为正整数")
        sort = data.get("sort") or "relevance"
        if sort not in ("relevance", "date"):
            raise InvalidQuery("sort 参数只能是 relevance 或 date")
        department = (data.get("department") or "").strip()
        if department and not known_department(department):
            raise InvalidQuery("department 参数应为单位的网站前缀，例如 jyj")
        kind = (data.get("type") or "").strip()
        if kind and not TYPE_CODE.match(kind):
            raise InvalidQuery("type 参数应为信息类型代码，例如 news、policy")
        return cls(
            q=q,
            department=department,
            type=kind,
            year=int(year) if year else None,
            sort=sort,
            page=min(int(page), MAX_PAGE),
        )

    def query_string(self, **changes) -> str:
        from urllib.parse import urlencode

        values = {"q": self.q, "department": self.department, "type": self.type, "year": self.year or "",
                  "sort": "" if self.sort == "relevance" else self.sort, "page": ""}
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})


@dataclass
class Department:
    tenant: str
    prefix: str
    name: str
    active: bool
    order: tuple
    base_url: str


@dataclass
class Hit:
    doc_id: str
    title_html: str
    url: str
    department: str
    department_prefix: str
    type: str
    type_label: str
    date: datetime | None
    snippet_html: str

    def as_dict(self) -> dict:
        return {
            "title": re.sub(r"</?em>", "", self.title_html).replace("&amp;", "&").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'").replace("&#39;", "'"),
            "url": self.url,
            "department": self.department,
            "department_prefix": self.department_prefix,
            "type": self.type,
            "type_label": self.type_label,
            "date": timezone.localtime(self.date).strftime("%Y-%m-%d") if self.date else None,
            "highlight": {"title": self.title_html, "snippet": self.snippet_html},
        }


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "count": self.count, "selected": self.selected}


@dataclass
class Outcome:
    params: Params
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    backend: str = "elasticsearch"
    did_you_mean: str = ""
    best_bets: list = field(default_factory=list)
    took_ms: float = 0.0
    total_is_lower_bound: bool = False

    @property
    def degraded(self) -> bool:
        return self.backend != "elasticsearch"

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / PAGE_SIZE)))

    def as_dict(self) -> dict:
        return {
            "q": self.params.q,
            "total": self.total,
            "total_is_lower_bound": self.total_is_lower_bound,
            "page": self.params.page,
            "pages": self.pages,
            "page_size": PAGE_SIZE,
            "sort": self.params.sort,
            "backend": self.backend,
            "degraded": self.degraded,
            "did_you_mean": self.did_you_mean or None,
            "best_bets": [
                {"title": bet.title, "url": bet.url, "description": bet.description} for bet in self.best_bets
            ],
            "results": [hit.as_dict() for hit in self.hits],
            "facets": {name: [value.as_dict() for value in values] for name, values in self.facets.items()},
        }


# ----------------------------------------------------------------------------------------------
# Departments and best bets
# ----------------------------------------------------------------------------------------------


def departments() -> dict[str, Department]:
    """Every site (portal and departments), by schema; one small query per search."""
    from tenants.models import Department as DepartmentModel

    rows = DepartmentModel.objects.filter(kind__in=SITE_KINDS).only(
        "schema_name", "host_prefix", "name", "status", "sort_order", "kind"
    )
    return {
        row.schema_name: Department(
            tenant=row.schema_name, prefix=row.host_prefix, name=row.name, active=row.status == "active",
            order=(0 if row.kind == "portal" else 1, row.sort_order, row.pk), base_url=row.base_url,
        )
        for row in rows
    }


_best_bets: tuple[float, dict[str, list]] | None = None
_best_bets_lock = threading.Lock()
BEST_BETS_SECONDS = 30


def forget_best_bets(**kwargs) -> None:
    global _best_bets
    with _best_bets_lock:
        _best_bets = None


def best_bets_for(folded: str) -> list:
    global _best_bets
    from .models import BestBet

    cached = _best_bets
    if cached is None or cached[0] < time.monotonic():
        table: dict[str, list] = {}
        for bet in BestBet.objects.filter(enabled=True).order_by("sort_order", "id"):
            for query in bet.query_list():
                table.setdefault(text.exact_key(query), []).append(bet)
        with _best_bets_lock:
            _best_bets = cached = (time.monotonic() + BEST_BETS_SECONDS, table)
    return list(cached[1].get(text.exact_key(folded), []))


def connect_signals() -> None:
    from .models import BestBet

    for signal in (post_save, post_delete):
        signal.connect(forget_best_bets, sender=BestBet, dispatch_uid=f"search.best_bets.{signal}")


# ----------------------------------------------------------------------------------------------
# Elasticsearch availability
# ----------------------------------------------------------------------------------------------

_es_down_until = 0.0


def es_available() -> bool:
    return settings.SEARCH_BACKEND != "postgres" and time.monotonic() >= _es_down_until


def mark_es_down(error: Exception) -> None:
    global _es_down_until
    _es_down_until = time.monotonic() + ES_RETRY_AFTER_SECONDS
    logger.warning("Elasticsearch 不可用，改用 PostgreSQL 检索: %s", error)


def forget_es_state() -> None:
    global _es_down_until
    _es_down_until = 0.0


# ----------------------------------------------------------------------------------------------
# The search
# ----------------------------------------------------------------------------------------------


def search(params: Params) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(params=params)
    folded = text.fold(params.q)
    if not folded:
        return outcome
    sites = departments()
    inactive = sorted(tenant for tenant, site in sites.items() if not site.active)
    filters = _filters(params, sites)
    outcome.best_bets = best_bets_for(folded) if params.page == 1 else []
    answered = False
    if es_available():
        try:
            _search_es(outcome, folded, filters, inactive, sites)
            answered = True
        except (TransportError, ApiError) as error:
            mark_es_down(error)
    if not answered:
        _search_pg(outcome, folded, filters, inactive, sites)
    outcome.took_ms = (time.perf_counter() - started) * 1000
    return outcome


def _filters(params: Params, sites: dict[str, Department]) -> dict:
    filters: dict = {}
    if params.department:
        by_prefix = {site.prefix: site.tenant for site in sites.values()}
        # Exact: a department removed since the parameters were checked matches nothing rather
        # than everything (no schema name starts with a dash).
        filters["tenant"] = by_prefix.get(params.department, "-unknown")
    if params.type:
        filters["type"] = params.type
    if params.year:
        filters["year"] = params.year
    return filters


def _facet_values(name: str, counts: dict, filters: dict, sites: dict[str, Department]) -> list[FacetValue]:
    selected = filters.get(name)
    values = []
    for key, count in counts.items():
        if name == "tenant":
            site = sites.get(key)
            if site is None or not site.active:
                continue
            values.append((site.order, FacetValue(site.prefix, site.name, count, key == selected)))
        elif name == "type":
            position = TYPE_ORDER.index(key) if key in TYPE_ORDER else len(TYPE_ORDER)
            values.append(((position, key), FacetValue(key, TYPE_LABELS.get(key, key), count, key == selected)))
        else:
            values.append(((-int(key),), FacetValue(str(key), f"{key}年", count, int(key) == selected)))
    return [value for _, value in sorted(values, key=lambda pair: pair[0])]


def _facets(counts: dict[str, dict], filters: dict, sites) -> dict[str, list[FacetValue]]:
    return {
        "department": _facet_values("tenant", counts.get("tenant", {}), filters, sites),
        "type": _facet_values("type", counts.get("type", {}), filters, sites),
        "year": _facet_values("year", counts.get("year", {}), filters, sites),
    }


def _filter_clauses(filters: dict, leave_out: str | None = None) -> list:
    return [Q("term", **{name: value}) for name, value in filters.items() if name != leave_out]


def _text_query(folded: str):
    compact = folded.replace(" ", "")
    single = bool(text.ONLY_HAN.match(compact)) and len(compact) == 1
    suffix = ".char" if single else ""
    fields = [f"title{suffix}^3", f"summary{suffix}^2", f"body{suffix}"]
    should = [
        Q("term", title_exact={"value": text.exact_key(folded), "boost": 30}),
        Q("distance_feature", field="date", origin="now", pivot="365d", boost=0.5),
    ]
    if not single:
        should += [
            Q("match_phrase", title={"query": folded, "boost": 4}),
            Q("match_phrase", summary={"query": folded, "boost": 2}),
            Q("match_phrase", body={"query": folded, "boost": 1.5}),
        ]
    must = Q("multi_match", query=folded, fields=fields, type="cross_fields", operator="or",
             minimum_should_match="3<80%")
    return Q("bool", must=[must], should=should), suffix


def build_es_search(params: Params, folded: str, filters: dict, inactive: list[str]) -> tuple[Search, str]:
    """The Elasticsearch request of a search (the benchmark sends the very same body)."""
    query, suffix = _text_query(folded)
    if inactive:
        query = Q("bool", must=[query], must_not=[Q("terms", tenant=inactive)])
    search = Search(using=index.client("search"), index=index.alias()).query(query)
    if filters:
        search = search.post_filter(Q("bool", filter=_filter_clauses(filters)))
    for name, field_name, terms in (
        ("tenant", "tenant", A("terms", field="tenant", size=500)),
        ("type", "type", A("terms", field="type", size=30)),
        ("year", "year", A("terms", field="year", size=50, order={"_key": "desc"})),
    ):
        clauses = _filter_clauses(filters, leave_out=field_name)
        bucket = A("filter", Q("bool", filter=clauses) if clauses else Q("match_all"))
        bucket.bucket("values", terms)
        search.aggs.bucket(name, bucket)
    search = search.highlight_options(encoder="html", pre_tags=["<em>"], post_tags=["</em>"], type="unified")
    search = search.highlight(f"title{suffix}", number_of_fragments=0)
    search = search.highlight(f"summary{suffix}", number_of_fragments=0)
    search = search.highlight(f"body{suffix}", fragment_size=80, number_of_fragments=2, no_match_size=120)
    search = search.source(["tenant", "type", "title_display", "url", "date", "summary"])
    if params.sort == "date":
        search = search.sort({"date": "desc"}, "_score")
    else:
        search = search.sort("_score", {"date": "desc"})
    start = (params.page - 1) * PAGE_SIZE
    return search.extra(track_total_hits=True)[start : start + PAGE_SIZE], suffix


def _search_es(outcome: Outcome, folded: str, filters: dict, inactive: list[str], sites) -> None:
    params = outcome.params
    search, suffix = build_es_search(params, folded, filters, inactive)
    response = search.execute()

    outcome.backend = "elasticsearch"
    outcome.total = response.hits.total.value
    counts = {
        name: {str(bucket.key): bucket.doc_count for bucket in getattr(response.aggregations, name).values.buckets}
        for name in ("tenant", "type", "year")
    }
    outcome.facets = _facets(counts, filters, sites)
    for hit in response.hits:
        highlight = hit.meta.to_dict().get("highlight", {})
        site = sites.get(hit.tenant)
        title = highlight.get(f"title{suffix}", [None])[0] or escape(hit.title_display)
        summary_hl = highlight.get(f"summary{suffix}", [""])[0]
        body_hl = highlight.get(f"body{suffix}", [])
        if "<em>" in summary_hl:
            snippet = summary_hl
        elif any("<em>" in fragment for fragment in body_hl):
            snippet = "…".join(fragment for fragment in body_hl if "<em>" in fragment) + "…"
        else:
            snippet = escape(hit.summary[:120]) if hit.summary else "…".join(body_hl)
        outcome.hits.append(
            Hit(
                doc_id=hit.meta.id, title_html=title, url=hit.url,
                department=site.name if site else "", department_prefix=site.prefix if site else "",
                type=hit.type, type_label=TYPE_LABELS.get(hit.type, hit.type),
                date=datetime.fromisoformat(hit.date) if isinstance(hit.date, str) else hit.date,
                snippet_html=snippet,
            )
        )
    if outcome.total == 0 or (outcome.total < 3 and params.page == 1):
        outcome.did_you_mean = did_you_mean(folded, inactive)


def _search_pg(outcome: Outcome, folded: str, filters: dict, inactive: list[str], sites) -> None:
    params = outcome.params
    result = fallback.search(folded, filters, inactive, params.sort, PAGE_SIZE, (params.page - 1) * PAGE_SIZE)
    outcome.backend = "postgresql"
    outcome.total = result.total
    outcome.total_is_lower_bound = result.capped
    outcome.facets = _facets(result.facets, filters, sites)
    terms = [*result.terms, folded]
    for row in result.rows:
        site = sites.get(row["tenant"])
        outcome.hits.append(
            Hit(
                doc_id=row["doc_id"],
                title_html=text.highlight(row["title_folded"], terms, size=255),
                url=row["url"],
                department=site.name if site else "", department_prefix=site.prefix if site else "",
                type=row["type"], type_label=row["type_label"], date=row["publish_time"],
                snippet_html=text.highlight(row["summary"] if _contains(row["summary"], terms) else row["body"]
                                            or row["summary"], terms),
            )
        )


def _contains(value: str, terms: list[str]) -> bool:
    lowered = (value or "").lower()
    return any(term.lower() in lowered for term in terms if term)


# ----------------------------------------------------------------------------------------------
# Suggestions and "did you mean"
# ----------------------------------------------------------------------------------------------

LUCENE_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


def _regex_escape(value: str) -> str:
    return LUCENE_REGEX_SPECIAL.sub(r"\\\1", value)


def _term_counts(field_name: str, prefix: str, inactive: list[str], size: int = 20) -> list[tuple[str, int]]:
    """Values of a suggestion field that start with `prefix`, with how many live documents have them."""
    query = Q("bool", filter=[Q("prefix", **{field_name: prefix})],
              must_not=[Q("terms", tenant=inactive)] if inactive else [])
    search = Search(using=index.client("search"), index=index.alias()).query(query).extra(size=0)
    search.aggs.bucket("values", A("terms", field=field_name, size=size, include=_regex_escape(prefix) + ".*"))
    response = search.execute()
    return [(bucket.key, bucket.doc_count) for bucket in response.aggregations["values"].buckets]


def _words_for_pinyin(key: str, inactive: list[str], exact: bool) -> list[tuple[str, int]]:
    words: dict[str, int] = {}
    for value, count in _term_counts("suggest_py", f"{key}|" if exact else key, inactive, size=30):
        word = value.split("|", 1)[1]
        words[word] = max(words.get(word, 0), count)
    return sorted(words.items(), key=lambda pair: (-pair[1], len(pair[0])))


def did_you_mean(folded: str, inactive: list[str]) -> str:
    """A better query for typos (homophones typed with a pinyin input method) and pinyin input.

    The query's pinyin (or the pinyin typed) is looked up among the pinyin of title words; when
    nothing has exactly that pinyin, Elasticsearch's term suggester finds the nearest pinyin
    (one or two letters off) and its word is offered."""
    compact = folded.replace(" ", "")
    if not compact or len(compact) > 20:
        return ""
    try:
        if text.is_pinyin_input(compact):
            key = compact.lower().replace("'", "")
        elif text.ONLY_HAN.match(compact):
            key = text.pinyin_keys(compact)[0]
        else:
            return ""
        words = [word for word, _ in _words_for_pinyin(key, inactive, exact=True) if word != compact]
        if not words and len(key) >= 4:
            suggestion = (
                Search(using=index.client("search"), index=index.alias()).extra(size=0)
                .suggest("pinyin", key, term={"field": "suggest_pinyin", "suggest_mode": "always",
                                                "max_edits": 2, "prefix_length": 1, "min_word_length": 4})
                .execute()
            )
            for option in suggestion.suggest.pinyin[0].options:
                words = [word for word, _ in _words_for_pinyin(option.text, inactive, exact=True) if word != compact]
                if words:
                    break
        return words[0] if words else ""
    except (TransportError, ApiError) as error:
        logger.info("“您是不是要找”查询失败: %s", error)
        return ""


_name_pinyin: dict[str, tuple[str, str]] = {}


def name_pinyin(name: str) -> tuple[str, str]:
    """Pinyin and initials of a department name (remembered; there are a few hundred names)."""
    if name not in _name_pinyin:
        _name_pinyin[name] = text.pinyin_keys(name)
    return _name_pinyin[name]


def suggest(prefix: str, limit: int = 8) -> list[dict]:
    """As-you-type suggestions: departments whose name (or its pinyin or initials) contains what
    was typed, then title words that start with it (Chinese, pinyin or initials), by document count."""
    folded = text.fold(prefix).strip()
    if not folded:
        return []
    every = departments()
    sites = {tenant: site for tenant, site in every.items() if site.active}
    inactive = sorted(tenant for tenant, site in every.items() if not site.active)
    pinyin = text.is_pinyin_input(folded)
    key = folded.lower().replace(" ", "").replace("'", "")
    suggestions = []
    for site in sorted(sites.values(), key=lambda site: site.order):
        if site.prefix == settings.PORTAL_HOST_PREFIX:
            continue
        full, initials = name_pinyin(site.name)
        if (pinyin and (key in full or key in initials)) or (not pinyin and folded in site.name):
            suggestions.append({"text": site.name, "kind": "department", "department": site.prefix,
                                "url": site.base_url + "/"})
    words: list[tuple[str, int]] = []
    if es_available():
        try:
            if pinyin:
                words = _words_for_pinyin(key, inactive, exact=False)
            else:
                words = sorted(_term_counts("suggest_zh", folded, inactive), key=lambda pair: (-pair[1], len(pair[0])))
        except (TransportError, ApiError) as error:
            mark_es_down(error)
    for word, count in words:
        if len(suggestions) >= limit:
            break
        if all(entry["text"] != word for entry in suggestions):
            suggestions.append({"text": word, "kind": "term", "count": count})
    return suggestions[:limit]
