"""依申请公开 on the 工作台: open applications with the working days left, overdue first."""

from django.db.models import Count, F, Q
from portal.workbench import LINES_PER_PANEL, Line, Panel, deadline_text, deadline_tone, scope_of, working_days_left

from .applications import today_in_shanghai
from .models import Application


def applications_panel(request):
    from tenants.admin_views import is_central_admin

    scope = scope_of(request)
    open_applications = Application.objects.exclude(status=Application.Status.ANSWERED)
    if scope.central:
        if not is_central_admin(request.user):
            return None
        applications = open_applications.filter(department__in=scope.department_ids)
    elif scope.roles:
        applications = open_applications.filter(department=scope.department)
    else:
        return None
    today = today_in_shanghai()
    summary, total = {}, None
    if scope.central:
        # The total and every department's overdue applications in one grouped query.
        summary = {department_id: {"超期申请": 0} for department_id in scope.department_ids}
        total = 0
        overdue = Q(due_date__lt=today) & ~Q(status=Application.Status.AWAITING_COMPLETION)
        for row in applications.order_by().values("department_id").annotate(
            count=Count("id"), overdue=Count("id", filter=overdue),
        ):
            total += row["count"]
            summary[row["department_id"]] = {"超期申请": row["overdue"]}
    applications = applications.select_related("department").order_by(
        F("due_date").asc(nulls_last=True), "received_on", "id"
    )
    if total is None:
        total = applications.count()
    shown = list(applications[:LINES_PER_PANEL])
    left = working_days_left([item.due_date for item in shown if item.due_date], today, scope=scope)
    lines = []
    for item in shown:
        where = f"{item.department.name} · " if scope.central else ""
        if item.is_paused:
            meta, tone = "等待申请人补正，暂停计时", ""
        else:
            days = left.get(item.due_date) if item.due_date else None
            meta, tone = deadline_text(days), deadline_tone(days) if days is not None else "warning"
        lines.append(Line(
            text=f"{where}{item.name}：{item.description[:30]}", url=f"/admin/plugins/disclosure/{item.pk}/",
            meta=f"{item.received_on:%Y-%m-%d} 收到，{meta}", tone=tone, department=item.department.name,
        ))
    return Panel(
        key="disclosure_applications", title="依申请公开", order=50, lines=lines, total=total,
        empty_text="没有办理中的依申请公开申请。", more_url="/admin/plugins/disclosure/", summary=summary,
    )
