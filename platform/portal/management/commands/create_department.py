"""Create a department from the command line (the admin offers the same form)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import Department
from tenants.provisioning import ProvisioningError, timed_create_department


class Command(BaseCommand):
    help = "新建单位（部门、镇街或门户）：创建独立数据库模式、网站和默认栏目"

    def add_arguments(self, parser):
        parser.add_argument("name", help="单位名称，例如 区教育局")
        parser.add_argument("host_prefix", help="域名前缀，例如 jyj")
        parser.add_argument("--code", default="", help="机构代码，例如 007218384")
        parser.add_argument("--kind", default=Department.Kind.BUREAU, choices=["portal", "bureau", "town"])

    def handle(self, *args, **options):
        try:
            department, seconds = timed_create_department(
                name=options["name"], host_prefix=options["host_prefix"],
                organization_code=options["code"], kind=options["kind"],
            )
        except ValidationError as error:
            messages = [message for field_messages in error.message_dict.values() for message in field_messages]
            raise CommandError("；".join(messages)) from None
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"已创建 {department.name}：{department.base_url}/ （用时 {seconds:.2f} 秒）")
        )
