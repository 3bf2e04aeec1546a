"""The 回收站 screen of a department's admin: what was deleted, by whom, how long it stays.

Everyone of the department (and the centre's system administrators) sees the list; restoring
and deleting for good are for the department's 负责人 and the centre's system administrators,
checked here for every method, so a 业务员's direct POST gets the same 403 as the buttons' absence.
"""

from django import forms
from django.contrib import messages
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page

from portal.governance.confidentiality import PublishingBlocked

from . import service
from .models import RecycledPage


def _department(request):
    department = getattr(request, "tenant", None)
    return department if department is not None and getattr(department, "is_site", False) else None


def can_view_bin(user, department) -> bool:
    from portal.accounts.models import DepartmentRole

    if department is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_central_role("system_admin"):
        return True
    return DepartmentRole.objects.filter(user=user, department=department).exists()


def can_manage_bin(user, department) -> bool:
    """Restore and delete for good: the department's 负责人 or a central system administrator."""
    from portal.governance.workflow import holds_head_role

    if department is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_central_role("system_admin") or holds_head_role(user, department)


def _forbidden(request, message):
    return TemplateResponse(
        request, "accounts/forbidden.html", {"department": _department(request), "message": message}, status=403
    )


def _guard(request, manage: bool):
    department = _department(request)
    if not can_view_bin(request.user, department):
        return _forbidden(request, "只有本单位人员和区信息中心系统管理员可以查看回收站。")
    if manage and not can_manage_bin(request.user, department):
        return _forbidden(request, "恢复或彻底删除回收站中的页面须由本单位负责人或区信息中心系统管理员操作。")
    return None


def index(request):
    refused = _guard(request, manage=False)
    if refused:
        return refused
    now = timezone.now()
    entries = list(RecycledPage.objects.select_related("page", "deleted_by"))
    department = _department(request)
    for entry in entries:
        entry.days = entry.days_left(now)
        entry.public_path = service.public_path(entry.original_url_path)
    return TemplateResponse(request, "recyclebin/index.html", {
        "page_title": "回收站", "entries": entries, "can_manage": can_manage_bin(request.user, department),
        "retention_days": service.RETENTION.days, "department": department,
    })


class RestoreForm(forms.Form):
    parent = forms.TypedChoiceField(label="恢复到", coerce=int, required=False)
    slug = forms.CharField(
        label="网址名", max_length=255, help_text="页面网址的最后一段；原网址被占用时须改用新的网址名"
    )

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = {page.pk: page for page in service.restore_parent_choices(entry)}
        self.fields["parent"].choices = [("", "原位置")] + [
            (pk, f"{'　' * max(page.depth - 2, 0)}{page.title}") for pk, page in self.choices.items()
        ]

    def clean_parent(self):
        value = self.cleaned_data.get("parent")
        if value in (None, ""):
            return None
        if value not in self.choices:
            raise forms.ValidationError("请选择本网站中可以放置该页面的栏目")
        return Page.objects.get(pk=value)


def restore(request, entry_id):
    refused = _guard(request, manage=True)
    if refused:
        return refused
    entry = get_object_or_404(RecycledPage.objects.select_related("page", "original_parent"), pk=entry_id)
    form = RestoreForm(request.POST or None, entry=entry, initial={"slug": entry.original_slug})
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            page = service.restore(entry, request.user, parent=form.cleaned_data["parent"],
                                   slug=form.cleaned_data["slug"])
        except service.RecycleBinError as error:
            problem = error
            form.add_error("parent" if error.needs_parent else "slug", error.message)
            if error.suggested_slug:
                data = form.data.copy()
                data["slug"] = error.suggested_slug
                form.data = data
        except PublishingBlocked as blocked:
            # The transaction rolled back: the tree stays in the bin until the content may be published.
            blocked.record(request)
            messages.error(request, "未能恢复：已发布的页面须重新发布，但发布检查未通过。")
            messages.error(request, blocked.message_html())
            return redirect("recyclebin:index")
        else:
            messages.success(request, f"已恢复“{page.title}”及其下级页面，网址 {service.public_path(page.url_path)}")
            return redirect("recyclebin:index")
    elif request.method == "GET":
        try:
            service.check_restore(entry)
        except service.RecycleBinError as error:
            problem = error
            if error.suggested_slug:
                form = RestoreForm(entry=entry, initial={"slug": error.suggested_slug})
    return TemplateResponse(request, "recyclebin/restore.html", {
        "page_title": f"恢复：{entry.title}", "entry": entry, "form": form, "problem": problem,
        "public_path": service.public_path(entry.original_url_path),
    }, status=400 if request.method == "POST" else 200)


def delete(request, entry_id):
    refused = _guard(request, manage=True)
    if refused:
        return refused
    entry = get_object_or_404(RecycledPage.objects.select_related("page"), pk=entry_id)
    if request.method == "POST":
        title = entry.title
        try:
            service.delete_permanently(entry, request.user)
        except (ProtectedError, RestrictedError):
            messages.error(request, f"“{title}”仍被其他内容引用，不能彻底删除；请先解除引用")
        else:
            messages.success(request, f"已彻底删除“{title}”")
        return redirect("recyclebin:index")
    return TemplateResponse(request, "recyclebin/delete.html", {
        "page_title": f"彻底删除：{entry.title}", "entry": entry,
        "public_path": service.public_path(entry.original_url_path),
    })
