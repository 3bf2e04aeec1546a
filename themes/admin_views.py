"""统一主题管理: theme administrators edit the central theme (draft → preview → publish) and
schedule the grey and elderly modes for every site at once.

The theme lives in the public schema, so these screens work from any site's admin. Only the
theme administrator and the system administrator may use them; anyone else gets a 403 page.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services
from .forms import ModeScheduleForm, ThemeSettingsForm
from .models import ModeSchedule, ThemeSettings

FORBIDDEN_MESSAGE = "只有主题管理员或系统管理员可以修改统一主题。"


def theme_admin_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.can_edit_theme(request.user):
            return TemplateResponse(
                request, "accounts/forbidden.html",
                {"department": getattr(request, "tenant", None), "message": FORBIDDEN_MESSAGE},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


@theme_admin_required
def theme_settings(request):
    draft = services.current_draft()
    live = services.published_version()
    if request.method == "POST":
        form = ThemeSettingsForm(request.POST, request.FILES, instance=draft or ThemeSettings())
        if form.is_valid():
            logo = form.cleaned_data.get("logo_file")
            services.save_draft(
                {name: form.cleaned_data[name] for name in ThemeSettings.EDITABLE_FIELDS}, request.user, request,
                logo=logo[0] if logo else None, logo_content_type=logo[1] if logo else "",
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
            messages.success(request, "草稿已保存。请先预览，确认无误后再发布到所有网站。")
            return redirect("themes_admin:settings")
    else:
        form = ThemeSettingsForm(instance=draft, initial=None if draft else services.draft_initial())
    context = {
        "page_title": "统一主题", "form": form, "draft": draft, "live": live,
        "logo_url": services.theme_from(draft or live).logo_url if (draft or live) else "",
        "preview_url": reverse("themes_admin:preview"),
        "schedules": ModeSchedule.objects.select_related("created_by")[:50],
        "active_modes": services.active_modes(),
    }
    return TemplateResponse(request, "themes/admin/settings.html", context)


@theme_admin_required
def preview(request):
    """Browse this site with the draft (only this administrator sees it) until the preview ends."""
    request.session[services.PREVIEW_SESSION_KEY] = True
    return redirect("/")


def end_preview(request):
    request.session.pop(services.PREVIEW_SESSION_KEY, None)
    return redirect("themes_admin:settings")


@require_POST
@theme_admin_required
def publish(request):
    try:
        version = services.publish_draft(request.user, request)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"主题版本 #{version.pk} 已发布，门户和所有部门网站立即生效。")
    return redirect("themes_admin:settings")


@require_POST
@theme_admin_required
def discard(request):
    services.discard_draft(request.user, request)
    messages.success(request, "草稿已放弃，网站仍使用已发布的主题。")
    return redirect("themes_admin:settings")


@theme_admin_required
def schedule_mode(request):
    form = ModeScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        schedule = services.schedule_mode(
            data["mode"], data["starts_at"], data["ends_at"], request.user, request, reason=data["reason"]
        )
        messages.success(request, f"已安排：{schedule}，门户和所有部门网站同时生效。")
        return redirect("themes_admin:settings")
    return TemplateResponse(request, "themes/admin/mode_form.html", {"page_title": "安排全站模式", "form": form})


@require_POST
@theme_admin_required
def end_mode(request, pk):
    schedule = get_object_or_404(ModeSchedule, pk=pk)
    services.end_mode_now(schedule, request.user, request)
    messages.success(request, f"{schedule.get_mode_display()}已结束。")
    return redirect("themes_admin:settings")
