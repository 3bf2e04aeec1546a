"""Search over the PostgreSQL projection, for when Elasticsearch cannot answer.

The `tsv` column holds jieba search-mode tokens (title A, summary B, body D) in a `simple`
tsvector with a GIN index, plus every single character and character pair of the title and the
summary, so:

- a query of one or two Chinese characters is one lexeme: it matches titles and summaries that
  contain it anywhere, and bodies where jieba made it a word;
- a longer query is segmented by jieba (precise mode) and every token must be present; if that
  finds nothing, single-character tokens are dropped and it is tried once more.

Synonym alternatives are OR-ed tsqueries (`q || q1 || …`); the ranking multiplies `ts_rank` by
the same validity and "newer version exists" factors as Elasticsearch.

Matching goes through the GIN index, or for very common words through the date index (newest
first, stopping at `MATCH_CAP` matches); never a sequential scan. Facets, the total and the
`ts_rank` ranking (exact title first) are computed over those matches, so a search costs the same
whether a word is rare or everywhere; beyond the cap the total is a lower bound.
"""

from dataclasses import dataclass

from django.db import connection

from . import text
from .documents import OUTDATED_FACTOR, RANK_FACTORS

# At most this many matches (the most recent) are counted, faceted and ranked: a one-character
# query can match half the district, and reading every match would take seconds. Totals beyond
# it are reported as "at least" — the page already says degraded results may be incomplete.
MATCH_CAP = 1000

MATCHES = """
    SELECT d.id, d.tenant, d.type, d.year, d.publish_time FROM search_searchdocument d
    WHERE d.tsv @@ ({tsquery}) AND NOT (d.tenant = ANY(%(inactive)s)) {where}
    ORDER BY d.publish_time DESC LIMIT %(cap)s
"""

FACET_SQL = """
WITH m AS MATERIALIZED ({matches})
SELECT 'total', '', count(*) FROM m WHERE {tenant} AND {type} AND {year}
UNION ALL SELECT 'tenant', tenant, count(*) FROM m WHERE {type} AND {year} GROUP BY tenant
UNION ALL SELECT 'type', type, count(*) FROM m WHERE {tenant} AND {year} GROUP BY type
UNION ALL SELECT 'year', year::text, count(*) FROM m WHERE {tenant} AND {type} GROUP BY year
"""

HITS_SQL = """
WITH m AS MATERIALIZED ({matches})
SELECT d.doc_id, d.tenant, d.type, d.type_label, d.title, d.title_folded, d.url, d.summary,
       left(d.body, 2000), d.publish_time, d.validity
FROM m JOIN search_searchdocument d ON d.id = m.id
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""


@dataclass
class FallbackResult:
    total: int
    rows: list[dict]
    facets: dict[str, dict[str, int]]
    terms: list[str]
    capped: bool = False


def _conditions(filters: dict) -> dict:
    return {
        "tenant": "tenant = %(f_tenant)s" if filters.get("tenant") else "TRUE",
        "type": "type = %(f_type)s" if filters.get("type") else "TRUE",
        "year": "year = %(f_year)s" if filters.get("year") else "TRUE",
    }


def query_text(folded: str) -> tuple[list[str], list[str]]:
    """(tokens that must all match, the relaxed tokens to try when they find nothing)."""
    compact = folded.replace(" ", "")
    if text.is_short_query(compact):
        return [compact], []
    tokens = text.query_tokens(folded)
    relaxed = [t for t in tokens if len(t) > 1]
    return tokens, relaxed if relaxed != tokens else []


def search(folded: str, filters: dict, inactive: list[str], sort: str, limit: int, offset: int,
           alternatives: list[str] = (), exact: str | None = None, dated: bool = False) -> FallbackResult:
    """`alternatives` are synonym forms of `folded`; `exact` the whole query for the exact-title
    rule; `dated` (the query names a year) turns off the "newer version exists" factor."""
    queries = [query_text(value) for value in [folded, *alternatives]]
    strict = [tokens for tokens, _ in queries if tokens]
    result = _run(strict, exact or folded, filters, inactive, sort, limit, offset, dated)
    relaxed = [relaxed or tokens for tokens, relaxed in queries if relaxed or tokens]
    if result.total == 0 and any(relaxed for _, relaxed in queries):
        result = _run(relaxed, exact or folded, filters, inactive, sort, limit, offset, dated)
    return result


def tsquery(count: int) -> str:
    return " || ".join(f"plainto_tsquery('simple', %(q{number or ''})s)" for number in range(count))


def facet_sql(conditions: dict, alternatives: int = 1) -> str:
    return FACET_SQL.format(matches=MATCHES.format(where="", tsquery=tsquery(alternatives)), **conditions)


def hits_sql(conditions: dict, order: str, alternatives: int = 1) -> str:
    where = " AND ".join(f"d.{condition}" for condition in conditions.values() if condition != "TRUE")
    matches = MATCHES.format(where=f"AND {where}" if where else "", tsquery=tsquery(alternatives))
    return HITS_SQL.format(matches=matches, order=order)


RANK_SQL = ("(CASE d.validity " + " ".join(f"WHEN '{key}' THEN {value}" for key, value in RANK_FACTORS.items())
            + " ELSE 1 END) * (CASE WHEN d.outdated AND NOT %(dated)s THEN " + str(OUTDATED_FACTOR) + " ELSE 1 END)")


def _run(token_lists, folded, filters, inactive, sort, limit, offset, dated=False) -> FallbackResult:
    if not token_lists:
        return FallbackResult(0, [], {"tenant": {}, "type": {}, "year": {}}, [])
    params = {
        "inactive": list(inactive), "exact": text.exact_key(folded), "cap": MATCH_CAP, "dated": dated,
        "f_tenant": filters.get("tenant"), "f_type": filters.get("type"), "f_year": filters.get("year"),
        "limit": limit, "offset": offset,
        **{f"q{number or ''}": " ".join(tokens) for number, tokens in enumerate(token_lists)},
    }
    alternatives = len(token_lists)
    tokens = [token for tokens in token_lists for token in tokens]
    conditions = _conditions(filters)
    facets: dict[str, dict[str, int]] = {"tenant": {}, "type": {}, "year": {}}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(facet_sql(conditions, alternatives), params)
        for facet, key, count in cursor.fetchall():
            if facet == "total":
                total = count
            else:
                facets[facet][key] = count
        if total == 0:
            return FallbackResult(0, [], facets, tokens)
        if sort == "date":
            order = "d.publish_time DESC, d.id DESC"
        else:
            order = (f"(lower(replace(d.title_folded, ' ', '')) = %(exact)s) DESC, "
                     f"ts_rank(d.tsv, {tsquery(alternatives)}) * {RANK_SQL} DESC, d.publish_time DESC")
        cursor.execute(hits_sql(conditions, order, alternatives), params)
        columns = ["doc_id", "tenant", "type", "type_label", "title", "title_folded", "url", "summary", "body",
                   "publish_time", "validity"]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return FallbackResult(total, rows, facets, tokens, capped=total >= MATCH_CAP)
