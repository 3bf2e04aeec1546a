""""大家都在搜" shows what several visitors looked for, never what one visitor (or a script)
typed many times, never markup or links, and never what the 区信息中心 hid."""

from datetime import date
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from search import querylog
from search.models import QueryLog
from tests.conftest import host
from tests.security.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db
WWW = host("www")


def searched(query: str, visitor: str, times: int = 1) -> None:
    client = Client(REMOTE_ADDR=visitor)
    for _ in range(times):
        assert client.get("/api/search/", {"q": query}, HTTP_HOST=WWW).status_code == 200


def popular_on_the_page() -> list[str]:
    """What a visitor reads under 大家都在搜 on a page without results."""
    html = Client().get("/search/", {"q": "查无此词甲乙丙"}, HTTP_HOST=WWW).content.decode()
    box = BeautifulSoup(html, "html.parser").select_one(".popular")
    return [link.get_text() for link in box.find_all("a")] if box else []


def test_one_visitor_fifty_times_is_not_popular_three_visitors_are(corpus):
    searched("义诊", "10.1.0.1", times=50)
    assert "义诊" not in querylog.popular_queries() and "义诊" not in popular_on_the_page()
    searched("义诊", "10.1.0.2")
    assert "义诊" not in querylog.popular_queries()
    searched("义诊", "10.1.0.3")
    assert "义诊" in querylog.popular_queries() and "义诊" in popular_on_the_page()


def test_the_log_keeps_no_address_only_a_digest_that_changes_daily(corpus):
    searched("义诊", "10.1.0.9")
    row = QueryLog.objects.latest("id")
    assert len(row.visitor) == 16 and "10.1.0.9" not in row.visitor
    with mock.patch("search.querylog.timezone.localdate", return_value=date(2026, 1, 2)):
        searched("义诊", "10.1.0.9")
    assert QueryLog.objects.latest("id").visitor != row.visitor


@pytest.mark.parametrize("query", ['<img src=x onerror=alert(1)>', '义诊"><script>', "义诊'", "http://evil.example/义诊",
                                   "www.evil.example", "买药请上 evil.com", "加微信 13800138000", "a@b.cn 义诊",
                                   "义诊\x1b[31m", "「义诊」"])
def test_markup_links_and_control_characters_never_show(corpus, query):
    for visitor in ("a", "b", "c", "d"):
        QueryLog.objects.create(query=query, total=3, backend="elasticsearch", visitor=visitor * 16)
    QueryLog.objects.create(query="义诊", total=1, backend="elasticsearch", visitor="e" * 16)
    assert query not in querylog.popular_queries()
    html = Client().get("/search/", {"q": "查无此词甲乙丙"}, HTTP_HOST=WWW).content.decode()
    assert "evil" not in html and "onerror" not in html and "13800138000" not in html


def test_the_centre_hides_an_entry_with_an_audit_row_and_it_never_shows(client, corpus):
    from portal.audit.models import AuditEvent

    for visitor in ("10.2.0.1", "10.2.0.2", "10.2.0.3"):
        searched("义诊", visitor)
    assert "义诊" in popular_on_the_page()
    login_with_second_factor(client, "center_admin")
    page = BeautifulSoup(client.get("/admin/search-admin/log/", HTTP_HOST=WWW).content.decode(), "html.parser")
    assert "义诊" in page.select_one("table.popular-queries").get_text()
    response = client.post("/admin/search-admin/popular/hide/", {"query": "義診"}, HTTP_HOST=WWW)  # 繁体 too
    assert response.status_code == 302
    event = AuditEvent.objects.filter(event="search_popular_hide").latest("id")
    assert event.target == "義診" and event.username == "center_admin"
    assert "义诊" not in querylog.popular_queries() and "义诊" not in popular_on_the_page()
    for visitor in ("10.2.0.4", "10.2.0.5", "10.2.0.6"):
        searched("义诊", visitor)
    assert "义诊" not in popular_on_the_page()  # however many visitors search for it
    page = BeautifulSoup(client.get("/admin/search-admin/log/", HTTP_HOST=WWW).content.decode(), "html.parser")
    assert "義診" in page.select_one("table.hidden-queries").get_text()
    from search.models import HiddenQuery

    hidden = HiddenQuery.objects.get(query="義診")
    assert client.post(f"/admin/search-admin/popular/{hidden.pk}/show/", HTTP_HOST=WWW).status_code == 302
    assert AuditEvent.objects.filter(event="search_popular_show", target="義診").exists()
    assert "义诊" in popular_on_the_page()


def test_department_staff_cannot_hide_entries(client, corpus, django_user_model):
    client.force_login(django_user_model.objects.get(username="jyj_head"))
    response = client.post("/admin/search-admin/popular/hide/", {"query": "义诊"}, HTTP_HOST=WWW)
    assert response.status_code == 403
    from search.models import HiddenQuery

    assert not HiddenQuery.objects.exists()
