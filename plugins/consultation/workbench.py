"""征集调查 on the 工作台: opinions waiting for moderation and closed consultations waiting for
their 结果反馈 (red once past the 30 days the inspection allows)."""

from django.db.models import Count, Q
from django.utils import timezone
from portal.workbench import LINES_PER_PANEL, TONE_DANGER, TONE_WARNING, Line, Panel, scope_of

from .models import Consultation, Submission

RESULT_DAYS = 30
ADMIN = "/admin/plugins/consultation/"


def work_lines(department, central=False) -> list[Line]:
    """Inside `department`'s schema: 待审核意见 first, then 待发布结果, oldest first."""
    now = timezone.now()
    where = f"{department.name} · " if central else ""
    prefix = f"{department.base_url}" if central else ""
    lines = []
    pending = (Consultation.objects.filter(published_at__isnull=False)
               .annotate(pending=Count("submissions", filter=Q(submissions__status=Submission.Status.PENDING)))
               .filter(pending__gt=0).order_by("ends_at", "id"))
    for consultation in pending:
        lines.append(Line(text=f"{where}{consultation.title}", url=f"{prefix}{ADMIN}{consultation.pk}/",
                          meta=f"待审核意见 {consultation.pending} 条", department=department.name))
    waiting = Consultation.objects.filter(published_at__isnull=False, result_published_at__isnull=True,
                                          ends_at__lte=now).order_by("ends_at", "id")
    for consultation in waiting:
        days = (now - consultation.ends_at).days
        tone = TONE_DANGER if days > RESULT_DAYS else TONE_WARNING if days > RESULT_DAYS - 7 else ""
        lines.append(Line(text=f"{where}{consultation.title}", url=f"{prefix}{ADMIN}{consultation.pk}/",
                          meta=f"待发布结果，已结束 {days} 天", tone=tone, department=department.name))
    return lines


def consultation_panel(department, request):
    from django_tenants.utils import tenant_context
    from portal.plugins import is_enabled

    from tenants.admin_views import is_central_admin

    from .admin_views import may_manage

    scope = scope_of(request)
    if scope.central:
        if not is_central_admin(request.user):
            return None
        lines = []
        for each in scope.departments:
            if is_enabled(each, "consultation"):
                with tenant_context(each):
                    lines.extend(work_lines(each, central=True))
        more_url = ""
    elif may_manage(request):
        lines, more_url = work_lines(department), ADMIN
    else:
        return None
    return Panel(
        key="consultation", title="征集调查", order=60, lines=lines[:LINES_PER_PANEL], total=len(lines),
        empty_text="没有待审核的意见或待发布的结果。", more_url=more_url,
    )
