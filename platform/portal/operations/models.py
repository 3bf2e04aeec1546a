"""What the centre sees of the backups: one row per archive, whether it verified."""

from django.db import models


class Backup(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        OK = "ok", "成功"
        FAILED = "failed", "失败"

    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    path = models.CharField("文件", max_length=500, blank=True)
    size = models.BigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    verified = models.BooleanField("已校验", default=False)
    error = models.TextField("错误", blank=True)
    manifest = models.JSONField("清单", default=dict, blank=True)
    deleted_at = models.DateTimeField("按保留规则删除于", null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = "备份"

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
