"""Give every existing department (and the template) the 信息发布审核 workflow.

New departments get it when they are created (`tenants.provisioning.ensure_site`); a platform
that ran before review existed runs this once after upgrading. Safe to run again.
"""

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from portal.pages.models import HomePage
from tenants.models import Department
from tenants.provisioning import role_group


class Command(BaseCommand):
    help = "为所有单位（及单位模板）建立“信息发布审核”流程：业务员提交，负责人审核后发布"

    def handle(self, *args, **options):
        from portal.governance.workflow import ensure_review_workflow

        departments = Department.objects.exclude(schema_name="public").order_by("sort_order", "id")
        done = 0
        for department in departments:
            with tenant_context(department):
                home = HomePage.objects.filter(depth=2).first()
                if home is None:
                    self.stdout.write(f"跳过 {department.name}：尚无网站首页")
                    continue
                ensure_review_workflow(home, role_group("head"))
                done += 1
        self.stdout.write(self.style.SUCCESS(f"已为 {done} 个单位建立信息发布审核流程"))
