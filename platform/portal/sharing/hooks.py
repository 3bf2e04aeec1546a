"""What 信息报送 contributes through the plugin hooks: the 工作台 panel and the report's figures.

The core registers this module with the plugin manager (`portal.plugins.CORE_HOOK_MODULES`), so
the inspection report and the 工作台 read these figures and lines exactly as a plugin's.
"""

from datetime import timedelta

from django.utils import timezone

from portal.hookspecs import hookimpl

LINES_PER_PANEL = 5


@hookimpl
def performance_figures(department, start, end):
    """`sharing`: 报送数 (submitted), 采用数 (accepted) and 采用率 (rate, per cent, or None)."""
    from .services import statistics

    return {"sharing": statistics([department], start, end)[department.pk]}


@hookimpl
def workbench_panels(department, user, request):
    from portal.workbench import Line, Panel, scope_of

    from .models import Submission

    scope = scope_of(request)
    if scope.central:
        pending = Submission.objects.filter(kind=Submission.Kind.SUBMISSION, status=Submission.Status.PENDING,
                                            target_department__in=scope.department_ids)
    elif scope.roles:
        pending = Submission.objects.filter(kind=Submission.Kind.SUBMISSION, status=Submission.Status.PENDING,
                                            target_department=department)
    else:
        return None
    pending = pending.select_related("source_department", "target_department").order_by("created_at", "id")
    lines = [
        Line(text=f"{item.source_department.name} · {item.title}",
             url=(f"{item.target_department.base_url}/admin/sharing/received/{item.pk}/" if scope.central
                  else f"/admin/sharing/received/{item.pk}/"),
             meta=f"待处理，报送到{item.target_department.name}的{item.get_target_column_type_display()}",
             department=item.target_department.name)
        for item in pending[:LINES_PER_PANEL]
    ]
    if not scope.central:
        recent = timezone.now() - timedelta(days=30)
        tones = {Submission.Status.REJECTED: "danger"}
        for item in (Submission.objects.filter(kind=Submission.Kind.SUBMISSION, source_department=department,
                                               created_at__gte=recent)
                     .select_related("target_department").order_by("-created_at", "-id")[:LINES_PER_PANEL]):
            meta = f"我的报送：{item.target_department.name}，{item.get_status_display()}"
            if item.decision_reason:
                meta += f"，{item.decision_reason}"
            lines.append(Line(text=item.title, url="/admin/sharing/", meta=meta, tone=tones.get(item.status, "")))
    return [Panel(key="sharing", title="信息报送", order=65, lines=lines, total=None,
                  empty_text="没有待处理的报送信息，最近 30 天也没有报送。", more_url="/admin/sharing/received/",
                  more_label="待处理报送")]
