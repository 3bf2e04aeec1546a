"""Admin screens of the inspection.

The 区信息中心 (system administrators) sees every department, the league table, runs, ignore
rules and 虚假信息 flags, from any site. The 区政府办公室 (办公室管理员) reads what the centre reads —
every department's findings, the league table and the performance report — but runs, ignores
and records nothing. A department's people see their own department's findings, on their own
site only, and may report one fixed. Anything else does not exist (404).
"""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from portal.accounts.roles import roles_on_this_site
from portal.hookspecs import INSPECTION_ITEMS

from . import charts, service
from .models import FalseInformationFlag, Finding, IgnoreRule, InspectionRun, TrustedInternalHost


def is_centre(user) -> bool:
    from tenants.admin_views import is_central_admin

    return is_central_admin(user)


def reads_every_department(user) -> bool:
    """The one answer to "may this person read every department's inspection figures and the
    performance report": the centre and the 区政府办公室."""
    from portal.accounts.roles import is_office_admin

    return is_centre(user) or is_office_admin(user)


def own_department(request):
    """The site's department when the user holds a role in it, else None."""
    return request.tenant if roles_on_this_site(request) else None


def visible_findings(request):
    if reads_every_department(request.user):
        return Finding.objects.all()
    department = own_department(request)
    if department is None:
        raise Http404("未找到巡检结果")
    return Finding.objects.filter(department=department)


def centre_only(request):
    if not is_centre(request.user):
        raise Http404("未找到该页面")


def readers_only(request):
    """The report and the league table: the centre and the 区政府办公室."""
    if not reads_every_department(request.user):
        raise Http404("未找到该页面")


class RunForm(forms.Form):
    department = forms.ModelChoiceField(label="巡检单位", queryset=None, required=False, empty_label="全部单位")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = service.site_departments()


class IgnoreForm(forms.Form):
    reason = forms.CharField(label="忽略原因", max_length=500, error_messages={"required": "请填写忽略原因"})


class IgnoreRuleForm(forms.ModelForm):
    class Meta:
        model = IgnoreRule
        fields = ["url_pattern", "status", "reason"]
        error_messages = {
            "url_pattern": {"required": "请填写网址模式，例如 https://example.gov.cn/*"},
            "reason": {"required": "请填写忽略原因"},
            "status": {"invalid": "HTTP 状态码应为 100 到 599 之间的整数"},
        }

    def clean_url_pattern(self):
        pattern = self.cleaned_data["url_pattern"].strip()
        if not pattern.startswith(("http://", "https://", "*")):
            raise forms.ValidationError("网址模式应以 http://、https:// 或 * 开头")
        return pattern

    def clean_status(self):
        status = self.cleaned_data.get("status")
        if status is not None and not 100 <= status <= 599:
            raise forms.ValidationError("HTTP 状态码应为 100 到 599 之间的整数")
        return status


class TrustedHostForm(forms.ModelForm):
    class Meta:
        model = TrustedInternalHost
        fields = ["host", "reason"]
        error_messages = {
            "host": {"required": "请填写主机，例如 oa.example.gov.cn 或 10.1.2.3:8080",
                     "unique": "该主机已在白名单中"},
            "reason": {"required": "请填写原因"},
        }

    def clean_host(self):
        import re

        host = self.cleaned_data["host"].strip().lower()
        if not re.fullmatch(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+|[0-9a-f:]+)(:\d{1,5})?", host):
            raise forms.ValidationError("主机只填域名或 IP 地址（可带 :端口），不要带 http:// 或路径")
        return host


class FlagForm(forms.ModelForm):
    class Meta:
        model = FalseInformationFlag
        fields = ["department", "title", "url", "evidence", "date"]
        error_messages = {
            "department": {"required": "请选择单位"}, "title": {"required": "请填写虚假信息的标题"},
            "evidence": {"required": "请填写证据"}, "date": {"invalid": "日期格式应为 YYYY-MM-DD"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = service.site_departments()

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not url.startswith(("http://", "https://")):
            raise forms.ValidationError("页面地址应以 http:// 或 https:// 开头")
        return url


def index(request):
    findings = visible_findings(request)
    centre = is_centre(request.user)
    reader = reads_every_department(request.user)
    department = None if reader else own_department(request)
    prefix = request.GET.get("department", "")
    if reader and prefix:
        findings = findings.filter(department__host_prefix=prefix)
    status = request.GET.get("status", Finding.Status.OPEN)
    if status in Finding.Status.values:
        findings = findings.filter(status=status)
    item = request.GET.get("item", "")
    if item in INSPECTION_ITEMS:
        findings = findings.filter(item=item)
    findings = list(
        findings.select_related("department").order_by("department__sort_order", "item", "-first_seen")[:500]
    )
    groups = {}
    for finding in findings:
        groups.setdefault((finding.department, finding.item_label), []).append(finding)
    scope = [department] if department else None
    open_counts = dict(
        visible_findings(request).filter(status=Finding.Status.OPEN).values("item").annotate(count=Count("id"))
        .values_list("item", "count")
    )
    chart = charts.bar_chart("待整改问题按指标分布", [INSPECTION_ITEMS[item] for item in open_counts],
                             list(open_counts.values())) if open_counts else ""
    return TemplateResponse(request, "inspection/admin/index.html", {
        "chart": chart,
        "page_title": "网站巡检", "centre": centre, "reader": reader, "department": department,
        "groups": groups.items(),
        "league": service.league_table(scope), "status": status, "statuses": Finding.Status.choices,
        "item": item, "items": INSPECTION_ITEMS.items(), "prefix": prefix,
        "runs": InspectionRun.objects.select_related("department")[:5] if centre else [],
        "run_form": RunForm() if centre else None, "weights": service.SEVERITY_WEIGHTS, "cap": service.VETO_CAP,
    })


def _finding(request, pk):
    return get_object_or_404(visible_findings(request).select_related("department"), pk=pk)


def detail(request, pk, ignore_form=None):
    finding = _finding(request, pk)
    return TemplateResponse(request, "inspection/admin/detail.html", {
        "page_title": f"巡检问题：{finding.item_label}", "finding": finding, "centre": is_centre(request.user),
        "may_fix": is_centre(request.user) or own_department(request) == finding.department,
        "events": finding.events.select_related("user"), "ignore_form": ignore_form or IgnoreForm(),
    })


@require_POST
def fix(request, pk):
    finding = _finding(request, pk)
    if not is_centre(request.user) and own_department(request) != finding.department:
        raise Http404("未找到巡检结果")  # the 区政府办公室 reads findings; the department fixes them
    try:
        finding = service.mark_fixed(finding, request.user, request)
    except service.InspectionError as error:
        messages.error(request, str(error))
    else:
        if finding.status == Finding.Status.FIXED:
            messages.success(request, "复查确认问题已整改")
        else:
            messages.warning(request, "复查时问题仍然存在，请继续整改")
    return redirect("inspection_admin:detail", pk=finding.pk)


@require_POST
def ignore(request, pk):
    finding = _finding(request, pk)
    centre_only(request)
    form = IgnoreForm(request.POST)
    if form.is_valid():
        try:
            service.ignore(finding, form.cleaned_data["reason"], request.user, request)
        except service.InspectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已忽略该问题")
            return redirect("inspection_admin:detail", pk=finding.pk)
    return detail(request, pk, ignore_form=form)


@require_POST
def unignore(request, pk):
    finding = _finding(request, pk)
    centre_only(request)
    try:
        service.unignore(finding, request.user, request)
    except service.InspectionError as error:
        messages.error(request, str(error))
    return redirect("inspection_admin:detail", pk=finding.pk)


@require_POST
def start(request):
    centre_only(request)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要巡检的单位")
        return redirect("inspection_admin:index")
    from .tasks import run_inspection

    department = form.cleaned_data["department"]
    run = service.start_run(department, request.user)
    service.record_audit("inspection_run", request=request, user=request.user,
                         details={"run": run.pk, "department": department.host_prefix if department else "全部"})
    run_inspection.enqueue(run.pk)
    messages.success(request, f"已开始巡检{department.name if department else '全部单位'}")
    return redirect("inspection_admin:run", pk=run.pk)


def run_detail(request, pk):
    centre_only(request)
    run = get_object_or_404(InspectionRun.objects.select_related("department"), pk=pk)
    return TemplateResponse(request, "inspection/admin/run.html", {"page_title": "巡检进度", "run": run})


def run_progress(request, pk):
    centre_only(request)
    run = get_object_or_404(InspectionRun, pk=pk)
    return JsonResponse({
        "status": run.status, "status_label": run.get_status_display(), "pages_done": run.pages_done,
        "pages_seen": run.pages_seen, "percent": run.progress_percent, "findings": run.findings_found,
    })


def rules(request):
    centre_only(request)
    form = IgnoreRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.created_by = request.user
        rule.save()
        service.record_audit("inspection_rule_add", request=request, user=request.user,
                             details={"pattern": rule.url_pattern, "status": rule.status, "reason": rule.reason})
        messages.success(request, "已新增忽略规则")
        return redirect("inspection_admin:rules")
    return TemplateResponse(request, "inspection/admin/rules.html", {
        "page_title": "链接忽略规则", "rules": IgnoreRule.objects.all(), "form": form,
    })


@require_POST
def delete_rule(request, pk):
    centre_only(request)
    rule = get_object_or_404(IgnoreRule, pk=pk)
    service.record_audit("inspection_rule_delete", request=request, user=request.user,
                         details={"pattern": rule.url_pattern, "status": rule.status})
    rule.delete()
    messages.success(request, "已删除忽略规则")
    return redirect("inspection_admin:rules")


def trusted_hosts(request):
    centre_only(request)
    form = TrustedHostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        trusted = form.save(commit=False)
        trusted.created_by = request.user
        trusted.save()
        service.record_audit("inspection_trusted_host_add", request=request, user=request.user,
                             details={"host": trusted.host, "reason": trusted.reason})
        messages.success(request, "已加入内网地址白名单")
        return redirect("inspection_admin:trusted_hosts")
    return TemplateResponse(request, "inspection/admin/trusted_hosts.html", {
        "page_title": "内网地址白名单", "hosts": TrustedInternalHost.objects.select_related("created_by"), "form": form,
    })


@require_POST
def delete_trusted_host(request, pk):
    centre_only(request)
    trusted = get_object_or_404(TrustedInternalHost, pk=pk)
    service.record_audit("inspection_trusted_host_delete", request=request, user=request.user,
                         details={"host": trusted.host})
    trusted.delete()
    messages.success(request, "已从内网地址白名单删除")
    return redirect("inspection_admin:trusted_hosts")


def flags(request):
    centre_only(request)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        flag = form.save(commit=False)
        flag.flagged_by = request.user
        flag.save()
        service.record_audit("inspection_flag_add", request=request, user=request.user, department=flag.department,
                             details={"title": flag.title})
        messages.success(request, "已记录虚假信息")
        return redirect("inspection_admin:flags")
    return TemplateResponse(request, "inspection/admin/flags.html", {
        "page_title": "虚假信息记录", "flags": FalseInformationFlag.objects.select_related("department"), "form": form,
    })
