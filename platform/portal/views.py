"""Small core views: media per department, the syndication API, and the platform host."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from .accounts.view_restrictions import file_restriction_response, media_owner
from .models import PublishedItem

API_PAGE_SIZE = 50


def to_portal(request):
    from tenants.models import Department

    portal = Department.objects.filter(kind="portal").first()
    if portal is None:
        raise Http404("门户网站尚未创建")
    return HttpResponseRedirect(portal.base_url + "/")


@require_GET
def serve_media(request, path):
    """Serve this department's uploads from MEDIA_ROOT/<schema>/.

    The storage names them /media/<schema>/<file>; another schema's prefix is not found here.
    A document, an original image or a rendition is served only to those who may see it: the
    same checks as the document view (private collections, files used only on private pages).
    """
    schema, _, relative = path.partition("/")
    if schema != connection.schema_name:
        raise Http404("文件不存在")
    root = (Path(settings.MEDIA_ROOT) / connection.schema_name).resolve()
    target = (root / relative).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404("文件不存在")
    owner = media_owner(target.relative_to(root).as_posix())
    if owner is None:  # a document or image file that no row owns any more
        raise Http404("文件不存在")
    if owner is not False:
        refusal = file_restriction_response(request, owner)
        if refusal is not None:
            return refusal
    content_type = mimetypes.guess_type(str(target))[0] or "application/octet-stream"
    return FileResponse(target.open("rb"), content_type=content_type)


API_MAX_PAGE = 10_000


class BadParameter(ValueError):
    pass


def items_api_params(request) -> dict:
    """The filters of `/api/items/`, checked once: a bad value is a 400 that says what to send."""
    from tenants.models import Department

    from .pages.columns import ColumnType

    department = request.GET.get("department", "").strip()
    if department and not Department.sites().filter(host_prefix=department).exists():
        raise BadParameter("department 参数应为单位的网站前缀，例如 jyj")
    column_type = request.GET.get("column_type", "").strip()
    if column_type and column_type not in ColumnType.values:
        raise BadParameter(f"column_type 参数只能是 {'、'.join(ColumnType.values)} 之一")
    page = request.GET.get("page", "1").strip() or "1"
    if not page.isascii() or not page.isdigit() or not 1 <= int(page) <= API_MAX_PAGE:
        raise BadParameter(f"page 参数应为 1 到 {API_MAX_PAGE} 之间的整数")
    return {"department": department, "column_type": column_type, "page": int(page)}


@require_GET
def items_api(request):
    """Published items of this department (the portal: of all), newest first, for syndication."""
    department = request.tenant
    try:
        params = items_api_params(request)
    except BadParameter as bad:
        return JsonResponse({"error": str(bad)}, status=400, json_dumps_params={"ensure_ascii": False})
    # Like the portal homepage: suspended or archived departments' pages answer 503/410, so
    # their items are not handed out.
    items = (
        PublishedItem.objects.filter(department__status="active")
        .select_related("department").order_by("-publish_time", "-id")
    )
    if not department.is_portal:
        items = items.filter(department=department)
    elif params["department"]:
        items = items.filter(department__host_prefix=params["department"])
    if params["column_type"]:
        items = items.filter(column_type=params["column_type"])
    page = params["page"]
    total = items.count()
    start = (page - 1) * API_PAGE_SIZE
    results = [
        {
            "title": item.title,
            "url": item.url,
            "department": item.department.name,
            "column": item.column_title,
            "column_type": item.column_type,
            "publish_time": item.publish_time.astimezone().strftime("%Y-%m-%d %H:%M"),
            "source": item.source,
            "summary": item.summary,
        }
        for item in items[start : start + API_PAGE_SIZE]
    ]
    return JsonResponse(
        {"total": total, "page": page, "page_size": API_PAGE_SIZE, "results": results},
        json_dumps_params={"ensure_ascii": False},
    )


_admin_javascript_catalog = JavaScriptCatalog.as_view(packages=["portal", "wagtail.admin"])


def admin_javascript_catalog(request, *args, **kwargs):
    """Wagtail's admin JavaScript strings with the project's translations of those it lacks
    (`portal/locale/zh_Hans/LC_MESSAGES/djangojs.po`); the project's entries win."""
    from wagtail.admin.localization import get_localized_response

    return get_localized_response(_admin_javascript_catalog, request, *args, **kwargs)
