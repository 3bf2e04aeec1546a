"""The requests of 双人审批: the three separated administrators see them, the right one decides.

An 审计管理员 has no business in 人员管理, but decides on 安全管理员 matters; so this list is open to
all three roles, and `dual_control` decides who may approve which request.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from . import dual_control
from .models import DualControlRequest


def _forbidden(request, message):
    return TemplateResponse(
        request, "accounts/forbidden.html",
        {"department": getattr(request, "tenant", None), "message": message}, status=403,
    )


def separated_admin_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not dual_control.may_see_requests(request.user):
            return _forbidden(request, "只有系统管理员、安全管理员和审计管理员可以查看双人审批申请。")
        return view(request, *args, **kwargs)

    return wrapped


@separated_admin_required
def request_index(request):
    requests = DualControlRequest.objects.select_related("person", "requested_by", "decided_by")
    pending = [(obj, dual_control.may_decide(request.user, obj))
               for obj in requests.filter(status=DualControlRequest.Status.PENDING)]
    return TemplateResponse(request, "accounts/admin/requests.html", {
        "page_title": "双人审批", "pending": pending,
        "decided": requests.exclude(status=DualControlRequest.Status.PENDING)[:50],
    })


@separated_admin_required
def request_detail(request, pk):
    obj = get_object_or_404(DualControlRequest.objects.select_related("person", "requested_by", "decided_by"), pk=pk)
    approver_half, status = None, 200
    if request.method == "POST":
        action, note = request.POST.get("action"), request.POST.get("note", "")
        try:
            if action == "approve":
                approver_half = dual_control.approve(obj, request.user, note, request=request)
                messages.success(request, "已批准，变更已生效")
            elif action == "reject":
                dual_control.reject(obj, request.user, note, request=request)
                messages.success(request, "已驳回该申请")
                return redirect("accounts_admin:request_detail", pk=obj.pk)
            elif action == "withdraw":
                dual_control.withdraw(obj, request.user, request=request)
                messages.success(request, "已撤回该申请")
                return redirect("accounts_admin:request_detail", pk=obj.pk)
            else:
                raise dual_control.DualControlError("未知的操作，请使用页面上的按钮")
        except dual_control.RoleError as error:
            messages.error(request, str(error))
            status = 400
        obj.refresh_from_db()
    response = TemplateResponse(request, "accounts/admin/request_detail.html", {
        "page_title": f"双人审批：{obj}", "obj": obj, "approver_half": approver_half,
        "may_decide": obj.status == DualControlRequest.Status.PENDING and dual_control.may_decide(request.user, obj),
        "may_withdraw": obj.status == DualControlRequest.Status.PENDING and obj.requested_by_id == request.user.pk,
        "approvers": dual_control.approver_labels(obj),
    }, status=status)
    if approver_half:
        response["Cache-Control"] = "no-store"  # a password half is on this page
    return response
