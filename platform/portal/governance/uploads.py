"""Size limits for files editors upload, per kind of file.

Wagtail limits images (`WAGTAILIMAGES_MAX_UPLOAD_SIZE`) but not documents; an unbounded upload
fills the disk and, before the scanner's own bounds, a worker's memory. The document form base
below refuses a file over the limit of its kind (`UPLOAD_SIZE_LIMITS`: documents, and images
uploaded as documents) with a message that names the file, its size and the limit.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from wagtail.documents.forms import BaseDocumentForm

MB = 1024 * 1024
DEFAULT_LIMITS = {"document": 50 * MB, "image": 10 * MB}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}


def upload_limits() -> dict:
    return {**DEFAULT_LIMITS, **getattr(settings, "UPLOAD_SIZE_LIMITS", {})}


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB".replace(".0 MB", " MB")


def check_upload_size(uploaded) -> None:
    """Raise a `ValidationError` in Chinese when the file is larger than its kind allows."""
    if uploaded is None or not hasattr(uploaded, "size"):
        return
    name = PurePosixPath(getattr(uploaded, "name", "") or "").name
    kind = "image" if PurePosixPath(name).suffix.lower() in IMAGE_EXTENSIONS else "document"
    limit = upload_limits()[kind]
    if uploaded.size > limit:
        label = "图片" if kind == "image" else "文档"
        raise forms.ValidationError(
            f"文件“{name}”大小为 {_megabytes(uploaded.size)}，超过{label}上传上限 {_megabytes(limit)}，"
            f"请压缩或拆分后再上传", code="file_too_large")


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload) with the size limit."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and uploaded is not getattr(self.instance, "file", None):
            check_upload_size(uploaded)
        return uploaded
