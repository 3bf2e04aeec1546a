"""The 审计日志 page: only the 审计管理员 reads and exports the audit log.

Separation of duties (等保 三员分立): a system administrator or superuser without the
`audit_admin` role is refused like anyone else, so the person who runs the platform cannot read,
let alone tidy, the record of what they did.
"""

import csv
from functools import wraps
from io import BytesIO

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from portal.exporting import csv_cell, xlsx_row

from .events import EVENT_LABELS, event_label
from .log import record
from .models import AuditEvent

PAGE_SIZE = 50
EXPORT_COLUMNS = ["时间", "用户名", "姓名", "事件", "结果", "IP 地址", "单位", "对象", "详情"]


def is_audit_admin(user) -> bool:
    from portal.accounts.models import CentralRole

    return user.is_authenticated and user.is_active and CentralRole.AUDIT_ADMIN in user.central_role_names()


def audit_admin_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_audit_admin(request.user):
            return TemplateResponse(
                request, "accounts/forbidden.html",
                {"department": getattr(request, "tenant", None),
                 "message": "只有审计管理员可以查看审计日志（系统管理员、安全管理员与审计管理员职责分离）。"},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


class AuditFilterForm(forms.Form):
    department = forms.ModelChoiceField(label="单位", queryset=None, required=False, empty_label="全部单位")
    user = forms.CharField(label="用户", required=False,
                           widget=forms.TextInput(attrs={"placeholder": "用户名或姓名"}))
    event = forms.ChoiceField(label="事件类型", required=False)
    success = forms.ChoiceField(label="结果", required=False,
                                choices=[("", "全部"), ("1", "成功"), ("0", "失败")])
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "请输入正确的日期，例如 2026-01-31"})
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": "请输入正确的日期，例如 2026-01-31"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tenants.models import Department

        self.fields["department"].queryset = Department.sites().order_by("sort_order", "id")
        recorded = set(AuditEvent.objects.values_list("event", flat=True).distinct())
        codes = list(EVENT_LABELS) + sorted(recorded - set(EVENT_LABELS))
        self.fields["event"].choices = [("", "全部事件")] + [(code, event_label(code)) for code in codes]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期")
        return cleaned

    def filter(self, events):
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["department"]:
            events = events.filter(department=data["department"])
        if data["user"]:
            events = events.filter(Q(username__icontains=data["user"]) | Q(user__full_name__icontains=data["user"]))
        if data["event"]:
            events = events.filter(event=data["event"])
        if data["success"] in ("0", "1"):
            events = events.filter(success=data["success"] == "1")
        if data["date_from"]:
            events = events.filter(time__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(time__date__lte=data["date_to"])
        return events


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("user", "department").order_by("-time", "-id")
    if form.is_bound:
        events = form.filter(events)
    return form, events


def _row(event: AuditEvent) -> list:
    return [
        timezone.localtime(event.time).strftime("%Y-%m-%d %H:%M:%S"),
        event.username,
        event.user.full_name if event.user else "",
        event_label(event.event),
        "成功" if event.success else "失败",
        event.ip or "",
        event.department.name if event.department else "",
        event.target,
        _details_text(event.details),
    ]


def _details_text(details) -> str:
    if not details:
        return ""
    return "；".join(f"{key}={value}" for key, value in details.items())


@audit_admin_required
def audit_index(request):
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "audit/admin/index.html", {
        "page_title": "审计日志", "form": form, "page": page, "query": query.urlencode(),
        "rows": [(event, _row(event)) for event in page.object_list],
    })


def _export_name(extension: str) -> str:
    return f"audit-log-{timezone.localtime():%Y%m%d-%H%M%S}.{extension}"


def _record_export(request, kind, count):
    filters = {key: value for key, value in request.GET.items() if value and key != "page"}
    record("audit_export", request=request, target=f"{kind.upper()} {count} 条", details={"filters": filters})


class _Echo:
    def write(self, value):
        return value


@audit_admin_required
def audit_export_csv(request):
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly."""
    _, events = _filtered(request)
    _record_export(request, "csv", events.count())
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([csv_cell(value) for value in _row(event)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


@audit_admin_required
def audit_export_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _, events = _filtered(request)
    _record_export(request, "xlsx", events.count())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    for column, width in zip("ABCDEFGHI", [20, 16, 12, 14, 8, 16, 18, 40, 40], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    xlsx_row(sheet, EXPORT_COLUMNS, font=Font(bold=True))
    for event in events.iterator(chunk_size=2000):
        xlsx_row(sheet, _row(event))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("xlsx")}"'
    return response
