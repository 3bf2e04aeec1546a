"""A column that gathers other sites' columns: the portal's 政策文件 from every department's
政策文件, a 专题 from every item tagged with its topic; newest first, 20 a page, each item with
its department and a link to it on the department's site, in the feeds too, and refreshed in
the page cache exactly when a department it reads from publishes."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

WWW, JYJ, WJJ = "www.localhost", "jyj.localhost", "wjj.localhost"
BASE = datetime(2026, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def publish(department, column_slug, title, when, keywords=""):
    from portal.pages.models import ArticlePage, ColumnPage

    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug=column_slug)
        article = ArticlePage(title=title, slug=f"a{abs(hash((title, when))) % 10**8}", publish_time=when,
                              summary=f"{title}的摘要。", keywords=keywords,
                              body=[("text", f"<p>{title}正文。</p>")])
        column.add_child(instance=article)
        article.save_revision().publish()
        return article


def aggregate(department, slug, **sources):
    from portal.pages.models import ColumnPage

    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug=slug)
        for name, value in sources.items():
            setattr(column, name, value)
        column.save_revision().publish()
        return column


def titles(html: str) -> list[str]:
    listing = html.split('<ul class="item-list">')[1].split("</ul>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in listing.split("<li>")[1:]]


@pytest.fixture
def policies(departments):
    """12 policy documents in each of the two departments, a day apart, alternating."""
    published = []
    for n in range(24):
        department = departments["jyj" if n % 2 == 0 else "wjj"]
        title = f"{department.name}政策文件{n + 1:02d}"
        published.append(publish(department, "policies", title, BASE + timedelta(days=n)))
    return published


def test_the_portal_gathers_every_departments_policies_newest_first_twenty_a_page(client, departments, policies):
    aggregate(departments["www"], "policies", aggregate_column_type="policy")
    first = client.get("/policies/", HTTP_HOST=WWW)
    assert first.status_code == 200
    html = first.content.decode()
    expected = [f"{'区卫生健康局' if n % 2 else '区教育局'}政策文件{n + 1:02d}" for n in reversed(range(24))]
    assert titles(html) == expected[:20]
    assert "第 1 / 2 页" in html and 'href="?page=2"' in html
    # Each item names its department and links to it on the department's own site.
    assert '<span class="item-department">区卫生健康局</span>' in html
    assert re.search(r'href="http://wjj\.localhost(:\d+)?/policies/a\d+/"', html)
    assert re.search(r'href="http://jyj\.localhost(:\d+)?/policies/a\d+/"', html)
    second = client.get("/policies/?page=2", HTTP_HOST=WWW).content.decode()
    assert titles(second) == expected[20:]
    assert "第 2 / 2 页" in second and 'href="?page=1"' in second
    # Out of range or nonsense: the nearest page, never an error.
    assert titles(client.get("/policies/?page=99", HTTP_HOST=WWW).content.decode()) == expected[20:]
    assert client.get("/policies/?page=abc", HTTP_HOST=WWW).status_code == 200


def test_chosen_departments_only_and_a_suspended_department_drops_out(client, departments, policies):
    from tenants.provisioning import set_status

    aggregate(departments["www"], "policies", aggregate_column_type="policy", aggregate_departments=["wjj"])
    shown = titles(client.get("/policies/", HTTP_HOST=WWW).content.decode())
    assert len(shown) == 12 and all(title.startswith("区卫生健康局") for title in shown)
    set_status(departments["wjj"], "suspended", "网站改版")
    assert titles(client.get("/policies/", HTTP_HOST=WWW).content.decode()) == []


def test_a_topic_column_gathers_the_items_tagged_with_it(client, departments):
    publish(departments["jyj"], "news", "校园周边营商环境整治", BASE, keywords="优化营商环境、校园安全")
    publish(departments["wjj"], "notices", "医疗机构审批提速", BASE + timedelta(days=1), keywords="医疗,优化营商环境")
    publish(departments["wjj"], "news", "义诊活动", BASE + timedelta(days=2), keywords="义诊")
    aggregate(departments["www"], "interpretations", aggregate_topic="优化营商环境")
    html = client.get("/interpretations/", HTTP_HOST=WWW).content.decode()
    assert titles(html) == ["医疗机构审批提速", "校园周边营商环境整治"]


def test_the_feeds_of_an_aggregated_column_carry_its_items(client, departments, policies):
    aggregate(departments["www"], "policies", aggregate_column_type="policy")
    rss = ET.fromstring(client.get("/feeds/policies/rss.xml", HTTP_HOST=WWW).content).find("channel")
    items = rss.findall("item")
    assert len(items) == 24
    assert items[0].findtext("title") == "区卫生健康局政策文件24"
    assert re.fullmatch(r"http://wjj\.localhost(:\d+)?/policies/a\d+/", items[0].findtext("link"))
    atom = ET.fromstring(client.get("/feeds/policies/atom.xml", HTTP_HOST=WWW).content)
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    entry = atom.find("atom:entry", namespace)
    assert entry.findtext("atom:author/atom:name", namespaces=namespace) == "区卫生健康局"


def test_the_cached_page_is_refreshed_exactly_when_a_source_department_publishes(departments):
    """wjj's 政策文件 gathers jyj's: a publish in jyj shows at once, one on the portal leaves the
    cached copy alone."""
    aggregate(departments["wjj"], "interpretations", aggregate_column_type="policy", aggregate_departments=["jyj"])
    publish(departments["jyj"], "policies", "教育局第一份文件", BASE)
    visitor = Client()
    assert visitor.get("/interpretations/", HTTP_HOST=WJJ)["X-Page-Cache"] == "MISS"
    assert visitor.get("/interpretations/", HTTP_HOST=WJJ)["X-Page-Cache"] == "HIT"
    publish(departments["www"], "policies", "区政府文件", BASE + timedelta(days=1))
    unrelated = visitor.get("/interpretations/", HTTP_HOST=WJJ)
    assert unrelated["X-Page-Cache"] == "HIT"
    publish(departments["jyj"], "policies", "教育局第二份文件", BASE + timedelta(days=2))
    fresh = visitor.get("/interpretations/", HTTP_HOST=WJJ)
    assert fresh["X-Page-Cache"] == "MISS"
    assert titles(fresh.content.decode()) == ["教育局第二份文件", "教育局第一份文件"]
    # The feed follows the same sources.
    assert visitor.get("/feeds/interpretations/rss.xml", HTTP_HOST=WJJ)["X-Page-Cache"] == "MISS"
    publish(departments["jyj"], "policies", "教育局第三份文件", BASE + timedelta(days=3))
    feed = visitor.get("/feeds/interpretations/rss.xml", HTTP_HOST=WJJ)
    assert feed["X-Page-Cache"] == "MISS" and "教育局第三份文件" in feed.content.decode()


def test_only_the_head_or_the_centre_sets_the_sources_and_an_unknown_department_is_refused(departments):
    from portal.pages.models import ColumnPage
    from wagtail.test.utils.form_data import querydict_from_html

    from tests.governance.helpers import login, text

    with tenant_context(departments["jyj"]):
        column = ColumnPage.objects.get(depth=3, slug="interpretations")
    url = f"/admin/pages/{column.pk}/edit/"

    def post(client, action="", **changes):
        data = querydict_from_html(text(client.get(url, HTTP_HOST=JYJ)), form_id="page-edit-form")
        for key in [k for k in data if k.startswith("action-")]:
            del data[key]
        for name, value in changes.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        if action:
            data[action] = action
        return client.post(url, data, follow=True, HTTP_HOST=JYJ)

    editor, head = Client(), Client()
    login(editor, "jyj_editor")
    login(head, "jyj_head")
    assert "您不能修改" in text(post(editor, aggregate_column_type="policy"))
    assert "您不能修改" in text(post(editor, aggregate_departments=["wjj"]))
    unknown = post(head, aggregate_departments=["nosuch"])
    assert unknown.status_code == 200 and "所选单位“nosuch”不存在，请重新选择" in text(unknown)
    assert "您不能修改" not in text(post(head, "action-publish", aggregate_column_type="policy",
                                        aggregate_departments=["wjj"]))
    with tenant_context(departments["jyj"]):
        column = ColumnPage.objects.get(pk=column.pk)
    assert (column.aggregate_column_type, column.aggregate_departments) == ("policy", ["wjj"])
