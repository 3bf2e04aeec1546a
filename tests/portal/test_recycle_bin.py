"""The 回收站: deleting in the admin moves pages to the department's bin for 30 days.

Deleted pages leave the site, the projection (`/api/items/`), the column feeds and search (the
search projection and Elasticsearch) at once; the 负责人 restores them — same URL, revisions,
attachments and 索引号 — or deletes them for good; the scheduler purges them after 30 days.
Every step goes through the admin as a person would, on the committed test district.
"""

import json
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from tests.conftest import host

JYJ = host("jyj")
WHEN = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def login(client, username):
    from portal.accounts.models import User

    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def make_article(department, column_slug, title, slug, *, live=True, attachment=None, owner=None, revisions=1):
    """An article as an editor's would end up: saved (several revisions if asked) and published."""
    from portal.pages.models import ArticleAttachment, ArticlePage, ColumnPage
    from wagtail.documents import get_document_model

    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug=column_slug)
        article = ArticlePage(title=title, slug=slug, publish_time=WHEN, source=department.name, owner=owner,
                              live=False, summary=f"{title}的摘要", body=[("text", f"<p>{title}正文。</p>")])
        column.add_child(instance=article)
        if attachment:
            document = get_document_model().objects.create(
                title=attachment, file=ContentFile(b"attachment text", name="attachment.txt"))
            article.attachments.add(ArticleAttachment(document=document, title=attachment))
        for n in range(revisions):
            article.summary = f"{title}的摘要（第{n + 1}稿）"
            revision = article.save_revision(user=owner)
        if live:
            revision.publish(user=owner)
        article.refresh_from_db()
        return article


def revision_ids(department, page_id):
    from wagtail.models import Revision

    with tenant_context(department):
        return set(Revision.page_revisions.filter(object_id=str(page_id)).values_list("pk", flat=True))


def entry_of(department, page_id):
    from portal.recyclebin.models import RecycledPage

    with tenant_context(department):
        return RecycledPage.objects.filter(page_id=page_id).first()


def page_of(department, page_id):
    from wagtail.models import Page

    with tenant_context(department):
        page = Page.objects.filter(pk=page_id).first()
        return page.specific if page else None


def api_titles(client, prefix="jyj"):
    response = client.get("/api/items/", {"department": prefix}, HTTP_HOST=host("www"))
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


def feed_titles(client, column="news"):
    import xml.etree.ElementTree as ET

    response = client.get(f"/feeds/{column}/rss.xml", HTTP_HOST=JYJ)
    assert response.status_code == 200
    return [item.findtext("title") for item in ET.fromstring(response.content).find("channel").findall("item")]


def audit_events(event, target_contains):
    from portal.audit.models import AuditEvent

    with schema_context("public"):
        return list(AuditEvent.objects.filter(event=event, target__contains=target_contains).order_by("id"))


def delete_in_admin(client, page_id):
    return client.post(f"/admin/pages/{page_id}/delete/", HTTP_HOST=JYJ)


def require_elasticsearch():
    url = settings.ELASTICSEARCH_URL.rstrip("/")
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=5) as response:
            assert json.load(response)["status"] in ("yellow", "green")
    except OSError as error:
        pytest.fail(f"Elasticsearch 不可达 ({url}): {error}", pytrace=False)


def es_titles(q, prefix="jyj"):
    """What a visitor's search finds, answered by Elasticsearch (not the PostgreSQL fallback)."""
    import re

    from search import index, service

    index.refresh()
    service.forget_es_state()
    outcome = service.search(service.Params.from_data({"q": q, "department": prefix}))
    assert outcome.backend == "elasticsearch" and not outcome.degraded
    return [re.sub(r"</?em>", "", hit.title_html) for hit in outcome.hits]


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """No test transaction: commits happen, so the search push after the commit reaches
    Elasticsearch. Yields (departments by prefix, list of (department, page id) to delete after)."""
    from wagtail.documents.models import Document

    from search import index
    from tenants.models import Department

    require_elasticsearch()
    created = []
    with django_db_blocker.unblock():
        index.ensure_index()
        departments = {d.host_prefix: d for d in Department.objects.filter(host_prefix__in=["www", "jyj", "wjj"])}
        documents_before = {}
        for prefix, department in departments.items():
            with tenant_context(department):
                documents_before[prefix] = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        connection.set_schema_to_public()
        yield departments, created
        from wagtail.models import Page

        for department, page_id in created:
            with tenant_context(department):
                page = Page.objects.filter(pk=page_id).first()
                if page is not None:
                    page.delete()
        # Uploaded attachments are committed too: other tests list the documents of the district.
        for department in departments.values():
            with tenant_context(department):
                Document.objects.filter(pk__gt=documents_before[department.host_prefix]).delete()
        connection.set_schema_to_public()


# ----------------------------------------------------------------------------------------------
# Delete and restore across the site, projection, feeds, search and caches
# ----------------------------------------------------------------------------------------------


def test_deleted_article_leaves_site_projection_feed_and_search_and_restore_brings_it_back(committed, client):
    from portal.models import PublishedItem

    from search.models import SearchDocument

    departments, created = committed
    jyj = departments["jyj"]
    article = make_article(jyj, "news", "回收站测试紫藤花开", "recycle-wisteria", attachment="紫藤附件", revisions=2)
    created.append((jyj, article.pk))
    url = "/news/recycle-wisteria/"
    before_revisions = revision_ids(jyj, article.pk)
    assert len(before_revisions) == 2
    assert client.get(url, HTTP_HOST=JYJ).status_code == 200
    assert "回收站测试紫藤花开" in api_titles(client)
    assert "回收站测试紫藤花开" in feed_titles(client)
    assert "回收站测试紫藤花开" in es_titles("紫藤花开")

    head = login(client, "jyj_head")
    response = delete_in_admin(client, article.pk)
    assert response.status_code == 302
    client.logout()

    assert client.get(url, HTTP_HOST=JYJ).status_code == 404
    assert "回收站测试紫藤花开" not in api_titles(client)
    assert "回收站测试紫藤花开" not in feed_titles(client)
    assert not SearchDocument.objects.filter(doc_id=f"jyj:article:{article.pk}").exists()
    assert "回收站测试紫藤花开" not in es_titles("紫藤花开")
    assert not PublishedItem.objects.filter(department=jyj, object_id=article.pk).exists()
    entry = entry_of(jyj, article.pk)
    assert entry is not None and entry.deleted_by == head and entry.original_slug == "recycle-wisteria"
    assert [event.user for event in audit_events("recycle", f"#{article.pk})")] == [head]

    # The 负责人 sees it in 回收站 and restores it.
    login(client, "jyj_head")
    listing = client.get("/admin/recycle-bin/", HTTP_HOST=JYJ).content.decode()
    assert "回收站测试紫藤花开" in listing and "/news/recycle-wisteria/" in listing and "30 天" in listing
    assert "恢复" in listing and "彻底删除" in listing
    response = client.post(f"/admin/recycle-bin/{entry.pk}/restore/", {"parent": "", "slug": "recycle-wisteria"},
                           HTTP_HOST=JYJ)
    assert response.status_code == 302
    client.logout()

    page = client.get(url, HTTP_HOST=JYJ)
    assert page.status_code == 200 and "紫藤附件" in page.content.decode()
    assert "回收站测试紫藤花开" in api_titles(client)
    assert "回收站测试紫藤花开" in feed_titles(client)
    assert "回收站测试紫藤花开" in es_titles("紫藤花开")
    restored = page_of(jyj, article.pk)
    assert restored.live and restored.url_path == article.url_path
    assert before_revisions <= revision_ids(jyj, article.pk)
    with tenant_context(jyj):
        assert [a.display_title for a in restored.attachments.all()] == ["紫藤附件"]
    assert entry_of(jyj, article.pk) is None
    assert [event.user for event in audit_events("recycle_restore", f"#{article.pk})")] == [head]


def test_signals_fire_so_caches_can_forget_the_page(departments, client):
    """Caches invalidate on Wagtail's own signals: deleting to the bin sends unpublish and move."""
    from wagtail.signals import page_unpublished, post_page_move

    jyj = departments["jyj"]
    article = make_article(jyj, "news", "信号测试文章", "recycle-signals")
    seen = []

    def unpublished(sender, instance, **kwargs):
        seen.append(("unpublished", instance.pk))

    def moved(sender, instance, **kwargs):
        seen.append(("moved", instance.pk, kwargs["url_path_before"]))

    page_unpublished.connect(unpublished, dispatch_uid="test.recycle.unpublished")
    post_page_move.connect(moved, dispatch_uid="test.recycle.moved")
    try:
        login(client, "jyj_head")
        assert delete_in_admin(client, article.pk).status_code == 302
    finally:
        page_unpublished.disconnect(dispatch_uid="test.recycle.unpublished")
        post_page_move.disconnect(dispatch_uid="test.recycle.moved")
    assert seen == [("unpublished", article.pk), ("moved", article.pk, article.url_path)]


def test_catalogue_entry_keeps_its_index_number_across_delete_and_restore(departments, client):
    from plugins.disclosure.models import CatalogueItem, IndexCounter
    from tests.disclosure.helpers import make_entry

    jyj = departments["jyj"]
    entry_page = make_entry(jyj, "回收站测试目录条目", attachment_title="目录附件")
    number = entry_page.index_number
    assert number.startswith("007218384/2026-")
    counter = IndexCounter.objects.get(department=jyj, year=2026).last_sequence
    assert CatalogueItem.objects.filter(department=jyj, page_id=entry_page.pk).exists()

    login(client, "jyj_head")
    assert delete_in_admin(client, entry_page.pk).status_code == 302
    assert not CatalogueItem.objects.filter(department=jyj, page_id=entry_page.pk).exists()
    assert client.get("/catalogue/", HTTP_HOST=JYJ).content.decode().count("回收站测试目录条目") == 0

    bin_entry = entry_of(jyj, entry_page.pk)
    assert client.post(f"/admin/recycle-bin/{bin_entry.pk}/restore/", {"slug": bin_entry.original_slug},
                       HTTP_HOST=JYJ).status_code == 302
    restored = page_of(jyj, entry_page.pk)
    assert restored.live and restored.index_number == number
    assert IndexCounter.objects.get(department=jyj, year=2026).last_sequence == counter
    assert CatalogueItem.objects.get(department=jyj, page_id=entry_page.pk).index_number == number
    with tenant_context(jyj):
        assert [a.display_title for a in restored.attachments.all()] == ["目录附件"]


def test_a_column_with_its_articles_is_deleted_and_restored_in_its_place(departments, client):
    from portal.pages.models import ArticlePage, ColumnPage, HomePage

    jyj = departments["jyj"]
    with tenant_context(jyj):
        home = HomePage.objects.get(depth=2)
        siblings_before = list(ColumnPage.objects.child_of(home).values_list("slug", flat=True))
        column = ColumnPage.objects.get(depth=3, slug="interpretations")
        column.save_revision().publish()
        column.refresh_from_db()
    first = make_article(jyj, "interpretations", "解读回收一", "recycle-one")
    second = make_article(jyj, "interpretations", "解读回收二", "recycle-two")
    draft = make_article(jyj, "interpretations", "解读回收草稿", "recycle-draft", live=False)
    assert client.get("/interpretations/recycle-one/", HTTP_HOST=JYJ).status_code == 200

    login(client, "jyj_head")
    assert delete_in_admin(client, column.pk).status_code == 302
    client.logout()
    for path in ("/interpretations/", "/interpretations/recycle-one/", "/interpretations/recycle-two/"):
        assert client.get(path, HTTP_HOST=JYJ).status_code == 404
    assert client.get("/feeds/interpretations/rss.xml", HTTP_HOST=JYJ).status_code == 404
    home_page = client.get("/", HTTP_HOST=JYJ).content.decode()
    assert 'href="/interpretations/"' not in home_page  # not in the menu
    assert not {"解读回收一", "解读回收二"} & set(api_titles(client))
    entry = entry_of(jyj, column.pk)
    assert entry.page_count == 4 and len(entry.live_pages) == 3

    login(client, "jyj_head")
    assert client.post(f"/admin/recycle-bin/{entry.pk}/restore/", {"slug": "interpretations"},
                       HTTP_HOST=JYJ).status_code == 302
    client.logout()
    assert client.get("/interpretations/recycle-two/", HTTP_HOST=JYJ).status_code == 200
    assert {"解读回收一", "解读回收二"} <= set(feed_titles(client, "interpretations"))
    assert {"解读回收一", "解读回收二"} <= set(api_titles(client))
    assert 'href="/interpretations/"' in client.get("/", HTTP_HOST=JYJ).content.decode()
    with tenant_context(jyj):
        assert list(ColumnPage.objects.child_of(home).values_list("slug", flat=True)) == siblings_before
        assert not ArticlePage.objects.get(pk=draft.pk).live  # a draft comes back as a draft
        assert ArticlePage.objects.get(pk=first.pk).live and ArticlePage.objects.get(pk=second.pk).live


def test_bulk_delete_from_the_listing_moves_every_selected_page_to_the_bin(departments, client):
    from portal.models import PublishedItem

    jyj = departments["jyj"]
    one = make_article(jyj, "notices", "批量删除一", "bulk-one")
    two = make_article(jyj, "notices", "批量删除二", "bulk-two")
    with tenant_context(jyj):
        notices = one.get_parent().pk
    login(client, "jyj_head")
    url = f"/admin/bulk/wagtailcore/page/delete/?id={one.pk}&id={two.pk}&next=/admin/pages/{notices}/"
    response = client.post(url, HTTP_HOST=JYJ, follow=True)
    assert response.status_code == 200
    assert any("移入回收站" in str(message) for message in response.context["messages"])
    for article in (one, two):
        assert entry_of(jyj, article.pk) is not None
        assert page_of(jyj, article.pk) is not None  # not gone for good
        assert client.get(f"/notices/{article.slug}/", HTTP_HOST=JYJ).status_code == 404
        assert not PublishedItem.objects.filter(department=jyj, object_id=article.pk).exists()
    assert len(audit_events("recycle", "批量删除")) == 2


def test_a_taken_slug_is_refused_with_a_new_one_offered(departments, client):
    jyj = departments["jyj"]
    old = make_article(jyj, "news", "旧的同名文章", "same-slug")
    login(client, "jyj_head")
    delete_in_admin(client, old.pk)
    make_article(jyj, "news", "新的同名文章", "same-slug")
    entry = entry_of(jyj, old.pk)

    form = client.get(f"/admin/recycle-bin/{entry.pk}/restore/", HTTP_HOST=JYJ).content.decode()
    assert "原网址已被占用" in form and 'value="same-slug-2"' in form
    response = client.post(f"/admin/recycle-bin/{entry.pk}/restore/", {"slug": "same-slug"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "原网址已被占用" in response.content.decode()
    assert entry_of(jyj, old.pk) is not None
    response = client.post(f"/admin/recycle-bin/{entry.pk}/restore/", {"slug": "same-slug-2"}, HTTP_HOST=JYJ)
    assert response.status_code == 302
    page = client.get("/news/same-slug-2/", HTTP_HOST=JYJ)
    assert page.status_code == 200 and "旧的同名文章" in page.content.decode()
    assert "新的同名文章" in client.get("/news/same-slug/", HTTP_HOST=JYJ).content.decode()


def test_restore_when_the_original_parent_was_deleted_for_good_asks_where(departments, client):
    from portal.pages.models import ColumnPage

    jyj = departments["jyj"]
    with tenant_context(jyj):
        services = ColumnPage.objects.get(depth=3, slug="services")
        temporary = services.add_child(instance=ColumnPage(title="临时栏目", slug="temporary"))
        temporary.save_revision().publish()
    article = make_article(jyj, "news", "无家可归的文章", "homeless")
    with tenant_context(jyj):
        from wagtail.models import Page

        Page.objects.get(pk=article.pk).specific.move(temporary, "last-child")
    login(client, "jyj_head")
    delete_in_admin(client, article.pk)
    delete_in_admin(client, temporary.pk)
    temporary_entry = entry_of(jyj, temporary.pk)
    assert client.post(f"/admin/recycle-bin/{temporary_entry.pk}/delete/", HTTP_HOST=JYJ).status_code == 302
    entry = entry_of(jyj, article.pk)
    response = client.post(f"/admin/recycle-bin/{entry.pk}/restore/", {"slug": "homeless"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "请选择恢复到的位置" in response.content.decode()
    with tenant_context(jyj):
        news = ColumnPage.objects.get(depth=3, slug="news")
    response = client.post(f"/admin/recycle-bin/{entry.pk}/restore/", {"parent": news.pk, "slug": "homeless"},
                           HTTP_HOST=JYJ)
    assert response.status_code == 302
    assert client.get("/news/homeless/", HTTP_HOST=JYJ).status_code == 200


# ----------------------------------------------------------------------------------------------
# Who may do what
# ----------------------------------------------------------------------------------------------


def test_an_editor_deletes_own_draft_to_the_bin_but_cannot_restore_or_purge(departments, client):
    from portal.accounts.models import User

    jyj = departments["jyj"]
    editor = User.objects.get(username="jyj_editor")
    draft = make_article(jyj, "news", "业务员的草稿", "editor-draft", live=False, owner=editor)
    live = make_article(jyj, "news", "已发布的文章", "editor-live")
    login(client, "jyj_editor")
    refused = client.post(f"/admin/pages/{live.pk}/delete/", HTTP_HOST=JYJ, follow=True)
    assert any("权限" in str(message) for message in refused.context["messages"])  # Wagtail's rule: not a live page
    assert entry_of(jyj, live.pk) is None and page_of(jyj, live.pk).live
    assert delete_in_admin(client, draft.pk).status_code == 302
    entry = entry_of(jyj, draft.pk)
    assert entry is not None and entry.deleted_by == editor

    listing = client.get("/admin/recycle-bin/", HTTP_HOST=JYJ)
    assert listing.status_code == 200 and "业务员的草稿" in listing.content.decode()
    assert f"/admin/recycle-bin/{entry.pk}/restore/" not in listing.content.decode()
    for action in ("restore", "delete"):
        assert client.get(f"/admin/recycle-bin/{entry.pk}/{action}/", HTTP_HOST=JYJ).status_code == 403
        response = client.post(f"/admin/recycle-bin/{entry.pk}/{action}/", {"slug": "editor-draft"}, HTTP_HOST=JYJ)
        assert response.status_code == 403 and "负责人" in response.content.decode()
    assert entry_of(jyj, draft.pk) is not None and page_of(jyj, draft.pk) is not None


def test_another_departments_head_cannot_see_the_bin_and_the_centre_can_restore(departments, client):
    from django.test import Client
    from portal.accounts.roles import grant_department_role

    from tests.conftest import _make_user

    jyj, wjj = departments["jyj"], departments["wjj"]
    article = make_article(jyj, "news", "跨单位测试文章", "cross-department")
    login(client, "jyj_head")
    delete_in_admin(client, article.pk)
    entry = entry_of(jyj, article.pk)

    grant_department_role(_make_user("wjj_head_bin", "卫健局负责人"), wjj, "head")
    client = Client()
    login(client, "wjj_head_bin")
    for url in ("/admin/recycle-bin/", f"/admin/recycle-bin/{entry.pk}/restore/"):
        assert client.get(url, HTTP_HOST=JYJ).status_code == 403
    assert client.post(f"/admin/recycle-bin/{entry.pk}/delete/", HTTP_HOST=JYJ).status_code == 403
    own = client.get("/admin/recycle-bin/", HTTP_HOST=host("wjj"))
    assert own.status_code == 200 and "跨单位测试文章" not in own.content.decode()
    assert entry_of(jyj, article.pk) is not None

    login(client, "center_admin")
    response = client.post(f"/admin/recycle-bin/{entry.pk}/restore/", {"slug": "cross-department"}, HTTP_HOST=JYJ)
    assert response.status_code == 302
    assert client.get("/news/cross-department/", HTTP_HOST=JYJ).status_code == 200


# ----------------------------------------------------------------------------------------------
# Deleting for good, the 30-day purge, and the bin kept out of sight
# ----------------------------------------------------------------------------------------------


def test_delete_for_good_from_the_bin(departments, client):
    jyj = departments["jyj"]
    article = make_article(jyj, "news", "彻底删除的文章", "gone-for-good", attachment="彻底删除附件")
    head = login(client, "jyj_head")
    delete_in_admin(client, article.pk)
    entry = entry_of(jyj, article.pk)
    confirm = client.get(f"/admin/recycle-bin/{entry.pk}/delete/", HTTP_HOST=JYJ).content.decode()
    assert "无法恢复" in confirm
    assert client.post(f"/admin/recycle-bin/{entry.pk}/delete/", HTTP_HOST=JYJ).status_code == 302
    assert page_of(jyj, article.pk) is None and entry_of(jyj, article.pk) is None
    assert revision_ids(jyj, article.pk) == set()
    assert [event.user for event in audit_events("recycle_delete", f"#{article.pk})")] == [head]


def test_the_scheduler_purges_what_has_been_in_the_bin_for_30_days(departments, client):
    from portal.recyclebin.models import RecycledPage
    from portal.scheduling import core_jobs, run_due

    jyj, wjj = departments["jyj"], departments["wjj"]
    old = make_article(jyj, "news", "三十一天前删除", "old-deleted")
    recent = make_article(jyj, "news", "二十九天前删除", "recent-deleted")
    other = make_article(wjj, "news", "卫健局三十一天前删除", "old-deleted-wjj")
    login(client, "jyj_head")
    delete_in_admin(client, old.pk)
    delete_in_admin(client, recent.pk)
    login(client, "center_admin")
    client.post(f"/admin/pages/{other.pk}/delete/", HTTP_HOST=host("wjj"))
    now = timezone.now()
    # The clock moves on: the entries were made 31 and 29 days ago.
    for department, page, days in ((jyj, old, 31), (jyj, recent, 29), (wjj, other, 31)):
        with tenant_context(department):
            RecycledPage.objects.filter(page_id=page.pk).update(deleted_at=now - timedelta(days=days))
    with tenant_context(jyj):
        assert RecycledPage.objects.get(page_id=recent.pk).days_left(now) == 1

    job = next(job for job in core_jobs() if job.name == "recycle_bin_purge")
    # Asked at 04:00 Beijing time of today, after the job's 03:15 slot, whatever the hour now.
    from zoneinfo import ZoneInfo

    after_slot = timezone.localtime(now, ZoneInfo("Asia/Shanghai")).replace(hour=4, minute=0)
    assert run_due(after_slot, jobs=[job]) == ["recycle_bin_purge"]
    connection.set_schema_to_public()
    assert page_of(jyj, old.pk) is None and page_of(wjj, other.pk) is None
    assert page_of(jyj, recent.pk) is not None and entry_of(jyj, recent.pk) is not None
    purged = audit_events("recycle_purge", "三十一天前删除")
    assert len(purged) == 2 and all(event.user is None for event in purged)
    assert {event.department.host_prefix for event in purged} == {"jyj", "wjj"}


def test_the_bin_is_out_of_sight(departments, client):
    from portal.recyclebin.models import RecycleBinPage

    jyj = departments["jyj"]
    article = make_article(jyj, "news", "看不见的文章", "out-of-sight")
    login(client, "center_admin")
    delete_in_admin(client, article.pk)
    with tenant_context(jyj):
        root = RecycleBinPage.objects.get()
        assert not root.live and root.depth == 2 and root.get_url_parts() is None
    # Not in the explorer's top level nor its search; the page cannot be edited while in the bin.
    explorer = client.get("/admin/pages/1/", HTTP_HOST=JYJ).content.decode()
    assert f"/admin/pages/{root.pk}/" not in explorer
    found = client.get("/admin/pages/1/", {"q": "看不见的文章"}, HTTP_HOST=JYJ).content.decode()
    assert f"/admin/pages/{article.pk}/edit/" not in found
    response = client.get(f"/admin/pages/{article.pk}/edit/", HTTP_HOST=JYJ, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/recycle-bin/"
    assert any("回收站中" in str(message) for message in response.context["messages"])
    # The department's people do not find it in the admin's page search either.
    login(client, "jyj_head")
    found = client.get("/admin/pages/search/", {"q": "看不见的文章"}, HTTP_HOST=JYJ).content.decode()
    assert f"/admin/pages/{article.pk}/edit/" not in found
    # Nor publicly: the sitemap, the bin's own would-be address.
    client.logout()
    assert "看不见的文章" not in client.get("/sitemap/", HTTP_HOST=JYJ).content.decode()
    assert client.get("/recycle-bin/", HTTP_HOST=JYJ).status_code == 404


def test_nothing_in_the_bin_goes_live_by_itself(departments, client):
    """A scheduled publish and a review waiting for the 负责人 are cancelled when the page is deleted."""
    from django.core.management import call_command
    from portal.accounts.models import User
    from wagtail.models import Revision, WorkflowState

    jyj = departments["jyj"]
    editor = User.objects.get(username="jyj_editor")
    scheduled = make_article(jyj, "news", "定时发布后删除", "scheduled-deleted", live=False)
    submitted = make_article(jyj, "news", "送审后删除", "submitted-deleted", live=False, owner=editor)
    with tenant_context(jyj):
        revision = scheduled.save_revision(approved_go_live_at=timezone.now() + timedelta(seconds=1))
        revision.publish()
        submitted.get_workflow().start(submitted, editor)
        assert WorkflowState.objects.active().filter(object_id=str(submitted.pk)).exists()
    login(client, "jyj_head")
    response = client.post(f"/admin/bulk/wagtailcore/page/delete/?id={scheduled.pk}&id={submitted.pk}", HTTP_HOST=JYJ)
    assert response.status_code == 302
    with tenant_context(jyj):
        assert not Revision.page_revisions.filter(object_id=str(scheduled.pk)).exclude(approved_go_live_at=None)
        assert not WorkflowState.objects.active().filter(object_id=str(submitted.pk)).exists()
        call_command("publish_scheduled", verbosity=0)
    assert not page_of(jyj, scheduled.pk).live and entry_of(jyj, scheduled.pk) is not None
