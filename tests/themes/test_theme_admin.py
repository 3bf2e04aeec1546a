"""Central theme administration: who may change the theme, what is refused, draft → preview →
publish, and that one change reaches the portal and every department channel at once."""

from datetime import timedelta
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from portal.accounts.models import User
from portal.audit.events import event_label
from portal.audit.models import AuditEvent

from tests.conftest import host

ADMIN = "/admin/theme/"
VALID = {
    "site_name": "源城区人民政府",
    "main_colour": "#1d4f91",
    "sponsor": "源城区人民政府办公室",
    "operator": "源城区政务服务数据管理局（区信息中心）",
    "address": "广东省河源市源城区文明路33号",
    "contact_phone": "0762-3332345",
    "contact_email": "yczfb@heyuan.gov.cn",
    "site_code": "4416020099",
    "icp_number": "粤ICP备05082786号-2",
    "police_number": "粤公网安备 44160202000999号",
    "party_mark_url": "https://bszs.conac.cn/sitename?method=show&id=0001",
    "homepage_notice": "",
    "quick_links": "",
}


@pytest.fixture
def theme_admin(db):
    from portal.accounts.roles import grant_central_role

    person = User.objects.create_user("theme_keeper", password="Test-passw0rd!", full_name="主题管理员")
    grant_central_role(person, "theme_admin")
    client = Client()
    client.force_login(person)
    return client


def logged_in(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def footer_code(client, prefix, url="/", **params):
    response = client.get(url, params, HTTP_HOST=host(prefix))
    assert response.status_code == 200
    return soup_of(response).select_one(".site-footer .site-code").get_text(strip=True)


@pytest.mark.parametrize("username,prefix", [("jyj_editor", "jyj"), ("jyj_head", "jyj"), ("wjj_editor", "wjj")])
def test_department_accounts_get_403_on_the_theme_settings(departments, username, prefix):
    from themes.services import schedule_mode

    now = timezone.now()
    scheduled = schedule_mode("grey", now - timedelta(hours=1), now + timedelta(hours=1), user=None)
    client = logged_in(username)
    urls = [(ADMIN, "get"), (ADMIN, "post"), (ADMIN + "publish/", "post"), (ADMIN + "discard/", "post"),
            (ADMIN + "preview/", "get"), (ADMIN + "modes/new/", "post"), (ADMIN + f"modes/{scheduled.pk}/end/", "post")]
    for url, method in urls:
        response = getattr(client, method)(url, VALID if method == "post" else None, HTTP_HOST=host(prefix))
        assert response.status_code == 403, f"{username} {method} {url}"
        assert "只有主题管理员或系统管理员可以修改统一主题" in response.content.decode()
    from themes.models import ModeSchedule, ThemeSettings

    assert not ThemeSettings.objects.exists() and list(ModeSchedule.objects.all()) == [scheduled]
    assert ModeSchedule.objects.get(pk=scheduled.pk).is_active()  # not ended by the editor
    menu = client.get("/admin/", HTTP_HOST=host(prefix)).content.decode()
    assert "/admin/theme/" not in menu


def test_theme_admin_and_system_admin_see_the_menu_item(theme_admin, departments):
    assert "/admin/theme/" in theme_admin.get("/admin/", HTTP_HOST=host("www")).content.decode()
    assert logged_in("center_admin").get(ADMIN, HTTP_HOST=host("jyj")).status_code == 200


def test_invalid_footer_data_is_refused_in_chinese_and_kept(theme_admin, departments):
    bad = {**VALID, "site_code": "44160200", "icp_number": "京ICP备123号",
           "police_number": "粤公网安备44160202000999号", "contact_email": "not-an-address",
           "sponsor": "区政府办公室<script>"}
    response = theme_admin.post(ADMIN, bad, HTTP_HOST=host("www"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "网站标识码应为10位数字" in html
    assert "ICP备案号格式应为" in html
    assert "公安备案号格式应为" in html
    soup = soup_of(response)
    assert soup.find("input", attrs={"name": "site_code"})["value"] == "44160200"
    assert soup.find("input", attrs={"name": "icp_number"})["value"] == "京ICP备123号"
    assert soup.find("input", attrs={"name": "sponsor"})["value"] == "区政府办公室<script>"
    site_code = soup.find("input", attrs={"name": "site_code"})
    assert site_code["aria-invalid"] == "true" and "id_site_code-error" in site_code["aria-describedby"]
    assert soup.find(id="id_site_code-error") is not None
    from themes.models import ThemeSettings

    assert not ThemeSettings.objects.exists()


@pytest.mark.parametrize(
    "colour,accepted",
    # #d6333b reaches 4.8:1 on white but only 4.4:1 on the footer's grey; #1d4f91 and #b3191e reach both.
    [("#ff9999", False), ("#e0a000", False), ("#d6333b", False), ("#1d4f91", True), ("#b3191e", True)],
)
def test_main_colour_must_reach_4_5_to_1_against_white(theme_admin, departments, colour, accepted):
    response = theme_admin.post(ADMIN, {**VALID, "main_colour": colour}, HTTP_HOST=host("www"))
    if accepted:
        assert response.status_code == 302
    else:
        html = response.content.decode()
        assert "低于无障碍要求的 4.5:1" in html and "请选用更深的颜色" in html
        assert soup_of(response).find("input", attrs={"name": "main_colour"})["value"] == colour


def test_draft_is_previewed_by_the_theme_admin_then_published_to_every_site(theme_admin, departments):
    anonymous = Client()
    response = theme_admin.post(
        ADMIN, {**VALID, "homepage_notice": "国庆期间办事大厅照常开放", "quick_links": "社保查询|https://si.example.gov.cn/"},
        HTTP_HOST=host("www"),
    )
    assert response.status_code == 302

    # Saved as a draft: visitors still see the live footer, on every site.
    for prefix in ("www", "jyj", "wjj"):
        assert footer_code(anonymous, prefix) == "4416020005"
        assert footer_code(anonymous, prefix, theme_preview="1") == "4416020005"  # preview is not for visitors
    # The theme administrator previews the draft on the real pages.
    preview = theme_admin.get("/", {"theme_preview": "1"}, HTTP_HOST=host("jyj"))
    soup = soup_of(preview)
    assert "主题预览" in soup.select_one(".preview-banner").get_text()
    assert soup.select_one(".site-footer .site-code").get_text(strip=True) == "4416020099"
    assert soup.find("meta", attrs={"name": "SiteIDCode"})["content"] == "4416020099"
    assert "--main: #1d4f91" in preview.content.decode()
    assert "国庆期间办事大厅照常开放" in soup.select_one(".homepage-notice").get_text()
    # Or browses the whole site with the draft until the preview ends.
    start = theme_admin.get(ADMIN + "preview/", HTTP_HOST=host("jyj"))
    assert start.status_code == 302 and start["Location"] == "/"
    assert footer_code(theme_admin, "jyj", "/news/") == "4416020099"
    assert footer_code(anonymous, "jyj", "/news/") == "4416020005"
    theme_admin.get(ADMIN + "preview/end/", HTTP_HOST=host("jyj"))
    assert footer_code(theme_admin, "jyj", "/news/") == "4416020005"

    assert theme_admin.post(ADMIN + "publish/", HTTP_HOST=host("www")).status_code == 302
    for prefix, url in [("www", "/"), ("jyj", "/"), ("wjj", "/news/"), ("jyj", "/sitemap/"), ("www", "/about-site/")]:
        response = anonymous.get(url, HTTP_HOST=host(prefix))
        soup = soup_of(response)
        assert soup.select_one(".site-footer .site-code").get_text(strip=True) == "4416020099", f"{prefix}{url}"
        assert soup.find("meta", attrs={"name": "SiteIDCode"})["content"] == "4416020099"
        assert soup.select_one(".site-footer .icp").get_text(strip=True) == "粤ICP备05082786号-2"
        assert soup.select_one(".site-footer .party-mark")["href"] == VALID["party_mark_url"]
        assert "--main: #1d4f91" in response.content.decode()
    home = soup_of(anonymous.get("/", HTTP_HOST=host("wjj")))
    assert [a["href"] for a in home.select(".quick-links a")] == ["https://si.example.gov.cn/"]

    events = list(AuditEvent.objects.filter(username="theme_keeper").values_list("event", flat=True))
    assert "theme_draft_save" in events and "theme_publish" in events
    assert event_label("theme_publish") == "发布统一主题"


def test_publishing_keeps_the_previous_version_and_needs_a_draft(theme_admin, departments):
    from themes.models import ThemeSettings

    response = theme_admin.post(ADMIN + "publish/", HTTP_HOST=host("www"), follow=True)
    assert "没有待发布的主题草稿" in response.content.decode()
    theme_admin.post(ADMIN, VALID, HTTP_HOST=host("www"))
    theme_admin.post(ADMIN + "publish/", HTTP_HOST=host("www"))
    theme_admin.post(ADMIN, {**VALID, "site_code": "bm12345678"}, HTTP_HOST=host("www"))
    theme_admin.post(ADMIN + "publish/", HTTP_HOST=host("www"))
    statuses = list(ThemeSettings.objects.order_by("id").values_list("status", "site_code"))
    assert statuses == [("archived", "4416020099"), ("published", "bm12345678")]
    assert footer_code(Client(), "jyj") == "bm12345678"


def test_discarding_a_draft_leaves_the_sites_alone(theme_admin, departments):
    theme_admin.post(ADMIN, VALID, HTTP_HOST=host("www"))
    theme_admin.post(ADMIN + "discard/", HTTP_HOST=host("www"))
    assert footer_code(theme_admin, "www", theme_preview="1") == "4416020005"
    assert AuditEvent.objects.filter(event="theme_draft_discard", username="theme_keeper").exists()


def _png(colour=(29, 79, 145)) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_logo_is_uploaded_once_and_shown_on_every_site(theme_admin, departments):
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = theme_admin.post(
        ADMIN, {**VALID, "logo_file": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")},
        HTTP_HOST=host("www"),
    )
    assert "无法识别这个文件" in refused.content.decode()
    logo = _png()
    upload = SimpleUploadedFile("logo.png", logo, "image/png")
    theme_admin.post(ADMIN, {**VALID, "logo_file": upload}, HTTP_HOST=host("www"))
    theme_admin.post(ADMIN + "publish/", HTTP_HOST=host("www"))
    sources = set()
    for prefix in ("www", "jyj"):
        image = soup_of(Client().get("/", HTTP_HOST=host(prefix))).select_one(".site-brand img.logo")
        sources.add(image["src"])
    assert len(sources) == 1
    served = Client().get(sources.pop(), HTTP_HOST=host("wjj"))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served) == logo
    assert "immutable" in served["Cache-Control"]
