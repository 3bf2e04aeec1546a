"""Only live, public content of active departments is ever found — by Elasticsearch, by the
PostgreSQL fallback and by the suggestions — and a withdrawn page leaves the results within seconds."""

import time

import pytest
from django_tenants.utils import tenant_context

from tenants.provisioning import set_status

from .conftest import delete_page, publish


@pytest.mark.parametrize("backend", ["elasticsearch", "postgres"])
def test_drafts_withdrawn_and_private_pages_are_never_found(search, corpus, settings, backend):
    from search import service
    from search.models import SearchDocument

    if backend == "postgres":
        settings.SEARCH_BACKEND = "postgres"
    for word in ("绿萝", "文竹", "芦荟", "草稿绿萝计划尚未发布", "内部芦荟工作安排"):
        outcome = search(word)
        assert outcome.total == 0 and outcome.hits == [], (backend, word, outcome.hits)
        assert not [entry for entry in service.suggest(word) if entry["kind"] == "term"], word
    assert not SearchDocument.objects.filter(title__contains="芦荟").exists()


@pytest.mark.parametrize("backend", ["elasticsearch", "postgres"])
def test_a_suspended_department_disappears_everywhere(search, corpus, departments, settings, client, backend):
    from search import service

    if backend == "postgres":
        settings.SEARCH_BACKEND = "postgres"
    assert search("义诊").total == 1
    set_status(departments["wjj"], "suspended", "整改")
    assert search("义诊").total == 0
    outcome = search("教育")
    assert "wjj" not in {value.key for value in outcome.facets["department"]}
    assert "区卫生健康局" not in {hit.department for hit in outcome.hits}
    assert search("健康教育", department="wjj").total == 0
    assert "区卫生健康局" not in [entry["text"] for entry in service.suggest("weisheng")]
    api = client.get("/api/search/", {"q": "义诊"}, HTTP_HOST="www.localhost").json()
    assert api["total"] == 0 and api["results"] == []


def test_department_filter_is_exact(search, corpus):
    from search import service

    assert {hit.department_prefix for hit in search("教育", department="wjj").hits} == {"wjj"}
    assert search("教育", department="wjj ").total > 0  # surrounding spaces are not part of the name
    # Anything but one department's exact prefix is refused, never widened to several or all.
    for unknown in ("WJJ", "jyj,wjj", "*", "jy"):
        with pytest.raises(service.InvalidQuery, match="department 参数"):
            search("教育", department=unknown)



def _wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.1)
    raise AssertionError("条件在限定时间内没有满足")


def test_unpublish_move_and_delete_reach_the_index_within_seconds(committed):
    departments, created = committed
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portal.pages.models import ArticlePage, ColumnPage

    from search import service

    jyj = departments["jyj"]
    article = publish(jyj, "news", "紫藤花开校园美", "<p>紫藤长廊成为学生喜爱的读书角。</p>",
                      datetime(2026, 4, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), slug="search-wisteria")
    created.append((jyj, article.pk))

    def found():
        return service.search(service.Params(q="紫藤")).hits

    _wait_for(lambda: len(found()) == 1)
    assert "/news/" in found()[0].url

    with tenant_context(jyj):
        page = ArticlePage.objects.get(pk=article.pk)
        page.move(ColumnPage.objects.get(depth=3, slug="notices"), pos="last-child")
    _wait_for(lambda: found() and "/notices/" in found()[0].url)

    with tenant_context(jyj):
        started = time.monotonic()
        ArticlePage.objects.get(pk=article.pk).unpublish()
    gone_after = _wait_for(lambda: not found()) - started
    assert gone_after < 3, f"撤下后 {gone_after:.1f} 秒仍能搜到"

    with tenant_context(jyj):
        ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    _wait_for(lambda: len(found()) == 1)
    delete_page(jyj, article.pk)
    _wait_for(lambda: not found())
