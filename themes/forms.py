"""Forms of the theme administration; every message says in Chinese what to fix."""

from io import BytesIO

from django import forms
from django.utils import timezone

from .models import QUICK_LINK_LINE, ModeSchedule, ThemeSettings

LOGO_MAX_BYTES = 200 * 1024
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class ErrorsTiedToFields:
    """Screen readers announce a field's error with the field: aria-describedby names the
    message (`<id>-error` in the template) and aria-invalid marks the field."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} {self[name].id_for_label}-error".strip()
                widget.attrs["aria-invalid"] = "true"


class ThemeSettingsForm(ErrorsTiedToFields, forms.ModelForm):
    logo_file = forms.FileField(
        label="上传新标志", required=False,
        help_text="PNG、JPEG 或 WebP 图片，不超过 200 KB，建议正方形；留空则保留现有标志。",
    )
    remove_logo = forms.BooleanField(label="删除现有标志（改用默认徽标区域）", required=False)

    party_mark_url = forms.URLField(
        label="党政机关网站标识链接", max_length=300, assume_scheme="https",
        error_messages={"invalid": "请填写完整的网址，如 https://bszs.conac.cn/…"},
    )

    class Meta:
        model = ThemeSettings
        fields = list(ThemeSettings.EDITABLE_FIELDS)
        widgets = {
            "main_colour": forms.TextInput(attrs={"type": "color"}),
            "quick_links": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_main_colour(self):
        return self.cleaned_data["main_colour"].lower()

    def clean_quick_links(self):
        value = self.cleaned_data["quick_links"].strip()
        for number, line in enumerate(value.splitlines(), start=1):
            if line.strip() and not QUICK_LINK_LINE.match(line.strip()):
                raise forms.ValidationError(
                    f"第{number}行格式不对：请写成“名称|链接”，链接以 http://、https:// 或 / 开头。"
                )
        return value

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError("标志图片不能超过 200 KB，请压缩后重新上传。")
        data = upload.read()
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(BytesIO(data)) as image:
                image.verify()
                image_format = image.format
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise forms.ValidationError("无法识别这个文件，请上传 PNG、JPEG 或 WebP 图片。") from error
        if image_format not in LOGO_FORMATS:
            raise forms.ValidationError("标志只能是 PNG、JPEG 或 WebP 图片。")
        return data, LOGO_FORMATS[image_format]


class ModeScheduleForm(ErrorsTiedToFields, forms.ModelForm):
    class Meta:
        model = ModeSchedule
        fields = ["mode", "starts_at", "ends_at", "reason"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        error_messages = {
            "starts_at": {"required": "请填写开始时间。", "invalid": "开始时间格式应为 年-月-日 时:分。"},
            "ends_at": {"required": "请填写结束时间。", "invalid": "结束时间格式应为 年-月-日 时:分。"},
            "mode": {"required": "请选择模式。", "invalid_choice": "请选择灰色悼念模式或适老化模式。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends_at", "结束时间必须晚于开始时间。")
            elif ends_at <= timezone.now():
                self.add_error("ends_at", "结束时间已经过去，请填写将来的时间。")
        return cleaned
