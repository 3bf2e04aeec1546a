"""Forms of the public pages and the department's handling screens; messages say what to fix."""

from django import forms

from .models import ApplicantType, Decision, Delivery

ID_NUMBER_INVALID = "证件号码应为 18 位数字或字母（身份证号或统一社会信用代码）"
ID_NUMBER_HELP = "自然人填写 18 位居民身份证号码；组织填写 18 位统一社会信用代码"


class ApplicationForm(forms.Form):
    department = forms.ModelChoiceField(label="申请公开的机关", queryset=None, empty_label="请选择",
                                        error_messages={"required": "请选择向哪个机关申请",
                                                        "invalid_choice": "请从列表中选择机关"})
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices,
                                       error_messages={"required": "请选择申请人类型",
                                                       "invalid_choice": "请从列表中选择申请人类型"})
    name = forms.CharField(label="姓名或组织名称", max_length=100,
                           error_messages={"required": "请填写申请人姓名或组织名称",
                                           "max_length": "姓名或名称不能超过 100 个字"})
    id_number = forms.RegexField(label="证件号码", regex=r"^[0-9A-Za-z]{18}$", help_text=ID_NUMBER_HELP,
                                 error_messages={"required": "请填写证件号码",
                                                 "invalid": ID_NUMBER_INVALID})
    contact_person = forms.CharField(label="联系人（组织申请时填写）", max_length=50, required=False,
                                     error_messages={"max_length": "联系人不能超过 50 个字"})
    phone = forms.RegexField(label="联系电话", regex=r"^[0-9+\- ]{5,20}$",
                             error_messages={"required": "请填写联系电话", "invalid": "请填写正确的联系电话"})
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254,
                             error_messages={"invalid": "请填写正确的电子邮箱"})
    address = forms.CharField(label="通信地址", max_length=200, required=False,
                              error_messages={"max_length": "通信地址不能超过 200 个字"})
    description = forms.CharField(
        label="所需政府信息的名称、文号或便于查询的其他特征性描述", max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请描述所需的政府信息", "max_length": "描述不能超过 3000 个字"},
    )
    purpose = forms.CharField(label="用途（选填）", max_length=300, required=False,
                              error_messages={"max_length": "用途不能超过 300 个字"})
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices,
                                 error_messages={"required": "请选择获取信息的方式",
                                                 "invalid_choice": "请从列表中选择获取信息的方式"})
    captcha = forms.CharField(label="验证码", max_length=10, error_messages={"required": "请填写验证码"})

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def clean_id_number(self):
        return self.cleaned_data["id_number"].upper()

    def clean(self):
        data = super().clean()
        if data.get("delivery") == Delivery.EMAIL and not data.get("email") and not self.errors.get("email"):
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱")
        if data.get("delivery") == Delivery.POST and not data.get("address"):
            self.add_error("address", "选择邮寄纸质文本时，请填写通信地址")
        organisation = data.get("applicant_type") not in (None, ApplicantType.PERSON)
        if organisation and not data.get("contact_person"):
            self.add_error("contact_person", "组织申请时请填写联系人")
        return data


class StatusForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=16, error_messages={"required": "请填写查询码"})


class CompletionForm(forms.Form):
    """The applicant answers a request for 补正 online."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=16)
    text = forms.CharField(label="补正内容", max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": "请填写补正内容",
                                           "max_length": "补正内容不能超过 3000 个字"})


# -- the department's handling -----------------------------------------------------------------


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, initial=20,
                              error_messages={"required": "请填写延长的工作日数", "invalid": "请填写整数",
                                              "min_value": "至少延长 1 个工作日", "max_value": "最多延长 20 个工作日"})
    reason = forms.CharField(label="延期理由", max_length=400, error_messages={"required": "请填写延期理由"})


class CompletionRequestForm(forms.Form):
    text = forms.CharField(label="需要申请人补正的内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请写明需要补正的内容"})


class CompletionReceivedForm(forms.Form):
    on = forms.DateField(label="补正到达日期", error_messages={"required": "请填写补正到达日期",
                                                           "invalid": "日期格式为 2026-01-31"})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="答复结果", choices=Decision.choices,
                                 error_messages={"required": "请选择答复结果",
                                                 "invalid_choice": "请从列表中选择答复结果"})
    reason = forms.CharField(label="理由和依据（除“予以公开”外必填）", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label="答复内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                             error_messages={"required": "请填写答复内容"})


# -- the annual report ------------------------------------------------------------------------------


class GenerateReportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100,
                              error_messages={"required": "请填写年度", "invalid": "请填写正确的年份",
                                              "min_value": "年度不能早于 2008 年（条例施行之年）",
                                              "max_value": "年度不能晚于 2100 年"})


def _count_field(label):
    return forms.IntegerField(label=label, min_value=0, max_value=999999,
                              error_messages={"required": f"请填写“{label}”（没有填 0）",
                                              "invalid": f"“{label}”须为整数", "min_value": f"“{label}”不能为负数",
                                              "max_value": f"“{label}”过大"})


class ReportForm(forms.Form):
    """Every cell of the request and review tables, and the two texts of the report."""

    overview = forms.CharField(label="总体情况", max_length=10000, required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))
    problems = forms.CharField(label="存在的主要问题及改进情况", max_length=10000, required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, report_data=None, **kwargs):
        from .reports import COLUMN_LABELS, COLUMNS, REQUEST_ROW_LABELS, REQUEST_ROWS, REVIEW_KINDS, REVIEW_RESULTS

        data = report_data or {}
        initial = {"overview": data.get("overview", ""), "problems": data.get("problems", "")}
        super().__init__(*args, initial=initial, **kwargs)
        self.request_cells = []
        for row in REQUEST_ROWS:
            cells = []
            for column in COLUMNS:
                name = f"requests__{row}__{column}"
                self.fields[name] = _count_field(f"{REQUEST_ROW_LABELS[row]} · {COLUMN_LABELS[column]}")
                self.initial[name] = data.get("requests", {}).get(row, {}).get(column, 0)
                cells.append(name)
            self.request_cells.append((REQUEST_ROW_LABELS[row], cells))
        self.review_cells = []
        for kind, kind_label in REVIEW_KINDS:
            cells = []
            for key, key_label in REVIEW_RESULTS:
                name = f"review__{kind}__{key}"
                self.fields[name] = _count_field(f"{kind_label} · {key_label}")
                self.initial[name] = data.get("review", {}).get(kind, {}).get(key, 0)
                cells.append(name)
            self.review_cells.append((kind_label, cells))

    def bound_rows(self, rows):
        return [(label, [self[name] for name in names]) for label, names in rows]

    def request_rows(self):
        return self.bound_rows(self.request_cells)

    def review_rows(self):
        return self.bound_rows(self.review_cells)

    def report_data(self, previous: dict) -> dict:
        """The report's data with this form's values (the counted 主动公开 table stays as generated)."""
        data = {**previous, "overview": self.cleaned_data["overview"], "problems": self.cleaned_data["problems"],
                "requests": {}, "review": {}}
        for name, value in self.cleaned_data.items():
            if "__" in name:
                table, row, column = name.split("__")
                data[table].setdefault(row, {})[column] = value
        return data
