"""Scheduled publishing in every department, watched.

Wagtail publishes what editors scheduled (and unpublishes what expired) with its
`publish_scheduled` command, which knows one schema at a time; this job runs it in each site's
schema. It is where publishing fails with nobody watching: an error there (the projection or
search write, a broken page) would otherwise leave items unpublished in silence. A department
whose scheduled publishing fails `PUBLISH_FAILURE_ALERT_RUNS` runs in a row (default 3) raises a
发布失败 incident; its next successful run resolves it. Content held back by the confidentiality
check is not a failure: it stays scheduled and its 保密审查 is recorded (portal.governance).

Publishing by a person (edit screen, workflow approval) fails in front of that person, who sees
the error at once; those failures are not counted here.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import tenant_context

from .incidents import report_check

logger = logging.getLogger(__name__)


def interval() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "SCHEDULED_PUBLISHING_MINUTES", 5)))


def publish_scheduled_everywhere() -> dict[str, bool]:
    """Run Wagtail's scheduled publishing in every active site; returns {host prefix: succeeded}."""
    from tenants.models import Department

    threshold = int(getattr(settings, "PUBLISH_FAILURE_ALERT_RUNS", 3))
    states = {}
    sites = Department.sites().filter(status="active")
    for department in sites.order_by("sort_order", "id"):
        error = ""
        try:
            with tenant_context(department):
                call_command("publish_scheduled", verbosity=0)
        except Exception as failure:  # noqa: BLE001 - one department's failure must not stop the others
            logger.exception("定时发布失败：%s", department.host_prefix)
            error = f"{type(failure).__name__}: {failure}"
        report_check(
            f"publish_failure:{department.schema_name}", not error, kind="publish_failure", department=department,
            threshold=threshold, title=f"{department.name}定时发布连续失败",
            details=f"定时发布（到时自动发布、到期自动撤销）出错：{error}\n到时应发布的信息尚未上线，请检查后重新发布。",
        )
        states[department.host_prefix] = not error
    return states
