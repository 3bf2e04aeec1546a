"""Search over the PostgreSQL projection, for when Elasticsearch cannot answer.

The `tsv` column holds jieba search-mode tokens (title A, summary B, body D) in a `simple`
tsvector with a GIN index, plus every single character and character pair of the title and the
summary, so:

- a query of one or two Chinese characters is one lexeme: it matches titles and summaries that
  contain it anywhere, and bodies where jieba made it a word;
- a longer query is segmented by jieba (precise mode) and every token must be present; if that
  finds nothing, single-character tokens are dropped and it is tried once more.

Both go through the GIN index (no sequential scan). Ranking uses `ts_rank` over the whole vector
when at most `FULL_RANK_LIMIT` documents match; beyond that, reading every match's full vector
would cost too much, so the rank comes from the small title vector (title matches first), then
the date. Facets come from one pass over the matches.
"""

from dataclasses import dataclass

from django.db import connection

from . import text

FULL_RANK_LIMIT = 2000

FACET_SQL = """
WITH m AS MATERIALIZED (
    SELECT d.tenant, d.type, d.year FROM search_searchdocument d
    WHERE d.tsv @@ plainto_tsquery('simple', %(q)s) AND NOT (d.tenant = ANY(%(inactive)s))
)
SELECT 'total', '', count(*) FROM m WHERE {tenant} AND {type} AND {year}
UNION ALL SELECT 'tenant', tenant, count(*) FROM m WHERE {type} AND {year} GROUP BY tenant
UNION ALL SELECT 'type', type, count(*) FROM m WHERE {tenant} AND {year} GROUP BY type
UNION ALL SELECT 'year', year::text, count(*) FROM m WHERE {tenant} AND {type} GROUP BY year
"""

HITS_SQL = """
SELECT d.doc_id, d.tenant, d.type, d.type_label, d.title, d.title_folded, d.url, d.summary,
       left(d.body, 2000), d.publish_time
FROM search_searchdocument d
WHERE d.tsv @@ plainto_tsquery('simple', %(q)s) AND NOT (d.tenant = ANY(%(inactive)s))
  AND {tenant} AND {type} AND {year}
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""


@dataclass
class FallbackResult:
    total: int
    rows: list[dict]
    facets: dict[str, dict[str, int]]
    terms: list[str]


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


def _run(tokens, folded, filters, inactive, sort, limit, offset) -> FallbackResult:
    if not tokens:
        return FallbackResult(0, [], {"tenant": {}, "type": {}, "year": {}}, [])
    params = {
        "q": " ".join(tokens), "inactive": list(inactive), "exact": text.exact_key(folded),
        "f_tenant": filters.get("tenant"), "f_type": filters.get("type"), "f_year": filters.get("year"),
        "limit": limit, "offset": offset,
    }
    conditions = _conditions(filters)
    facets: dict[str, dict[str, int]] = {"tenant": {}, "type": {}, "year": {}}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(FACET_SQL.format(**conditions), params)
        for facet, key, count in cursor.fetchall():
            if facet == "total":
                total = count
            else:
                facets[facet][key] = count
        if total == 0:
            return FallbackResult(0, [], facets, tokens)
        if sort == "date":
            order = "d.publish_time DESC, d.id DESC"
        elif total <= FULL_RANK_LIMIT:
            order = ("(lower(replace(d.title_folded, ' ', '')) = %(exact)s) DESC, "
                     "ts_rank(d.tsv, plainto_tsquery('simple', %(q)s)) DESC, d.publish_time DESC")
        else:
            order = ("(lower(replace(d.title_folded, ' ', '')) = %(exact)s) DESC, "
                     "ts_rank(d.title_tsv, plainto_tsquery('simple', %(q)s)) DESC, d.publish_time DESC")
        cursor.execute(HITS_SQL.format(order=order, **conditions), params)
        columns = ["doc_id", "tenant", "type", "type_label", "title", "title_folded", "url", "summary", "body",
                   "publish_time"]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return FallbackResult(total, rows, facets, tokens)
