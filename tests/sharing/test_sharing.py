"""信息报送 and the resource library on the committed district: a department offers an item, the
receiving site takes it (through its own review) or refuses it, and the reference follows its
original everywhere a visitor would look: the column, the page itself, the feed and search."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import tenant_context
from portal.accounts.models import User
from portal.accounts.roles import grant_department_role
from portal.models import PublishedItem
from portal.pages.models import ArticlePage, ColumnPage
from portal.sharing import services
from portal.sharing.models import Submission
from portal.sharing.references.models import SharedItemPage

from search.models import SearchDocument

JYJ = {"HTTP_HOST": "jyj.localhost"}
WWW = {"HTTP_HOST": "www.localhost"}


def _client(client_class, username):
    client = client_class()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def portal_head(departments):
    user = User.objects.create(username="www_head", full_name="门户负责人")
    grant_department_role(user, departments["www"], "head")
    return user


def _jyj_news(departments, number=1):
    return PublishedItem.objects.get(department=departments["jyj"], title=f"区教育局部门动态样例{number}")


def _portal_news_column(departments):
    with tenant_context(departments["www"]):
        return ColumnPage.objects.get(depth=3, slug="news")


def _approve(client, page_id):
    """The receiving site's 负责人 presses 审核通过 in the editor, as for any article."""
    from tests.governance.helpers import querydict_from_html, text

    response = client.get(f"/admin/pages/{page_id}/edit/", **WWW)
    assert response.status_code == 200
    data = querydict_from_html(text(response), form_id="page-edit-form")
    for key in [key for key in data if key.startswith("action-")]:
        del data[key]
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve",
                 "workflow-action-extra-data": json.dumps({})})
    return client.post(f"/admin/pages/{page_id}/edit/", data, follow=True, **WWW)


def _submit(client, item, department, column_type="news", note="全区教育重点工作"):
    return client.post("/admin/sharing/new/", {"item": item.pk, "target_department": department.pk,
                                               "column_type": column_type, "note": note}, **JYJ)


def test_submit_accept_review_then_the_reference_follows_and_leaves_with_its_original(
        client, departments, portal_head):
    sender = _client(type(client), "jyj_editor")
    item = _jyj_news(departments)
    assert _submit(sender, item, departments["www"]).status_code == 302
    assert "待处理" in sender.get("/admin/sharing/", **JYJ).content.decode()

    receiver = _client(type(client), "www_head")
    queue = receiver.get("/admin/sharing/received/", **WWW).content.decode()
    assert item.title in queue and "区教育局" in queue and "全区教育重点工作" in queue
    submission = Submission.objects.get(source_page_id=item.object_id)
    column = _portal_news_column(departments)
    response = receiver.post(f"/admin/sharing/received/{submission.pk}/",
                             {"decision": "accept", "column": column.pk}, **WWW)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.target_column_title == "源城要闻"
    assert "已采用" in sender.get("/admin/sharing/", **JYJ).content.decode()

    # The receiving site's review rule: nothing on the portal until its 负责人 approves.
    assert item.title not in client.get("/news/", **WWW).content.decode()
    with tenant_context(departments["www"]):
        reference = SharedItemPage.objects.get(pk=submission.reference_page_id)
        assert not reference.live and reference.workflow_in_progress
    approved = _approve(receiver, reference.pk)
    assert approved.status_code == 200, approved.content.decode()[-3000:]
    with tenant_context(departments["www"]):
        reference.refresh_from_db()
        assert reference.live, [str(m) for m in approved.context["messages"]] + [
            str(e) for e in getattr(approved.context.get("form"), "errors", {}).items()]
        url = reference.url_path.split("/", 2)[2]
    listing = client.get("/news/", **WWW).content.decode()
    assert item.title in listing
    shown = client.get(f"/{url}", **WWW)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert item.title in html and "信息来源：<span class=\"source\">区教育局" in html
    assert "区教育局部门动态正文第1条。" in html and item.url in html
    assert item.title in client.get("/feeds/news/rss.xml", **WWW).content.decode()
    # Found once in search: the original, never the reference.
    assert PublishedItem.objects.filter(title=item.title).count() == 1
    assert SearchDocument.objects.filter(title=item.title).count() == 1

    # The original is edited: the portal shows the change, the page and the list alike.
    with tenant_context(departments["jyj"]):
        original = ArticlePage.objects.get(pk=item.object_id)
        original.title = "区教育局部门动态样例1（已更新）"
        original.body = [("text", "<p>更新后的正文。</p>")]
        original.save_revision().publish()
    assert "区教育局部门动态样例1（已更新）" in client.get("/news/", **WWW).content.decode()
    html = client.get(f"/{url}", **WWW).content.decode()
    assert "区教育局部门动态样例1（已更新）" in html and "更新后的正文。" in html

    # The original is unpublished: gone from the portal's column, page, feed and search.
    with tenant_context(departments["jyj"]):
        ArticlePage.objects.get(pk=item.object_id).unpublish()
    assert "样例1（已更新）" not in client.get("/news/", **WWW).content.decode()
    assert client.get(f"/{url}", **WWW).status_code in (404, 410)
    assert "样例1（已更新）" not in client.get("/feeds/news/rss.xml", **WWW).content.decode()
    assert not SearchDocument.objects.filter(title__contains="样例1（已更新）").exists()
    assert "原文已撤下" in sender.get("/admin/sharing/", **JYJ).content.decode()


def test_original_deleted_takes_the_reference_down_everywhere(client, departments, portal_head):
    item = _jyj_news(departments, 2)
    submission = services.submit(item=item, target_department=departments["www"], column_type="news", note="",
                                 user=User.objects.get(username="jyj_editor"))
    column = _portal_news_column(departments)
    services.accept(submission, user=portal_head, column_id=column.pk)
    with tenant_context(departments["www"]):
        reference = SharedItemPage.objects.get(pk=submission.reference_page_id)
        reference.get_latest_revision().publish()
    assert item.title in client.get("/news/", **WWW).content.decode()
    with tenant_context(departments["jyj"]):
        ArticlePage.objects.get(pk=item.object_id).delete()
    assert item.title not in client.get("/news/", **WWW).content.decode()
    submission.refresh_from_db()
    assert submission.status == "withdrawn"


def test_rejection_needs_a_reason_that_the_sender_sees(client, departments, portal_head):
    sender = _client(type(client), "jyj_editor")
    item = _jyj_news(departments, 3)
    _submit(sender, item, departments["www"], column_type="notice")
    submission = Submission.objects.get(source_page_id=item.object_id)
    receiver = _client(type(client), "www_head")
    response = receiver.post(f"/admin/sharing/received/{submission.pk}/", {"decision": "reject", "reason": " "},
                             **WWW)
    assert response.status_code == 400 and "不采用时请填写理由" in response.content.decode()
    receiver.post(f"/admin/sharing/received/{submission.pk}/",
                  {"decision": "reject", "reason": "属于部门内部工作，不宜在门户发布"}, **WWW)
    mine = sender.get("/admin/sharing/", **JYJ).content.decode()
    assert "未采用" in mine and "属于部门内部工作，不宜在门户发布" in mine
    with tenant_context(departments["www"]):
        assert not SharedItemPage.objects.exists()


def test_a_department_without_rights_there_cannot_accept_into_another_site(client, departments):
    item = PublishedItem.objects.filter(department=departments["wjj"], column_type="news").first()
    wjj_editor = User.objects.get(username="wjj_editor")
    submission = services.submit(item=item, target_department=departments["www"], column_type="news", note="",
                                 user=wjj_editor)
    column = _portal_news_column(departments)
    outsider = _client(type(client), "jyj_editor")
    response = outsider.post(f"/admin/sharing/received/{submission.pk}/",
                             {"decision": "accept", "column": column.pk}, **WWW)
    assert response.status_code == 403
    # However it is called, the receiving site's own permissions decide.
    with pytest.raises(PermissionDenied):
        services.accept(submission, user=User.objects.get(username="jyj_head"), column_id=column.pk)
    with pytest.raises(PermissionDenied):
        services.reject(submission, user=wjj_editor, reason="越权")
    submission.refresh_from_db()
    assert submission.status == "pending"
    with tenant_context(departments["www"]):
        assert not SharedItemPage.objects.exists()


def test_submit_form_refuses_bad_input_in_chinese_and_keeps_the_rest(client, departments):
    sender = _client(type(client), "jyj_editor")
    item = _jyj_news(departments)
    response = sender.post("/admin/sharing/new/", {"item": item.pk, "target_department": departments["www"].pk,
                                                   "column_type": "nonsense", "note": "保留的说明"}, **JYJ)
    html = response.content.decode()
    assert response.status_code == 400 and "请从列表中选择栏目" in html and "保留的说明" in html
    other = PublishedItem.objects.filter(department=departments["wjj"]).first()
    response = sender.post("/admin/sharing/new/", {"item": other.pk, "target_department": departments["www"].pk,
                                                   "column_type": "news"}, **JYJ)
    assert response.status_code == 400 and "只能报送本单位已发布的信息" in response.content.decode()
    _submit(sender, item, departments["www"])
    response = _submit(sender, item, departments["www"])
    assert response.status_code == 400 and "已报送到该栏目" in response.content.decode()


def test_resource_library_filters_and_reuse_into_a_column_of_my_site(client, departments):
    editor = _client(type(client), "jyj_editor")
    html = editor.get("/admin/sharing/library/", {"department": departments["wjj"].pk}, **JYJ).content.decode()
    assert "区卫生健康局部门动态样例1" in html and "区教育局部门动态样例1" not in html
    html = editor.get("/admin/sharing/library/", {"column_type": "notice", "q": "卫生"}, **JYJ).content.decode()
    rows = html.split("<tbody>")[1]
    assert "区卫生健康局通知公告样例1" in rows and "部门动态样例" not in rows and "区教育局" not in rows
    html = editor.get("/admin/sharing/library/", {"date_from": "2026-11-20", "date_to": "2026-11-20"},
                      **JYJ).content.decode()
    assert "部门动态样例1" in html and "部门动态样例2" not in html
    response = editor.get("/admin/sharing/library/", {"date_from": "2026-13-01"}, **JYJ)
    assert response.status_code == 400 and "日期格式应为 YYYY-MM-DD" in response.content.decode()
    # 体裁: catalogue entries carry theirs into the projection; the filter offers what is there.
    from tests.disclosure.helpers import make_entry

    make_entry(departments["wjj"], "卫健局关于疫苗接种的公告", genre="announcement")
    make_entry(departments["jyj"], "教育局招生工作的通知", genre="notice")
    html = editor.get("/admin/sharing/library/", {"genre": "公告"}, **JYJ).content.decode()
    rows = html.split("<tbody>")[1]
    assert "卫健局关于疫苗接种的公告" in rows and "（公告）" in rows and "招生工作的通知" not in rows
    assert "部门动态样例" not in rows and '<option value="通知">通知</option>' in html
    response = editor.get("/admin/sharing/library/", {"genre": "命令"}, **JYJ)
    assert response.status_code == 400 and "请从列表中选择体裁" in response.content.decode()

    item = PublishedItem.objects.get(department=departments["wjj"], title="区卫生健康局通知公告样例1")
    with tenant_context(departments["jyj"]):
        notices = ColumnPage.objects.get(depth=3, slug="notices")
        # The receiving column is set to show a summary with a link to the original.
        notices.shared_display = "link"
        notices.save_revision().publish()
    response = editor.post(f"/admin/sharing/library/{item.pk}/reuse/", {"column": notices.pk}, **JYJ)
    assert response.status_code == 302
    with tenant_context(departments["jyj"]):
        reference = SharedItemPage.objects.get(source_page_id=item.object_id)
        assert reference.get_parent().pk == notices.pk and reference.workflow_in_progress
        reference.get_latest_revision().publish()
        url = reference.url_path.split("/", 2)[2]
    html = client.get(f"/{url}", **JYJ).content.decode()
    assert "区卫生健康局" in html and item.url in html and "区卫生健康局通知公告正文" not in html
    # The column now shows the body of what it takes in: the same reference follows.
    with tenant_context(departments["jyj"]):
        notices = ColumnPage.objects.get(pk=notices.pk)
        notices.shared_display = "full"
        notices.save_revision().publish()
    assert "区卫生健康局通知公告正文" in client.get(f"/{url}", **JYJ).content.decode()
    # Reuse is not a submission: it does not count in 报送数.
    assert services.statistics([departments["wjj"]], item.publish_time.date(),
                               item.publish_time.date())[departments["wjj"].pk]["submitted"] == 0
    response = editor.post(f"/admin/sharing/library/{item.pk}/reuse/", {"column": notices.pk}, **JYJ)
    assert response.status_code == 400 and "已有这条信息" in response.content.decode()


def test_statistics_screen_and_export_count_submissions_and_adoptions(client, departments, portal_head):
    from django.utils import timezone

    editor = User.objects.get(username="jyj_editor")
    column = _portal_news_column(departments)
    first = services.submit(item=_jyj_news(departments, 1), target_department=departments["www"],
                            column_type="news", note="", user=editor)
    services.submit(item=_jyj_news(departments, 2), target_department=departments["www"], column_type="news",
                    note="", user=editor)
    services.accept(first, user=portal_head, column_id=column.pk)
    today = timezone.localdate().isoformat()
    center = _client(type(client), "center_admin")
    html = center.get("/admin/sharing/statistics/", {"start": today, "end": today}, **WWW).content.decode()
    row = html.split("区教育局</td>")[1].split("</tr>")[0]
    assert "<td>2</td><td>1</td><td>50.0%</td>" in row
    exported = center.get("/admin/sharing/statistics/", {"start": today, "end": today, "format": "csv"},
                          **WWW).content.decode("utf-8-sig")
    assert "单位,报送数,采用数,采用率（%）" in exported and "区教育局,2,1,50.0" in exported
    # The performance report (screen and workbook) carries the same figures.
    report = center.get("/admin/plugins/inspection/report/", {"start": today, "end": today}, **WWW).content.decode()
    table = report.split('data-table="信息报送"')[1].split("</table>")[0]
    assert "<td>区教育局</td><td>2</td><td>1</td><td>50.0%</td>" in table
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(center.get("/admin/plugins/inspection/report.xlsx", {"start": today, "end": today},
                                                **WWW).content))
    assert ["区教育局", 2, 1, "50.0%"] in [list(row) for row in workbook["信息报送"].iter_rows(values_only=True)]
    response = center.get("/admin/sharing/statistics/", {"start": today, "end": "2000-01-01"}, **WWW)
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()


def test_workbench_panel_and_report_figures_come_through_the_hooks(client, departments, portal_head):
    from django.utils import timezone
    from portal.plugins import performance_figures

    item = _jyj_news(departments, 2)
    submission = services.submit(item=item, target_department=departments["www"], column_type="notice",
                                 note="", user=User.objects.get(username="jyj_editor"))
    receiver = _client(type(client), "www_head")
    home = receiver.get("/admin/", **WWW).content.decode()
    assert "信息报送" in home and f"区教育局 · {item.title}" in home
    assert f'href="/admin/sharing/received/{submission.pk}/"' in home
    services.reject(submission, user=portal_head, reason="请报送到政策文件栏目")
    sender_home = _client(type(client), "jyj_editor").get("/admin/", **JYJ).content.decode()
    assert item.title in sender_home and "未采用，请报送到政策文件栏目" in sender_home
    today = timezone.localdate()
    assert performance_figures(departments["jyj"], today, today)["sharing"] == {
        "submitted": 1, "accepted": 0, "rate": 0.0}


def test_reproject_fills_fields_added_after_items_were_published(departments):
    """An installation upgraded to a projection with 专题标签 and 体裁: `manage.py reproject` gives the
    rows published before the upgrade what a publish today would write."""
    from io import StringIO

    from django.core.management import call_command

    from tests.disclosure.helpers import make_entry

    make_entry(departments["wjj"], "卫健局关于义诊活动的公告", genre="announcement", keywords="健康,义诊")
    row = PublishedItem.objects.get(department=departments["wjj"], title="卫健局关于义诊活动的公告")
    assert row.genre == "公告" and row.topics == ["健康", "义诊"]
    PublishedItem.objects.filter(pk=row.pk).update(genre="", topics=[])  # as written before the upgrade
    out = StringIO()
    call_command("reproject", department="wjj", stdout=out)
    row.refresh_from_db()
    assert row.genre == "公告" and row.topics == ["健康", "义诊"]
    assert "区卫生健康局：" in out.getvalue()
