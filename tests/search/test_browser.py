"""A visitor searches on the portal in a real Chromium: highlighted results, suggestions while
typing pinyin, a facet, and a result that opens."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_search_on_the_portal(page, live_server_url, corpus):
    portal = live_server_url.format(prefix="www")
    page.goto(portal + "/")
    box = page.locator("#site-search")
    box.fill("义务教育")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    results = page.locator("ol.results li.result")
    assert results.count() >= 3
    assert page.locator("ol.results em", has_text="义务").first.is_visible()
    assert "共找到" in page.locator(".search-total").inner_text()

    # Suggestions while typing pinyin in the page's search field.
    field = page.locator("#search-q")
    field.fill("")
    field.press_sequentially("jiaoyu", delay=40)
    page.locator(".suggest-list li", has_text="区教育局").first.wait_for(timeout=10_000)
    assert "教育" in page.locator(".suggest-list:visible").inner_text()
    field.press("Escape")

    page.locator('[data-facet="type"] a', has_text="政策文件").click()
    page.wait_for_url(re.compile(r"type=policy"))
    assert page.locator('[data-facet="type"] li.selected').inner_text().startswith("政策文件")
    types = page.locator("ol.results .result-type").all_inner_texts()
    assert types and set(types) == {"政策文件"}

    page.locator("ol.results li.result h3 a").first.click()
    page.wait_for_load_state()
    assert page.url == corpus["compulsory_policy"].url
    assert "义务教育阶段学校招生入学工作实施方案" in page.locator("h1").inner_text()
