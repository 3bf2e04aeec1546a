"""What theme administrators change once for every site: identity, colour, footer and modes.

Both models live in the public schema (the `themes` app is shared), so a change made from any
site's admin reaches the portal and every department channel at once (第十一条). Settings in
`settings.SITE_IDENTITY` are the defaults until a theme is first published.

`ThemeSettings` keeps its history: theme administrators edit one draft, look at it on the real
sites (preview, only for themselves), then publish it; the published row that was live before
is kept as archived.

`ModeSchedule` holds one row per scheduled mode. Whether a mode is on is decided at request
time from the current time, so a mode turns off exactly at its end time without any job.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

DEFAULT_MAIN_COLOUR = "#b3191e"
MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for normal text

site_code_validator = RegexValidator(
    r"^(\d{10}|bm\d{8})$", "网站标识码应为10位数字（如 4416020005），或 bm 加8位数字。"
)
icp_validator = RegexValidator(
    r"^粤ICP备\d+号(-\d+)?$", "ICP备案号格式应为“粤ICP备12345678号”，可带“-1”这样的编号。"
)
police_validator = RegexValidator(
    r"^粤公网安备 \d{14}号$", "公安备案号格式应为“粤公网安备 44160202000123号”（“备”后一个空格，14位数字）。"
)
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "主色请填写6位十六进制颜色值，如 #b3191e。")


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = []
    for index in (1, 3, 5):
        value = int(colour[index:index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Where the main colour meets another colour in the theme: white text on it (navigation,
# buttons), and it as text on white (site name, headings) and on the footer's light grey.
BACKGROUNDS_OF_MAIN_COLOUR = {"#ffffff": "白色", "#f5f5f5": "页脚浅灰色"}


def validate_main_colour(value: str) -> None:
    colour_validator(value)
    for background, name in BACKGROUNDS_OF_MAIN_COLOUR.items():
        ratio = contrast_ratio(value, background)
        if ratio < MINIMUM_CONTRAST:
            raise ValidationError(
                f"主色 {value} 与{name}的对比度只有 {ratio:.2f}:1，低于无障碍要求的 4.5:1，请选用更深的颜色。"
            )


def darker(colour: str, factor: float = 0.78) -> str:
    """A darker shade of the main colour for hover and focus backgrounds (keeps one hue)."""
    parts = [round(int(colour[index:index + 2], 16) * factor) for index in (1, 3, 5)]
    return "#" + "".join(f"{part:02x}" for part in parts)


class ThemeSettings(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        ARCHIVED = "archived", "历史版本"

    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    site_name = models.CharField("网站名称（区名）", max_length=60)
    main_colour = models.CharField("主色", max_length=7, default=DEFAULT_MAIN_COLOUR, validators=[validate_main_colour])
    logo = models.BinaryField("标志图片", blank=True, null=True, editable=True)
    logo_content_type = models.CharField("标志图片类型", max_length=40, blank=True)
    logo_digest = models.CharField("标志图片摘要", max_length=64, blank=True)
    sponsor = models.CharField("主办单位", max_length=100)
    operator = models.CharField("承办单位", max_length=100)
    address = models.CharField("联系地址", max_length=200)
    contact_phone = models.CharField("联系电话", max_length=40)
    contact_email = models.EmailField("电子邮箱", max_length=100)
    site_code = models.CharField("网站标识码", max_length=10, validators=[site_code_validator])
    icp_number = models.CharField("ICP备案号", max_length=40, validators=[icp_validator])
    police_number = models.CharField("公安备案号", max_length=40, validators=[police_validator])
    party_mark_url = models.URLField("党政机关网站标识链接", max_length=300, default="https://bszs.conac.cn/")
    homepage_notice = models.CharField(
        "首页公告", max_length=200, blank=True, help_text="显示在门户和所有部门首页顶部，例如重要通知；留空则不显示。"
    )
    quick_links = models.TextField(
        "首页便民服务链接", blank=True,
        help_text="每行一个：名称|链接，例如“社保查询|https://www.example.gov.cn/”；显示在所有首页。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="修改人"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="发布人"
    )

    EDITABLE_FIELDS = (
        "site_name", "main_colour", "sponsor", "operator", "address", "contact_phone", "contact_email",
        "site_code", "icp_number", "police_number", "party_mark_url", "homepage_notice", "quick_links",
    )

    class Meta:
        verbose_name = "统一主题设置"
        verbose_name_plural = "统一主题设置"
        ordering = ["-id"]
        constraints = [
            # One draft and one live version at a time; history rows are archived.
            models.UniqueConstraint(fields=["status"], condition=models.Q(status="draft"), name="one_theme_draft"),
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="published"), name="one_published_theme"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} · {self.site_name}"

    def parsed_quick_links(self) -> list[dict]:
        links = []
        for line in self.quick_links.splitlines():
            title, _, url = line.partition("|")
            if title.strip() and url.strip():
                links.append({"title": title.strip(), "url": url.strip()})
        return links


QUICK_LINK_LINE = re.compile(r"^[^|]+\|(https?://\S+|/\S*)$")


class ModeSchedule(models.Model):
    class Mode(models.TextChoices):
        GREY = "grey", "灰色悼念模式"
        ELDERLY = "elderly", "适老化模式"

    mode = models.CharField("模式", max_length=16, choices=Mode.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    reason = models.CharField("原因", max_length=200, blank=True, help_text="例如：国家公祭日")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人"
    )

    class Meta:
        verbose_name = "模式计划"
        verbose_name_plural = "模式计划"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["ends_at"], name="mode_schedule_ends_at")]

    def __str__(self):
        return f"{self.get_mode_display()} {self.starts_at:%Y-%m-%d %H:%M} — {self.ends_at:%Y-%m-%d %H:%M}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    @property
    def state_label(self) -> str:
        now = timezone.now()
        if self.is_active(now):
            return "生效中"
        return "未开始" if now < self.starts_at else "已结束"
