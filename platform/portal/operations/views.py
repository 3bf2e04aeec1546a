"""The centre's operations screens: 数据备份, and the actions on an incident (确认, 处置完成)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tenants.admin_views import central_admin_required

from .backups import backup_directory
from .models import Backup, Incident


@central_admin_required
def backup_list(request):
    backups = list(Backup.objects.all()[:60])
    latest_ok = next((b for b in backups if b.status == Backup.Status.OK), None)
    return TemplateResponse(request, "operations/backups.html", {
        "page_title": "数据备份", "backups": backups, "latest_ok": latest_ok, "directory": backup_directory(),
    })


def _forbidden(request):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": "只有系统管理员和安全管理员可以处置事件。"},
        status=403,
    )


def watch_staff_required(view):
    """Every 值班表 and 事件记录 route: watch staff only; anyone else gets a 403 page in Chinese
    (Wagtail would send them to the dashboard instead)."""
    from functools import wraps

    from .duty import is_watch_staff

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_watch_staff(request.user):
            return _forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


def _back(request, incident):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(reverse("incidents:inspect", args=[incident.pk]))


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="处置情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写处置情况：做了什么、结果如何"},
        help_text="写明原因、采取的措施和结果，例如：服务器内存耗尽，已重启应用并扩容，10:42 恢复访问",
    )


@require_POST
@watch_staff_required
def acknowledge_incident(request, pk):
    from .incidents import IncidentError, acknowledge

    incident = get_object_or_404(Incident, pk=pk)
    try:
        acknowledge(incident, request.user, request=request)
        messages.success(request, f"已确认事件：{incident.title}。处置完成后请登记处置情况。")
    except IncidentError as refusal:
        messages.warning(request, str(refusal))
    return _back(request, incident)


@watch_staff_required
def resolve_incident(request, pk):
    from .incidents import IncidentError, resolve

    incident = get_object_or_404(Incident, pk=pk)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resolve(incident, request.user, form.cleaned_data["resolution"], request=request)
        except IncidentError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"已登记处置完成：{incident.title}")
            return redirect(reverse("incidents:inspect", args=[incident.pk]))
    return TemplateResponse(request, "operations/incident_resolve.html", {
        "page_title": "处置完成", "incident": incident, "form": form,
    }, status=400 if form.is_bound else 200)
