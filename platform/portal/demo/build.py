"""Loads the demo district into the database: departments, their articles and files, and people.

Departments are created the way the admin creates them (`tenants.provisioning.create_department`),
articles are published the way an editor publishes them (`save_revision().publish()`, so the
cross-department projection is written), and accounts get their roles through
`portal.accounts.roles`. A department's content is written in one transaction, so a department
with content is complete; a second run skips those and only loads what is missing.
"""

import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from .catalog import (
    ADMIN_FULL_NAME,
    ADMIN_USERNAME,
    DEFAULT_ITEMS,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DEPARTMENTS,
    DEPARTMENTS_BY_PREFIX,
    OTHER_CENTRAL_ADMINS,
    SHARED_EDITOR_DEPARTMENTS,
    SHARED_EDITOR_FULL_NAME,
    SHARED_EDITOR_USERNAME,
    DepartmentSpec,
)
from .files import make_docx, make_pdf, store_document
from .text import ArticlePlan, department_rng, formal_name, plan_department

# progress(spec, done, total): called once with done=0 when a department starts, then per step.
ProgressCallback = Callable[[DepartmentSpec, int, int], None]


class DemoError(Exception):
    """The demo cannot be loaded as asked; the message says why, in Chinese."""


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)  # host prefixes loaded by this run
    skipped: list[str] = field(default_factory=list)  # already there, left alone
    articles: int = 0
    attachments: int = 0
    users: int = 0  # accounts created by this run
    seconds: float = 0.0


def demo_specs(prefixes: Sequence[str] | None = None) -> list[DepartmentSpec]:
    """The departments to load: all of the demo district, or the named ones in catalogue order."""
    if prefixes is None:
        return list(DEPARTMENTS)
    unknown = [prefix for prefix in prefixes if prefix not in DEPARTMENTS_BY_PREFIX]
    if unknown:
        raise DemoError(f"演示数据中没有这些单位：{'、'.join(unknown)}")
    return [spec for spec in DEPARTMENTS if spec.prefix in prefixes]


def _loaded(department) -> bool:
    """A department counts as loaded once it has published content: the demo never adds to it."""
    from portal.models import PublishedItem

    return department is not None and PublishedItem.objects.filter(department=department).exists()


def is_loaded(prefixes: Sequence[str] | None = None) -> bool:
    """Whether every department of the demo has its content, and the administrator exists."""
    from portal.accounts.models import User
    from tenants.models import Department

    specs = demo_specs(prefixes)
    existing = Department.objects.filter(host_prefix__in=[spec.prefix for spec in specs])
    departments = {department.host_prefix: department for department in existing}
    if not all(_loaded(departments.get(spec.prefix)) for spec in specs):
        return False
    return User.objects.filter(username=ADMIN_USERNAME).exists()


def build_demo(
    *, seed: int = DEFAULT_SEED, items: int = DEFAULT_ITEMS, prefixes: Sequence[str] | None = None,
    today: date | None = None, progress: ProgressCallback | None = None, jobs: int = 1,
) -> DemoResult:
    """Load the demo departments that have no content yet, then the central accounts.

    The content of a department depends only on (seed, items, today, its prefix), so a test
    that builds two departments gets exactly what `load_demo` gives those two. With `jobs` > 1
    departments are loaded by that many worker processes (each department stays one transaction).
    """
    from tenants.models import Department
    from tenants.provisioning import ensure_public_tenant, ensure_template

    if items < 1:
        raise DemoError("每个单位的信息条数至少为 1")
    started = time.perf_counter()
    today = today or timezone.localdate()
    ensure_public_tenant()
    ensure_template()
    result = DemoResult()
    todo = []
    for spec in demo_specs(prefixes):
        if _loaded(Department.objects.filter(host_prefix=spec.prefix).first()):
            result.skipped.append(spec.prefix)
        else:
            todo.append(spec)
    if jobs > 1 and len(todo) > 1:
        from .parallel import build_in_processes

        build_in_processes(
            todo, seed=seed, items=items, today=today, jobs=jobs, progress=progress, result=result
        )
    else:
        for spec in todo:
            build_department(spec, seed=seed, items=items, today=today, progress=progress, result=result)
    result.created.extend(spec.prefix for spec in todo)
    _central_people(result)
    result.seconds = time.perf_counter() - started
    return result


# Cloning the template schema (re)creates a PostgreSQL function; two sessions doing so at once
# fail ("tuple concurrently updated"), so department creation is serialized across workers.
CREATION_LOCK = 7_218_000


@contextmanager
def _serialized_creation():
    """A transaction holding the creation lock until it ends."""
    from django.db import connection

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CREATION_LOCK])
        yield


def build_department(
    spec: DepartmentSpec, *, seed: int, items: int, today: date, progress: ProgressCallback | None = None,
    result: DemoResult | None = None,
):
    """Create one department (unless it exists) and its people, then its content in one transaction."""
    from portal.pages.models import ColumnPage
    from portal.plugins import hooks_for
    from tenants.models import Department
    from tenants.provisioning import create_department

    result = result if result is not None else DemoResult()
    plans = plan_department(spec, seed=seed, items=items, today=today)
    total = len(plans) + 1
    report = progress or (lambda spec, done, total: None)
    report(spec, 0, total)
    department = Department.objects.filter(host_prefix=spec.prefix).first()
    if department is None:
        with _serialized_creation():
            department = create_department(
                name=spec.name, short_name=spec.short_name, host_prefix=spec.prefix, kind=spec.kind,
                organization_code=spec.organization_code, address=spec.address, phone=spec.phone,
                email=spec.email, office_hours=spec.office_hours, sort_order=spec.sort_order,
            )
    # People first and outside the content transaction: a transaction that writes accounts_user
    # would block other workers' schema clones (they add foreign keys to that table).
    editor, head = _department_people(department, spec, result)
    report(spec, 1, total)
    with transaction.atomic():
        with tenant_context(department):
            columns = {column.slug: column for column in ColumnPage.objects.filter(depth=3)}
            for done, plan in enumerate(plans, start=2):
                result.attachments += _publish(columns[plan.column], plan, spec, editor, head)
                result.articles += 1
                report(spec, done, total)
            plugin_rng = department_rng(seed, spec.prefix, "plugins")  # plugins cannot shift the core's draws
            hooks_for(department).demo_content(department=department, rng=plugin_rng)
    return department


def _publish(column, plan: ArticlePlan, spec: DepartmentSpec, editor, head) -> int:
    """Store the attachments, create the article as the editor, publish it as the head."""
    from portal.pages.models import ArticleAttachment, ArticlePage

    attachments = []
    for attachment in plan.attachments:
        if attachment.kind == "pdf":
            data = make_pdf(attachment.heading, attachment.paragraphs, issuer=attachment.issuer,
                            number=attachment.number)
        else:
            data = make_docx(attachment.heading, attachment.paragraphs, author=formal_name(spec))
        title = attachment.title.split("：", 1)[-1]
        document = store_document(title, attachment.filename, data, user=editor)
        attachments.append(ArticleAttachment(document=document, title=attachment.title))
    page = ArticlePage(
        title=plan.title, slug=plan.slug, publish_time=plan.publish_time, source=plan.source,
        author=plan.author, summary=plan.summary, keywords=plan.keywords,
        information_date=plan.information_date, body=plan.blocks,
        attachments=attachments, live=False, owner=editor, first_published_at=plan.publish_time,
    )
    column.add_child(instance=page)
    page.save_revision(user=editor, clean=False).publish(user=head, skip_permission_checks=True)
    return len(attachments)


def _person(username: str, full_name: str, result: DemoResult):
    from portal.accounts.models import User

    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        result.users += 1
    return user


def _department_people(department, spec: DepartmentSpec, result: DemoResult):
    """`<prefix>_editor` (业务员) and `<prefix>_head` (负责人) of one department."""
    from portal.accounts.roles import grant_department_role

    editor = _person(f"{spec.prefix}_editor", spec.editor_name, result)
    head = _person(f"{spec.prefix}_head", spec.head_name, result)
    grant_department_role(editor, department, "editor")
    grant_department_role(head, department, "head")
    return editor, head


def _central_people(result: DemoResult):
    """The central system administrator, and the one person who is 业务员 in two departments."""
    from portal.accounts.roles import (
        DUAL_CONTROL_ROLES,
        appoint_first_holder,
        grant_central_role,
        grant_department_role,
    )
    from tenants.models import Department

    admin = _person(ADMIN_USERNAME, ADMIN_FULL_NAME, result)
    grant_central_role(admin, "system_admin")
    for username, full_name, role in OTHER_CENTRAL_ADMINS:
        # The demo installs a fresh district: its 安全管理员 and 审计管理员 are the first holders.
        appoint = appoint_first_holder if role in DUAL_CONTROL_ROLES else grant_central_role
        appoint(_person(username, full_name, result), role)
    shared = Department.objects.filter(host_prefix__in=SHARED_EDITOR_DEPARTMENTS).order_by("sort_order")
    if shared.exists():
        person = _person(SHARED_EDITOR_USERNAME, SHARED_EDITOR_FULL_NAME, result)
        for department in shared:
            grant_department_role(person, department, "editor")
