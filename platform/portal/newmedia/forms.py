"""The account form of the admin: the QR picture is uploaded as a file and kept in the row."""

from io import BytesIO

from django import forms
from PIL import Image, UnidentifiedImageError
from wagtail.admin.forms import WagtailAdminModelForm

QR_MAX_BYTES = 300 * 1024
QR_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}


class AccountForm(WagtailAdminModelForm):
    qr_upload = forms.FileField(
        label="二维码图片", required=False, help_text="PNG、JPEG 或 GIF，不超过 300 KB；不上传则保留原图片"
    )
    qr_remove = forms.BooleanField(label="删除已有二维码图片", required=False)

    def clean_qr_upload(self):
        upload = self.cleaned_data.get("qr_upload")
        if not upload:
            return None
        if upload.size > QR_MAX_BYTES:
            raise forms.ValidationError("二维码图片不能超过 300 KB，请压缩后重新上传。")
        data = upload.read()
        try:
            with Image.open(BytesIO(data)) as image:
                image_format = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise forms.ValidationError("无法识别该图片，请上传 PNG、JPEG 或 GIF 格式的二维码图片。") from error
        if image_format not in QR_TYPES:
            raise forms.ValidationError("二维码图片只能是 PNG、JPEG 或 GIF 格式。")
        return data, QR_TYPES[image_format]

    def save(self, commit=True):
        account = super().save(commit=False)
        upload = self.cleaned_data.get("qr_upload")
        if upload:
            account.qr_image, account.qr_content_type = upload
        elif self.cleaned_data.get("qr_remove"):
            account.qr_image, account.qr_content_type = b"", ""
        if commit:
            account.save()
        return account
