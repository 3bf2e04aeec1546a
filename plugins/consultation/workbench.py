"""征集调查 on the 工作台: opinions waiting for moderation and closed consultations waiting for
their 结果反馈 (red once past the 30 days the inspection allows)."""

from django.utils import timezone
from portal.workbench import LINES_PER_PANEL, TONE_DANGER, TONE_WARNING, Line, Panel, scope_of

from .models import Consultation, Submission

RESULT_DAYS = 30
ADMIN = "/admin/plugins/consultation/"


def work_lines(departments, central=True) -> list[Line]:
    """待审核意见 first, then 待发布结果, oldest first, per department, in ONE query (a UNION ALL
    over the departments' schemas), so the central 工作台 costs the same however many departments
    there are; a department's own 工作台 asks for itself alone (`central=False`: relative links,
    no department name)."""
    from django.db import connection
    from psycopg import sql

    if not departments:
        return []
    consultation, submission = Consultation._meta.db_table, Submission._meta.db_table
    parts = []
    for index, department in enumerate(departments):
        schema = sql.Identifier(department.schema_name)
        parts.append(sql.SQL(
            "SELECT {index} AS d, 0 AS kind, c.id, c.title, c.ends_at, count(s.id) AS pending "
            "FROM {schema}.{consultation} c JOIN {schema}.{submission} s "
            "ON s.consultation_id = c.id AND s.status = %(pending)s "
            "WHERE c.published_at IS NOT NULL GROUP BY c.id "
            "UNION ALL SELECT {index}, 1, c.id, c.title, c.ends_at, 0 FROM {schema}.{consultation} c "
            "WHERE c.published_at IS NOT NULL AND c.result_published_at IS NULL AND c.ends_at <= %(now)s"
        ).format(index=sql.Literal(index), schema=schema, consultation=sql.Identifier(consultation),
                 submission=sql.Identifier(submission)))
    query = sql.SQL(" UNION ALL ").join(parts) + sql.SQL(" ORDER BY d, kind, ends_at, id")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), {"pending": Submission.Status.PENDING, "now": now})
        rows = cursor.fetchall()
    lines = []
    for index, kind, pk, title, ends_at, pending in rows:
        department = departments[index]
        url = f"{department.base_url if central else ''}{ADMIN}{pk}/"
        text = f"{department.name} · {title}" if central else title
        if kind == 0:
            lines.append(Line(text=text, url=url, meta=f"待审核意见 {pending} 条", department=department.name))
        else:
            days = (now - ends_at).days
            lines.append(Line(text=text, url=url, meta=f"待发布结果，已结束 {days} 天", tone=_tone(days),
                              department=department.name))
    return lines


def _tone(days: int) -> str:
    return TONE_DANGER if days > RESULT_DAYS else TONE_WARNING if days > RESULT_DAYS - 7 else ""


def consultation_panel(department, request):
    from portal.plugins import is_enabled

    from tenants.admin_views import is_central_admin

    from .admin_views import may_manage

    scope = scope_of(request)
    if scope.central:
        if not is_central_admin(request.user):
            return None
        lines = work_lines([each for each in scope.departments if is_enabled(each, "consultation")])
        more_url = ""
    elif may_manage(request):
        lines, more_url = work_lines([department], central=False), ADMIN
    else:
        return None
    return Panel(
        key="consultation", title="征集调查", order=60, lines=lines[:LINES_PER_PANEL], total=len(lines),
        empty_text="没有待审核的意见或待发布的结果。", more_url=more_url,
    )
