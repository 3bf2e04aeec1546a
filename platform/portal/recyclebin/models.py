"""The bin's hidden root page and one row per deleted tree (where it came from, what was live)."""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page


class RecycleBinPage(Page):
    """The root of the department's bin: a sibling of the home page, so outside the site and
    without a URL; never live, never creatable in the admin, hidden from the explorer."""

    parent_page_types = []
    subpage_types = []
    is_creatable = False

    class Meta:
        verbose_name = "回收站"

    def serve(self, request, *args, **kwargs):
        raise Http404("页面不存在")

    def get_sitemap_urls(self, request=None):
        return []


class RecycledPage(models.Model):
    """A page (with its subtree) that was deleted to the bin, and what restoring it needs."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+", verbose_name="页面")
    title = models.CharField("标题", max_length=255)
    original_parent = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="原上级页面"
    )
    # The sibling that followed the page, to put it back in the same place among its siblings.
    next_sibling = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    original_slug = models.CharField("原网址名", max_length=255)
    original_url_path = models.TextField("原路径")
    # [[page id, live revision id], …] in tree order: what was live and is republished on restore.
    live_pages = models.JSONField("删除时已发布的页面", default=list, blank=True)
    page_count = models.PositiveIntegerField("页面数", default=1)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="删除人",
    )
    deleted_by_name = models.CharField("删除人姓名", max_length=150, blank=True)
    deleted_at = models.DateTimeField("删除时间", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = verbose_name_plural = "回收站中的页面"

    def __str__(self):
        return self.title

    @property
    def purge_at(self):
        from .service import RETENTION

        return self.deleted_at + RETENTION

    def days_left(self, now=None) -> int:
        """Whole days until the purge, counting a started day as one (0 once it is due)."""
        remaining = self.purge_at - (now or timezone.now())
        if remaining.total_seconds() <= 0:
            return 0
        return remaining.days + (1 if remaining.seconds or remaining.microseconds else 0)
