"""待审核提问 on the 工作台: questions the public sent to interviews that are announced or live."""

from django.db.models import Count
from portal.plugins import is_enabled
from portal.workbench import LINES_PER_PANEL, TONE_WARNING, Line, Panel, scope_of

from .models import Interview, Question


def questions_panel(request):
    from tenants.admin_views import is_central_admin

    scope = scope_of(request)
    waiting = Question.objects.filter(status=Question.Status.PENDING).exclude(interview__status=Interview.Status.DRAFT)
    if scope.central:
        if not is_central_admin(request.user):
            return None
        # A department that switched the plugin off has no interviews to moderate.
        department_ids = [d.pk for d in scope.departments if is_enabled(d, "interviews")]
        waiting = waiting.filter(interview__department__in=department_ids)
    elif scope.roles:
        waiting = waiting.filter(interview__department=scope.department)
    else:
        return None
    summary, total = {}, None
    if scope.central:
        # The total and every department's count in one grouped query.
        summary = {department_id: {"待审核提问": 0} for department_id in department_ids}
        total = 0
        for department_id, count in waiting.order_by().values_list("interview__department").annotate(n=Count("id")):
            summary[department_id] = {"待审核提问": count}
            total += count
    waiting = waiting.select_related("interview__department").order_by("submitted_at", "id")
    shown = list(waiting[:LINES_PER_PANEL])
    if total is None:
        total = len(shown) if len(shown) < LINES_PER_PANEL else waiting.count()
    lines = []
    for question in shown:
        interview = question.interview
        where = f"{interview.department.name} · " if scope.central else ""
        lines.append(Line(
            text=f"{where}{question.text[:40]}", url=f"{interview.department.base_url}/admin/plugins/interviews/"
            f"{interview.pk}/#question-{question.pk}" if scope.central else
            f"/admin/plugins/interviews/{interview.pk}/#question-{question.pk}",
            meta=f"《{interview.title}》{interview.get_status_display()}",
            tone=TONE_WARNING if interview.status == Interview.Status.LIVE else "",
            department=interview.department.name,
        ))
    return Panel(
        key="interview_questions", title="待审核提问", order=45, lines=lines, total=total,
        empty_text="没有待审核的访谈提问。", more_url="/admin/plugins/interviews/", summary=summary,
    )
