"""待办来信 on the 工作台: open letters with the working days left, overdue first."""

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from portal.workbench import LINES_PER_PANEL, Line, Panel, deadline_text, deadline_tone, scope_of, working_days_left

from .admin_views import is_centre
from .models import Letter, centre_department


def letters_panel(request):
    scope = scope_of(request)
    if scope.central:
        if not is_centre(request.user):
            return None
        letters = Letter.objects.open()
        if len(scope.departments) == 1:
            letters = letters.filter(department__in=scope.department_ids)
    elif scope.roles:
        letters = Letter.objects.filter(department=scope.department, status=Letter.Status.FORWARDED)
    else:
        return None
    summary, total = {}, None
    if scope.central:
        # The total and every department's overdue letters in one grouped query. The clock runs
        # from receipt whoever holds a letter: those nobody forwarded are late at the centre,
        # counted on the portal's row.
        today = timezone.localdate()
        # The portal (the centre's site) from the site list the scope has already read.
        centre = next((site for site in scope.sites if site.is_portal), None) or centre_department()
        summary = {department_id: {"超期来信": 0} for department_id in scope.department_ids}
        total = 0
        holder = Coalesce("department_id", Value(centre.pk)) if centre else F("department_id")
        overdue = Count("id", filter=Q(due_date__lt=today))
        grouped = letters.order_by().annotate(holder=holder).values("holder")
        for row in grouped.annotate(count=Count("id"), overdue=overdue):
            total += row["count"]
            if row["holder"] in summary:
                summary[row["holder"]] = {"超期来信": row["overdue"]}
    letters = letters.select_related("department").order_by(F("due_date").asc(nulls_last=True), "received_at", "id")
    if total is None:
        total = letters.count()
    shown = list(letters[:LINES_PER_PANEL])
    left = working_days_left([letter.due_date for letter in shown if letter.due_date], scope=scope)
    lines = []
    for letter in shown:
        days = left.get(letter.due_date) if letter.due_date else None
        where = f"{letter.department.name} · " if scope.central and letter.department else ""
        if letter.status == Letter.Status.RECEIVED:
            # The clock runs from receipt while the centre holds it too.
            meta = f"待转办，{deadline_text(days)}" if days is not None else "待转办"
            tone = deadline_tone(days) if days is not None else ""
        else:
            meta, tone = deadline_text(days), deadline_tone(days) if days is not None else "warning"
        lines.append(Line(
            text=f"{where}{letter.subject}", url=f"/admin/plugins/mailbox/{letter.pk}/",
            meta=f"{letter.get_kind_display()}，{meta}", tone=tone,
            department=letter.department.name if letter.department else "",
        ))
    return Panel(
        key="letters", title="待办来信", order=40, lines=lines, total=total,
        empty_text="没有待办理的来信。", more_url="/admin/plugins/mailbox/", summary=summary,
    )
