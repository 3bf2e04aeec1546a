"""人员管理 › 登录限制: the login locks and captcha requirements in force, and lifting them.

A lock holds a name from one address; a captcha holds a name tried from many addresses or an
address that tried many names (`lockout`). A person who cannot wait 30 minutes calls the
区信息中心, whose security administrator lifts it here; each lift is in the audit log.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from . import lockout
from .admin_views import people_admin_required


@people_admin_required
def lock_index(request):
    if request.method == "POST":
        scope = request.POST.get("scope", "")
        username, ip = request.POST.get("username", "").strip(), request.POST.get("ip", "").strip()
        if scope not in lockout.LIFT_SCOPES or (scope in ("lock", "name") and not username) \
                or (scope in ("lock", "address") and not ip):
            messages.error(request, "请从列表中选择要解除的锁定或验证码要求")
            return TemplateResponse(request, "accounts/admin/locks.html", {
                "page_title": "登录限制", **lockout.current_restrictions()}, status=400)
        lockout.lift(request, scope, username=username if scope != "address" else "",
                     ip=ip if scope != "name" else "")
        messages.success(request, f"已解除{lockout.LIFT_SCOPES[scope]}：{' '.join(p for p in (username, ip) if p)}")
        return redirect("accounts_admin:locks")
    return TemplateResponse(request, "accounts/admin/locks.html", {
        "page_title": "登录限制", **lockout.current_restrictions()})
