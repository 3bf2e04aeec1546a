"""A visitor in a real Chromium, against a real server process on the committed test district.

The visitor starts at the portal, clicks through to a department, a column and an article, and
checks what anyone would see: the page title, the department's name, the breadcrumb, dates as
YYYY-MM-DD HH:MM, and the footer with 网站标识码. Navigation must work from the keyboard. A
screenshot of each page goes to test-artifacts/ for a human to look at.
"""

import re
from pathlib import Path

import pytest

# django_db: without a test that uses the database, pytest-django would not create the test
# database and the session fixture (and the server) would run on the development database.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def follow(page, link):
    """Click a link like a visitor and wait until the next page has loaded."""
    with page.expect_navigation():
        link.click()


def assert_frame(page):
    """What every page shows: the district's name, its footer, and the theme's styling."""
    assert page.locator(".site-brand").inner_text().strip() == "源城区人民政府"
    footer = page.locator("footer.site-footer")
    assert footer.is_visible()
    text = footer.inner_text()
    assert "网站标识码：4416020005" in text
    assert re.search(r"粤ICP备\d+号(-\d+)?", text) and re.search(r"粤公网安备 \d{14}号", text)
    assert "主办单位：" in text and "承办单位：" in text
    # The stylesheet was delivered: the navigation bar carries the theme's red.
    if page.locator("nav.site-nav").count():
        colour = page.locator("nav.site-nav").evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour == "rgb(179, 25, 30)", f"主题样式没有加载（导航背景色 {colour}）"


def shown_dates(page, selector="ul.item-list time"):
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_visitor_clicks_from_portal_to_department_column_and_article(live_server_url, page):
    portal = live_server_url.format(prefix="www")
    response = page.goto(portal + "/")
    assert response.status == 200
    assert page.title() == "源城区人民政府"
    assert_frame(page)
    news_panel = page.locator("section.panel", has=page.get_by_role("heading", name="部门动态", exact=True))
    listed = news_panel.inner_text()
    assert "区教育局部门动态样例1" in listed and "区卫生健康局部门动态样例1" in listed
    dates = shown_dates(page)
    assert dates and all(PUBDATE.match(d) for d in dates), dates
    screenshot(page, "01-portal-home")

    # The department channel, from the portal's list of departments.
    follow(page, page.locator(".department-links").get_by_role("link", name="区教育局"))
    assert page.url == live_server_url.format(prefix="jyj") + "/"
    assert page.title() == "源城区人民政府 区教育局"
    assert page.locator(".channel-name").inner_text() == "区教育局"
    assert_frame(page)
    nav = page.get_by_role("navigation", name="主导航")
    assert nav.get_by_role("link", name="部门动态").is_visible()
    assert "区教育局通知公告样例1" in page.locator("main").inner_text()
    screenshot(page, "02-department-home")

    # A column, from the main navigation.
    follow(page, nav.get_by_role("link", name="部门动态"))
    assert page.url.endswith("/news/")
    assert page.title() == "部门动态 - 源城区人民政府 区教育局"
    assert page.locator("main h1").inner_text() == "部门动态"
    breadcrumb = page.get_by_role("navigation", name="当前位置")
    assert re.sub(r"\s+", "", breadcrumb.inner_text()) == "当前位置：首页>部门动态"
    titles = page.locator("ul.item-list li a").all_inner_texts()
    assert titles == ["区教育局部门动态样例1", "区教育局部门动态样例2", "区教育局部门动态样例3"]
    assert shown_dates(page) == ["2026-11-20 09:30", "2026-11-17 09:30", "2026-11-14 09:30"]
    assert_frame(page)
    screenshot(page, "03-column")

    # An article, from the column list.
    follow(page, page.get_by_role("link", name="区教育局部门动态样例2"))
    assert page.url.endswith("/news/sample-2/")
    assert page.title() == "区教育局部门动态样例2 - 源城区人民政府 区教育局"
    assert page.locator("article h1").inner_text() == "区教育局部门动态样例2"
    meta = page.locator(".article-meta").inner_text()
    assert "信息来源：区教育局" in meta
    assert page.locator(".article-meta time").inner_text() == "2026-11-17 09:30"
    assert "区教育局部门动态正文第2条。" in page.locator(".article-body").inner_text()
    assert re.sub(r"\s+", "", breadcrumb.inner_text()) == "当前位置：首页>部门动态>区教育局部门动态样例2"
    assert_frame(page)
    screenshot(page, "04-article")

    # The breadcrumb leads back to the column.
    follow(page, breadcrumb.get_by_role("link", name="部门动态"))
    assert page.url.endswith("/news/")


def test_portal_item_opens_the_article_on_the_department_site(live_server_url, page):
    page.goto(live_server_url.format(prefix="www") + "/")
    notices = page.locator("section.panel", has=page.get_by_role("heading", name="部门通知公告", exact=True))
    follow(page, notices.get_by_role("link", name="区卫生健康局通知公告样例1"))
    assert page.url == live_server_url.format(prefix="wjj") + "/notices/sample-1/"
    assert page.locator("article h1").inner_text() == "区卫生健康局通知公告样例1"
    assert page.locator(".channel-name").inner_text() == "区卫生健康局"
    assert PUBDATE.match(page.locator(".article-meta time").inner_text())
    assert_frame(page)


def test_keyboard_visitor_skips_to_content_and_follows_navigation(live_server_url, page):
    page.goto(live_server_url.format(prefix="jyj") + "/")
    skip = page.get_by_role("link", name="跳到主要内容")
    box = skip.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, "跳转链接在获得焦点前就显示出来了"

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert box and 0 <= box["x"] < viewport["width"] and 0 <= box["y"] < viewport["height"], box
    assert skip.is_visible()
    screenshot(page, "05-skip-link-focused")

    page.keyboard.press("Enter")
    assert page.url.endswith("#main")

    # Back at the top, Tab through the header to the main navigation and open a column.
    page.goto(live_server_url.format(prefix="jyj") + "/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "通知公告" and page.evaluate(
            "!!document.activeElement.closest('nav.site-nav')"
        ):
            break
    else:
        pytest.fail("用 Tab 键到不了主导航的“通知公告”")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "键盘焦点没有可见的轮廓"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/notices/")
    assert page.locator("main h1").inner_text() == "通知公告"
