"""Admin of the central word lists (涉密标识, 错敏词), for the 系统管理员 and the 安全管理员.

The lists live in the public schema, so they are the same from every site's admin; every change
is written to the audit log.
"""

from django.db.models import Q
from wagtail.admin.ui.tables import StatusFlagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from portal.audit.log import record as audit_record

from .models import ScanTerm

TERM_MANAGER_ROLES = ("system_admin", "security_admin")


def can_manage_terms(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.has_central_role(*TERM_MANAGER_ROLES))


class TermManagersPolicy(BasePermissionPolicy):
    """Every action on the word lists belongs to the central roles that keep them."""

    def user_has_permission(self, user, action):
        return can_manage_terms(user)

    def user_has_any_permission(self, user, actions):
        return can_manage_terms(user)

    def users_with_any_permission(self, actions):
        from portal.accounts.models import User

        return User.objects.filter(
            Q(is_superuser=True) | Q(central_roles__role__in=TERM_MANAGER_ROLES), is_active=True
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def _audit(request, instance, action):
    audit_record(
        "scan_term_change", request=request, target=str(instance)[:255],
        details={"action": action, "kind": instance.kind, "term": instance.term,
                 "suggestion": instance.suggestion, "enabled": instance.enabled},
    )


class TermCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        _audit(self.request, instance, "新增")
        return instance


class TermEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        _audit(self.request, instance, "修改")
        return instance


class TermDeleteView(generic.DeleteView):
    def delete_action(self):
        _audit(self.request, self.object, "删除")
        return super().delete_action()


class ScanTermViewSet(ModelViewSet):
    model = ScanTerm
    name = "scan_terms"
    url_prefix = "governance/terms"
    icon = "warning"
    menu_label = "检查词库"
    menu_order = 9020
    add_to_admin_menu = True
    add_view_class = TermCreateView
    edit_view_class = TermEditView
    delete_view_class = TermDeleteView
    copy_view_enabled = False
    form_fields = ["kind", "term", "suggestion", "note", "enabled"]
    list_display = [
        "term", "kind", "suggestion", "note",
        StatusFlagColumn("enabled", label="状态", true_label="启用", false_label="停用", sort_key="enabled"),
        "updated_at",
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["term", "suggestion", "note"]
    list_per_page = 50
