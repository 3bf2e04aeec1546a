"""Every column can be followed as RSS and Atom (for WeChat/Weibo tools that mirror the site)."""

import xml.etree.ElementTree as ET


def test_column_rss_lists_its_articles_newest_first(client, departments):
    response = client.get("/feeds/news/rss.xml", HTTP_HOST="jyj.localhost")
    assert response.status_code == 200 and "rss" in response["Content-Type"]
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "区教育局 - 部门动态"
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["区教育局部门动态样例1", "区教育局部门动态样例2", "区教育局部门动态样例3"]
    assert channel.find("item").findtext("link").startswith("http://jyj.localhost")


def test_column_atom_feed_and_link_on_the_column_page(client, departments):
    response = client.get("/feeds/notices/atom.xml", HTTP_HOST="wjj.localhost")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("atom:title", namespaces=namespace) == "区卫生健康局 - 通知公告"
    assert len(feed.findall("atom:entry", namespace)) == 3
    column = client.get("/notices/", HTTP_HOST="wjj.localhost").content.decode()
    assert 'href="/feeds/notices/atom.xml"' in column and 'href="/feeds/notices/rss.xml"' in column


def test_feed_of_an_unknown_column_is_not_found(client, departments):
    assert client.get("/feeds/nosuch/rss.xml", HTTP_HOST="jyj.localhost").status_code == 404
