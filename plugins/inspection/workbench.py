"""待整改问题 on the 工作台: the open findings of this site; for the centre, health scores."""

from collections import namedtuple

from django.db.models import Case, IntegerField, Value, When
from portal.workbench import LINES_PER_PANEL, Line, Panel, scope_of

from .admin_views import is_centre
from .models import Finding
from .service import health_score

TONES = {"veto": "danger", "serious": "warning"}
OpenFinding = namedtuple("OpenFinding", "severity")


def findings_panel(request):
    scope = scope_of(request)
    open_findings = Finding.objects.filter(status=Finding.Status.OPEN)
    if scope.central:
        if not is_centre(request.user):
            return None
        findings = open_findings.filter(department__in=scope.department_ids)
    elif scope.roles:
        findings = open_findings.filter(department=scope.department)
    else:
        return None
    rank = Case(When(severity="veto", then=Value(0)), When(severity="serious", then=Value(1)), default=Value(2),
                output_field=IntegerField())
    summary, total = {}, None
    if scope.central:
        # Plain (department, severity) pairs: all that the scores and the total need, without a
        # model instance per finding or the join of the departments for the default ordering.
        by_department = {department_id: [] for department_id in scope.department_ids}
        for department_id, severity in findings.order_by().values_list("department_id", "severity"):
            by_department[department_id].append(OpenFinding(severity))
        summary = {
            department_id: {"健康分": health_score(items), "待整改问题": len(items)}
            for department_id, items in by_department.items()
        }
        total = sum(len(items) for items in by_department.values())
    findings = findings.select_related("department").order_by(rank, "first_seen", "id")
    if total is None:
        total = findings.count()
    lines = [
        Line(
            text=f"{finding.department.name + ' · ' if scope.central else ''}{finding.title}",
            url=f"/admin/plugins/inspection/{finding.pk}/",
            meta=f"{finding.item_label}，{finding.get_severity_display()}，{finding.first_seen:%Y-%m-%d} 发现",
            tone=TONES.get(finding.severity, ""), department=finding.department.name,
        )
        for finding in findings[:LINES_PER_PANEL]
    ]
    return Panel(
        key="findings", title="待整改问题", order=45, lines=lines, total=total,
        empty_text="巡检没有发现需要整改的问题。", more_url="/admin/plugins/inspection/", summary=summary,
    )
