"""The column edit form: a column's settings belong to the 负责人 and the centre.

A column's type decides its update rule, which the inspection applies, and its slug is its
address; a 业务员 writes items and does not change either. Every admin route that saves a column
(edit, publish, submit, revert to a revision, workflow actions) goes through this form, so the
refusal is made here, on the server: the fields are shown read-only with the reason, and a post
that tries to change them anyway is refused with a message.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

# The fields that decide a column's update rule, its address and what it gathers from other sites.
COLUMN_SETTINGS_FIELDS = ("column_type", "slug", "aggregate_column_type", "aggregate_topic", "aggregate_departments")
WHO_MAY_CHANGE = (
    "栏目类型、栏目地址和聚合来源决定栏目的更新要求、网址和汇集的信息，只有本单位负责人和区信息中心可以修改。"
)


def may_change_column_settings(user, department) -> bool:
    """The department's 负责人, a 系统管理员 (superusers included)."""
    from portal.accounts.models import DepartmentRole

    if user is None or not user.is_authenticated:
        return False
    if user.has_central_role("system_admin"):
        return True
    return department is not None and DepartmentRole.objects.filter(
        user=user, department=department, role="head"
    ).exists()


class ColumnPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tenants.middleware import current_department

        from .aggregation import department_choices

        if "aggregate_departments" in self.fields:
            field = self.fields["aggregate_departments"]
            self.fields["aggregate_departments"] = forms.MultipleChoiceField(
                label=field.label, help_text=field.help_text, required=False, choices=department_choices(),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "所选单位“%(value)s”不存在，请重新选择"},
            )

        self.settings_locked = not may_change_column_settings(self.for_user, current_department())
        if not self.settings_locked:
            return
        for name in self._locked_fields():
            field = self.fields[name]
            field.disabled = True
            field.help_text = WHO_MAY_CHANGE

    def _locked_fields(self):
        # A new column takes its address from its title; its type and sources are still not the
        # 业务员's choice.
        names = COLUMN_SETTINGS_FIELDS if self.instance.pk else tuple(n for n in COLUMN_SETTINGS_FIELDS if n != "slug")
        return [name for name in names if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        if self.settings_locked:
            for name in self._locked_fields():
                if name == "aggregate_departments":
                    posted = self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else None
                    changed = posted is not None and posted and sorted(posted) != sorted(self.initial.get(name) or [])
                else:
                    posted = self.data.get(self.add_prefix(name))
                    changed = posted is not None and posted != str(self.initial.get(name) or "")
                if changed:
                    self.add_error(None, f"您不能修改“{self.fields[name].label}”。{WHO_MAY_CHANGE}")
                    break
        topic = (cleaned.get("aggregate_topic") or "").strip()
        if "aggregate_topic" in cleaned:
            cleaned["aggregate_topic"] = topic
        return cleaned
