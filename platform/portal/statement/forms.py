from django import forms
from django.utils import timezone

from .fields import MANUAL_FIELDS, NUMBER, TEXT, YESNO

YEAR_ERROR = "年度应为四位数字，例如 2025"


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2999,
                              error_messages={"required": "请填写年度，例如 2025", "invalid": YEAR_ERROR,
                                              "min_value": YEAR_ERROR, "max_value": YEAR_ERROR})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(f"{year} 年还没有开始，不能生成年度报表")
        return year


def _field_for(field):
    if field.kind == NUMBER:
        return forms.IntegerField(
            label=field.label, help_text=field.how, required=False, min_value=0, max_value=10**12,
            error_messages={"invalid": f"“{field.label}”应为不小于 0 的整数",
                            "min_value": f"“{field.label}”不能小于 0", "max_value": f"“{field.label}”数值过大"})
    if field.kind == YESNO:
        return forms.TypedChoiceField(
            label=field.label, help_text=field.how, required=False, coerce=lambda value: value == "1",
            empty_value=None, choices=[("", "未填写"), ("1", "是"), ("0", "否")],
            error_messages={"invalid_choice": f"“{field.label}”请选择“是”或“否”"})
    assert field.kind == TEXT
    return forms.CharField(label=field.label, help_text=field.how, required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"max_length": f"“{field.label}”不能超过 500 字"})


class ManualForm(forms.Form):
    """The fields the platform cannot know; each may stay empty until publication."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in MANUAL_FIELDS:
            self.fields[field.key] = _field_for(field)

    @classmethod
    def initial_from(cls, manual: dict) -> dict:
        initial = {}
        for field in MANUAL_FIELDS:
            value = manual.get(field.key)
            if field.kind == YESNO and value is not None:
                value = "1" if value else "0"
            initial[field.key] = value
        return initial

    def clean(self):
        data = super().clean()
        total, natural, legal = (data.get(key) for key in ("cases_total", "cases_natural", "cases_legal"))
        if total is not None and natural is not None and legal is not None and natural + legal > total:
            self.add_error("cases_total", "办件量总数不能小于自然人办件量与法人办件量之和")
        online, items = data.get("online_service_items"), data.get("service_items")
        if online is not None and items is not None and online > items:
            self.add_error("online_service_items", "可全程在线办理的事项数量不能多于政务服务事项数量")
        if data.get("innovation_other") == "":
            data["innovation_other"] = None
        return data
