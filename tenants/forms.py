"""Forms the 区信息中心 uses to create and manage departments."""

from django import forms
from portal.plugins import describe_plugins

from .models import HOST_PREFIX, ORGANIZATION_CODE, Department


class DepartmentCreateForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=64, help_text="例如：区教育局")
    host_prefix = forms.CharField(
        label="域名前缀", max_length=30, validators=[HOST_PREFIX],
        help_text="网站地址为 前缀.区政府域名，例如 jyj；创建后不可修改",
    )
    kind = forms.ChoiceField(
        label="类型",
        choices=[(Department.Kind.BUREAU, "政府部门"), (Department.Kind.TOWN, "镇（街道）")],
    )
    organization_code = forms.CharField(
        label="机构代码", max_length=18, validators=[ORGANIZATION_CODE], help_text="用于信息公开索引号，例如 007218384"
    )
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(label="电子邮箱", required=False, error_messages={"invalid": "请输入有效的电子邮箱地址"})
    office_hours = forms.CharField(label="办公时间", max_length=100, required=False)

    def clean_host_prefix(self):
        prefix = self.cleaned_data["host_prefix"].strip().lower()
        if Department.objects.filter(host_prefix=prefix).exists():
            raise forms.ValidationError(f"域名前缀“{prefix}”已被使用，请换一个")
        return prefix


class DepartmentEditForm(forms.ModelForm):
    enabled_plugins = forms.MultipleChoiceField(
        label="启用的功能插件", required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Department
        fields = ["name", "short_name", "organization_code", "address", "phone", "email", "office_hours", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled_plugins"].choices = [(p["name"], p["title"]) for p in describe_plugins()]
        from portal.plugins import disabled_plugins

        disabled = disabled_plugins(self.instance)
        self.fields["enabled_plugins"].initial = [p["name"] for p in describe_plugins() if p["name"] not in disabled]


class DepartmentStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=Department.Status.choices)
    reason = forms.CharField(label="说明", max_length=200, required=False, help_text="暂停或归档时向访问者显示")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != Department.Status.ACTIVE and not cleaned.get("reason"):
            self.add_error("reason", "暂停或归档时请填写说明，访问者会看到它")
        return cleaned
