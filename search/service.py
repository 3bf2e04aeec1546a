"""The query service: one `search()` for the page and the API, Elasticsearch first.

What a search does, in order (each step in its own module):

1. parameters (`search.params`), best bets;
2. a department named in the query (`search.sites`: 卫健局 疫苗) becomes that department's filter
   and the rest of the query is what is matched; a query that is only a department's name offers
   its site first;
3. synonyms (`search.synonyms`) add alternatives of the text;
4. the text query (`search.query`) on Elasticsearch — or, when it cannot answer (down, slow, or
   its alias missing), the same question on the PostgreSQL projection (`search.fallback`), and the
   answer says it is degraded;
5. when the query as typed finds nothing or very little, a correction (`search.corrections`,
   against the index's own vocabulary) is searched, and its results are shown at once if it finds
   more, with a way back to what was typed.

Only live, public documents are in the projection and the index; every query also excludes
departments that are not active (read from the database on each search, so suspending a
department hides it at once), and a department filter is an exact `tenant` term.
"""

import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from elasticsearch import ApiError, TransportError

from . import corrections, fallback, query, sites, synonyms, text
from .backend import es_available, forget_es_state, mark_es_down  # noqa: F401 - the service's API
from .params import MAX_PAGE, MAX_QUERY_LENGTH, PAGE_SIZE, InvalidQuery, Params  # noqa: F401
from .query import build_es_search  # noqa: F401 - the benchmark sends the very same body
from .querylog import log_query, popular_queries  # noqa: F401
from .sites import Department, departments  # noqa: F401

# A query with fewer results than this on its first page is worth a correction's try; the
# correction replaces it when it finds at least `CORRECTION_GAIN` times as many.
FEW_RESULTS = 3
CORRECTION_GAIN = 3
VALIDITY_LABELS = {"expired": "已失效", "repealed": "已废止", "superseded": "已被替代"}


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
    validity: str = "valid"

    @property
    def validity_label(self) -> str:
        return VALIDITY_LABELS.get(self.validity, "")

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
            "validity": self.validity,
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
    # What was searched: the typed query, or its correction (then `corrected_from` is the typed
    # one), without a department name that became `department_detected`.
    query_run: str = ""
    corrected_from: str = ""
    department_detected: Department | None = None
    department_site: Department | None = None
    synonyms: list[str] = field(default_factory=list)

    @property
    def degraded(self) -> bool:
        return self.backend != "elasticsearch"

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / PAGE_SIZE)))

    def as_dict(self) -> dict:
        detected, site = self.department_detected, self.department_site
        return {
            "q": self.params.q,
            "query_run": self.query_run or self.params.q,
            "corrected_from": self.corrected_from or None,
            "department_detected": {"key": detected.prefix, "label": detected.name} if detected else None,
            "department_site": {"key": site.prefix, "label": site.name, "url": site.base_url + "/"} if site else None,
            "synonyms": self.synonyms,
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
# Best bets
# ----------------------------------------------------------------------------------------------

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
            for line in bet.query_list():
                table.setdefault(text.exact_key(line), []).append(bet)
        with _best_bets_lock:
            _best_bets = cached = (time.monotonic() + BEST_BETS_SECONDS, table)
    return list(cached[1].get(text.exact_key(folded), []))


def connect_signals() -> None:
    from .models import BestBet

    for signal in (post_save, post_delete):
        signal.connect(forget_best_bets, sender=BestBet, dispatch_uid=f"search.best_bets.{signal}")
    synonyms.connect_signals()


# ----------------------------------------------------------------------------------------------
# The search
# ----------------------------------------------------------------------------------------------


@dataclass
class _Answer:
    backend: str
    total: int
    hits: list[Hit]
    facets: dict
    total_is_lower_bound: bool = False


def search(params: Params) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(params=params)
    folded = text.fold(params.q)
    if not folded:
        return outcome
    every = departments()
    inactive = sorted(tenant for tenant, site in every.items() if not site.active)
    outcome.best_bets = best_bets_for(folded) if params.page == 1 else []
    matched, tenant = folded, None
    if not params.department and not params.nodept:
        found = sites.recognise(folded, every)
        if found is not None and found.rest:
            matched, tenant = found.rest, found.site.tenant
        elif found is not None and params.page == 1:
            outcome.department_site = found.site
    answer = _answer(params, matched, folded, _filters(params, every, tenant), inactive, every)
    if tenant is not None and answer.total == 0:
        # Nothing of that department on the topic: search the whole query everywhere instead.
        matched, tenant = folded, None
        answer = _answer(params, matched, folded, _filters(params, every, None), inactive, every)
    outcome.department_detected = every[tenant] if tenant else None
    outcome.query_run = matched
    if params.page == 1 and answer.total < FEW_RESULTS:
        # The likeliest correction that finds clearly more is searched instead; the first one
        # is offered as a link when none does (or when the visitor asked for the typed query).
        found = corrections.candidates(matched)
        for suggestion in ([] if params.nocorrect else found):
            trial = _answer(params, suggestion, suggestion, _filters(params, every, tenant), inactive, every)
            if trial.total >= max(1, CORRECTION_GAIN * answer.total):
                answer, outcome.corrected_from, outcome.query_run = trial, params.q, suggestion
                break
        else:
            outcome.did_you_mean = found[0] if found else ""
    outcome.synonyms = synonyms.alternatives(outcome.query_run)
    outcome.backend, outcome.total, outcome.hits = answer.backend, answer.total, answer.hits
    outcome.facets, outcome.total_is_lower_bound = answer.facets, answer.total_is_lower_bound
    outcome.took_ms = (time.perf_counter() - started) * 1000
    return outcome


def _answer(params: Params, matched: str, whole: str, filters: dict, inactive: list[str], every) -> _Answer:
    alternatives = synonyms.alternatives(matched)
    if es_available():
        try:
            return _search_es(params, matched, whole, alternatives, filters, inactive, every)
        except (TransportError, ApiError) as error:
            mark_es_down(error)
    return _search_pg(params, matched, whole, alternatives, filters, inactive, every)


def _filters(params: Params, every: dict[str, Department], detected_tenant: str | None = None) -> dict:
    filters: dict = {}
    if params.department:
        by_prefix = {site.prefix: site.tenant for site in every.values()}
        # Exact: a department removed since the parameters were checked matches nothing rather
        # than everything (no schema name starts with a dash).
        filters["tenant"] = by_prefix.get(params.department, "-unknown")
    elif detected_tenant:
        filters["tenant"] = detected_tenant
    if params.type:
        filters["type"] = params.type
    if params.year:
        filters["year"] = params.year
    return filters


def _search_es(params, matched, whole, alternatives, filters, inactive, every) -> _Answer:
    request, suffix = build_es_search(params, matched, filters, inactive, alternatives, exact=whole)
    total, counts, hits = query.read_response(request.execute(), suffix, every)
    return _Answer("elasticsearch", total, hits, query.facets(counts, filters, every))


def _search_pg(params, matched, whole, alternatives, filters, inactive, every) -> _Answer:
    result = fallback.search(matched, filters, inactive, params.sort, PAGE_SIZE, (params.page - 1) * PAGE_SIZE,
                             alternatives=alternatives, exact=whole, dated=query.names_a_year(whole))
    terms = [*result.terms, matched, *alternatives]
    hits = []
    for row in result.rows:
        site = every.get(row["tenant"])
        hits.append(Hit(
            doc_id=row["doc_id"],
            title_html=text.highlight(row["title_folded"], terms, size=255),
            url=row["url"],
            department=site.name if site else "", department_prefix=site.prefix if site else "",
            type=row["type"], type_label=row["type_label"], date=row["publish_time"],
            snippet_html=text.highlight(row["summary"] if _contains(row["summary"], terms) else row["body"]
                                        or row["summary"], terms),
            validity=row["validity"],
        ))
    return _Answer("postgresql", result.total, hits, query.facets(result.facets, filters, every),
                   total_is_lower_bound=result.capped)


def _contains(value: str, terms: list[str]) -> bool:
    lowered = (value or "").lower()
    return any(term.lower() in lowered for term in terms if term)


# ----------------------------------------------------------------------------------------------
# Suggestions and "did you mean" (kept here for the callers of the service)
# ----------------------------------------------------------------------------------------------


def did_you_mean(folded: str, inactive: list[str] | None = None) -> str:
    return corrections.correction(folded)


def suggest(prefix: str, limit: int = 8) -> list[dict]:
    from .suggest import suggestions

    return suggestions(prefix, limit)[0]
