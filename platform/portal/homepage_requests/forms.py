"""The 信息发布申请表 and the centre's decision form."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from portal.models import PublishedItem

from .models import HomepageRequest

LONGEST_PERIOD_DAYS = 90


class HomepageRequestForm(forms.ModelForm):
    item = forms.ModelChoiceField(label="申请发布的信息", queryset=PublishedItem.objects.none(),
                                  empty_label="请选择本单位已发布的信息",
                                  error_messages={"required": "请选择要上首页的信息",
                                                  "invalid_choice": "只能选择本单位已发布的信息"})

    class Meta:
        model = HomepageRequest
        fields = ["item", "column", "start_date", "end_date", "reason", "responsible_person", "contact_phone"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}),
                   "end_date": forms.DateInput(attrs={"type": "date"}),
                   "reason": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "reason": {"required": "请填写申请理由"},
            "responsible_person": {"required": "请填写责任人"},
            "contact_phone": {"required": "请填写联系电话"},
            "start_date": {"required": "请填写展示开始日期", "invalid": "日期格式应为 YYYY-MM-DD"},
            "end_date": {"required": "请填写展示结束日期", "invalid": "日期格式应为 YYYY-MM-DD"},
            "column": {"required": "请选择申请栏目"},
        }

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = PublishedItem.objects.filter(department=department).order_by("-publish_time")
        self.fields["item"].label_from_instance = lambda item: f"{item.publish_time:%Y-%m-%d} {item.title}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        today = timezone.localdate()
        if start and start < today:
            self.add_error("start_date", "展示开始日期不能早于今天")
        if start and end and end < start:
            self.add_error("end_date", "展示结束日期不能早于开始日期")
        elif start and end and end - start > timedelta(days=LONGEST_PERIOD_DAYS):
            self.add_error("end_date", f"展示期限最长 {LONGEST_PERIOD_DAYS} 天")
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批结果", choices=[("approved", "同意"), ("rejected", "退回")])
    reason = forms.CharField(label="审批意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "rejected" and not cleaned.get("reason"):
            self.add_error("reason", "退回时请填写理由，申请单位会看到它")
        return cleaned
