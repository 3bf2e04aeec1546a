"""The forms of 信息报送 and the resource library; errors say what to fix, in Chinese."""

from django import forms

from portal.models import PublishedItem
from portal.pages.columns import ColumnType


class SubmitForm(forms.Form):
    item = forms.ModelChoiceField(label="报送的信息", queryset=PublishedItem.objects.none(),
                                  empty_label="请选择本单位已发布的信息",
                                  error_messages={"required": "请选择要报送的信息",
                                                  "invalid_choice": "只能报送本单位已发布的信息"})
    target_department = forms.ModelChoiceField(label="报送网站", queryset=None, empty_label="请选择网站",
                                               error_messages={"required": "请选择报送到哪个网站",
                                                               "invalid_choice": "请从列表中选择网站"})
    column_type = forms.ChoiceField(label="报送栏目", choices=[("", "请选择栏目")] + list(ColumnType.choices),
                                    error_messages={"required": "请选择报送栏目",
                                                    "invalid_choice": "请从列表中选择栏目"},
                                    help_text="门户网站的“动态要闻”即源城要闻")
    note = forms.CharField(label="报送说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"max_length": "报送说明最多 500 字"})

    def __init__(self, *args, department, **kwargs):
        from tenants.models import Department

        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = PublishedItem.objects.filter(department=department, kind="article") \
            .order_by("-publish_time")
        self.fields["item"].label_from_instance = lambda item: f"{item.publish_time:%Y-%m-%d} {item.title}"
        self.fields["target_department"].queryset = Department.sites().filter(status="active",
        ).exclude(pk=department.pk).order_by("sort_order", "id")
        self.fields["target_department"].label_from_instance = lambda department: department.name


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="处理结果", choices=[("accept", "采用"), ("reject", "不采用")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择采用或不采用"})
    column = forms.TypedChoiceField(label="采用到栏目", coerce=int, required=False,
                                    error_messages={"invalid_choice": "请从列表中选择栏目"})
    reason = forms.CharField(label="处理意见", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="不采用时必填，报送单位会看到它")

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(column.pk, column.title) for column in columns]
        if columns:
            self.fields["column"].initial = columns[0].pk

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "不采用时请填写理由，报送单位会看到它")
        if cleaned.get("decision") == "accept" and not cleaned.get("column"):
            self.add_error("column", "请选择采用到哪个栏目")
        return cleaned


class ReuseForm(forms.Form):
    column = forms.TypedChoiceField(label="复用到栏目", coerce=int,
                                    error_messages={"required": "请选择复用到哪个栏目",
                                                    "invalid_choice": "请从列表中选择栏目"})

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", "请选择栏目")] + [(column.pk, column.title) for column in columns]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False)
    department = forms.ModelChoiceField(label="单位", queryset=None, required=False, empty_label="全部单位")
    column_type = forms.ChoiceField(label="栏目类型", required=False,
                                    choices=[("", "全部栏目类型")] + list(ColumnType.choices))
    genre = forms.ChoiceField(label="体裁", required=False,
                              error_messages={"invalid_choice": "请从列表中选择体裁"})
    date_from = forms.DateField(label="发布日期从", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})

    def __init__(self, *args, **kwargs):
        from tenants.models import Department

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.sites().order_by("sort_order", "id")
        self.fields["department"].label_from_instance = lambda department: department.name
        self.fields["department"].error_messages["invalid_choice"] = "请从列表中选择单位"
        # The 体裁 the live items have (catalogue entries carry one; plain articles do not).
        genres = PublishedItem.objects.exclude(genre="").order_by("genre").values_list("genre", flat=True).distinct()
        self.fields["genre"].choices = [("", "全部体裁")] + [(genre, genre) for genre in genres]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return cleaned


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": "请填写开始日期", "invalid": "日期格式应为 YYYY-MM-DD"})
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": "请填写结束日期", "invalid": "日期格式应为 YYYY-MM-DD"})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return cleaned
