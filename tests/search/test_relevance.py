"""Search quality on the real Elasticsearch index of the fixture corpus: ranking, highlighting,
facets and filters, Chinese folding, one- and two-character queries, suggestions, best bets."""

from .conftest import titles


def keys_in(outcome, corpus) -> list[str]:
    by_url = {item.url: key for key, item in corpus.items()}
    return [by_url.get(hit.url, hit.url) for hit in outcome.hits]


def test_policy_about_the_subject_ranks_above_a_passing_mention(search, corpus):
    for query in ("义务教育", "教育"):
        outcome = search(query)
        assert outcome.backend == "elasticsearch"
        found = keys_in(outcome, corpus)
        assert "compulsory_policy" in found, (query, found)
        if "city_news" in found:
            assert found.index("compulsory_policy") < found.index("city_news"), (query, found)
    assert keys_in(search("义务教育"), corpus)[0] == "compulsory_policy"


def test_exact_title_comes_first(search, corpus):
    found = keys_in(search("学生资助"), corpus)
    assert found[:2] == ["aid_exact", "aid_long"], found
    assert keys_in(search("健康教育进校园活动启动"), corpus)[0] == "wjj_health_education"


def test_highlighting_in_title_and_snippet(search, corpus):
    outcome = search("义务教育")
    hit = next(hit for hit in outcome.hits if hit.url == corpus["compulsory_policy"].url)
    assert "<em>义务教育</em>" in hit.title_html.replace("</em><em>", "")
    assert "<em>" in hit.snippet_html
    assert hit.department == "区教育局" and hit.type_label == "政策文件" and hit.date.year == 2026


def test_highlight_is_escaped(search, corpus):
    outcome = search("源城区义务教育阶段学校招生入学工作实施方案")
    reading = next(hit for hit in outcome.hits if hit.url == corpus["compulsory_reading"].url)
    assert "<script" not in reading.title_html and "《" in reading.title_html


def test_facets_count_departments_types_and_years(search, corpus):
    outcome = search("教育")
    departments = {value.key: value.count for value in outcome.facets["department"]}
    assert departments["jyj"] >= 3 and departments["wjj"] == 1 and departments["www"] == 1
    assert [value.label for value in outcome.facets["department"]][0] == "源城区人民政府"
    types = {value.key: value for value in outcome.facets["type"]}
    assert types["policy"].label == "政策文件" and types["news"].label == "新闻"
    years = [value.key for value in outcome.facets["year"]]
    assert years == sorted(years, reverse=True) and "2026" in years


def test_filters_are_exact_and_facets_keep_the_other_choices(search, corpus):
    outcome = search("教育", department="jyj")
    assert outcome.hits and {hit.department_prefix for hit in outcome.hits} == {"jyj"}
    assert outcome.total == sum(1 for hit in outcome.hits)
    # The department facet still offers the others, with their counts, to widen the search.
    assert {"jyj", "wjj", "www"} <= {value.key for value in outcome.facets["department"]}
    assert [value.key for value in outcome.facets["department"] if value.selected] == ["jyj"]
    policies = search("教育", type="policy")
    assert policies.total >= 2 and {hit.type for hit in policies.hits} == {"policy"}
    in_2025 = search("教育", year=2025)
    assert in_2025.total >= 1 and {hit.date.year for hit in in_2025.hits} == {2025}
    both = search("教育", department="wjj", year=2025)
    assert keys_in(both, corpus) == ["wjj_health_education"]


def test_sort_by_date_and_pagination(search, corpus):
    outcome = search("样例", sort="date")
    assert outcome.total == 18  # the district's sample articles: 3 sites × 2 columns × 3
    dates = [hit.date for hit in outcome.hits]
    assert dates == sorted(dates, reverse=True) and len(outcome.hits) == 10 and outcome.pages == 2
    second = search("样例", sort="date", page=2)
    assert len(second.hits) == 8
    assert not {hit.url for hit in second.hits} & {hit.url for hit in outcome.hits}


def test_one_and_two_character_queries(search, corpus):
    assert "go_contest" in keys_in(search("棋"), corpus)
    assert keys_in(search("围棋"), corpus)[0] == "go_contest"
    one = search("棋")
    hit = next(hit for hit in one.hits if hit.url == corpus["go_contest"].url)
    assert "<em>棋</em>" in hit.title_html


def test_traditional_and_full_width_queries_find_simplified_text(search, corpus):
    assert keys_in(search("義務教育"), corpus)[0] == "compulsory_policy"
    # A traditional-character item is found by a simplified query.
    assert "traditional" in keys_in(search("学校体育设施"), corpus)
    assert "school_notice" in keys_in(search("２０２６年秋季学期"), corpus)


def test_pinyin_and_initials_suggest_words_and_departments(search, corpus):
    from search import service

    for typed in ("jiaoyu", "jy", "JiaoYu"):
        texts = [entry["text"] for entry in service.suggest(typed)]
        assert "教育" in texts, (typed, texts)
        assert "区教育局" in texts, (typed, texts)
    chinese = [entry["text"] for entry in service.suggest("义务")]
    assert chinese[0] == "义务教育"
    department = next(entry for entry in service.suggest("jyj") if entry["kind"] == "department")
    assert department["text"] == "区教育局" and department["url"].startswith("http://jyj.localhost")


def test_homophone_typos_and_pinyin_are_corrected_at_once(search, corpus):
    for typed in ("义物教育", "yiwujiaoyu", "yiwujiaoyv"):  # ü typed as v
        outcome = search(typed)
        assert outcome.query_run == "义务教育" and outcome.corrected_from == typed, typed
        assert keys_in(outcome, corpus)[0] == "compulsory_policy"
    assert search("义物教育", nocorrect=1).did_you_mean == "义务教育"
    assert search("义务教育").did_you_mean == "" and search("义务教育").corrected_from == ""


def test_best_bets_match_the_query_in_any_form(search, corpus):
    from search.models import BestBet

    BestBet.objects.create(queries="社保\n社会保险", title="社保业务网上办理", url="https://example.gov.cn/shebao")
    BestBet.objects.create(queries="社保", title="已停用的推荐", url="https://example.gov.cn/old", enabled=False)
    for query in ("社保", "社會保險", "ＳＨＥＢＡＯ社保"[-2:]):
        outcome = search(query)
        assert [bet.title for bet in outcome.best_bets] == ["社保业务网上办理"], query
    assert search("教育").best_bets == []
    assert "portal_social_security" in keys_in(search("社会保险"), corpus)


def test_titles_helper_strips_tags(search, corpus):
    assert "源城区义务教育阶段学校招生入学工作实施方案" in titles(search("义务教育"))
