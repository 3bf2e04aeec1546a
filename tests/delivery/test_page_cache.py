"""The page cache as a visitor meets it: the second visitor of a page is answered from the store
without a single statement reaching PostgreSQL, each variant is kept apart, nothing personal is
ever shared, validators answer conditional requests, and every kind of change shows at once
while an unrelated department's cached pages stay cached."""

import re
from datetime import timedelta

import psycopg
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

JYJ, WJJ, WWW = "jyj.localhost", "wjj.localhost", "www.localhost"
ARTICLE = "/news/sample-1/"


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def driver_statements(monkeypatch):
    """Every statement the PostgreSQL driver sends from this process (not only Django's log)."""
    sent = []
    original_cursor, original_connection = psycopg.Cursor.execute, psycopg.Connection.execute

    def cursor_execute(self, query, *args, **kwargs):
        sent.append(str(query))
        return original_cursor(self, query, *args, **kwargs)

    def connection_execute(self, query, *args, **kwargs):
        sent.append(str(query))
        return original_connection(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", cursor_execute)
    monkeypatch.setattr(psycopg.Connection, "execute", connection_execute)
    return sent


def get(client, host, path="/", **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def state(response):
    return response["X-Page-Cache"]


def publish_article(department, title, column_slug="news", slug="fresh", **fields):
    from portal.pages.models import ArticlePage, ColumnPage

    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug=column_slug)
        article = ArticlePage(title=title, slug=slug, publish_time=timezone.now(), source=department.name,
                              summary=f"{title}摘要", body=[("text", f"<p>{title}正文</p>")], **fields)
        column.add_child(instance=article)
        article.save_revision().publish()
    return article


def test_second_visitor_is_answered_from_the_cache_with_no_sql(departments, visitor, driver_statements):
    first = get(visitor, JYJ, ARTICLE)
    assert first.status_code == 200 and state(first) == "MISS"
    driver_statements.clear()
    second = get(Client(), JYJ, ARTICLE)
    assert state(second) == "HIT" and second.content == first.content
    assert driver_statements == []  # not even the tenant lookup or SET search_path
    head = Client().head(ARTICLE, HTTP_HOST=JYJ)
    assert state(head) == "HIT" and head.content == b"" and head["Content-Length"] == str(len(first.content))
    assert driver_statements == []


def test_a_repeat_hit_is_one_store_round_trip(departments, monkeypatch):
    """What makes a hit cheap: one call to the store (entry, tag versions, mode schedule and
    configuration version together), counted at the store client, not in our code."""
    import redis

    sent = []
    original = redis.Redis.execute_command

    def execute_command(self, *args, **options):
        sent.append(args[0])
        return original(self, *args, **options)

    get(Client(), JYJ, ARTICLE), get(Client(), JYJ, ARTICLE)  # stored, then learned by this process
    monkeypatch.setattr(redis.Redis, "execute_command", execute_command)
    hit = get(Client(), JYJ, ARTICLE)
    assert state(hit) == "HIT"
    assert sent == ["MGET"]


def test_validators_and_conditional_get(departments, visitor):
    first = get(visitor, JYJ, ARTICLE)
    etag = first["ETag"]
    import hashlib

    assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"'  # what tamper detection compares
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=1" and "Cookie" in first["Vary"]
    assert get(visitor, JYJ, ARTICLE, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert get(visitor, JYJ, ARTICLE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert get(visitor, JYJ, ARTICLE, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_each_variant_is_kept_apart(departments):
    from themes.services import schedule_mode

    standard = get(Client(), JYJ, ARTICLE)
    elderly_visitor = Client()
    elderly_visitor.cookies["theme_elderly"] = "1"
    elderly = get(elderly_visitor, JYJ, ARTICLE)
    plain = get(Client(), JYJ, ARTICLE + "?plain=1")
    plain_cookie = Client()
    plain_cookie.cookies["theme_plain"] = "1"
    assert state(elderly) == "MISS" and "mode-elderly" in elderly.content.decode()
    assert state(plain) == "MISS" and 'class="mode-plain"' in plain.content.decode()
    assert state(get(plain_cookie, JYJ, ARTICLE)) == "MISS"
    assert "mode-elderly" not in get(Client(), JYJ, ARTICLE).content.decode()
    assert state(get(Client(), JYJ, ARTICLE)) == "HIT"
    now = timezone.now()
    schedule_mode("grey", now - timedelta(minutes=1), now + timedelta(hours=1), user=None, reason="测试")
    grey = get(Client(), JYJ, ARTICLE)
    assert "mode-grey" in grey.content.decode() and grey.content != standard.content


def test_a_logged_in_editor_is_never_served_or_stored(departments, django_user_model):
    editor = Client()
    editor.force_login(django_user_model.objects.get(username="jyj_editor"))
    page = get(editor, JYJ, ARTICLE)
    assert state(page) == "BYPASS" and page["Cache-Control"] == "private, no-store"
    assert state(get(editor, JYJ, ARTICLE)) == "BYPASS"
    assert state(get(Client(), JYJ, ARTICLE)) == "MISS"  # the editor's render was not stored
    assert state(get(editor, JYJ, ARTICLE)) == "BYPASS"  # and the visitors' copy is not served to them
    admin = get(editor, JYJ, "/admin/")
    assert admin["Cache-Control"].startswith("private") or "no-cache" in admin["Cache-Control"]


def test_forms_with_csrf_tokens_and_query_codes_are_personal(departments):
    tokens = set()
    for _ in range(2):
        response = get(Client(), WWW, "/mailbox/write/")
        assert response.status_code == 200 and state(response) == "BYPASS"
        assert response["Cache-Control"] == "private, no-store"
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1))
    assert len(tokens) == 2
    answers = [get(Client(), WWW, f"/mailbox/query/?code={code}") for code in ("AAAAAAAAAAAA", "BBBBBBBBBBBB")]
    assert all(state(answer) == "BYPASS" for answer in answers)
    assert "AAAAAAAAAAAA" in answers[0].content.decode() and "AAAAAAAAAAAA" not in answers[1].content.decode()
    search = get(Client(), JYJ, "/search/?q=教育")
    assert state(search) == "BYPASS" and state(get(Client(), JYJ, "/search/?q=教育")) == "BYPASS"


def test_unknown_query_parameters_are_answered_but_not_stored(departments):
    assert state(get(Client(), JYJ, "/news/?page=1")) == "MISS"
    assert state(get(Client(), JYJ, "/news/?page=1")) == "HIT"
    assert state(get(Client(), JYJ, "/news/?utm_source=x")) == "BYPASS"
    assert state(get(Client(), JYJ, "/news/?utm_source=x")) == "BYPASS"


def warm(host, *paths):
    for path in paths:
        get(Client(), host, path)
        assert state(get(Client(), host, path)) == "HIT", path


DEPARTMENT_PAGES = ("/", "/news/", "/feeds/news/rss.xml", "/api/items/", "/sitemap/")


def test_publishing_refreshes_every_page_that_shows_it_and_nothing_elsewhere(departments):
    warm(JYJ, *DEPARTMENT_PAGES)
    warm(WWW, "/", "/api/items/")
    warm(WJJ, "/", "/news/", ARTICLE)
    publish_article(departments["jyj"], "教育局新发布的通知")
    for path in ("/", "/news/", "/feeds/news/rss.xml", "/api/items/"):
        response = get(Client(), JYJ, path)
        assert state(response) == "MISS" and "教育局新发布的通知" in response.content.decode(), path
    portal = get(Client(), WWW, "/")
    assert "教育局新发布的通知" in portal.content.decode()
    assert "教育局新发布的通知" in get(Client(), WWW, "/api/items/").content.decode()
    for path in ("/", "/news/", ARTICLE):
        assert state(get(Client(), WJJ, path)) == "HIT", path


def test_unpublish_rename_move_and_delete_show_at_once(departments):
    article = publish_article(departments["jyj"], "待调整的信息", slug="adjust")
    warm(JYJ, "/news/", "/news/adjust/", "/notices/")
    with tenant_context(departments["jyj"]):
        article.title = "改名后的信息"
        article.save_revision().publish()
    assert "改名后的信息" in get(Client(), JYJ, "/news/").content.decode()
    assert "改名后的信息" in get(Client(), JYJ, "/news/adjust/").content.decode()
    warm(JYJ, "/news/", "/notices/")
    from portal.pages.models import ColumnPage

    with tenant_context(departments["jyj"]):
        article.move(ColumnPage.objects.get(depth=3, slug="notices"), pos="last-child")
    assert "改名后的信息" not in get(Client(), JYJ, "/news/").content.decode()
    assert "改名后的信息" in get(Client(), JYJ, "/notices/").content.decode()
    warm(JYJ, "/notices/", "/notices/adjust/")
    with tenant_context(departments["jyj"]):
        article.refresh_from_db()
        article.unpublish()
    assert get(Client(), JYJ, "/notices/adjust/").status_code == 404
    assert "改名后的信息" not in get(Client(), JYJ, "/notices/").content.decode()
    warm(JYJ, "/news/", ARTICLE)
    with tenant_context(departments["jyj"]):
        from portal.pages.models import ArticlePage

        ArticlePage.objects.get(slug="sample-1", url_path__contains="/news/").delete()
    assert get(Client(), JYJ, ARTICLE).status_code == 404
    assert f"{departments['jyj'].name}新闻动态样例1" not in get(Client(), JYJ, "/news/").content.decode()


def test_scheduled_publishing_shows_when_it_goes_live(departments):
    from portal.pages.models import ArticlePage, ColumnPage

    warm(JYJ, "/news/")
    with tenant_context(departments["jyj"]):
        column = ColumnPage.objects.get(depth=3, slug="news")
        article = ArticlePage(title="定时发布的信息", slug="timed", publish_time=timezone.now(), live=False,
                              go_live_at=timezone.now() + timedelta(seconds=1), summary="定时", body=[])
        column.add_child(instance=article)
        article.save_revision(approved_go_live_at=article.go_live_at)
    assert "定时发布的信息" not in get(Client(), JYJ, "/news/").content.decode()
    import time

    time.sleep(1.2)
    call_command("tenant_command", "publish_scheduled", schema_name=departments["jyj"].schema_name)
    assert "定时发布的信息" in get(Client(), JYJ, "/news/").content.decode()


def test_theme_publish_and_department_status_show_at_once(departments):
    from tenants.provisioning import set_status
    from themes.models import DEFAULT_MAIN_COLOUR, ThemeSettings
    from themes.services import draft_initial, publish_draft, save_draft

    warm(JYJ, "/", ARTICLE)
    warm(WJJ, "/")
    values = dict.fromkeys(ThemeSettings.EDITABLE_FIELDS, "")
    values.update(draft_initial(), main_colour=DEFAULT_MAIN_COLOUR, site_name="源城区人民政府新名称")
    save_draft(values, user=None)
    publish_draft(user=None)
    assert "源城区人民政府新名称" in get(Client(), JYJ, ARTICLE).content.decode()
    assert "源城区人民政府新名称" in get(Client(), WJJ, "/").content.decode()
    warm(JYJ, "/", ARTICLE)
    warm(WJJ, "/")
    set_status(departments["jyj"], "suspended", "测试暂停")
    assert get(Client(), JYJ, ARTICLE).status_code == 503
    assert get(Client(), JYJ, "/").status_code == 503
    assert state(get(Client(), WJJ, "/")) == "HIT"


def test_turning_a_plugin_off_refreshes_that_department_only(departments):
    from portal.plugins import set_enabled

    warm(JYJ, "/", ARTICLE)
    warm(WJJ, "/", ARTICLE)
    set_enabled(departments["jyj"], "mailbox", False)
    assert state(get(Client(), JYJ, ARTICLE)) == "MISS"
    assert state(get(Client(), WJJ, ARTICLE)) == "HIT"
