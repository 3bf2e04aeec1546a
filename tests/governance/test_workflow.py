"""Review before publishing (第七条(四), 第十二条, 第十八条(二)), attacked through the admin.

The 业务员 of 区教育局 writes and submits; the 负责人 approves (the article goes live, on the
department's site and in the portal's projection) or sends it back with a comment. Every route
by which an editor might still publish is tried. Publishing without an approved review remains
possible for people with the right to publish, and each such publish is recorded.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import schema_context, tenant_context

from .helpers import JYJ, draft_article, login, messages_of, post_edit, text, workflow_action


def _article(jyj, pk):
    from portal.pages.models import ArticlePage

    with tenant_context(jyj):
        return ArticlePage.objects.filter(pk=pk).first()


def _workflow_status(jyj, pk):
    from wagtail.models import WorkflowState

    with tenant_context(jyj):
        state = WorkflowState.objects.filter(object_id=str(pk)).order_by("-created_at", "-id").first()
        return state.status if state else None


def _events(event, target_contains, department_prefix="jyj"):
    from portal.audit.models import AuditEvent

    with schema_context("public"):
        return list(AuditEvent.objects.filter(
            event=event, target__contains=target_contains, department__host_prefix=department_prefix,
        ).order_by("id"))


def _unreviewed(jyj, pk):
    from portal.governance.models import UnreviewedPublication

    with schema_context("public"):
        return list(UnreviewedPublication.objects.filter(department=jyj, page_id=pk))


def _in_projection(jyj, pk):
    from portal.models import PublishedItem

    with schema_context("public"):
        return PublishedItem.objects.filter(department=jyj, object_id=pk).exists()


@pytest.mark.parametrize("prefix", ["tenant_template", "www", "jyj", "wjj"])
def test_every_site_has_the_review_workflow_on_its_home_page(departments, prefix):
    from django.contrib.auth.models import Group
    from portal.pages.models import ArticlePage, HomePage
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

    from tenants.models import Department
    from tenants.provisioning import ensure_site

    department = Department.objects.get(schema_name=prefix) if prefix == "tenant_template" else departments[prefix]
    with tenant_context(department):
        ensure_site(department)  # repairing a department again changes nothing
        home = HomePage.objects.get(depth=2)
        workflows = Workflow.objects.filter(active=True)
        assert [w.name for w in workflows] == ["信息发布审核"]
        workflow = workflows.get()
        tasks = [task.specific for task in workflow.tasks.all()]
        assert [(type(t), t.name) for t in tasks] == [(GroupApprovalTask, "负责人审核")]
        assert list(tasks[0].groups.values_list("name", flat=True)) == ["负责人"]
        assert list(WorkflowPage.objects.values_list("page_id", "workflow_id")) == [(home.pk, workflow.pk)]
        assert Group.objects.filter(name="负责人").exists()
        article = ArticlePage.objects.first()
        if article is not None:
            assert article.get_workflow() == workflow


def test_editor_submits_a_new_article_and_the_head_approves_it(jyj, news, client):
    from portal.pages.models import ArticlePage

    login(client, "jyj_editor")
    add_url = f"/admin/pages/add/pages/articlepage/{news.pk}/"
    page = client.get(add_url, HTTP_HOST=JYJ)
    assert page.status_code == 200
    html = text(page)
    assert "提交" in html and "信息发布审核" in html  # the editor is offered 提交审核, not 发布
    assert 'name="action-publish"' not in html
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

    data = querydict_from_html(html, form_id="page-edit-form")
    data["title"] = "区教育局关于秋季开学的通知（审核流程）"
    data["slug"] = "workflow-autumn"
    data.update(nested_form_data({"body": streamfield([("text", rich_text("<p>各学校：请做好开学准备。</p>"))])}))
    for key in [k for k in data if k.startswith("action-")]:
        del data[key]
    data["action-submit"] = "action-submit"
    response = client.post(add_url, data, HTTP_HOST=JYJ, follow=True)
    assert response.status_code == 200
    with tenant_context(jyj):
        article = ArticlePage.objects.get(slug="workflow-autumn")
        assert not article.live
    assert _workflow_status(jyj, article.pk) == "in_progress"
    assert not _in_projection(jyj, article.pk)
    assert [e.username for e in _events("submit", f"#{article.pk})")] == ["jyj_editor"]
    # Not visible to the public yet.
    assert client.get("/news/workflow-autumn/", HTTP_HOST=JYJ).status_code == 404

    # The head sees it waiting on the dashboard and approves it from the editor.
    client.logout()
    login(client, "jyj_head")
    dashboard = text(client.get("/admin/", HTTP_HOST=JYJ))
    assert "区教育局关于秋季开学的通知（审核流程）" in dashboard
    response = workflow_action(client, article.pk, "approve", comment="同意发布")
    assert response.status_code == 200
    assert _article(jyj, article.pk).live
    assert _workflow_status(jyj, article.pk) == "approved"
    assert _in_projection(jyj, article.pk)
    approve = _events("approve", f"#{article.pk})")
    assert [(e.username, e.details["comment"]) for e in approve] == [("jyj_head", "同意发布")]
    assert _unreviewed(jyj, article.pk) == []  # an approved publish is a reviewed publish
    assert _events("publish_without_review", f"#{article.pk})") == []
    # Live on the department's site and on the portal homepage.
    public = client.get("/news/workflow-autumn/", HTTP_HOST=JYJ)
    assert public.status_code == 200 and "请做好开学准备" in text(public)
    assert "区教育局关于秋季开学的通知（审核流程）" in text(client.get("/", HTTP_HOST="www.localhost"))


def test_head_sends_an_article_back_with_a_comment(jyj, news, client):
    with tenant_context(jyj):
        article = draft_article(news, "需要修改的稿件")
    login(client, "jyj_editor")
    post_edit(client, article.pk, "action-submit")
    assert _workflow_status(jyj, article.pk) == "in_progress"

    client.logout()
    login(client, "jyj_head")
    # Sending back without saying what to change is refused.
    response = workflow_action(client, article.pk, "reject")
    assert any("退回修改时必须填写意见" in m for m in messages_of(response))
    assert _workflow_status(jyj, article.pk) == "in_progress"

    response = workflow_action(client, article.pk, "reject", comment="请补充开学时间和联系人")
    assert response.status_code == 200
    assert _workflow_status(jyj, article.pk) == "needs_changes"
    assert not _article(jyj, article.pk).live
    assert not _in_projection(jyj, article.pk)
    reject = _events("reject", f"#{article.pk})")
    assert [(e.username, e.details["comment"]) for e in reject] == [("jyj_head", "请补充开学时间和联系人")]

    # The editor sees the comment, changes the text and submits again.
    client.logout()
    login(client, "jyj_editor")
    assert "请补充开学时间和联系人" in text(client.get(f"/admin/pages/{article.pk}/edit/", HTTP_HOST=JYJ))
    post_edit(client, article.pk, "action-submit", body_html="<p>9月1日开学，联系人：办公室。</p>")
    assert _workflow_status(jyj, article.pk) == "in_progress"
    assert len(_events("submit", f"#{article.pk})")) == 2


def test_an_editor_cannot_publish_by_any_route(jyj, news, client):
    from portal.pages.models import ArticlePage, ColumnPage
    from wagtail.models import Page

    editor = login(client, "jyj_editor")
    with tenant_context(jyj):
        notices = ColumnPage.objects.get(depth=3, slug="notices")
        draft = draft_article(news, "业务员的草稿", owner=editor)
        live = ArticlePage.objects.child_of(news).get(slug="sample-1")

    # 1. The edit form's 发布 button: the content is kept as a draft, nothing goes live.
    response = post_edit(client, draft.pk, "action-publish", title="业务员想直接发布")
    assert response.status_code == 200
    assert not _article(jyj, draft.pk).live and not _in_projection(jyj, draft.pk)
    response = post_edit(client, live.pk, "action-publish", title="业务员改了已发布的标题")
    assert _article(jyj, live.pk).title == "区教育局部门动态样例1"

    # 2. The bulk publish action.
    url = f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&next=/admin/pages/{news.pk}/"
    client.post(url, {"include_descendants": ""}, HTTP_HOST=JYJ)
    assert not _article(jyj, draft.pk).live

    # 3. Copying a live article and asking to keep the copy live.
    response = client.post(f"/admin/pages/{live.pk}/copy/", {
        "new_title": "复制后直接发布", "new_slug": "copied-live", "new_parent_page": news.pk,
        "publish_copies": "on",
    }, HTTP_HOST=JYJ)
    with tenant_context(jyj):
        copies = list(ArticlePage.objects.filter(slug="copied-live"))
    assert all(not copy.live for copy in copies)

    # 4. Moving: a draft stays a draft, and a live article stays live (the 负责人 moves it).
    client.post(f"/admin/pages/{draft.pk}/move/{notices.pk}/confirm/", HTTP_HOST=JYJ)
    moved = _article(jyj, draft.pk)
    assert not moved.live
    with tenant_context(jyj):
        assert moved.get_parent().pk == notices.pk
    client.logout()
    login(client, "jyj_head")
    with tenant_context(jyj):
        to_move = draft_article(news, "待移动的已发布文章", slug="to-move")
        to_move.get_latest_revision().publish()
    client.post(f"/admin/pages/{to_move.pk}/move/{notices.pk}/confirm/", HTTP_HOST=JYJ)
    with tenant_context(jyj):
        assert Page.objects.get(pk=to_move.pk).get_parent().pk == notices.pk
    assert _article(jyj, to_move.pk).live and _in_projection(jyj, to_move.pk)

    # 5. In code, publishing on the editor's behalf is refused.
    with tenant_context(jyj), pytest.raises(PermissionDenied):
        ArticlePage.objects.get(pk=draft.pk).get_latest_revision().publish(user=editor)
    assert not _article(jyj, draft.pk).live

    # 6. Creating a page with 发布 from the add form.
    client.logout()
    login(client, "jyj_editor")
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

    add_url = f"/admin/pages/add/pages/articlepage/{news.pk}/"
    data = querydict_from_html(text(client.get(add_url, HTTP_HOST=JYJ)), form_id="page-edit-form")
    data.update({"title": "新建即发布", "slug": "create-publish", "action-publish": "action-publish"})
    data.update(nested_form_data({"body": streamfield([("text", rich_text("<p>正文</p>"))])}))
    client.post(add_url, data, HTTP_HOST=JYJ)
    with tenant_context(jyj):
        assert not ArticlePage.objects.filter(slug="create-publish", live=True).exists()


def test_publishing_without_review_is_allowed_for_administrators_and_recorded(jyj, news, client):
    from portal.governance.models import UnreviewedPublication

    with tenant_context(jyj):
        by_admin = draft_article(news, "管理员直接发布的稿件")
        by_head = draft_article(news, "负责人直接发布的稿件")
        reviewed = draft_article(news, "走审核流程的稿件")

    login(client, "center_admin")
    post_edit(client, by_admin.pk, "action-publish")
    assert _article(jyj, by_admin.pk).live
    [row] = _unreviewed(jyj, by_admin.pk)
    assert (row.username, row.route, row.by_head) == ("center_admin", "direct", False)
    assert row.title == "管理员直接发布的稿件"
    [event] = _events("publish_without_review", f"#{by_admin.pk})")
    assert event.username == "center_admin" and event.department_id == jyj.pk

    client.logout()
    login(client, "jyj_head")
    post_edit(client, by_head.pk, "action-publish")
    assert _article(jyj, by_head.pk).live
    [row] = _unreviewed(jyj, by_head.pk)
    assert (row.username, row.route, row.by_head) == ("jyj_head", "direct", True)

    # Through the workflow: submitted by the editor, approved by the head — not counted.
    client.logout()
    login(client, "jyj_editor")
    post_edit(client, reviewed.pk, "action-submit")
    client.logout()
    login(client, "jyj_head")
    workflow_action(client, reviewed.pk, "approve")
    assert _article(jyj, reviewed.pk).live
    assert _unreviewed(jyj, reviewed.pk) == []

    # A later direct change to the approved article is a new, unreviewed publication.
    post_edit(client, reviewed.pk, "action-publish", title="走审核流程的稿件（负责人改标题）")
    assert [row.title for row in _unreviewed(jyj, reviewed.pk)] == ["走审核流程的稿件（负责人改标题）"]
    # Code and imports publish without a person: recorded as 系统发布.
    with tenant_context(jyj):
        system = draft_article(news, "系统发布的稿件")
        system.get_latest_revision().publish()
    [row] = _unreviewed(jyj, system.pk)
    assert row.route == UnreviewedPublication.Route.SYSTEM and row.user is None


def test_an_approved_publish_scheduled_for_later_is_still_reviewed(jyj, news, client):
    """The approval schedules; `publish_scheduled` publishes later without a person."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from portal.pages.models import ArticlePage

    with tenant_context(jyj):
        article = draft_article(news, "定时发布的通知")
        article.go_live_at = timezone.now() + timedelta(hours=1)
        article.save_revision()
    login(client, "jyj_editor")
    post_edit(client, article.pk, "action-submit")
    client.logout()
    login(client, "jyj_head")
    workflow_action(client, article.pk, "approve")
    assert not _article(jyj, article.pk).live  # scheduled, not yet live
    # An hour later (the clock is moved, not waited for).
    past = timezone.now() - timedelta(minutes=1)
    with tenant_context(jyj):
        from wagtail.models import Revision

        ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)
        for revision in Revision.objects.filter(object_id=str(article.pk)).exclude(approved_go_live_at=None):
            revision.content["go_live_at"] = past.isoformat()
            revision.approved_go_live_at = past
            revision.save()
        call_command("publish_scheduled", verbosity=0)
    assert _article(jyj, article.pk).live
    assert _unreviewed(jyj, article.pk) == []


def test_existing_departments_get_the_workflow_with_one_command(jyj):
    from django.core.management import call_command
    from wagtail.models import Workflow, WorkflowPage

    with tenant_context(jyj):
        WorkflowPage.objects.all().delete()
        Workflow.objects.filter(name="信息发布审核").update(active=False)
    call_command("ensure_review_workflows", verbosity=0)
    with tenant_context(jyj):
        from portal.pages.models import ArticlePage

        workflow = ArticlePage.objects.first().get_workflow()
        assert workflow is not None and workflow.name == "信息发布审核" and workflow.active
