"""The search page, the JSON API, the suggestion endpoint and the 区信息中心's search management,
through the full middleware stack."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import host
from tests.security.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def get(client, prefix, url, **params):
    return client.get(url, params, HTTP_HOST=host(prefix))


def test_api_returns_total_results_and_facets(client, corpus):
    response = get(client, "www", "/api/search/", q="义务教育", department="jyj", type="policy", year="2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["total"] == 1 and data["backend"] == "elasticsearch" and data["degraded"] is False
    result = data["results"][0]
    assert result == {
        "title": "源城区义务教育阶段学校招生入学工作实施方案",
        "url": corpus["compulsory_policy"].url,
        "department": "区教育局",
        "department_prefix": "jyj",
        "type": "policy",
        "type_label": "政策文件",
        "date": "2026-05-20",
        "validity": "valid",
        "highlight": result["highlight"],
    }
    assert "<em>" in result["highlight"]["title"] and "<em>" in result["highlight"]["snippet"]
    assert set(data["facets"]) == {"department", "type", "year"}
    assert {"key": "jyj", "label": "区教育局", "count": 1, "selected": True} in data["facets"]["department"]


def test_api_answers_on_every_host_and_validates(client, corpus):
    assert get(client, "jyj", "/api/search/", q="义诊").json()["total"] == 1
    assert get(client, "www", "/api/search/").status_code == 400
    assert get(client, "www", "/api/search/", q="教育", page="0").status_code == 400
    assert get(client, "www", "/api/search/", q="教育", year="abc").json()["error"] == "year 参数应为四位年份"
    assert get(client, "www", "/api/search/", q="教育", page="2").json()["page"] == 2


def test_suggest_endpoint(client, corpus):
    data = get(client, "jyj", "/api/search/suggest/", q="jy").json()
    texts = [entry["text"] for entry in data["suggestions"]]
    assert "区教育局" in texts and "教育" in texts
    assert get(client, "www", "/api/search/suggest/", q="").json()["suggestions"] == []


def test_department_site_search_goes_to_the_portal_with_its_scope(client, corpus):
    response = get(client, "jyj", "/search/", q="教育")
    assert response.status_code == 302
    assert response["Location"].startswith("http://www.localhost") and "department=jyj" in response["Location"]


def test_results_page(client, corpus):
    response = get(client, "www", "/search/", q="义务教育", department="jyj")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert "区教育局" in soup.select_one(".search-scope").get_text()
    assert soup.select_one(".search-scope a.widen")["href"] == "?q=%E4%B9%89%E5%8A%A1%E6%95%99%E8%82%B2"
    first = soup.select_one("ol.results li.result")
    assert first.select_one("h3 a")["href"] == corpus["compulsory_policy"].url
    assert first.select_one("h3 em").get_text() in ("义务教育", "义务")
    assert first.select_one(".result-type").get_text() == "政策文件"
    assert first.select_one("time").get_text() == "2026-05-20"
    facet = soup.select_one('[data-facet="type"] li a')
    assert facet["href"].startswith("?q=")
    assert soup.select_one(".search-degraded") is None
    assert soup.select_one('script[src$="search/suggest.js"]') is not None


def test_no_results_page_offers_alternatives(client, corpus):
    soup = BeautifulSoup(get(client, "www", "/search/", q="义物教育", department="wjj").content.decode(), "html.parser")
    assert soup.select_one(".did-you-mean a").get_text() == "义务教育"
    alternatives = soup.select_one(".no-results").get_text()
    assert "在全部单位中搜索" in alternatives and "清除所有筛选条件" in alternatives


def test_degraded_page_says_results_may_be_incomplete(client, corpus, settings):
    settings.SEARCH_BACKEND = "postgres"
    soup = BeautifulSoup(get(client, "www", "/search/", q="义务教育").content.decode(), "html.parser")
    assert "可能不完整" in soup.select_one(".search-degraded").get_text()
    assert soup.select("ol.results li.result")


def test_queries_are_logged_and_reviewed_by_the_centre(client, corpus, django_user_model):
    from search.models import QueryLog

    before = QueryLog.objects.order_by("-id").values_list("id", flat=True).first() or 0  # the browser test logs too
    get(client, "www", "/search/", q="不存在的查询词甲")
    get(client, "www", "/api/search/", q="义诊")
    get(client, "www", "/search/", q="义诊", page="2")  # later pages are not counted again
    assert list(QueryLog.objects.filter(id__gt=before).order_by("id").values_list("query", "total")) == [
        ("不存在的查询词甲", 0), ("义诊", 1)]
    login_with_second_factor(client, "center_admin")
    page = get(client, "www", "/admin/search-admin/log/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert "不存在的查询词甲" in soup.select_one("table.zero-results").get_text()
    assert "义诊" not in soup.select_one("table.zero-results").get_text()


@pytest.mark.parametrize("username,status", [("center_admin", 200), ("jyj_head", 403)])
def test_best_bets_are_managed_centrally(client, corpus, django_user_model, username, status):
    from search.models import BestBet

    if username == "center_admin":
        login_with_second_factor(client, username)  # central administrators prove a second factor
    else:
        client.force_login(django_user_model.objects.get(username=username))
    response = client.post("/admin/search-admin/best-bets/new/", {
        "queries": "入学\n招生", "title": "义务教育入学服务专区", "url": "https://www.example.gov.cn/ruxue",
        "description": "报名、划片和材料清单", "sort_order": 1, "enabled": "on",
    }, HTTP_HOST=host("www"))
    assert response.status_code == (302 if status == 200 else 403)
    if status == 200:
        assert BestBet.objects.filter(title="义务教育入学服务专区").exists()
        soup = BeautifulSoup(get(client, "www", "/search/", q="招生").content.decode(), "html.parser")
        assert "义务教育入学服务专区" in soup.select_one(".best-bets").get_text()
