"""Rewrite the cross-department projection from the live pages of every site (or one).

Run after an upgrade that adds a field to `PublishedItem` (专题标签, 体裁 …): the rows of every live
article are written again, so rows written before the upgrade get the new field.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenants.models import Department


class Command(BaseCommand):
    help = "重新生成各网站已发布信息的投影（门户聚合、资源库、接口和检索都读它），升级后补全新字段"

    def add_arguments(self, parser):
        parser.add_argument("--department", default="", help="只处理该域名前缀的单位，例如 jyj")

    def handle(self, *args, **options):
        from portal.pages.models import HomePage
        from portal.projection import reproject_subtree

        departments = list(Department.sites().order_by("sort_order", "pk"))
        if options["department"]:
            departments = [d for d in departments if d.host_prefix == options["department"]]
            if not departments:
                raise CommandError(f"没有域名前缀为 {options['department']} 的网站")
        for department in departments:
            with tenant_context(department):
                home = HomePage.objects.filter(depth=2).first()
                count = reproject_subtree(home) if home else 0
            self.stdout.write(f"{department.name}：{count} 条")
