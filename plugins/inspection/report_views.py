"""The performance report screens: the report with charts, and its Excel and PDF exports.

The 区信息中心 and the 区政府办公室 open them (the report compares every department; the office
publishes the yearly 通报 made from it); anyone else gets 404.
"""

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from portal.hookspecs import INSPECTION_ITEMS

from . import charts, exports
from .admin_views import readers_only
from .report import build_report, last_calendar_year
from .service import record_audit


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", error_messages={"required": "请填写开始日期",
                                                          "invalid": "开始日期格式应为 YYYY-MM-DD"})
    end = forms.DateField(label="结束日期", error_messages={"required": "请填写结束日期",
                                                        "invalid": "结束日期格式应为 YYYY-MM-DD"})

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("结束日期不能早于开始日期")
            if (end - start).days > 366 * 3:
                raise forms.ValidationError("统计期间最长 3 年，请缩短期间")
        return data


def _period(request):
    start, end = last_calendar_year()
    if "start" not in request.GET and "end" not in request.GET:
        return PeriodForm(initial={"start": start, "end": end}), start, end
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


def report(request):
    readers_only(request)
    form, start, end = _period(request)
    context = {"page_title": "绩效评估与通报", "form": form}
    if start is not None:
        result = build_report(start, end)
        ranking = result.ranking
        context.update({
            "report": result, "query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
            "tables": exports.report_tables(result), "body": exports.report_body(result),
            "trend_chart": charts.bar_chart(
                "每月发布信息数（全区）", [f"{m}月" if len(result.months) <= 12 else f"{y % 100}/{m}"
                                    for y, m in result.months], result.items_by_month),
            "reply_chart": charts.bar_chart(
                "政务邮箱按时答复率", [row.department.short_name or row.department.name for row in ranking],
                [row.on_time_rate for row in ranking], unit="%"),
            "findings_chart": charts.bar_chart(
                "巡检问题按指标分布", [INSPECTION_ITEMS[item] for item in result.findings_by_item],
                list(result.findings_by_item.values())),
        })
    return TemplateResponse(request, "inspection/admin/report.html", context, status=200 if start else 400)


def _export(request, builder, content_type, extension):
    readers_only(request)
    form, start, end = _period(request)
    if start is None:
        return TemplateResponse(request, "inspection/admin/report.html",
                                {"page_title": "绩效评估与通报", "form": form}, status=400)
    result = build_report(start, end)
    record_audit("inspection_report_export", request=request, user=request.user,
                 details={"format": extension, "start": str(start), "end": str(end)})
    response = HttpResponse(builder(result), content_type=content_type)
    filename = f"performance-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_excel(request):
    return _export(request, exports.excel_report,
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def report_pdf(request):
    return _export(request, exports.pdf_report, "application/pdf", "pdf")
