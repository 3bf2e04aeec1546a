"""The core's panels of the 工作台: review, my items, column freshness, homepage requests, and
the district summary of the central view. Plugins add theirs through `workbench_panels`."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Max, Window
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import LINES_PER_PANEL, Line, Panel, Scope, deadline_tone


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _person(user) -> str:
    if user is None:
        return "系统"
    return getattr(user, "full_name", "") or user.get_username()


def review_panel(scope: Scope) -> Panel | None:
    """待我审核: items submitted to the 负责人 of this site, oldest first."""
    if scope.central or not scope.is_head:
        return None
    from wagtail.models import TaskState

    states = (
        TaskState.objects.reviewable_by(scope.user)
        .select_related("revision", "revision__user", "workflow_state__requested_by")
        .order_by("started_at", "id")
    )
    total = states.count()
    lines = []
    for state in states[:LINES_PER_PANEL]:
        page_id = state.revision.object_id
        title = state.revision.object_str or f"页面 {page_id}"
        submitter = state.workflow_state.requested_by or state.revision.user
        lines.append(Line(
            text=title, url=f"/admin/pages/{page_id}/edit/",
            meta=f"{_person(submitter)} 于 {_when(state.started_at)} 提交",
        ))
    return Panel(
        key="review", title="待我审核", order=10, lines=lines, total=total,
        empty_text="没有等待您审核的稿件。业务员提交审核后会显示在这里。",
    )


def my_items_panel(scope: Scope) -> Panel | None:
    """我的稿件: sent back with the reviewer's comment, waiting for review, scheduled, drafts."""
    if scope.central or not scope.roles:
        return None
    from wagtail.models import Page, Revision, TaskState, WorkflowState

    user = scope.user
    lines = []
    active = list(
        WorkflowState.objects.active().filter(requested_by=user)
        .select_related("current_task_state").order_by("created_at", "id")
    )
    titles = dict(
        Page.objects.filter(pk__in=[int(state.object_id) for state in active]).values_list("pk", "title")
    )
    rejected = {
        state.workflow_state_id: state
        for state in TaskState.objects.filter(
            workflow_state__in=[s for s in active if s.status == WorkflowState.STATUS_NEEDS_CHANGES],
            status=TaskState.STATUS_REJECTED,
        ).select_related("finished_by").order_by("finished_at")
    }
    for state in active:
        page_id = int(state.object_id)
        title = titles.get(page_id, f"页面 {page_id}")
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            task_state = rejected.get(state.pk)
            comment = (task_state.comment if task_state else "") or "（未填写意见）"
            who = _person(task_state.finished_by) if task_state else "负责人"
            lines.append(Line(text=f"已退回：{title}", url=f"/admin/pages/{page_id}/edit/",
                              meta=f"{who}的意见：{comment}", tone="danger"))
        else:
            lines.append(Line(text=f"待审核：{title}", url=f"/admin/pages/{page_id}/edit/",
                              meta=f"{_when(state.created_at)} 提交，等待负责人审核"))
    in_workflow = {int(state.object_id) for state in active}
    for revision in (
        Revision.page_revisions.filter(approved_go_live_at__isnull=False, user=user)
        .order_by("approved_go_live_at")[:LINES_PER_PANEL]
    ):
        lines.append(Line(text=f"定时发布：{revision.object_str}", url=f"/admin/pages/{revision.object_id}/edit/",
                          meta=f"将于 {_when(revision.approved_go_live_at)} 发布"))
    drafts = (
        Page.objects.filter(owner=user, live=False).exclude(pk__in=in_workflow).exclude(depth__lte=3)
        .order_by("-latest_revision_created_at", "-id")
    )
    for page in drafts[:LINES_PER_PANEL]:
        lines.append(Line(text=f"草稿：{page.title}", url=f"/admin/pages/{page.pk}/edit/",
                          meta=f"最后保存于 {_when(page.latest_revision_created_at)}"))
    return Panel(
        key="my_items", title="我的稿件", order=20, lines=lines[: LINES_PER_PANEL * 2],
        empty_text="您没有草稿、待审核或被退回的稿件。在“页面”中找到栏目，点击“添加子页面”开始写稿。",
    )


def _days_left(rule, latest, now) -> int:
    return -1 if latest is None else rule - (now - latest).days


def _column_line(title, rule, latest, now, url, department="") -> Line:
    days_left = _days_left(rule, latest, now)
    if latest is None:
        meta = f"从未发布（要求 {rule} 天内更新），已算作不更新"
    elif days_left < 0:
        meta = f"距上次发布 {rule - days_left} 天，已超过 {rule} 天的更新要求 {-days_left} 天"
    else:
        meta = f"距上次发布 {rule - days_left} 天，还剩 {days_left} 天（要求 {rule} 天内更新）"
    return Line(text=title, url=url, meta=meta, tone=deadline_tone(days_left), department=department)


def columns_panel(scope: Scope) -> Panel | None:
    """栏目更新: each column with an update rule, days since its last item and days left."""
    from portal.pages.columns import UPDATE_RULE_DAYS

    now = timezone.now()
    # (days left, department id, what the line needs): lines are drawn for the shown rows only.
    rows = []
    if scope.central:
        from portal.models import PublishedItem

        names = {d.pk: d for d in scope.departments}
        latest = (
            PublishedItem.objects.filter(
                department_id__in=list(names), column_type__in=list(UPDATE_RULE_DAYS), publish_time__lte=now,
            ).values_list("department_id", "column_title", "column_type").annotate(latest=Max("publish_time"))
        )
        for department_id, column_title, column_type, last in latest:
            rule = UPDATE_RULE_DAYS[column_type]
            rows.append((_days_left(rule, last, now), department_id, (column_title, rule, last)))

        def line(department_id, column_title, rule, last):
            department = names[department_id]
            return _column_line(f"{department.name} · {column_title}", rule, last, now,
                                f"{department.base_url}/admin/", department.name)
    else:
        if not scope.roles:
            return None
        from wagtail.models import Page

        from portal.pages.models import ArticlePage, ColumnPage

        columns = list(
            ColumnPage.objects.live().filter(column_type__in=list(UPDATE_RULE_DAYS))
            .order_by("path").only("id", "title", "path", "column_type")
        )
        latest_by_parent = {
            row["parent"]: row["latest"]
            for row in ArticlePage.objects.live().filter(publish_time__lte=now)
            .annotate(parent=Substr("path", 1, Length("path") - Page.steplen))
            .values("parent").annotate(latest=Max("publish_time"))
        }
        for column in columns:
            rule, last = UPDATE_RULE_DAYS[column.column_type], latest_by_parent.get(column.path)
            rows.append((_days_left(rule, last, now), None, (column, rule, last)))

        def line(_, column, rule, last):
            return _column_line(column.title, rule, last, now, f"/admin/pages/{column.pk}/")
    rows.sort(key=lambda row: row[0])
    stale = sum(1 for days_left, _, _ in rows if days_left < 0)
    summary = {}
    if scope.central:
        summary = {department_id: {"不更新栏目": 0} for department_id in scope.department_ids}
        for days_left, department_id, _ in rows:
            if days_left < 0:
                summary[department_id]["不更新栏目"] += 1
    return Panel(
        key="columns", title="栏目更新", order=30,
        lines=[line(department_id, *args) for _, department_id, args in rows[: LINES_PER_PANEL * 3]],
        total=len(rows), empty_text="没有规定更新周期的栏目。", summary=summary,
        more_label=f"{stale} 个栏目已超过更新要求" if stale else "",
    )


def homepage_requests_panel(scope: Scope) -> Panel | None:
    """首页发布申请: what I asked for (department), or what waits for a decision (centre)."""
    from portal.homepage_requests.models import HomepageRequest

    if scope.central:
        # The first lines and, on each of them, the count of all (a window over the whole
        # selection): one query.
        pending = list(
            HomepageRequest.objects.filter(status=HomepageRequest.Status.PENDING, department__in=scope.department_ids)
            .select_related("department", "applicant").annotate(all_pending=Window(Count("id")))
            .order_by("created_at", "id")[:LINES_PER_PANEL]
        )
        lines = [
            Line(text=f"{item.department.name} · {item.title}", url="/admin/homepage-requests/review/",
                 meta=f"{_person(item.applicant)} 于 {_when(item.created_at)} 申请", department=item.department.name)
            for item in pending
        ]
        total = pending[0].all_pending if pending else 0
        return Panel(key="homepage_requests", title="首页发布申请", order=60, lines=lines, total=total,
                     empty_text="没有等待审批的首页发布申请。", more_url="/admin/homepage-requests/review/")
    if not scope.roles:
        return None
    recent = timezone.now() - timedelta(days=60)
    mine = (
        HomepageRequest.objects.filter(department=scope.department, applicant=scope.user, created_at__gte=recent)
        .order_by("-created_at", "-id")
    )
    tones = {HomepageRequest.Status.PENDING: "", HomepageRequest.Status.REJECTED: "danger"}
    lines = []
    for item in mine[:LINES_PER_PANEL]:
        meta = f"{item.get_status_display()}，{_when(item.created_at)} 申请"
        if item.decision_reason:
            meta += f"，审批意见：{item.decision_reason}"
        lines.append(Line(text=item.title, url="/admin/homepage-requests/", meta=meta, tone=tones.get(item.status, "")))
    return Panel(key="homepage_requests", title="首页发布申请", order=60, lines=lines,
                 empty_text="最近 60 天您没有提交首页发布申请。", more_url="/admin/homepage-requests/")


def district_summary_panel(scope: Scope, panels: list[Panel]) -> Panel | None:
    """全区概况: one row per department with the figures every panel contributed."""
    if not scope.central:
        return None
    figures: dict[int, dict[str, object]] = {department.pk: {} for department in scope.departments}
    labels: list[str] = []
    for panel in panels:
        for department_id, values in panel.summary.items():
            for label, value in values.items():
                if label not in labels:
                    labels.append(label)
                figures.setdefault(department_id, {})[label] = value
    panel = Panel(key="district", title="全区概况", order=5, lines=[], empty_text="还没有任何单位。",
                  template="portal/workbench/district.html")
    panel.rows = [
        {"department": department, "values": [figures[department.pk].get(label, 0) for label in labels]}
        for department in scope.departments
    ]
    panel.labels = labels
    # One row per department: drawn here at once, as the template's loop over hundreds of cells
    # took longer than reading every figure of the district.
    panel.table_html = mark_safe("\n".join(
        f'<tr><th scope="row"><a href="?department={escape(row["department"].host_prefix)}">'
        f'{escape(row["department"].name)}</a></th>'
        + "".join(f"<td>{value if type(value) is int else escape(value)}</td>" for value in row["values"]) + "</tr>"
        for row in panel.rows
    ))
    return panel


CORE_PANELS = (review_panel, my_items_panel, columns_panel, homepage_requests_panel)
