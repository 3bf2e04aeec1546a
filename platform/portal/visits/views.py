"""The 访问统计 admin screen: the centre sees every site, a department's people their own."""

from datetime import timedelta

from django import forms
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.auth import require_admin_access

from . import statistics
from .charts import bar_chart

# The centre's roles that read the platform's figures; anyone else sees the site they work on.
CENTRAL_READERS = ("system_admin", "security_admin", "audit_admin")
DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
DAILY_CHART_DAYS = 62  # longer periods are drawn month by month


def is_central_reader(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_central_role(*CENTRAL_READERS))


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", required=False,
                            error_messages={"invalid": "开始日期格式应为 2026-01-31"})
    end = forms.DateField(label="结束日期", required=False,
                          error_messages={"invalid": "结束日期格式应为 2026-01-31"})
    department = forms.ChoiceField(label="网站", required=False,
                                   error_messages={"invalid_choice": "没有这个网站，请从列表中选择"})

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].choices = [("", "全部网站")] + [(d.host_prefix, d.name) for d in departments]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError("开始日期不能晚于结束日期，请调换两个日期")
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"统计期间最长 {MAX_DAYS} 天，请缩短期间")
        data["start"], data["end"] = start, end
        return data


@require_admin_access
def visits_report(request):
    from tenants.models import Department

    central = is_central_reader(request.user)
    departments = list(Department.sites().order_by("name")) if central else None
    form = PeriodForm(request.GET, departments=departments)  # every field may be left empty
    context = {"page_title": "访问统计", "form": form, "central": central}
    if not form.is_valid():
        return TemplateResponse(request, "visits/report.html", context, status=400)
    data = form.cleaned_data
    start, end = data["start"], data["end"]
    if central:
        prefix = data.get("department") or ""
        department = next((d for d in departments if d.host_prefix == prefix), None)
    else:
        department = request.tenant
    context.update(_figures(department, start, end, central))
    context.update({"department": department, "start": start, "end": end})
    return TemplateResponse(request, "visits/report.html", context)


def _figures(department, start, end, central) -> dict:
    if (end - start).days < DAILY_CHART_DAYS:
        series = statistics.daily(department, start, end)
        labels = [entry["day"].strftime("%m-%d") for entry in series]
        unit = "每日"
    else:
        series = statistics.monthly(department, start, end)
        labels = [entry["month"] for entry in series]
        unit = "每月"
    figures = {
        "totals": statistics.visit_totals(department, start, end),
        "views_chart": bar_chart(f"{unit}访问量", labels, [entry["page_views"] for entry in series]),
        "visitors_chart": bar_chart(f"{unit}独立访客", labels, [entry["unique_visitors"] for entry in series]),
        "series": series,
        "top_pages": statistics.page_titles(statistics.top_pages(department, start, end)),
        "top_columns": statistics.column_titles(statistics.top_columns(department, start, end)),
        "top_search_terms": statistics.top_search_terms(department, start, end),
    }
    if central and department is None:
        sites = statistics.by_site(start, end)
        figures["sites"] = sites
        figures["sites_chart"] = bar_chart("各网站访问量", [row["department__name"] for row in sites[:30]],
                                           [row["page_views"] for row in sites[:30]])
    return figures
