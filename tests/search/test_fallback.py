"""The PostgreSQL fallback over the search projection: same questions, same safety, indexed."""

from django.db import connection

from search import fallback, index, text

from .test_relevance import keys_in


def test_fallback_answers_with_ranking_filters_and_facets(search, corpus, postgres_only):
    outcome = search("义务教育")
    assert outcome.backend == "postgresql" and outcome.degraded
    found = keys_in(outcome, corpus)
    assert found[0] == "compulsory_policy", found
    assert "<em>义务教育</em>" in outcome.hits[0].title_html and "<em>" in outcome.hits[0].snippet_html
    assert keys_in(search("学生资助"), corpus)[:2] == ["aid_exact", "aid_long"]
    everything = search("教育")
    assert {"jyj", "wjj", "www"} <= {value.key for value in everything.facets["department"]}
    only_jyj = search("教育", department="jyj")
    assert only_jyj.total and {hit.department_prefix for hit in only_jyj.hits} == {"jyj"}
    assert {value.key for value in only_jyj.facets["department"]} >= {"wjj", "www"}
    assert {hit.type for hit in search("教育", type="policy").hits} == {"policy"}
    assert {hit.date.year for hit in search("教育", year=2025).hits} == {2025}
    dated = search("样例", sort="date")
    assert dated.total == 18 and [h.date for h in dated.hits] == sorted((h.date for h in dated.hits), reverse=True)


def test_fallback_short_queries_and_folding(search, corpus, postgres_only):
    assert "go_contest" in keys_in(search("棋"), corpus)  # one character inside a title word
    assert keys_in(search("围棋"), corpus)[0] == "go_contest"
    assert keys_in(search("義務教育"), corpus)[0] == "compulsory_policy"
    assert "traditional" in keys_in(search("学校体育设施"), corpus)
    assert search("不存在的词语组合").total == 0


def test_fallback_is_used_when_elasticsearch_is_unreachable(search, corpus, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    index._clients.clear()
    try:
        outcome = search("义务教育")
        assert outcome.backend == "postgresql" and keys_in(outcome, corpus)[0] == "compulsory_policy"
    finally:
        index._clients.clear()


def test_fallback_queries_can_use_the_gin_index(db):
    """At the corpus' size the planner rightly prefers a sequential scan; with it forbidden, the
    plan must go through the GIN index (the benchmark checks the plan at 10^5 documents)."""
    for query in ("局", "教育", "义务教育阶段招生"):
        tokens, _ = fallback.query_text(text.fold(query))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN " + fallback.facet_sql({"tenant": "TRUE", "type": "TRUE", "year": "TRUE"}),
                {"q": " ".join(tokens), "inactive": [], "cap": fallback.MATCH_CAP},
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on search_searchdocument" not in plan, plan
