"""The public 政务新媒体矩阵 page of the portal and the centre's spreadsheet import."""

import base64

from django import forms
from django.http import Http404
from django.template.response import TemplateResponse

from portal.delivery.policy import cacheable

from .importing import ImportRefused, import_figures
from .models import Account


def _qr_data_url(account) -> str:
    if not account.qr_image:
        return ""
    return f"data:{account.qr_content_type};base64,{base64.b64encode(bytes(account.qr_image)).decode()}"


@cacheable(tags=("model:newmedia.account",))
def matrix(request):
    """Operating accounts grouped by platform, each with its 主办单位, link and QR picture.
    Only the portal has this page; department sites answer 404."""
    if not request.tenant.is_portal:
        raise Http404("政务新媒体矩阵只在区政府门户网站发布")
    groups = {}
    accounts = Account.objects.filter(status=Account.Status.OPERATING).select_related("department")
    for account in accounts:
        account.qr_data_url = _qr_data_url(account)
        label = account.get_platform_display()
        groups.setdefault(account.platform, {"label": label, "accounts": []})["accounts"].append(account)
    ordered = [groups[value] for value, _ in Account.Platform.choices if value in groups]
    return TemplateResponse(request, "newmedia/matrix.html", {"groups": ordered, "total": len(accounts)})


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）",
                           help_text="第一行为表头：平台、账号名称、月份、发布量、关注量；每行一个账号一个月的数据")


def import_view(request):
    """导入月度数据: the readable rows are saved, the others listed with their row numbers."""
    result, refused, status = None, "", 200
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = import_figures(form.cleaned_data["file"])
            except ImportRefused as error:
                refused, status = str(error), 400
            else:
                # Some rows were refused: the answer says so, the readable rows are saved anyway.
                status = 400 if result.errors else 200
        else:
            status = 400
    return TemplateResponse(request, "newmedia/import.html",
                            {"page_title": "导入月度数据", "form": form, "result": result,
                             "refused": refused}, status=status)
