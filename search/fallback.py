"""Search over the PostgreSQL projection, for when Elasticsearch cannot answer.

The `tsv` column holds jieba search-mode tokens (title A, summary B, body D) in a `simple`
tsvector with a GIN index, plus every single character and character pair of the title and the
summary, so:

- a query of one or two Chinese characters is one lexeme: it matches titles and summaries that
  contain it anywhere, and bodies where jieba made it a word;
- a longer query is segmented by jieba (precise mode) and every token must be present; if that
  finds nothing, single-character tokens are dropped and it is tried once more.

Matching goes through the GIN index, or for very common words through the date index (newest
first, stopping at `MATCH_CAP` matches); never a sequential scan. Facets, the total and the
`ts_rank` ranking (exact title first) are computed over those matches, so a search costs the same
whether a word is rare or everywhere; beyond the cap the total is a lower bound.
"""

from dataclasses import dataclass

from django.db import connection

from . import text

# At most this many matches (the most recent) are counted, faceted and ranked: a one-character
# query can match half the district, and reading every match would take seconds. Totals beyond
# it are reported as "at least" — the page already says degraded results may be incomplete.
MATCH_CAP = 1000

MATCHES = """
    SELECT d.id, d.tenant, d.type, d.year, d.publish_time FROM search_searchdocument d
    WHERE d.tsv @@ plainto_tsquery('simple', %(q)s) AND NOT (d.tenant = ANY(%(inactive)s)) {where}
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
       left(d.body, 2000), d.publish_time
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


def search(folded: str, filters: dict, inactive: list[str], sort: str, limit: int, offset: int) -> FallbackResult:
    tokens, relaxed = query_text(folded)
    result = _run(tokens, folded, filters, inactive, sort, limit, offset)
    if result.total == 0 and relaxed:
        result = _run(relaxed, folded, filters, inactive, sort, limit, offset)
    return result


def facet_sql(conditions: dict) -> str:
    return FACET_SQL.format(matches=MATCHES.format(where=""), **conditions)


def hits_sql(conditions: dict, order: str) -> str:
    where = " AND ".join(f"d.{condition}" for condition in conditions.values() if condition != "TRUE")
    return HITS_SQL.format(matches=MATCHES.format(where=f"AND {where}" if where else ""), order=order)


def _run(tokens, folded, filters, inactive, sort, limit, offset) -> FallbackResult:
    if not tokens:
        return FallbackResult(0, [], {"tenant": {}, "type": {}, "year": {}}, [])
    params = {
        "q": " ".join(tokens), "inactive": list(inactive), "exact": text.exact_key(folded), "cap": MATCH_CAP,
        "f_tenant": filters.get("tenant"), "f_type": filters.get("type"), "f_year": filters.get("year"),
        "limit": limit, "offset": offset,
    }
    conditions = _conditions(filters)
    facets: dict[str, dict[str, int]] = {"tenant": {}, "type": {}, "year": {}}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(facet_sql(conditions), params)
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
            order = ("(lower(replace(d.title_folded, ' ', '')) = %(exact)s) DESC, "
                     "ts_rank(d.tsv, plainto_tsquery('simple', %(q)s)) DESC, d.publish_time DESC")
        cursor.execute(hits_sql(conditions, order), params)
        columns = ["doc_id", "tenant", "type", "type_label", "title", "title_folded", "url", "summary", "body",
                   "publish_time"]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return FallbackResult(total, rows, facets, tokens, capped=total >= MATCH_CAP)
