"""Bring the platform to a usable state: public tenant, department template, all schemas migrated.

Safe to run again: each step only does what is missing. `make demo` and `make test` call it.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.provisioning import ensure_public_tenant, ensure_template


class Command(BaseCommand):
    help = "初始化平台：公共库、单位模板库，并迁移所有单位的数据库模式"

    def handle(self, *args, **options):
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        ensure_public_tenant()
        ensure_template()
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("平台已就绪"))
