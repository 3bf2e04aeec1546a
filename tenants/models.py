"""A department (or town, street, or the district portal itself) is one tenant.

Each has its own PostgreSQL schema with exactly one Wagtail Site. The public schema row with
kind PLATFORM stands for the platform itself; the TEMPLATE row is the migrated schema that new
departments are cloned from.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.validators import RegexValidator
from django.db import connections, models
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_tenant_database_alias, schema_exists

from . import cloning

ORGANIZATION_CODE = RegexValidator(
    r"^[0-9A-Z]{9,18}$", "机构代码应为 9 至 18 位数字或大写字母，例如 007218384"
)
HOST_PREFIX = RegexValidator(
    r"^[a-z][a-z0-9]{1,29}$", "域名前缀应以小写字母开头，只含小写字母和数字，2 至 30 位，例如 jyj"
)
# The kinds of tenant that are websites visitors reach (the portal, departments and towns).
SITE_KINDS = ("portal", "bureau", "town")
RESERVED_PREFIXES = {"public", "tenant_template", "admin", "static", "media", "api", "pg_catalog"}


class Department(TenantMixin):
    class Kind(models.TextChoices):
        PLATFORM = "platform", "平台"
        TEMPLATE = "template", "模板"
        PORTAL = "portal", "门户网站"
        BUREAU = "bureau", "政府部门"
        TOWN = "town", "镇（街道）"

    class Status(models.TextChoices):
        ACTIVE = "active", "正常"
        SUSPENDED = "suspended", "已暂停"
        ARCHIVED = "archived", "已归档"

    name = models.CharField("单位名称", max_length=64)
    short_name = models.CharField("简称", max_length=32, blank=True)
    host_prefix = models.CharField("域名前缀", max_length=30, unique=True, validators=[HOST_PREFIX])
    organization_code = models.CharField(
        "机构代码", max_length=18, blank=True, validators=[ORGANIZATION_CODE],
        help_text="用于生成信息公开索引号，例如 007218384",
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.BUREAU)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField("状态说明", max_length=200, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clones the template through the owner's `govsite_clone_department()` (tenants.cloning):
        the application role that creates departments at run time may not create schemas."""
        template = settings.TENANT_BASE_SCHEMA
        if not sync_schema or self.schema_name == template or not schema_exists(template):
            # The template itself is made by setup_platform, which runs as the owner.
            return super().create_schema(check_if_exists=check_if_exists, sync_schema=sync_schema,
                                         verbosity=verbosity)
        connection = connections[get_tenant_database_alias()]
        if check_if_exists and schema_exists(self.schema_name):
            return False
        connection.set_schema_to_public()
        cloning.clone_template(connection, self.schema_name)
        # The template's migration records came along; this only runs the post-migrate steps.
        call_command("migrate_schemas", tenant=True, fake=True, schema_name=self.schema_name,
                     interactive=False, verbosity=verbosity)
        connection.set_schema_to_public()
        return True

    @property
    def is_site(self) -> bool:
        """True for tenants that visitors reach (the portal and departments)."""
        return self.kind in SITE_KINDS

    @classmethod
    def sites(cls):
        """Every tenant that is a website (`is_site`), as a queryset."""
        return cls.objects.filter(kind__in=SITE_KINDS)

    @property
    def is_portal(self) -> bool:
        return self.kind == self.Kind.PORTAL

    @property
    def hostname(self) -> str:
        return f"{self.host_prefix}.{settings.DOMAIN_SUFFIX}"

    @property
    def base_url(self) -> str:
        port = settings.PUBLIC_PORT
        suffix = "" if port in ("", "80", "443") else f":{port}"
        return f"{settings.PUBLIC_SCHEME}://{self.hostname}{suffix}"


class Domain(DomainMixin):
    class Meta:
        verbose_name = "域名"
        verbose_name_plural = "域名"

    def __str__(self):
        return self.domain
