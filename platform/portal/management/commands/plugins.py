"""`manage.py plugins`: which plugins are installed, their versions, hooks and where they are on."""

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from portal.plugins import describe_plugins, disabled_plugins
from tenants.models import Department


class Command(BaseCommand):
    help = "列出已安装的插件、版本、实现的钩子，以及在哪些单位启用"

    def handle(self, *args, **options):
        departments = list(Department.objects.exclude(kind__in=["platform", "template"]).order_by("sort_order", "id"))
        disabled = {d.pk: disabled_plugins(d) for d in departments}
        table = Table(title="已安装插件")
        for column in ("插件", "名称", "版本", "模块", "钩子", "启用单位"):
            table.add_column(column)
        for plugin in describe_plugins():
            enabled = [d.name for d in departments if plugin["name"] not in disabled[d.pk]]
            off = len(departments) - len(enabled)
            where = "全部单位" if off == 0 else ("无" if not enabled else "、".join(enabled))
            table.add_row(plugin["name"], plugin["title"], plugin["version"], plugin["module"],
                          "\n".join(plugin["hooks"]), where)
        Console(file=self.stdout, width=160).print(table)
