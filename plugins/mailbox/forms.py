from django import forms

from .models import Letter, letter_departments


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label="来信类型", choices=Letter.Kind.choices)
    subject = forms.CharField(label="标题", max_length=100,
                              error_messages={"required": "请填写标题", "max_length": "标题不能超过 100 个字"})
    content = forms.CharField(label="内容", max_length=3000, widget=forms.Textarea(attrs={"rows": 10}),
                              error_messages={"required": "请填写内容", "max_length": "内容不能超过 3000 个字"})
    name = forms.CharField(label="姓名", max_length=50,
                           error_messages={"required": "请填写姓名", "max_length": "姓名不能超过 50 个字"})
    phone = forms.RegexField(label="联系电话", regex=r"^[0-9+\- ]{5,20}$", required=False,
                             error_messages={"invalid": "请填写正确的联系电话"})
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254,
                             error_messages={"invalid": "请填写正确的电子邮箱"})
    may_publish = forms.BooleanField(label="同意公开（公开时不显示姓名和联系方式）", required=False)
    captcha = forms.CharField(label="验证码", max_length=10, error_messages={"required": "请填写验证码"})

    def clean(self):
        data = super().clean()
        contact_errors = self.errors.get("phone") or self.errors.get("email")
        if not data.get("phone") and not data.get("email") and not contact_errors:
            raise forms.ValidationError("请至少填写联系电话或电子邮箱中的一项")
        return data


class QueryForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=16, error_messages={"required": "请填写查询码"})


class StatisticsForm(forms.Form):
    MONTHS = [("", "全年"), *[(str(number), f"{number} 月") for number in range(1, 13)]]
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100, required=False,
                              error_messages={"invalid": "请填写正确的年份", "min_value": "年份不能早于 2000 年",
                                              "max_value": "年份不能晚于 2100 年"})
    month = forms.ChoiceField(label="月份", choices=MONTHS, required=False,
                              error_messages={"invalid_choice": "请选择 1 至 12 月或全年"})
    department = forms.ModelChoiceField(label="单位（按月统计）", queryset=None, required=False, empty_label="全区",
                                        error_messages={"invalid_choice": "请选择列表中的单位"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = letter_departments()
