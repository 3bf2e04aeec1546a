"""Creating a department: clone the migrated template schema, then lay out its site.

Running every migration for a new schema takes many seconds; cloning `tenant_template` (a
department row of kind TEMPLATE that `migrate_schemas` keeps up to date like any other) takes a
fraction of that. `ensure_site` is idempotent: it brings the template's layout in line with the
department (names, columns, groups, Site) and is also how an existing department is repaired.
"""

import time

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django_tenants.utils import schema_context, tenant_context
from portal.pages.columns import DEPARTMENT_COLUMNS, PORTAL_COLUMNS, ColumnSpec
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from .models import Department, Domain

TEMPLATE_SCHEMA = settings.TENANT_BASE_SCHEMA
HOME_SLUG = "home"
ROOT_TITLE = "全部站点"  # the tree's root above the home page, seen by administrators

# Wagtail permissions each department role gets on its own site only.
ROLE_GROUPS = {
    "editor": ("业务员", ["add_page", "change_page"]),
    "head": ("负责人", ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]),
}
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
]


class ProvisioningError(Exception):
    """A department cannot be created as asked; the message says why, in Chinese."""


def ensure_template() -> Department:
    """Create (first run) the template schema that departments are cloned from."""
    template = Department.objects.filter(schema_name=TEMPLATE_SCHEMA).first()
    if template is None:
        template = Department(
            schema_name=TEMPLATE_SCHEMA, name="单位模板", host_prefix="template", kind=Department.Kind.TEMPLATE
        )
        with schema_context("public"):
            template.save(verbosity=0)
    with tenant_context(template):
        ensure_site(template)
    return template


def ensure_public_tenant() -> Department:
    public = Department.objects.filter(schema_name="public").first()
    if public is None:
        public = Department(
            schema_name="public", name="集约化平台", host_prefix="platform", kind=Department.Kind.PLATFORM
        )
        public.save()
        Domain.objects.get_or_create(domain=settings.DOMAIN_SUFFIX, defaults={"tenant": public, "is_primary": True})
    return public


def create_department(
    *, name: str, host_prefix: str, kind: str = Department.Kind.BUREAU, organization_code: str = "",
    short_name: str = "", address: str = "", phone: str = "", email: str = "", office_hours: str = "",
    sort_order: int = 100,
) -> Department:
    """Create a department that is live at its host, with its default columns, in seconds."""
    host_prefix = host_prefix.strip().lower()
    department = Department(
        schema_name=host_prefix, name=name.strip(), short_name=short_name, host_prefix=host_prefix, kind=kind,
        organization_code=organization_code, address=address, phone=phone, email=email,
        office_hours=office_hours, sort_order=sort_order,
    )
    if host_prefix in {"public", "template", TEMPLATE_SCHEMA, "platform"}:
        raise ProvisioningError(f"域名前缀“{host_prefix}”为系统保留，请换一个")
    if Department.objects.filter(host_prefix=host_prefix).exists():
        raise ProvisioningError(f"域名前缀“{host_prefix}”已被使用，请换一个")
    department.full_clean(exclude=["schema_name"])
    ensure_template()
    with schema_context("public"), transaction.atomic():
        department.save(verbosity=0)  # clones tenant_template into the new schema
        Domain.objects.create(domain=department.hostname, tenant=department, is_primary=True)
    with tenant_context(department):
        ensure_site(department)
        from portal.plugins import hooks_for

        hooks_for(department).provision_department(department=department)
    return department


def timed_create_department(**kwargs) -> tuple[Department, float]:
    started = time.perf_counter()
    department = create_department(**kwargs)
    return department, time.perf_counter() - started


def _column_specs(department: Department) -> list[ColumnSpec]:
    return PORTAL_COLUMNS if department.kind == Department.Kind.PORTAL else DEPARTMENT_COLUMNS


@transaction.atomic
def ensure_site(department: Department):
    """Inside the department's schema: home page, default columns, the one Site, role groups and
    the review workflow (信息发布审核)."""
    from portal.pages.models import ColumnPage, HomePage

    root = Page.get_first_root_node()
    if root.title != ROOT_TITLE:
        # Wagtail names the tree's root "Root"; administrators see it in every breadcrumb.
        Page.objects.filter(pk=root.pk).update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
        root.title = root.draft_title = ROOT_TITLE
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        # Wagtail's own first migration leaves a welcome page and a default site: replace them.
        Site.objects.all().delete()
        for page in root.get_children():
            page.delete()
        root = Page.objects.get(pk=root.pk)
        home = root.add_child(instance=HomePage(title=department.name, slug=HOME_SLUG, intro=""))
    else:
        _rename_home(home, department)

    specs = _column_specs(department)
    wanted = {spec.slug for spec in specs}
    existing = {column.slug: column for column in ColumnPage.objects.child_of(home)}
    for spec in specs:
        column = existing.get(spec.slug)
        if column is None:
            column = home.add_child(
                instance=ColumnPage(
                    title=spec.title, slug=spec.slug, column_type=spec.column_type,
                    description=spec.description, show_in_menus=True,
                )
            )
        elif (column.title, column.column_type) != (spec.title, spec.column_type):
            column.title, column.column_type, column.description = spec.title, spec.column_type, spec.description
            column.save_revision().publish()
    for slug, column in existing.items():
        if slug not in wanted and not column.get_children().exists():
            column.delete()
    # Navigation follows the order of the specs (the template's columns may differ from them).
    ordered = [c.slug for c in ColumnPage.objects.child_of(home).order_by("path")]
    if [slug for slug in ordered if slug in wanted] != [spec.slug for spec in specs]:
        for spec in specs:
            ColumnPage.objects.get(pk=ColumnPage.objects.child_of(home).get(slug=spec.slug).pk).move(home, "last-child")

    site = Site.objects.first()
    if site is None:
        Site.objects.create(hostname=department.hostname, port=80, root_page=home, is_default_site=True,
                            site_name=department.name)
    else:
        site.hostname, site.root_page, site.site_name, site.is_default_site = (
            department.hostname, home, department.name, True,
        )
        site.save()

    _ensure_role_groups(home)
    # Review before publishing (第十二条): 业务员 submit, the 负责人 group approves.
    from portal.governance.workflow import ensure_review_workflow

    ensure_review_workflow(home, role_group("head"))
    return home


def _rename_home(home, department: Department) -> None:
    if home.title != department.name:
        home.title = department.name
        home.save_revision().publish()


@transaction.atomic
def apply_department_name(department: Department) -> None:
    """Inside the department's schema: the new name on its home page and its Site, and nothing
    else. The columns are the department's own work by now (renamed, retyped, added), which a
    new name must leave as they are; `ensure_site` is the repair that resets them."""
    from portal.pages.models import HomePage

    home = HomePage.objects.filter(depth=2).first()
    if home is not None:
        _rename_home(home, department)
    for site in Site.objects.exclude(site_name=department.name):  # save(): the site caches follow
        site.site_name = department.name
        site.save(update_fields=["site_name"])


def _ensure_role_groups(home):
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    page_permissions = {p.codename: p for p in Permission.objects.filter(content_type__app_label="wagtailcore",
                                                                         content_type__model="page")}
    collection = Collection.get_first_root_node()
    for group_name, codenames in ROLE_GROUPS.values():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(access_admin)
        GroupPagePermission.objects.exclude(page=home).filter(group=group).delete()
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=page_permissions[codename])
        for app_label, codename in COLLECTION_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    # Wagtail's stock groups would give department staff powers we did not decide on.
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()


def role_group(role: str) -> Group:
    """The group of this schema that a department role maps to."""
    return Group.objects.get(name=ROLE_GROUPS[role][0])


def set_status(department: Department, status: str, reason: str = "") -> Department:
    if status not in Department.Status.values:
        raise ProvisioningError("状态只能是正常、已暂停或已归档")
    department.status = status
    department.status_reason = reason
    with schema_context("public"):
        department.save(update_fields=["status", "status_reason", "updated_at"])
    return department


def update_department(department: Department, **fields) -> Department:
    """Change a department's name and contact data; a new name reaches its site at once and
    changes nothing else there."""
    renamed = "name" in fields and fields["name"].strip() != department.name
    for field, value in fields.items():
        setattr(department, field, value.strip() if isinstance(value, str) else value)
    if not department.name:
        raise ProvisioningError("单位名称不能为空")
    with schema_context("public"):
        department.save()
    if renamed:
        with tenant_context(department):
            apply_department_name(department)
    return department
