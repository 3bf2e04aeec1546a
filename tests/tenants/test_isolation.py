"""Tenant isolation, attacked through real HTTP requests.

Every department is its own schema; a person's rights in one department must not leak into
another, whatever URL, host, page id, cache key or uploaded file they try. The committed
district (conftest) has 区教育局 (jyj) and 区卫生健康局 (wjj) with three sample articles in
each of 部门动态 and 通知公告; ids are per schema, so both departments have pages with the same
ids — which is exactly what an attacker would try.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django_tenants.utils import schema_context, tenant_context
from portal.accounts.models import User
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from tenants.middleware import DepartmentMiddleware
from tenants.provisioning import set_status
from tests.conftest import PASSWORD, host

JYJ_TITLES = [f"区教育局{column}样例{n}" for column in ("部门动态", "通知公告") for n in (1, 2, 3)]
WJJ_TITLES = [f"区卫生健康局{column}样例{n}" for column in ("部门动态", "通知公告") for n in (1, 2, 3)]


def login(client, username):
    client.force_login(User.objects.get(username=username))


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def assert_no_jyj_content(response):
    body = text(response)
    leaked = [title for title in JYJ_TITLES if title in body]
    assert not leaked, f"区教育局的内容泄露到了响应中：{leaked}"


def jyj_ids(departments) -> dict:
    """Ids of 区教育局's pages, looked up in its own schema."""
    from portal.pages.models import ArticlePage, ColumnPage, HomePage

    with tenant_context(departments["jyj"]):
        news = ColumnPage.objects.get(depth=3, slug="news")
        article = ArticlePage.objects.child_of(news).get(slug="sample-1")
        return {
            "home": HomePage.objects.get(depth=2).pk,
            "news": news.pk,
            "notices": ColumnPage.objects.get(depth=3, slug="notices").pk,
            "article": article.pk,
        }


def jyj_article_state(departments, pk):
    from portal.pages.models import ArticlePage

    with tenant_context(departments["jyj"]):
        page = ArticlePage.objects.filter(pk=pk).first()
        return None if page is None else (page.title, page.live, page.get_parent().pk)


# Every admin screen of a department that another department's editor might try.
ADMIN_GETS = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/{home}/",
    "/admin/pages/{news}/",
    "/admin/pages/{news}/results/",
    "/admin/pages/{article}/edit/",
    "/admin/pages/{article}/edit/preview/",
    "/admin/pages/{article}/view_draft/",
    "/admin/pages/{news}/add_subpage/",
    "/admin/pages/add/pages/articlepage/{news}/",
    "/admin/pages/{article}/unpublish/",
    "/admin/pages/{article}/delete/",
    "/admin/pages/{article}/move/",
    "/admin/pages/{article}/move/{notices}/confirm/",
    "/admin/pages/{article}/copy/",
    "/admin/pages/{article}/revisions/",
    "/admin/pages/{article}/history/",
    "/admin/bulk/wagtailcore/page/publish/?id={article}",
    "/admin/bulk/wagtailcore/page/unpublish/?id={article}",
    "/admin/bulk/wagtailcore/page/delete/?id={article}",
    "/admin/choose-page/",
    "/admin/choose-page/{news}/",
    "/admin/choose-page/search/?q=区教育局部门动态样例1",
    "/admin/pages/search/?q=区教育局部门动态样例1",
    "/admin/pages/search/results/?q=区教育局部门动态样例1",
    "/admin/api/main/pages/?child_of={news}",
    "/admin/api/main/pages/{article}/",
    "/admin/documents/",
    "/admin/documents/chooser/",
    "/admin/images/",
    "/admin/images/chooser/",
    "/admin/users/",
    "/admin/groups/",
    "/admin/sites/",
    "/admin/reports/site-history/",
]


@pytest.mark.parametrize("url", ADMIN_GETS)
def test_other_departments_editor_gets_no_admin_screen(departments, client, url):
    login(client, "wjj_editor")
    response = client.get(url.format(**jyj_ids(departments)), HTTP_HOST=host("jyj"))
    assert response.status_code in (403, 404), f"{url} 返回 {response.status_code}"
    assert_no_jyj_content(response)


def test_other_departments_editor_cannot_change_pages_by_posting(departments, client):
    ids = jyj_ids(departments)
    before = jyj_article_state(departments, ids["article"])
    with tenant_context(departments["jyj"]):
        from portal.pages.models import ArticlePage

        revisions_before = ArticlePage.objects.get(pk=ids["article"]).revisions.count()
    attempts = [
        (f"/admin/pages/{ids['article']}/edit/",
         {"title": "被篡改的标题", "slug": "sample-1", "action-publish": "1"}),
        (f"/admin/pages/{ids['article']}/unpublish/", {}),
        (f"/admin/pages/{ids['article']}/delete/", {}),
        (f"/admin/pages/{ids['article']}/move/{ids['notices']}/confirm/", {}),
        (f"/admin/pages/{ids['article']}/copy/",
         {"new_title": "复制", "new_slug": "copied", "new_parent_page": ids["news"]}),
        (f"/admin/bulk/wagtailcore/page/unpublish/?id={ids['article']}", {}),
        (f"/admin/bulk/wagtailcore/page/delete/?id={ids['article']}", {}),
        (f"/admin/api/main/pages/{ids['article']}/action/unpublish/", {}),
        ("/admin/documents/add/", {"title": "越权上传", "file": ContentFile(b"x", name="x.txt")}),
    ]
    for url, data in attempts:
        login(client, "wjj_editor")
        response = client.post(url, data, HTTP_HOST=host("jyj"))
        assert response.status_code in (403, 404), f"POST {url} 返回 {response.status_code}"
    assert jyj_article_state(departments, ids["article"]) == before
    with tenant_context(departments["jyj"]):
        from wagtail.documents.models import Document

        assert ArticlePage.objects.get(pk=ids["article"]).revisions.count() == revisions_before
        assert not ArticlePage.objects.filter(slug="copied").exists()
        assert not Document.objects.filter(title="越权上传").exists()
    # The visitor still sees the article where it was.
    response = client.get("/news/sample-1/", HTTP_HOST=host("jyj"))
    assert response.status_code == 200 and "区教育局部门动态样例1" in text(response)


def test_a_jyj_page_id_on_wjjs_host_shows_wjjs_own_page(departments, client):
    """Ids are per schema: the id of jyj's article is, on wjj's host, wjj's own article."""
    ids = jyj_ids(departments)
    login(client, "wjj_editor")
    for url in (f"/admin/pages/{ids['article']}/edit/", f"/admin/pages/{ids['news']}/",
                f"/admin/pages/{ids['article']}/history/"):
        response = client.get(url, HTTP_HOST=host("wjj"))
        assert response.status_code == 200, url
        assert_no_jyj_content(response)
        assert "区卫生健康局部门动态样例1" in text(response), url
    # And a jyj page id that does not exist in wjj is simply not found there.
    from portal.pages.models import ArticlePage

    with tenant_context(departments["jyj"]):
        extra = ArticlePage(title="区教育局仅此一篇", slug="only-here")
        column = ArticlePage.objects.get(pk=ids["article"]).get_parent()
        column.add_child(instance=extra)
    with tenant_context(departments["wjj"]):
        assert not ArticlePage.objects.filter(pk=extra.pk).exists()
    response = client.get(f"/admin/pages/{extra.pk}/edit/", HTTP_HOST=host("wjj"))
    assert response.status_code == 404 and "区教育局仅此一篇" not in text(response)


def test_login_form_on_another_departments_host_does_not_open_its_admin(departments, client):
    response = client.post(
        "/admin/login/", {"username": "wjj_editor", "password": PASSWORD}, HTTP_HOST=host("jyj"), follow=True
    )
    assert response.status_code == 403
    body = text(response)
    assert "无权访问" in body and "没有“区教育局”的后台权限" in body
    assert_no_jyj_content(response)
    # Logged out again: the next admin screen asks for the login form, it shows no jyj page.
    response = client.get(f"/admin/pages/{jyj_ids(departments)['news']}/", HTTP_HOST=host("jyj"))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/admin/login/" in response["Location"]
    assert_no_jyj_content(response)
    # The same account works on its own department's host.
    response = client.post(
        "/admin/login/", {"username": "wjj_editor", "password": PASSWORD}, HTTP_HOST=host("wjj"), follow=True
    )
    assert response.status_code == 200 and response.redirect_chain[-1][0].endswith("/admin/")


def test_a_login_with_next_pointing_at_another_departments_page_is_refused(departments, client):
    ids = jyj_ids(departments)
    response = client.post(
        f"/admin/login/?next=/admin/pages/{ids['article']}/edit/",
        {"username": "wjj_editor", "password": PASSWORD, "next": f"/admin/pages/{ids['article']}/edit/"},
        HTTP_HOST=host("jyj"), follow=True,
    )
    assert response.status_code == 403
    assert_no_jyj_content(response)


def _explorer_titles(client, prefix, column_slug="news"):
    from portal.pages.models import ColumnPage

    from tenants.models import Department

    with tenant_context(Department.objects.get(host_prefix=prefix)):
        column_id = ColumnPage.objects.get(depth=3, slug=column_slug).pk
    response = client.get(f"/admin/pages/{column_id}/", HTTP_HOST=host(prefix))
    assert response.status_code == 200, f"{prefix} 的页面管理打不开：{response.status_code}"
    body = text(response)
    return body, [t for t in JYJ_TITLES + WJJ_TITLES if t in body]


@pytest.mark.parametrize("username", ["two_hats", "center_admin"])
def test_people_with_roles_in_both_see_each_departments_own_pages(departments, client, username):
    login(client, username)
    for prefix in ("jyj", "wjj"):
        response = client.get("/admin/", HTTP_HOST=host(prefix))
        assert response.status_code == 200, f"{username} 进不了 {prefix} 的后台"
    _, seen_in_jyj = _explorer_titles(client, "jyj")
    _, seen_in_wjj = _explorer_titles(client, "wjj")
    assert seen_in_jyj == ["区教育局部门动态样例1", "区教育局部门动态样例2", "区教育局部门动态样例3"]
    assert seen_in_wjj == [f"区卫生健康局部门动态样例{n}" for n in (1, 2, 3)]


def test_two_hats_has_no_admin_where_no_role(departments, client):
    login(client, "two_hats")
    response = client.get("/admin/pages/", HTTP_HOST=host("www"))
    assert response.status_code == 403 and "没有“源城区人民政府”的后台权限" in text(response)


def _edit_and_publish(client, page_id, new_title):
    """What an editor does: open the edit form, change the title, press 发布."""
    response = client.get(f"/admin/pages/{page_id}/edit/", HTTP_HOST=host("jyj"))
    assert response.status_code == 200
    data = querydict_from_html(text(response), form_id="page-edit-form")
    data["title"] = new_title
    data.update(nested_form_data({"body": streamfield([("text", rich_text("<p>修改后的正文。</p>"))])}))
    data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/{page_id}/edit/", data, HTTP_HOST=host("jyj"))


def test_editor_cannot_publish_but_head_can(departments, client):
    from portal.models import PublishedItem
    from portal.pages.models import ArticlePage

    ids = jyj_ids(departments)
    login(client, "jyj_editor")
    response = _edit_and_publish(client, ids["article"], "业务员擅自发布的标题")
    assert response.status_code == 302
    with tenant_context(departments["jyj"]):
        page = ArticlePage.objects.get(pk=ids["article"])
        assert page.live and page.title == "区教育局部门动态样例1"
        assert page.get_latest_revision().as_object().title == "业务员擅自发布的标题"  # kept as a draft
    public = text(client.get("/news/sample-1/", HTTP_HOST=host("jyj")))
    assert "区教育局部门动态样例1" in public and "业务员擅自发布的标题" not in public
    item = PublishedItem.objects.get(department=departments["jyj"], object_id=ids["article"])
    assert item.title == "区教育局部门动态样例1"

    login(client, "jyj_head")
    response = _edit_and_publish(client, ids["article"], "负责人审核发布的标题")
    assert response.status_code == 302
    with tenant_context(departments["jyj"]):
        page = ArticlePage.objects.get(pk=ids["article"])
        assert page.live and page.title == "负责人审核发布的标题"
    public = text(client.get("/news/sample-1/", HTTP_HOST=host("jyj")))
    assert "负责人审核发布的标题" in public and "修改后的正文" in public
    portal = text(client.get("/", HTTP_HOST=host("www")))
    assert "负责人审核发布的标题" in portal
    # The same id in wjj is wjj's own article and was not touched.
    with tenant_context(departments["wjj"]):
        assert ArticlePage.objects.get(pk=ids["article"]).title == "区卫生健康局部门动态样例1"


def _nav_titles(client, prefix):
    body = text(client.get("/", HTTP_HOST=host(prefix)))
    nav = re.search(r'<nav class="site-nav".*?</nav>', body, re.S)
    assert nav, f"{prefix} 首页没有主导航"
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))


def test_renaming_a_column_changes_only_that_departments_navigation(departments, client):
    from portal.pages.models import ColumnPage

    jyj_nav = _nav_titles(client, "jyj")
    wjj_nav = _nav_titles(client, "wjj")
    assert "通知公告" in jyj_nav and "通知公告" in wjj_nav  # both navigations are now cached
    with tenant_context(departments["wjj"]):
        column = ColumnPage.objects.get(depth=3, slug="notices")
        column.title = "卫健公告"
        column.save_revision().publish()
    assert _nav_titles(client, "wjj") == [("卫健公告" if t == "通知公告" else t) for t in wjj_nav]
    assert _nav_titles(client, "jyj") == jyj_nav


def test_the_same_cache_key_holds_each_schemas_own_value(departments):
    with schema_context("jyj"):
        cache.set("isolation:probe", "教育局的值", 60)
    with schema_context("wjj"):
        assert cache.get("isolation:probe") is None
        cache.set("isolation:probe", "卫健局的值", 60)
    with schema_context("jyj"):
        assert cache.get("isolation:probe") == "教育局的值"
    with schema_context("wjj"):
        assert cache.get("isolation:probe") == "卫健局的值"
    with schema_context("public"):
        assert cache.get("isolation:probe") is None
    for schema in ("jyj", "wjj"):
        with schema_context(schema):
            cache.delete("isolation:probe")


def _site_for(hostname):
    """Run the tenant middleware on a request, then ask Wagtail which Site it is for."""
    request = RequestFactory().get("/", HTTP_HOST=hostname)
    found = {}

    def view(request):
        site = Site.find_for_request(request)
        found["site"] = (site.hostname, site.root_page.specific.title, site.site_name)
        from django.http import HttpResponse

        return HttpResponse()

    DepartmentMiddleware(view)(request)
    return found["site"]


def test_wagtail_site_follows_the_host_within_one_process(departments, client):
    assert _site_for("wjj.localhost") == ("wjj.localhost", "区卫生健康局", "区卫生健康局")
    assert _site_for("jyj.localhost") == ("jyj.localhost", "区教育局", "区教育局")
    assert _site_for("wjj.localhost")[1] == "区卫生健康局"
    # And through the whole stack, one request right after the other.
    wjj = text(client.get("/news/", HTTP_HOST=host("wjj")))
    jyj = text(client.get("/news/", HTTP_HOST=host("jyj")))
    assert "区卫生健康局部门动态样例1" in wjj and "区教育局" not in wjj
    assert "区教育局部门动态样例1" in jyj and "区卫生健康局" not in jyj


@pytest.fixture
def uploaded_files():
    """Files written to MEDIA_ROOT by a test; rolled-back rows do not remove them."""
    paths = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)


def test_uploaded_document_stays_in_its_department(departments, client, uploaded_files):
    from wagtail.documents.models import Document

    # wjj has a document of its own, so the same id exists on both hosts.
    with tenant_context(departments["wjj"]):
        wjj_doc = Document(title="卫健局文件")
        wjj_doc.file.save("isolation-wjj.txt", ContentFile("卫健局的文件".encode()), save=True)
        uploaded_files.append(wjj_doc.file.path)

    login(client, "jyj_editor")
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "教育局招生简章",
            "file": ContentFile("教育局的招生简章正文".encode(), name="isolation-jyj.txt"),
            "collection": 1,
        },
        HTTP_HOST=host("jyj"),
    )
    assert response.status_code == 302, text(response)[:2000]
    with tenant_context(departments["jyj"]):
        doc = Document.objects.get(title="教育局招生简章")
        uploaded_files.append(doc.file.path)
        serve_url, file_url, path = doc.url, doc.file.url, Path(doc.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "jyj")
    assert path.read_text(encoding="utf-8") == "教育局的招生简章正文"

    client.logout()
    for url in (serve_url, file_url):
        response = client.get(url, HTTP_HOST=host("jyj"))
        assert response.status_code == 200, f"{url} 在 jyj 返回 {response.status_code}"
        assert text(response) == "教育局的招生简章正文"
        response = client.get(url, HTTP_HOST=host("wjj"))
        assert response.status_code == 404, f"{url} 在 wjj 返回 {response.status_code}"
        assert "招生简章" not in text(response)
    # wjj's own file is served on wjj's host, not on jyj's.
    wjj_file_url = "/media/wjj/" + Path(wjj_doc.file.name).as_posix()
    assert client.get(wjj_file_url, HTTP_HOST=host("wjj")).status_code == 200
    assert client.get(wjj_file_url, HTTP_HOST=host("jyj")).status_code == 404
    # A path that climbs out of the department's folder is refused.
    sneaky = "/media/jyj/../wjj/" + Path(wjj_doc.file.name).as_posix()
    assert client.get(sneaky, HTTP_HOST=host("jyj")).status_code == 404


def test_suspended_department_answers_visitors_with_a_notice_but_admin_still_works(departments, client):
    set_status(departments["jyj"], "suspended", "网站改版升级中")
    for url in ("/", "/news/", "/news/sample-1/", "/api/items/"):
        response = client.get(url, HTTP_HOST=host("jyj"))
        assert response.status_code == 503, url
        body = text(response)
        assert "本网站已暂停服务" in body and "网站改版升级中" in body
        assert_no_jyj_content(response)
    assert client.get("/", HTTP_HOST=host("wjj")).status_code == 200

    login(client, "center_admin")
    assert client.get("/admin/", HTTP_HOST=host("jyj")).status_code == 200
    _, seen = _explorer_titles(client, "jyj")
    assert seen == ["区教育局部门动态样例1", "区教育局部门动态样例2", "区教育局部门动态样例3"]
    # The portal no longer links to the suspended department's items.
    portal = text(client.get("/", HTTP_HOST=host("www")))
    assert "区教育局部门动态样例1" not in portal and "区卫生健康局部门动态样例1" in portal
    api = client.get("/api/items/", HTTP_HOST=host("www")).json()
    listed = {item["department"] for item in api["results"]}
    assert "区教育局" not in listed and "区卫生健康局" in listed
