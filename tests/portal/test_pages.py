"""What visitors get from the page types, the portal homepage and the syndication API.

Everything is requested through the full middleware stack with Django's test client, on the
committed district of conftest (源城区人民政府 at www, 区教育局 at jyj, 区卫生健康局 at wjj, each
with sample articles in 部门动态/源城要闻 and 通知公告).
"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.provisioning import set_status
from tests.conftest import host

BEIJING = ZoneInfo("Asia/Shanghai")
PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def get(client, prefix, url="/", status=200, **params):
    response = client.get(url, params, HTTP_HOST=host(prefix))
    assert response.status_code == status, f"{prefix}{url} 返回 {response.status_code}"
    return response


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def metas(soup) -> dict:
    return {m["name"]: m.get("content", "") for m in soup.find_all("meta", attrs={"name": True})}


def section_items(soup, heading):
    """(title, department, date) of each item in the homepage panel with this heading."""
    h2 = soup.find("h2", string=heading)
    assert h2 is not None, f"首页没有“{heading}”栏目"
    items = []
    for li in h2.find_parent("section").select("ul.item-list > li"):
        department = li.find(class_="item-department")
        items.append((li.a.get_text(strip=True), department.get_text(strip=True) if department else "",
                      li.time.get_text(strip=True), li.a["href"]))
    return items


def publish_article(column, title, publish_time, slug, **fields):
    from portal.pages.models import ArticlePage

    article = ArticlePage(title=title, slug=slug, publish_time=publish_time, **fields)
    column.add_child(instance=article)
    article.save_revision().publish()
    return article


def column_of(slug):
    from portal.pages.models import ColumnPage

    return ColumnPage.objects.get(depth=3, slug=slug)


# --- the portal homepage ---------------------------------------------------------------------


def test_portal_homepage_lists_latest_department_news_and_notices(departments, client):
    soup = soup_of(get(client, "www"))
    assert soup.title.get_text(strip=True) == "源城区人民政府"
    news = section_items(soup, "部门动态")
    notices = section_items(soup, "部门通知公告")
    news_pairs = [(title, department) for title, department, _, _ in news]
    notice_pairs = [(title, department) for title, department, _, _ in notices]
    for n in (1, 2, 3):
        assert (f"区教育局部门动态样例{n}", "区教育局") in news_pairs
        assert (f"区卫生健康局部门动态样例{n}", "区卫生健康局") in news_pairs
        assert (f"区教育局通知公告样例{n}", "区教育局") in notice_pairs
        assert (f"区卫生健康局通知公告样例{n}", "区卫生健康局") in notice_pairs
    # The portal's own news is in its own column, not among the departments'.
    assert not any(title.startswith("源城区人民政府") for title, _ in news_pairs + notice_pairs)
    dates = [date for _, _, date, _ in news]
    assert all(PUBDATE.match(d) for d in dates) and dates == sorted(dates, reverse=True)
    assert ("区教育局部门动态样例1", "区教育局", "2026-11-20 09:30") in [n[:3] for n in news]
    # A department's item links to the page on the department's own host.
    href = {title: href for title, _, _, href in news}["区教育局部门动态样例1"]
    assert re.match(r"^http://jyj\.localhost(:\d+)?/news/sample-1/$", href)
    # The portal's own columns and the list of department channels.
    assert ("源城区人民政府源城要闻样例1", "") in [n[:2] for n in section_items(soup, "源城要闻")]
    channels = [a.get_text(strip=True) for a in soup.select(".department-links a")]
    assert "区教育局" in channels and "区卫生健康局" in channels


def _portal_homepage_queries(client) -> tuple[int, BeautifulSoup]:
    get(client, "www")  # the host lookup and navigation are cached by the first request
    with CaptureQueriesContext(connection) as queries:
        response = get(client, "www")
    return len(queries), soup_of(response)


def test_portal_homepage_does_not_query_each_department(departments, client):
    from tenants.provisioning import create_department

    before, _ = _portal_homepage_queries(client)
    finance = create_department(name="区财政局", host_prefix="czj", organization_code="007218401")
    with tenant_context(finance):
        latest = datetime(2026, 11, 25, 10, 0, tzinfo=BEIJING)
        publish_article(column_of("news"), "区财政局预算公开工作动态", latest, "budget")
        publish_article(column_of("notices"), "区财政局关于政府采购的通知", latest, "purchase")
    after, soup = _portal_homepage_queries(client)
    assert ("区财政局预算公开工作动态", "区财政局") in [n[:2] for n in section_items(soup, "部门动态")]
    assert ("区财政局关于政府采购的通知", "区财政局") in [n[:2] for n in section_items(soup, "部门通知公告")]
    assert "区财政局" in [a.get_text(strip=True) for a in soup.select(".department-links a")]
    assert after <= before, f"门户首页的查询数随部门增加：{before} → {after}"


def test_unpublishing_removes_the_article_from_portal_and_api(departments, client):
    from portal.pages.models import ArticlePage

    title = "区教育局部门动态样例2"
    assert title in get(client, "www").content.decode()
    assert title in [r["title"] for r in get(client, "www", "/api/items/").json()["results"]]
    with tenant_context(departments["jyj"]):
        ArticlePage.objects.get(title=title).unpublish()
    assert title not in get(client, "www").content.decode()
    assert title not in [r["title"] for r in get(client, "www", "/api/items/").json()["results"]]
    assert title not in [r["title"] for r in get(client, "jyj", "/api/items/").json()["results"]]
    assert title not in get(client, "jyj", "/news/").content.decode()
    get(client, "jyj", "/news/sample-2/", status=404)
    # The other items are still there.
    assert "区教育局部门动态样例1" in get(client, "www").content.decode()


# --- column and article pages ----------------------------------------------------------------


def test_column_lists_articles_newest_first_in_pages(departments, client):
    with tenant_context(departments["jyj"]):
        column = column_of("policies")
        base = datetime(2026, 6, 1, 8, 0, tzinfo=BEIJING)
        # Created in an order different from their dates: the list must follow the dates.
        for n in [5, 12, 1, 20, 3, 14, 7, 21, 9, 16, 2, 18, 11, 6, 19, 4, 13, 8, 17, 10, 15]:
            publish_article(column, f"教育政策文件第{n:02d}号", base + timedelta(days=n), f"policy-{n}")
    soup = soup_of(get(client, "jyj", "/policies/"))
    rows = soup.select("ul.item-list > li")
    first = [(li.a.get_text(strip=True), li.time.get_text(strip=True)) for li in rows]
    assert [title for title, _ in first] == [f"教育政策文件第{n:02d}号" for n in range(21, 1, -1)]
    assert first[0][1] == "2026-06-22 08:00" and all(PUBDATE.match(date) for _, date in first)
    pagination = soup.find("nav", class_="pagination")
    assert "第 1 / 2 页" in pagination.get_text()
    next_link = pagination.find("a", string="下一页")
    assert next_link["href"] == "?page=2"
    soup = soup_of(get(client, "jyj", "/policies/", page=2))
    assert [li.a.get_text(strip=True) for li in soup.select("ul.item-list > li")] == ["教育政策文件第01号"]
    pagination = soup.find("nav", class_="pagination")
    assert "第 2 / 2 页" in pagination.get_text() and pagination.find("a", string="上一页")
    # A column without articles says so.
    empty = soup_of(get(client, "jyj", "/interpretations/"))
    assert empty.select_one("ul.item-list li.empty").get_text(strip=True) == "暂无信息"


@pytest.fixture
def article_with_attachment(departments):
    """An article of 区教育局 with one attached file, published just after midnight Beijing time."""
    from portal.pages.models import ArticleAttachment
    from wagtail.documents.models import Document

    with tenant_context(departments["jyj"]):
        document = Document(title="报名表")
        document.file.save("pages-test-signup.txt", ContentFile("报名表内容".encode()), save=True)
        article = publish_article(
            column_of("notices"),
            "关于2027年秋季学期招生工作的通知",
            datetime(2026, 2, 28, 16, 30, tzinfo=UTC),  # 2026-03-01 00:30 in Beijing
            "enrolment-2027",
            source="区教育局招生办公室",
            author="招生办",
            summary="2027年秋季学期义务教育阶段招生工作安排。",
            keywords="招生,义务教育",
            body=[("text", "<p>各学校：现将招生工作安排通知如下。</p>")],
            attachments=[ArticleAttachment(document=document, title="附件1：新生报名表")],
        )
        path = document.file.path
    yield article
    Path(path).unlink(missing_ok=True)


def test_article_page_shows_what_a_reader_needs(article_with_attachment, client):
    soup = soup_of(get(client, "jyj", "/notices/enrolment-2027/"))
    assert soup.h1.get_text(strip=True) == "关于2027年秋季学期招生工作的通知"
    assert soup.title.get_text(strip=True) == "关于2027年秋季学期招生工作的通知 - 源城区人民政府 区教育局"
    meta = soup.select_one(".article-meta").get_text("", strip=True)
    assert "信息来源：区教育局招生办公室" in meta and "发布时间：2026-03-01 00:30" in meta
    assert "现将招生工作安排通知如下" in soup.select_one(".article-body").get_text()
    breadcrumb = soup.find("nav", class_="breadcrumb").get_text("", strip=True)
    assert breadcrumb == "当前位置：首页>通知公告>关于2027年秋季学期招生工作的通知"
    attachments = soup.select(".attachments li a")
    assert [a.get_text(strip=True) for a in attachments] == ["附件1：新生报名表"]
    assert "TXT" in soup.select_one(".attachments li").get_text()
    download = client.get(attachments[0]["href"], HTTP_HOST=host("jyj"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "报名表内容"


def test_sample_article_shows_its_source_and_beijing_time(departments, client):
    soup = soup_of(get(client, "wjj", "/notices/sample-2/"))
    assert soup.h1.get_text(strip=True) == "区卫生健康局通知公告样例2"
    assert soup.select_one(".article-meta .source").get_text(strip=True) == "区卫生健康局"
    # 2026-11-20 09:30 Beijing, minus 3 days, minus 1 day for the notices column.
    assert soup.select_one(".article-meta .publish-time").get_text(strip=True) == "2026-11-16 09:30"


# --- the frame every page carries: footer and site meta tags --------------------------------


def assert_footer(soup):
    footer = soup.find("footer", class_="site-footer")
    assert footer is not None, "页面没有页脚"
    text = footer.get_text("", strip=False)
    assert "主办单位：源城区人民政府办公室" in text
    assert "承办单位：源城区政务服务数据管理局（区信息中心）" in text
    assert "网站标识码：4416020005" in text
    icp = footer.find("a", href="https://beian.miit.gov.cn/")
    assert icp is not None and re.fullmatch(r"粤ICP备\d+号(-\d+)?", icp.get_text(strip=True))
    assert re.search(r"粤公网安备 \d{14}号", text)
    links = [a.get_text(strip=True) for a in footer.find_all("a")]
    assert "网站地图" in links and "关于本网" in links


def assert_site_meta(soup, domain):
    meta = metas(soup)
    assert meta["SiteName"].startswith("源城区人民政府")
    assert meta["SiteDomain"] == domain
    assert meta["SiteIDCode"] == "4416020005"
    return meta


@pytest.mark.parametrize(
    "prefix,url,status",
    [
        ("www", "/", 200),
        ("jyj", "/", 200),
        ("www", "/news/", 200),
        ("jyj", "/news/", 200),
        ("jyj", "/news/sample-1/", 200),
        ("www", "/notices/sample-1/", 200),
        ("jyj", "/suspended/", 503),
    ],
)
def test_every_page_type_carries_footer_and_site_meta(departments, client, prefix, url, status):
    if status == 503:
        set_status(departments["jyj"], "suspended", "系统升级维护中")
        url = "/news/sample-1/"
    soup = soup_of(get(client, prefix, url, status=status))
    assert_footer(soup)
    meta = assert_site_meta(soup, f"{prefix}.localhost")
    if prefix == "jyj":
        assert meta["SiteName"] == "源城区人民政府 区教育局"
    if status == 503:
        assert "本网站已暂停服务" in soup.get_text() and "系统升级维护中" in soup.get_text()


def test_column_page_meta_tags(departments, client):
    meta = metas(soup_of(get(client, "jyj", "/news/")))
    assert meta["ColumnName"] == "部门动态"
    assert meta["ColumnDescription"] == "本单位工作动态"
    assert meta["ColumnKeywords"]
    assert meta["ColumnType"] == "动态要闻"
    meta = metas(soup_of(get(client, "www", "/notices/")))
    assert (meta["ColumnName"], meta["ColumnType"]) == ("通知公告", "通知公告")


def test_article_page_meta_tags(article_with_attachment, client):
    meta = metas(soup_of(get(client, "jyj", "/notices/enrolment-2027/")))
    assert meta["ArticleTitle"] == "关于2027年秋季学期招生工作的通知"
    assert PUBDATE.match(meta["PubDate"]) and meta["PubDate"] == "2026-03-01 00:30"
    assert meta["ContentSource"] == "区教育局招生办公室"
    assert meta["Keywords"] == "招生,义务教育"
    assert meta["Author"] == "招生办"
    assert meta["Description"] == "2027年秋季学期义务教育阶段招生工作安排。"
    assert meta["Url"] == "http://jyj.localhost/notices/enrolment-2027/"
    assert meta["ColumnName"] == "通知公告"


def test_sample_article_meta_falls_back_to_department(departments, client):
    meta = metas(soup_of(get(client, "jyj", "/news/sample-1/")))
    assert meta["ArticleTitle"] == "区教育局部门动态样例1"
    assert meta["PubDate"] == "2026-11-20 09:30"
    assert meta["ContentSource"] == "区教育局"
    assert meta["Author"] == "样例作者"
    assert meta["Description"] == "区教育局的部门动态样例信息。"
    assert "Keywords" in meta


# --- the syndication API ----------------------------------------------------------------------


def test_api_on_a_department_host_is_scoped_to_it(departments, client):
    data = get(client, "wjj", "/api/items/").json()
    assert data["total"] == 6 and len(data["results"]) == 6
    assert {r["department"] for r in data["results"]} == {"区卫生健康局"}
    first = data["results"][0]
    assert {"title", "url", "department", "column", "publish_time"} <= set(first)
    assert first == {**first, "title": "区卫生健康局部门动态样例1", "department": "区卫生健康局",
                     "column": "部门动态", "publish_time": "2026-11-20 09:30"}
    assert re.match(r"^http://wjj\.localhost(:\d+)?/news/sample-1/$", first["url"])
    times = [r["publish_time"] for r in data["results"]]
    assert all(PUBDATE.match(t) for t in times) and times == sorted(times, reverse=True)
    # Asking a department host for another department gets nothing of the other department.
    data = get(client, "wjj", "/api/items/", department="jyj").json()
    assert {r["department"] for r in data["results"]} == {"区卫生健康局"}


def test_api_on_the_portal_spans_departments_and_filters(departments, client):
    data = get(client, "www", "/api/items/").json()
    assert {"区教育局", "区卫生健康局"} <= {r["department"] for r in data["results"]}
    assert data["total"] >= 12
    data = get(client, "www", "/api/items/", department="jyj").json()
    assert data["total"] == 6
    assert {r["department"] for r in data["results"]} == {"区教育局"}
    assert sorted(r["title"] for r in data["results"]) == sorted(
        f"区教育局{c}样例{n}" for c in ("部门动态", "通知公告") for n in (1, 2, 3)
    )
    data = get(client, "www", "/api/items/", department="jyj", column_type="notice").json()
    assert [r["title"] for r in data["results"]] == [f"区教育局通知公告样例{n}" for n in (1, 2, 3)]
    assert get(client, "www", "/api/items/", page="x", status=400).json()["error"]


def test_making_an_article_private_takes_it_off_the_portal_and_api(departments, client):
    """Content behind a login must not be listed publicly by the portal or the API."""
    from portal.accounts.models import User
    from portal.pages.models import ArticlePage

    title = "区教育局通知公告样例3"
    with tenant_context(departments["jyj"]):
        page_id = ArticlePage.objects.get(title=title).pk
    privacy_url = f"/admin/pages/{page_id}/privacy/"
    client.force_login(User.objects.get(username="jyj_head"))
    response = client.post(privacy_url, {"restriction_type": "login"}, HTTP_HOST=host("jyj"))
    assert response.status_code == 200
    client.logout()
    assert get(client, "jyj", "/notices/sample-3/", status=302)["Location"].startswith("/_util/login/")
    assert title not in get(client, "jyj", "/notices/").content.decode()
    assert title not in [r["title"] for r in get(client, "jyj", "/api/items/").json()["results"]]
    assert title not in [r["title"] for r in get(client, "www", "/api/items/").json()["results"]]
    assert title not in get(client, "www").content.decode()
    # Public again: listed again.
    client.force_login(User.objects.get(username="jyj_head"))
    client.post(privacy_url, {"restriction_type": "none"}, HTTP_HOST=host("jyj"))
    client.logout()
    assert title in [r["title"] for r in get(client, "www", "/api/items/").json()["results"]]
    assert title in get(client, "www").content.decode()


def test_publishing_from_a_script_under_schema_context_reaches_the_projection_and_search(departments):
    """Scripts and jobs enter a department with django-tenants' `schema_context(name)`, which
    leaves no Department on the connection: the publish must still reach the portal's projection
    and the search outbox, exactly as through `tenant_context(department)`."""
    from django.utils import timezone
    from django_tenants.utils import schema_context, tenant_context
    from portal.models import PublishedItem
    from portal.pages.models import ArticlePage, ColumnPage

    from search.models import SearchDocument

    for enter, slug in ((lambda: schema_context("jyj"), "by-schema-context"),
                        (lambda: tenant_context(departments["jyj"]), "by-tenant-context")):
        with enter():
            column = ColumnPage.objects.get(depth=3, slug="news")
            page = ArticlePage(title=f"脚本发布的动态 {slug}", slug=slug, publish_time=timezone.now(),
                               body=[("text", "<p>由脚本发布。</p>")])
            column.add_child(instance=page)
            page.save_revision().publish()
        item = PublishedItem.objects.get(department=departments["jyj"], title=f"脚本发布的动态 {slug}")
        assert item.url.endswith(f"/news/{slug}/")
        assert SearchDocument.objects.filter(title=f"脚本发布的动态 {slug}").exists()
