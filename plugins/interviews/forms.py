"""Forms of the public (a question) and of the moderators (an interview, an answer)."""

import re

from django import forms

from .models import Interview

MAX_PICTURE_BYTES = 5 * 1024 * 1024
GUEST_SEPARATOR = re.compile(r"\s*[，,|｜]\s*")


class QuestionForm(forms.Form):
    nickname = forms.CharField(label="网名", max_length=30,
                               error_messages={"required": "请填写网名", "max_length": "网名不能超过 30 个字"})
    text = forms.CharField(label="提问内容", max_length=500, widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": "请填写提问内容", "max_length": "提问内容不能超过 500 个字"})
    captcha = forms.CharField(label="验证码", max_length=10, error_messages={"required": "请填写验证码"})


def _datetime_field(label):
    return forms.DateTimeField(
        label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确，请按“2026-12-01 10:00”填写"},
    )


class InterviewForm(forms.ModelForm):
    guests = forms.CharField(
        label="访谈嘉宾", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text="每行一位嘉宾，姓名与职务用逗号隔开，例如：张三，区教育局局长",
        error_messages={"required": "请至少填写一位访谈嘉宾", "max_length": "嘉宾名单不能超过 2000 个字"},
    )
    starts_at = _datetime_field("开始时间")
    ends_at = _datetime_field("结束时间")

    class Meta:
        model = Interview
        fields = ["title", "guests", "starts_at", "ends_at", "introduction", "picture", "picture_alt"]
        error_messages = {
            "title": {"required": "请填写访谈主题", "max_length": "访谈主题不能超过 120 个字"},
            "introduction": {"max_length": "访谈简介不能超过 3000 个字"},
            "picture_alt": {"max_length": "图片说明不能超过 120 个字"},
            "picture": {"invalid_image": "请上传 JPG、PNG 或 GIF 格式的图片"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["guests"] = "\n".join(f"{g['name']}，{g['title']}" for g in self.instance.guests)

    def clean_guests(self):
        guests = []
        for number, line in enumerate(self.cleaned_data["guests"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = GUEST_SEPARATOR.split(line.strip(), maxsplit=1)
            if len(parts) != 2 or not all(parts):
                raise forms.ValidationError(
                    f"第 {number} 行“{line.strip()}”格式不正确：请按“姓名，职务”填写，例如“张三，区教育局局长”")
            if len(parts[0]) > 30 or len(parts[1]) > 80:
                raise forms.ValidationError(f"第 {number} 行过长：姓名不超过 30 个字，职务不超过 80 个字")
            guests.append({"name": parts[0], "title": parts[1]})
        if not guests:
            raise forms.ValidationError("请至少填写一位访谈嘉宾")
        return guests

    def clean_picture(self):
        picture = self.cleaned_data.get("picture")
        if picture and getattr(picture, "size", 0) > MAX_PICTURE_BYTES:
            raise forms.ValidationError("图片不能超过 5 MB，请压缩后重新上传")
        return picture

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "结束时间必须晚于开始时间")
        if data.get("picture") and not (data.get("picture_alt") or "").strip():
            self.add_error("picture_alt", "上传图片时请填写图片说明（供视障用户读屏使用）")
        return data


class AnswerForm(forms.Form):
    answered_by = forms.ChoiceField(label="答复嘉宾", error_messages={"required": "请选择答复的嘉宾",
                                                                  "invalid_choice": "请从嘉宾名单中选择"})
    answer = forms.CharField(label="答复内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "请填写答复内容", "max_length": "答复内容不能超过 5000 个字"})

    def __init__(self, interview, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [f"{guest['title']}{guest['name']}" for guest in interview.guests] or ["主持人"]
        self.fields["answered_by"].choices = [(name, name) for name in names]
