"""Forms of the public (an opinion, a questionnaire) and of the department's screens."""

from django import forms

from .models import Consultation, Question

CONTACT_HELP = "选填：电话或电子邮箱，仅用于就您的意见联系您，不会公开"


class OpinionForm(forms.Form):
    content = forms.CharField(label="您的意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 10}),
                              error_messages={"required": "请填写您的意见", "max_length": "意见不能超过 5000 个字"})
    name = forms.CharField(label="姓名", max_length=50, required=False, help_text="选填，不会公开",
                           error_messages={"max_length": "姓名不能超过 50 个字"})
    contact = forms.CharField(label="联系方式", max_length=100, required=False, help_text=CONTACT_HELP,
                              error_messages={"max_length": "联系方式不能超过 100 个字"})
    captcha = forms.CharField(label="验证码", max_length=10, error_messages={"required": "请填写验证码"})


class SurveyForm(forms.Form):
    """One field per question: `q<id>`."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.text}（{question.get_kind_display()}）"
            choices = [(str(index), option) for index, option in enumerate(question.option_list)]
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect,
                                          required=question.required,
                                          error_messages={"required": "请选择一项",
                                                          "invalid_choice": "请选择列表中的选项"})
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=question.required,
                    error_messages={"required": "请至少选择一项", "invalid_choice": "请选择列表中的选项"})
            else:
                field = forms.CharField(label=label, max_length=2000, required=question.required,
                                        widget=forms.Textarea(attrs={"rows": 4}),
                                        error_messages={"required": "请填写这一题",
                                                        "max_length": "回答不能超过 2000 个字"})
            self.fields[f"q{question.pk}"] = field
        self.fields["captcha"] = forms.CharField(label="验证码", max_length=10,
                                                 error_messages={"required": "请填写验证码"})

    def answers(self) -> dict:
        """{question id: option index, list of indexes or text}, as stored on the submission."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == Question.Kind.SINGLE:
                answers[str(question.pk)] = int(value) if value not in (None, "") else None
            elif question.kind == Question.Kind.MULTIPLE:
                answers[str(question.pk)] = sorted(int(item) for item in value or [])
            else:
                answers[str(question.pk)] = value or ""
        return answers


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["kind", "title", "purpose", "draft", "usage", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        error_messages = {
            "title": {"required": "请填写标题"},
            "purpose": {"required": "请填写征集目的"},
            "draft": {"required": "请填写征集稿全文或调查说明"},
            "usage": {"required": "请填写意见采纳方式"},
            "starts_at": {"required": "请填写开始时间", "invalid": "请按“年-月-日 时:分”填写开始时间"},
            "ends_at": {"required": "请填写结束时间", "invalid": "请按“年-月-日 时:分”填写结束时间"},
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "结束时间须晚于开始时间")
        if self.instance.pk and self.instance.published_at and data.get("kind") != self.instance.kind:
            self.add_error("kind", "已发布的征集调查不能改变类型")
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=Question.Kind.choices)
    text = forms.CharField(label="题目", max_length=300, error_messages={"required": "请填写题目"})
    options = forms.CharField(label="选项（每行一个）", required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    required = forms.BooleanField(label="必答", required=False, initial=True)


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("approve", "通过"), ("reject", "不予通过")],
                                 error_messages={"required": "请选择审核结果"})
    note = forms.CharField(label="说明（不予通过时必填）", max_length=300, required=False)


class ResultForm(forms.Form):
    adopted = forms.IntegerField(label="采纳意见数", min_value=0,
                                 error_messages={"required": "请填写采纳的意见数", "invalid": "请填写整数",
                                                 "min_value": "采纳意见数不能小于 0"})
    reasons = forms.CharField(label="采纳情况及理由", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
                              help_text="逐类说明采纳或不予采纳的意见及理由",
                              error_messages={"required": "请填写意见采纳情况及理由"})


class YearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100, required=False,
                              error_messages={"invalid": "请填写正确的年份", "min_value": "年份不能早于 2000 年",
                                              "max_value": "年份不能晚于 2100 年"})
