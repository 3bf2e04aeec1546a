"""待提交整改 on the 工作台: what the yearly 通报 asks of this department and how long is left.

A criticised department sees its unfiled 整改 with the calendar days left (red when past the
deadline, amber within 3 days). On the portal's central view the centre and the 区政府办公室 see
every department's unfiled 整改, late ones first, and 全区概况 gets a 超期整改 figure.
"""

from django.utils import timezone
from portal.workbench import LINES_PER_PANEL, Line, Panel, deadline_tone, scope_of

from .admin_views import reads_every_department
from .models import Bulletin, Rectification

URL = "/admin/plugins/inspection/rectifications/"


def rectification_panel(request):
    scope = scope_of(request)
    waiting = Rectification.objects.filter(bulletin__status=Bulletin.Status.PUBLISHED, filed_at__isnull=True)
    if scope.central:
        if not reads_every_department(request.user):
            return None
        waiting = waiting.filter(department__in=scope.department_ids)
    elif scope.roles:
        waiting = waiting.filter(department=scope.department)
    else:
        return None
    waiting = list(waiting.select_related("bulletin", "department").order_by("due_date", "department__sort_order"))
    today = timezone.localdate()
    lines = []
    for rectification in waiting[:LINES_PER_PANEL]:
        left = (rectification.due_date - today).days
        when = f"已超期 {-left} 天" if left < 0 else ("今天到期" if left == 0 else f"还剩 {left} 天")
        prefix = f"{rectification.department.name} · " if scope.central else ""
        lines.append(Line(
            text=f"{prefix}{rectification.bulletin.year}年度通报要求的整改",
            url=f"{URL}{rectification.pk}/", meta=f"期限 {rectification.due_date:%Y-%m-%d}，{when}",
            tone=deadline_tone(left), department=rectification.department.name,
        ))
    summary = {}
    if scope.central:
        summary = {department_id: {"超期整改": 0} for department_id in scope.department_ids}
        for rectification in waiting:
            if rectification.due_date < today:
                summary[rectification.department_id]["超期整改"] += 1
    return Panel(
        key="rectifications", title="待提交整改", order=46, lines=lines, total=len(waiting),
        empty_text="没有需要提交的通报整改。", more_url=URL, summary=summary,
    )
