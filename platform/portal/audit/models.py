"""The audit log (等保 level 3, 网络安全法 第二十一条): kept at least six months, never edited.

PostgreSQL itself refuses to change or delete a row: the application's database role may
only add and read rows, and a trigger refuses UPDATE, DELETE and TRUNCATE to everybody else
(migrations 0002 and 0003, `portal.audit.protection`); only `manage.py prune_audit_log` removes
rows, through the owner's pruning function, and only those older than 180 days. A person or a
department with audit rows can therefore not be deleted (PROTECT): lock or archive it instead.
"""

from django.db import models


class AuditEvent(models.Model):
    """One line of the audit log (网络安全法 第二十一条: kept at least six months)."""

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="用户"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    event = models.CharField("事件", max_length=40, db_index=True)
    success = models.BooleanField("成功", default=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    department = models.ForeignKey(
        "tenants.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    target = models.CharField("对象", max_length=255, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.event}"

    @property
    def event_label(self) -> str:
        from .events import event_label

        return event_label(self.event)
