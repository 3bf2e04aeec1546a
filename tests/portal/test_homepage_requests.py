"""信息发布申请表: a department asks, the centre decides, the homepage shows it for the period."""

from datetime import timedelta

import pytest
from django.utils import timezone
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.homepage_requests.models import HomepageRequest
from portal.models import PublishedItem

JYJ = {"HTTP_HOST": "jyj.localhost"}
WWW = {"HTTP_HOST": "www.localhost"}


@pytest.fixture
def editor_client(client, db):
    client.force_login(User.objects.get(username="jyj_editor"))
    return client


def _news_block(client) -> str:
    """The 源城要闻 panel of the portal homepage."""
    return client.get("/", **WWW).content.decode().split("源城要闻</a></h2>")[1].split("</section>")[0]


def _form(item, **changes):
    today = timezone.localdate()
    data = {"item": item.pk, "column": "news", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=7)).isoformat(), "reason": "全区重点工作，需在首页宣传",
            "responsible_person": "王主任", "contact_phone": "0762-3331234"}
    data.update(changes)
    return data


def test_department_applies_centre_approves_item_shows_on_homepage(editor_client, client, departments):
    item = PublishedItem.objects.filter(department=departments["jyj"], column_type="notice").first()
    response = editor_client.post("/admin/homepage-requests/new/", _form(item), **JYJ)
    assert response.status_code == 302
    homepage_request = HomepageRequest.objects.get(item=item)
    printed = editor_client.get(f"/admin/homepage-requests/{homepage_request.pk}/print/", **JYJ).content.decode()
    assert "源城区人民政府门户网站信息发布申请表" in printed and item.title in printed and "王主任" in printed
    assert "@page { size: A4" in printed

    news_block = _news_block(client)
    assert item.title not in news_block

    center = type(client)()
    center.force_login(User.objects.get(username="center_admin"))
    assert item.title in center.get("/admin/homepage-requests/review/", **WWW).content.decode()
    center.post(f"/admin/homepage-requests/review/{homepage_request.pk}/", {"decision": "approved", "reason": "同意"},
                **WWW)
    homepage_request.refresh_from_db()
    assert homepage_request.status == "approved" and homepage_request.decided_by.username == "center_admin"
    news_block = _news_block(client)
    assert item.title in news_block and "区教育局" in news_block
    assert AuditEvent.objects.filter(event="homepage_application_decision", target=item.title).exists()


def test_rejection_needs_a_reason_and_hides_nothing_new(client, departments, editor_client):
    item = PublishedItem.objects.filter(department=departments["jyj"]).first()
    editor_client.post("/admin/homepage-requests/new/", _form(item), **JYJ)
    homepage_request = HomepageRequest.objects.get(item=item)
    center = type(client)()
    center.force_login(User.objects.get(username="center_admin"))
    html = center.post(f"/admin/homepage-requests/review/{homepage_request.pk}/", {"decision": "rejected"},
                       **WWW).content.decode()
    assert "退回时请填写理由" in html
    center.post(f"/admin/homepage-requests/review/{homepage_request.pk}/",
                {"decision": "rejected", "reason": "不属于全区性信息"}, **WWW)
    listing = editor_client.get("/admin/homepage-requests/", **JYJ).content.decode()
    assert "已退回" in listing and "不属于全区性信息" in listing


def test_bad_form_is_refused_in_chinese_and_keeps_what_was_valid(editor_client, departments):
    item = PublishedItem.objects.filter(department=departments["jyj"]).first()
    today = timezone.localdate()
    html = editor_client.post(
        "/admin/homepage-requests/new/",
        _form(item, start_date=(today - timedelta(days=3)).isoformat(),
              end_date=(today - timedelta(days=5)).isoformat(), responsible_person=""),
        **JYJ,
    ).content.decode()
    assert "展示开始日期不能早于今天" in html and "请填写责任人" in html
    assert "全区重点工作，需在首页宣传" in html  # the valid reason is kept
    assert not HomepageRequest.objects.exists()


def test_a_department_can_only_offer_its_own_items(editor_client, departments):
    other = PublishedItem.objects.filter(department=departments["wjj"]).first()
    html = editor_client.post("/admin/homepage-requests/new/", _form(other), **JYJ).content.decode()
    assert "只能选择本单位已发布的信息" in html
    assert not HomepageRequest.objects.exists()


def test_department_staff_cannot_decide(editor_client, departments):
    item = PublishedItem.objects.filter(department=departments["jyj"]).first()
    editor_client.post("/admin/homepage-requests/new/", _form(item), **JYJ)
    homepage_request = HomepageRequest.objects.get(item=item)
    response = editor_client.post(f"/admin/homepage-requests/review/{homepage_request.pk}/",
                                  {"decision": "approved", "reason": ""}, **JYJ)
    assert response.status_code == 403
    homepage_request.refresh_from_db()
    assert homepage_request.status == "pending"
