"""Host routing for departments, with a cached host → department lookup.

django-tenants looks the tenant up in the database on every request; a consolidated platform
serves hundreds of hosts, so the lookup is cached per process (invalidated when a department or
domain changes) and the request pays no query for it. Unlike the stock middleware we keep the
`www.` prefix: `www.` is the district portal, a tenant of its own.
"""

import threading
import time

from django.conf import settings
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.template.response import TemplateResponse
from django_tenants.middleware.main import TenantMainMiddleware

from .models import Department, Domain

# Other app servers learn of a change within this many seconds.
HOST_CACHE_SECONDS = 30
_hosts: dict[str, tuple[Department, float]] = {}
_hosts_lock = threading.Lock()


def forget_hosts(**kwargs):
    with _hosts_lock:
        _hosts.clear()


post_save.connect(forget_hosts, sender=Department)
post_delete.connect(forget_hosts, sender=Department)
post_save.connect(forget_hosts, sender=Domain)
post_delete.connect(forget_hosts, sender=Domain)


def department_for_host(hostname: str) -> Department:
    cached = _hosts.get(hostname)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    department = Domain.objects.select_related("tenant").get(domain=hostname).tenant
    with _hosts_lock:
        _hosts[hostname] = (department, now + HOST_CACHE_SECONDS)
    return department


class DepartmentMiddleware(TenantMainMiddleware):
    TENANT_NOT_FOUND_EXCEPTION = Http404

    @staticmethod
    def hostname_from_request(request):
        return request.get_host().split(":")[0].lower()

    def get_tenant(self, domain_model, hostname):
        return department_for_host(hostname)


class DepartmentStatusMiddleware:
    """Suspended and archived departments answer visitors with a notice instead of content.

    The admin stays reachable so that the 区信息中心 can still work on the department.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        department = getattr(request, "tenant", None)
        if (
            department is not None
            and department.status != Department.Status.ACTIVE
            and not request.path.startswith(("/admin/", "/static/"))
        ):
            status = 503 if department.status == Department.Status.SUSPENDED else 410
            response = TemplateResponse(
                request, "tenants/unavailable.html", {"department": department}, status=status
            )
            if status == 503:
                response["Retry-After"] = "86400"
            return response.render()
        return self.get_response(request)


def current_department() -> Department | None:
    """The department whose schema the connection is using, outside or inside a request, however
    the schema was entered: `tenant_context(department)`, or `schema_context(name)` (the usual
    idiom in scripts, which leaves a bare tenant object on the connection) — there the department
    is looked up by its schema, so publishing from a script still reaches the projection."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Department):
        return tenant
    schema = getattr(connection, "schema_name", None)
    if not schema or schema in ("public", settings.TENANT_BASE_SCHEMA):
        return None
    return Department.objects.filter(schema_name=schema).first()
