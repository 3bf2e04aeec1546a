"""Forms of the central people management."""

from django import forms
from django.contrib.auth.password_validation import validate_password

from .models import CentralRole, DepartmentRoleName, User


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
        if commit:
            user.save()
        return user


class DepartmentRoleForm(forms.Form):
    department = forms.ModelChoiceField(label="单位", queryset=None, empty_label="请选择单位")
    role = forms.ChoiceField(label="单位角色", choices=DepartmentRoleName.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tenants.models import Department

        self.fields["department"].queryset = Department.objects.filter(kind__in=["portal", "bureau", "town"])


class CentralRoleForm(forms.Form):
    role = forms.ChoiceField(label="中心角色", choices=CentralRole.choices)
