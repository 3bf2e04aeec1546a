"""The 主动公开时效 admin page: items published later than 20 working days after the information
was created. A department sees its own; the centre sees every department."""

from django.template.response import TemplateResponse
from wagtail.admin.auth import require_admin_access

from .models import PublishedItem
from .timeliness import DISCLOSURE_DAYS, late_items


@require_admin_access
def timeliness_report(request):
    from tenants.admin_views import is_central_admin

    items = PublishedItem.objects.all()
    central = is_central_admin(request.user)
    if not central:
        items = items.filter(department=request.tenant)
    elif request.GET.get("department"):
        items = items.filter(department__host_prefix=request.GET["department"])
    return TemplateResponse(request, "portal/timeliness.html", {
        "page_title": "主动公开时效", "rows": late_items(items), "limit": DISCLOSURE_DAYS, "central": central,
    })
