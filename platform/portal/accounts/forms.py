"""Forms of the central people management."""

from django import forms
from django.contrib.auth.password_validation import validate_password

from .models import CentralRole, DepartmentRoleName, DualControlRequest, User


class PersonCreateForm(forms.ModelForm):
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput(render_value=False),
                               help_text="至少 8 位，须包含字母、数字和符号；首次登录后须修改")

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone"]
        error_messages = {"username": {"unique": "该用户名已存在，请换一个"}}

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, User(username=self.data.get("username", "")))
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        user.must_change_password = True  # the centre knows this password: the person changes it first
        if commit:
            user.save()
        return user


class DepartmentRoleForm(forms.Form):
    department = forms.ModelChoiceField(label="单位", queryset=None, empty_label="请选择单位")
    role = forms.ChoiceField(label="单位角色", choices=DepartmentRoleName.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tenants.models import Department

        self.fields["department"].queryset = Department.sites()


class CentralRoleForm(forms.Form):
    role = forms.ChoiceField(label="中心角色", choices=CentralRole.choices)


class DualControlRequestForm(forms.Form):
    """A change that takes effect only once a second administrator approves it."""

    kind = forms.ChoiceField(label="申请事项", choices=DualControlRequest.Kind.choices)
    role = forms.ChoiceField(
        label="角色", required=False, help_text="授予或撤销时选择",
        choices=[("", "（重置密码或动态口令时不选）"), (CentralRole.SECURITY_ADMIN, CentralRole.SECURITY_ADMIN.label),
                 (CentralRole.AUDIT_ADMIN, CentralRole.AUDIT_ADMIN.label)],
    )
    reason = forms.CharField(label="申请理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写申请理由：为什么需要这项变更",
                                             "max_length": "申请理由不能超过 500 字"})

    def clean(self):
        cleaned = super().clean()
        role_changes = (DualControlRequest.Kind.GRANT_ROLE, DualControlRequest.Kind.REVOKE_ROLE)
        if cleaned.get("kind") in role_changes and not cleaned.get("role"):
            self.add_error("role", "授予或撤销时请选择角色：安全管理员或审计管理员")
        return cleaned


class PasswordResetByAdminForm(forms.Form):
    """An administrator gives a person a temporary password, to be changed at the next login."""

    password = forms.CharField(label="临时密码", widget=forms.PasswordInput(render_value=False),
                               help_text="至少 8 位，须包含字母、数字和符号；对方登录后须立即修改")

    def __init__(self, person, *args, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.person)
        return password


class OwnPasswordChangeForm(forms.Form):
    """Changing one's own password: the old one proves it is the person, not a borrowed session."""

    old_password = forms.CharField(label="当前密码", strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="新密码", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text="至少 8 位，须同时包含字母、数字和符号，"
                                              "不能包含用户名，不能与最近 5 次的密码相同")
    new_password2 = forms.CharField(label="再次输入新密码", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError("当前密码不正确，请重新输入")
        return old

    def clean(self):
        cleaned = super().clean()
        new1, new2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "两次输入的新密码不一致")
        elif new1:
            try:
                validate_password(new1, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class TOTPCodeForm(forms.Form):
    code = forms.CharField(
        label="6 位动态验证码", max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "请输入手机验证器上显示的 6 位验证码"},
    )
