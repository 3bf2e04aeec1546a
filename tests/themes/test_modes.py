"""Grey and elderly modes switched centrally with a schedule, the visitor's own elderly switch,
the plain version, and the reading tools of article pages."""

import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from portal.accounts.models import User

from tests.conftest import host

SITES = [("www", "/"), ("jyj", "/"), ("wjj", "/news/"), ("jyj", "/notices/sample-2/"), ("www", "/sitemap/")]


def html_classes(client, prefix, url="/"):
    response = client.get(url, HTTP_HOST=host(prefix))
    assert response.status_code == 200, f"{prefix}{url}"
    return BeautifulSoup(response.content.decode(), "html.parser").html.get("class", [])


@pytest.fixture
def theme_admin(db):
    from portal.accounts.roles import grant_central_role

    person = User.objects.create_user("mode_keeper", password="Test-passw0rd!", full_name="主题管理员")
    grant_central_role(person, "theme_admin")
    client = Client()
    client.force_login(person)
    return client


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_grey_mode_scheduled_in_the_admin_switches_every_site_at_once(theme_admin, departments):
    visitor = Client()
    assert all("mode-grey" not in html_classes(visitor, prefix, url) for prefix, url in SITES)
    now = timezone.now()
    response = theme_admin.post("/admin/theme/modes/new/", {
        "mode": "grey", "starts_at": local_input(now - timedelta(minutes=1)),
        "ends_at": local_input(now + timedelta(hours=2)), "reason": "国家公祭日",
    }, HTTP_HOST=host("jyj"))
    assert response.status_code == 302
    for prefix, url in SITES:
        assert "mode-grey" in html_classes(visitor, prefix, url), f"{prefix}{url} 没有变灰"
    from portal.audit.models import AuditEvent

    assert AuditEvent.objects.filter(event="theme_mode_schedule", username="mode_keeper").exists()
    listing = theme_admin.get("/admin/theme/", HTTP_HOST=host("www")).content.decode()
    assert "灰色悼念模式" in listing and "生效中" in listing


def test_a_mode_turns_off_exactly_at_its_end_time_without_any_job(departments):
    from themes.services import schedule_mode

    now = timezone.now()
    schedule_mode("grey", now - timedelta(hours=1), now + timedelta(seconds=2), user=None, reason="测试")
    schedule_mode("elderly", now + timedelta(seconds=2), now + timedelta(hours=1), user=None, reason="测试")
    visitor = Client()
    before = [html_classes(visitor, prefix, url) for prefix, url in SITES]
    assert all("mode-grey" in classes and "mode-elderly" not in classes for classes in before)
    time.sleep(max(0.0, (now + timedelta(seconds=2.2) - timezone.now()).total_seconds()))
    # Nothing ran in between: no job, no cache flush; the next requests decide from the clock.
    after = [html_classes(visitor, prefix, url) for prefix, url in SITES]
    assert all("mode-grey" not in classes and "mode-elderly" in classes for classes in after)


def test_schedules_that_make_no_sense_are_refused(theme_admin, departments):
    now = timezone.now()
    response = theme_admin.post("/admin/theme/modes/new/", {
        "mode": "elderly", "starts_at": local_input(now + timedelta(hours=2)),
        "ends_at": local_input(now + timedelta(hours=1)),
    }, HTTP_HOST=host("www"))
    assert "结束时间必须晚于开始时间" in response.content.decode()
    response = theme_admin.post(
        "/admin/theme/modes/new/", {"mode": "party", "starts_at": "明天"}, HTTP_HOST=host("www")
    )
    html = response.content.decode()
    assert "请选择灰色悼念模式或适老化模式" in html and "开始时间格式应为" in html and "请填写结束时间" in html
    assert 'value="明天"' in html


def test_ending_a_mode_now_turns_it_off_everywhere(theme_admin, departments):
    from themes.models import ModeSchedule
    from themes.services import schedule_mode

    now = timezone.now()
    schedule = schedule_mode("elderly", now - timedelta(hours=1), now + timedelta(days=1), user=None)
    visitor = Client()
    assert all("mode-elderly" in html_classes(visitor, prefix, url) for prefix, url in SITES)
    assert theme_admin.post(f"/admin/theme/modes/{schedule.pk}/end/", HTTP_HOST=host("www")).status_code == 302
    assert all("mode-elderly" not in html_classes(visitor, prefix, url) for prefix, url in SITES)
    assert ModeSchedule.objects.get(pk=schedule.pk).state_label == "已结束"


def test_visitor_turns_elderly_mode_on_and_off_with_a_plain_link(departments):
    visitor = Client()
    page = BeautifulSoup(visitor.get("/news/", HTTP_HOST=host("jyj")).content.decode(), "html.parser")
    switch = page.find("a", string="适老模式")
    assert switch is not None and switch["href"].startswith("/theme/mode/elderly/on/")
    response = visitor.get(switch["href"], HTTP_HOST=host("jyj"))
    assert response.status_code == 302 and response["Location"] == "/news/"
    assert "mode-elderly" in html_classes(visitor, "jyj", "/news/")
    assert "mode-elderly" not in html_classes(Client(), "jyj", "/news/")  # only this visitor
    page = BeautifulSoup(visitor.get("/news/", HTTP_HOST=host("jyj")).content.decode(), "html.parser")
    visitor.get(page.find("a", string="退出适老模式")["href"], HTTP_HOST=host("jyj"))
    assert "mode-elderly" not in html_classes(visitor, "jyj", "/news/")


def test_visitor_may_turn_off_a_centrally_scheduled_elderly_mode(departments):
    from themes.services import schedule_mode

    schedule_mode("elderly", timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1), user=None)
    visitor = Client()
    assert "mode-elderly" in html_classes(visitor, "www")
    visitor.get("/theme/mode/elderly/off/?next=/", HTTP_HOST=host("www"))
    assert "mode-elderly" not in html_classes(visitor, "www")


def test_mode_switch_never_sends_the_visitor_to_another_host(departments):
    response = Client().get("/theme/mode/elderly/on/?next=https://evil.example.com/", HTTP_HOST=host("www"))
    assert response["Location"] == "/"
    assert Client().get("/theme/mode/flash/on/", HTTP_HOST=host("www")).status_code == 404


@pytest.mark.parametrize("prefix,url", SITES)
def test_plain_version_of_every_page_has_no_styles_scripts_or_images(departments, prefix, url):
    response = Client().get(url, {"plain": "1"}, HTTP_HOST=host(prefix))
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert "mode-plain" in soup.html["class"]
    assert [link["href"] for link in soup.find_all("link", rel="stylesheet")] == ["/static/themes/plain.css"]
    assert soup.find("script") is None and soup.find("img") is None and soup.find("style") is None
    # Same content, footer and metadata as the full page.
    full = BeautifulSoup(Client().get(url, HTTP_HOST=host(prefix)).content.decode(), "html.parser")
    assert soup.find("h1").get_text(strip=True) == full.find("h1").get_text(strip=True)
    code = soup.select_one(".site-footer .site-code").get_text()
    assert code == full.select_one(".site-footer .site-code").get_text()
    assert soup.find("meta", attrs={"name": "SiteName"}) == full.find("meta", attrs={"name": "SiteName"})
    back = soup.find("a", string="返回标准版")["href"]
    assert Client().get(back, HTTP_HOST=host(prefix))["Location"] == url


def test_plain_version_stays_on_while_the_visitor_browses(departments):
    visitor = Client()
    visitor.get("/theme/mode/plain/on/?next=/", HTTP_HOST=host("jyj"))
    assert "mode-plain" in html_classes(visitor, "jyj", "/notices/")
    visitor.get("/theme/mode/plain/off/?next=/", HTTP_HOST=host("jyj"))
    assert "mode-plain" not in html_classes(visitor, "jyj", "/notices/")


def test_images_become_their_alt_text_in_the_plain_version():
    from themes.templatetags.theme_tags import images_as_text

    html = '<p>前<img src="/a.png" alt="区政府大楼&lt;外景&gt;">中<img alt="" src="/deco.png">后<IMG SRC=x></p>'
    assert images_as_text(html) == '<p>前<span class="image-text">[图片：区政府大楼&lt;外景&gt;]</span>中后</p>'


def test_article_page_has_reading_tools_attachment_size_and_neighbours(departments):
    soup = BeautifulSoup(Client().get("/news/sample-2/", HTTP_HOST=host("jyj")).content.decode(), "html.parser")
    tools = soup.select_one(".article-tools")
    assert [b.get_text() for b in tools.select(".font-size-switch button")] == ["大", "中", "小"]
    assert tools.select_one(".read-aloud")["data-read-target"] == "#article-content"
    assert tools.select_one(".print-page") is not None
    assert tools.select_one(".share-link")["href"] == "http://jyj.localhost/news/sample-2/"
    neighbours = soup.select_one(".article-neighbours")
    links = {p.get_text().split("：")[0]: p.find("a") for p in neighbours.find_all("p")}
    assert links["上一篇"].get_text() == "区教育局部门动态样例1" and links["上一篇"]["href"] == "/news/sample-1/"
    assert links["下一篇"].get_text() == "区教育局部门动态样例3"
    newest = BeautifulSoup(Client().get("/news/sample-1/", HTTP_HOST=host("jyj")).content.decode(), "html.parser")
    assert "上一篇：没有了" in newest.select_one(".article-neighbours").get_text()


def test_images_in_the_editor_need_alt_text(departments):
    """An image block without alt text is refused unless the editor marks it decorative."""
    from django.core.exceptions import ValidationError
    from django_tenants.utils import tenant_context
    from portal.pages.models import BodyBlock
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    with tenant_context(departments["jyj"]):
        image = get_image_model().objects.create(title="大楼", file=get_test_image_file())
        block = BodyBlock().child_blocks["image"]
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"image": image.pk, "alt_text": "", "decorative": False}))
        assert block.clean(block.to_python({"image": image.pk, "alt_text": "区政府大楼", "decorative": False}))
        image.file.delete(save=False)


def test_navigation_shows_where_the_visitor_is(departments):
    column = BeautifulSoup(Client().get("/news/", HTTP_HOST=host("wjj")).content.decode(), "html.parser")
    marked = [(a.get_text(), a["aria-current"]) for a in column.select("nav.site-nav a[aria-current]")]
    assert marked == [("部门动态", "page")]
    article = BeautifulSoup(Client().get("/news/sample-1/", HTTP_HOST=host("wjj")).content.decode(), "html.parser")
    marked = [(a.get_text(), a["aria-current"]) for a in article.select("nav.site-nav a[aria-current]")]
    assert marked == [("部门动态", "true")]


@pytest.mark.parametrize("prefix,url,data", [
    ("www", "/mailbox/write/", {"subject": "", "content": ""}),
    ("www", "/search/", None),
])
def test_form_errors_are_tied_to_their_fields(departments, prefix, url, data):
    """A screen reader announces each error with its field: every field marked invalid names
    an existing message through aria-describedby, and every visible field has a label."""
    client = Client()
    if data is None:
        response = client.get(url, HTTP_HOST=host(prefix))
    else:
        response = client.post(url, data, HTTP_HOST=host(prefix))
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    form_fields = soup.select("main input:not([type=hidden]):not([type=submit]), main textarea, main select")
    assert form_fields
    for field in form_fields:
        assert field.get("id") and soup.find("label", attrs={"for": field["id"]}), f"{field} 没有标签"
    invalid = soup.select("main [aria-invalid=true]")
    if data is not None:
        assert invalid, "提交空表单后没有标出出错的字段"
    for field in invalid:
        messages = [soup.find(id=name) for name in field["aria-describedby"].split()]
        assert all(message is not None and message.get_text(strip=True) for message in messages), field
