"""The 工作台 (admin home): each person sees the work waiting for them on this site, each line
linking to where it is done; people never see another department's work; the centre sees every
department with a filter and a district summary.

Fixture data is laid out on two sites (区教育局 jyj and 区卫生健康局 wjj) so every panel is
checked for leaking the other department's lines.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.governance.helpers import draft_article, login, post_edit, text, workflow_action

JYJ = {"HTTP_HOST": "jyj.localhost"}
WJJ = {"HTTP_HOST": "wjj.localhost"}
WWW = {"HTTP_HOST": "www.localhost"}


def _panel(html: str, title: str) -> str:
    """The HTML of the panel whose heading is `title` ('' when the page has no such panel)."""
    marker = f">{title}"
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</section>", 1)[0]


def _column(department, slug):
    from portal.pages.models import ColumnPage

    return ColumnPage.objects.get(depth=3, slug=slug)


@pytest.fixture
def letters(departments):
    from plugins.mailbox.models import Letter

    today = timezone.localdate()
    made = {}
    for prefix, due_days, subject in (
        ("jyj", -3, "教育局超期来信"), ("jyj", 10, "教育局未到期来信"), ("wjj", 5, "卫健局来信"),
    ):
        made[subject] = Letter.objects.create(
            subject=subject, content="请答复。", name="张三", phone="13800000000",
            department=departments[prefix], status=Letter.Status.FORWARDED, due_date=today + timedelta(days=due_days),
        )
    return made


@pytest.fixture
def applications(departments):
    from plugins.disclosure.models import Application

    today = timezone.localdate()
    for prefix, description in (("jyj", "教育局招生计划申请"), ("wjj", "卫健局医院名录申请")):
        Application.objects.create(
            department=departments[prefix], applicant_type="person", name="李四", id_number="x",
            phone="13900000000", description=description, delivery="email",
            received_on=today - timedelta(days=40), due_date=today - timedelta(days=10),
        )


@pytest.fixture
def findings(departments):
    from plugins.inspection.models import Finding

    Finding.objects.create(department=departments["jyj"], item="broken_link", key="link:1", severity="serious",
                           title="教育局链接不可用：/old/", url="http://jyj.localhost/old/")
    Finding.objects.create(department=departments["wjj"], item="footer_missing", key="footer", severity="normal",
                           title="卫健局页脚缺少网站标识码")


def test_editor_sees_drafts_sent_back_with_comment_and_waiting_items_but_not_review(client, departments):
    with tenant_context(departments["jyj"]):
        from portal.accounts.models import User

        editor = User.objects.get(username="jyj_editor")
        news = _column(departments["jyj"], "news")
        draft = draft_article(news, "教育局未提交的草稿", owner=editor)
        sent_back = draft_article(news, "教育局被退回的稿件", owner=editor, slug="sent-back")
        waiting = draft_article(news, "教育局等待审核的稿件", owner=editor, slug="waiting")
    with tenant_context(departments["wjj"]):
        wjj_editor = User.objects.get(username="wjj_editor")
        draft_article(_column(departments["wjj"], "news"), "卫健局的草稿", owner=wjj_editor)

    login(client, "jyj_editor")
    post_edit(client, sent_back.pk, "action-submit")
    post_edit(client, waiting.pk, "action-submit")
    head = type(client)()
    login(head, "jyj_head")
    workflow_action(head, sent_back.pk, "reject", comment="请补充发文字号")

    home = text(client.get("/admin/", **JYJ))
    mine = _panel(home, "我的稿件")
    assert "草稿：教育局未提交的草稿" in mine and f'href="/admin/pages/{draft.pk}/edit/"' in mine
    assert "已退回：教育局被退回的稿件" in mine and "请补充发文字号" in mine and "教育局负责人" in mine
    assert "待审核：教育局等待审核的稿件" in mine
    assert "卫健局的草稿" not in home
    assert not _panel(home, "待我审核")  # a 业务员 reviews nothing
    # Wagtail's default home is gone: no page counts, English search box or its editor guide.
    assert "Search all pages" not in home and "Pages</span>" not in home and "guide.wagtail.org" not in home

    review = _panel(text(head.get("/admin/", **JYJ)), "待我审核")
    assert "教育局等待审核的稿件" in review and "教育局业务员" in review and "提交" in review
    assert f'href="/admin/pages/{waiting.pk}/edit/"' in review
    assert "教育局被退回的稿件" not in review  # sent back: no longer waiting for the 负责人


def test_review_panel_lists_oldest_first(client, departments):
    from portal.accounts.models import User

    with tenant_context(departments["jyj"]):
        editor = User.objects.get(username="jyj_editor")
        first = draft_article(_column(departments["jyj"], "news"), "先提交的稿件", owner=editor, slug="first")
        second = draft_article(_column(departments["jyj"], "notices"), "后提交的稿件", owner=editor, slug="second")
    login(client, "jyj_editor")
    post_edit(client, first.pk, "action-submit")
    post_edit(client, second.pk, "action-submit")
    head = type(client)()
    login(head, "jyj_head")
    review = _panel(text(head.get("/admin/", **JYJ)), "待我审核")
    assert review.index("先提交的稿件") < review.index("后提交的稿件")


def test_empty_states_say_so_in_a_sentence(client, departments):
    login(client, "wjj_editor")
    home = text(client.get("/admin/", **WJJ))
    assert "您没有草稿、待审核或被退回的稿件" in _panel(home, "我的稿件")
    assert "没有待办理的来信" in _panel(home, "待办来信")
    assert "巡检没有发现需要整改的问题" in _panel(home, "待整改问题")
    assert "没有办理中的依申请公开申请" in _panel(home, "依申请公开")
    assert "最近 60 天您没有提交首页发布申请" in _panel(home, "首页发布申请")


def test_column_panel_counts_days_and_marks_stale_columns_red(client, departments):
    """The sample articles are from 2026-11-20 and earlier: the news column (14 days) is judged
    against today; 政策文件 has no item at all and already counts as not updated."""
    login(client, "jyj_editor")
    columns = _panel(text(client.get("/admin/", **JYJ)), "栏目更新")
    assert "政策文件" in columns and "从未发布（要求 180 天内更新）" in columns
    policies_line = columns.split("政策文件", 1)[0].rsplit("<li", 1)[1]
    assert "workbench-danger" in policies_line
    assert "通知公告" in columns and "距上次发布" in columns
    assert "机构概况" not in columns  # no update rule
    assert "区卫生健康局" not in columns


def test_letters_overdue_first_and_only_this_department(client, departments, letters):
    login(client, "jyj_editor")
    panel = _panel(text(client.get("/admin/", **JYJ)), "待办来信")
    assert panel.index("教育局超期来信") < panel.index("教育局未到期来信")
    assert "已超期" in panel and "剩余" in panel and "个工作日" in panel
    assert f'href="/admin/plugins/mailbox/{letters["教育局超期来信"].pk}/"' in panel
    overdue_line = panel.split("教育局超期来信", 1)[0].rsplit("<li", 1)[1]
    assert "workbench-danger" in overdue_line
    assert "卫健局来信" not in panel


def test_applications_and_findings_of_this_department_only(client, departments, applications, findings):
    login(client, "wjj_editor")
    home = text(client.get("/admin/", **WJJ))
    applications_panel = _panel(home, "依申请公开")
    assert "卫健局医院名录申请" in applications_panel and "已超期" in applications_panel
    assert "教育局招生计划申请" not in home
    findings_panel = _panel(home, "待整改问题")
    assert "卫健局页脚缺少网站标识码" in findings_panel and "页脚要素缺失" in findings_panel
    assert "教育局链接不可用" not in home


def test_homepage_requests_show_their_status(client, departments):
    from portal.accounts.models import User
    from portal.homepage_requests.models import HomepageRequest
    from portal.models import PublishedItem

    editor = User.objects.get(username="jyj_editor")
    item = PublishedItem.objects.filter(department=departments["jyj"]).first()
    today = timezone.localdate()
    HomepageRequest.objects.create(
        department=departments["jyj"], item=item, title=item.title, url=item.url, reason="宣传", column="news",
        start_date=today, end_date=today + timedelta(days=3), responsible_person="王主任", contact_phone="1",
        applicant=editor, status="rejected", decision_reason="请改投通知公告",
    )
    login(client, "jyj_editor")
    panel = _panel(text(client.get("/admin/", **JYJ)), "首页发布申请")
    assert item.title in panel and "请改投通知公告" in panel and "workbench-danger" in panel


def test_a_person_of_another_department_gets_no_workbench(client, departments, letters):
    login(client, "wjj_editor")
    response = client.get("/admin/", **JYJ)
    assert response.status_code == 403
    assert "教育局超期来信" not in text(response)


def test_centre_sees_every_department_with_filter_and_district_summary(client, departments, letters, applications,
                                                                        findings):
    login(client, "center_admin")
    home = text(client.get("/admin/", **WWW))
    letters_panel = _panel(home, "待办来信")
    assert "区教育局 · 教育局超期来信" in letters_panel and "区卫生健康局 · 卫健局来信" in letters_panel
    summary = _panel(home, "全区概况")
    assert "健康分" in summary and "超期来信" in summary and "超期申请" in summary and "不更新栏目" in summary
    jyj_row = summary.split("区教育局</a>", 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td>" in jyj_row  # one overdue letter
    assert 'name="department"' in home and "全部单位" in home

    filtered = text(client.get("/admin/?department=wjj", **WWW))
    assert "卫健局来信" in filtered and "教育局超期来信" not in filtered
    assert "卫健局页脚缺少网站标识码" in filtered and "教育局链接不可用" not in filtered
