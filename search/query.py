"""The Elasticsearch request of a search, and reading its answer.

Text matching: bigram `cross_fields` over title, summary and body (single characters for
one-character queries), phrase boosts, and an exact-title boost. Synonyms are alternatives of
the text clause (the typed form weighs most). Ranking then multiplies by the document's
validity factor (a repealed or superseded document ranks below a valid one) and, for a query
that names no year, lowers documents a newer one of the same title shape has replaced (last
year's notice); a small recency feature breaks near-ties. These factors are bounded, so a
clearly better text match still comes first.
"""

import re
from datetime import datetime

from django.utils.html import escape
from elasticsearch.dsl import A, Q, Search

from . import index, text
from .documents import OUTDATED_FACTOR, TYPE_LABELS, TYPE_ORDER
from .params import PAGE_SIZE, Params

YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
SYNONYM_WEIGHT = 0.85


def names_a_year(folded: str) -> bool:
    return bool(YEAR.search(folded))


def filter_clauses(filters: dict, leave_out: str | None = None) -> list:
    return [Q("term", **{name: value}) for name, value in filters.items() if name != leave_out]


def _match(folded: str, suffix: str, boost: float):
    fields = [f"title{suffix}^3", f"summary{suffix}^2", f"body{suffix}"]
    return Q("multi_match", query=folded, fields=fields, type="cross_fields", operator="or",
             minimum_should_match="3<80%", boost=boost)


def text_query(folded: str, alternatives: list[str] = (), exact: str | None = None):
    """The scored text query: `folded` and its synonym alternatives; `exact` is the whole query as
    typed, for the exact-title boost (it differs from `folded` when a department name was taken out)."""
    compact = folded.replace(" ", "")
    single = bool(text.ONLY_HAN.match(compact)) and len(compact) == 1
    suffix = ".char" if single else ""
    should = [Q("distance_feature", field="date", origin="now", pivot="365d", boost=0.5)]
    for key in {text.exact_key(folded), text.exact_key(exact or folded)}:
        should.append(Q("term", title_exact={"value": key, "boost": 30}))
    matches = [_match(folded, suffix, 1.0)]
    for number, alternative in enumerate([folded, *alternatives]):
        weight = 1.0 if number == 0 else SYNONYM_WEIGHT
        if number:
            matches.append(_match(alternative, suffix, weight))
        if not single:
            should += [
                Q("match_phrase", title={"query": alternative, "boost": 4 * weight}),
                Q("match_phrase", summary={"query": alternative, "boost": 2 * weight}),
                Q("match_phrase", body={"query": alternative, "boost": 1.5 * weight}),
            ]
    must = matches[0] if len(matches) == 1 else Q("bool", should=matches, minimum_should_match=1)
    functions = [{"field_value_factor": {"field": "rank", "missing": 1}}]
    if not names_a_year(exact or folded):
        functions.append({"filter": {"term": {"outdated": True}}, "weight": OUTDATED_FACTOR})
    scored = Q("function_score", query=Q("bool", must=[must], should=should), functions=functions,
               score_mode="multiply", boost_mode="multiply")
    return scored, suffix


def build_es_search(params: Params, folded: str, filters: dict, inactive: list[str],
                    alternatives: list[str] = (), exact: str | None = None) -> tuple[Search, str]:
    """The Elasticsearch request of a search (the benchmark sends the very same body)."""
    query, suffix = text_query(folded, alternatives, exact)
    if inactive:
        query = Q("bool", must=[query], must_not=[Q("terms", tenant=inactive)])
    search = Search(using=index.client("search"), index=index.alias()).query(query)
    if filters:
        search = search.post_filter(Q("bool", filter=filter_clauses(filters)))
    for name, field_name, terms in (
        ("tenant", "tenant", A("terms", field="tenant", size=500)),
        ("type", "type", A("terms", field="type", size=30)),
        ("year", "year", A("terms", field="year", size=50, order={"_key": "desc"})),
    ):
        clauses = filter_clauses(filters, leave_out=field_name)
        bucket = A("filter", Q("bool", filter=clauses) if clauses else Q("match_all"))
        bucket.bucket("values", terms)
        search.aggs.bucket(name, bucket)
    search = search.highlight_options(encoder="html", pre_tags=["<em>"], post_tags=["</em>"], type="unified")
    search = search.highlight(f"title{suffix}", number_of_fragments=0)
    search = search.highlight(f"summary{suffix}", number_of_fragments=0)
    search = search.highlight(f"body{suffix}", fragment_size=80, number_of_fragments=2, no_match_size=120)
    search = search.source(["tenant", "type", "title_display", "url", "date", "summary", "validity"])
    if params.sort == "date":
        search = search.sort({"date": "desc"}, "_score")
    else:
        search = search.sort("_score", {"date": "desc"})
    start = (params.page - 1) * PAGE_SIZE
    return search.extra(track_total_hits=True)[start : start + PAGE_SIZE], suffix


def facet_values(name: str, counts: dict, filters: dict, sites) -> list:
    from .service import FacetValue

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


def facets(counts: dict[str, dict], filters: dict, sites) -> dict:
    return {
        "department": facet_values("tenant", counts.get("tenant", {}), filters, sites),
        "type": facet_values("type", counts.get("type", {}), filters, sites),
        "year": facet_values("year", counts.get("year", {}), filters, sites),
    }


def read_response(response, suffix: str, sites) -> tuple[int, dict, list]:
    """(total, facet counts, hits) of an Elasticsearch answer."""
    from .service import Hit

    counts = {
        name: {str(bucket.key): bucket.doc_count for bucket in getattr(response.aggregations, name).values.buckets}
        for name in ("tenant", "type", "year")
    }
    hits = []
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
        hits.append(Hit(
            doc_id=hit.meta.id, title_html=title, url=hit.url,
            department=site.name if site else "", department_prefix=site.prefix if site else "",
            type=hit.type, type_label=TYPE_LABELS.get(hit.type, hit.type),
            date=datetime.fromisoformat(hit.date) if isinstance(hit.date, str) else hit.date,
            snippet_html=snippet, validity=getattr(hit, "validity", None) or "valid",
        ))
    return response.hits.total.value, counts, hits
