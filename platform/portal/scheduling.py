"""Jobs that run on a clock: daily digests, the daily inspection, availability probes, the watch.

Plugins return `Job`s from the `scheduled_jobs` hook. `manage.py run_scheduler` runs each job
when it is due and records the run in `ScheduledRun`, so a restarted scheduler neither repeats
nor skips a run, and two schedulers never run the same job at once (the row is locked).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Job:
    """`run` is called without arguments, either `every` so often or daily at `daily_at`
    ("HH:MM", Beijing time)."""

    name: str
    run: Callable[[], object]
    every: timedelta | None = None
    daily_at: str | None = None

    def __post_init__(self):
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"定时任务 {self.name} 须且只能设置 every 或 daily_at 之一")

    def due(self, last_started: datetime | None, now: datetime) -> bool:
        if self.every is not None:
            return last_started is None or now - last_started >= self.every
        hour, minute = (int(part) for part in self.daily_at.split(":"))
        local_now = timezone.localtime(now, SHANGHAI)
        slot = datetime.combine(local_now.date(), time(hour, minute), tzinfo=SHANGHAI)
        return local_now >= slot and (last_started is None or last_started < slot)


def core_jobs() -> list[Job]:
    """The core's own clockwork (plugins add theirs through the `scheduled_jobs` hook)."""
    from django.conf import settings

    from .delivery.tamper import check_all
    from .operations import scheduled_publishing
    from .operations.backups import create_backup
    from .recyclebin.service import purge_all_departments
    from .visits.flush import FLUSH_EVERY, flush_to_database, purge_raw_counters

    jobs = [
        Job("scheduled_publishing", scheduled_publishing.publish_scheduled_everywhere,
            every=scheduled_publishing.interval()),
        Job("tamper_check", check_all, every=timedelta(minutes=settings.TAMPER_CHECK_MINUTES)),
        # What has been in a department's 回收站 for 30 days is deleted for good.
        Job("recycle_bin_purge", purge_all_departments, daily_at="03:15"),
        # 访问统计: the store's counters into the tables; page and column counters kept 400 days.
        Job("visit_counters", flush_to_database, every=FLUSH_EVERY),
        Job("visit_counters_purge", purge_raw_counters, daily_at="03:45"),
    ]
    if settings.BACKUP_SCHEDULE == "scheduler":
        jobs.append(Job("nightly_backup", create_backup, daily_at="01:30"))
    return jobs


def all_jobs() -> list[Job]:
    from .plugins import get_manager

    return [*core_jobs(), *(job for jobs in get_manager().hook.scheduled_jobs() for job in jobs or [])]


def run_due(now: datetime | None = None, jobs: list[Job] | None = None) -> list[str]:
    """Run every job that is due now; return the names of those that ran. A failing job is
    logged and recorded, and does not stop the others."""
    from .models import ScheduledRun

    now = now or timezone.now()
    ran = []
    for job in all_jobs() if jobs is None else jobs:
        ScheduledRun.objects.get_or_create(name=job.name)
        with transaction.atomic():
            record = ScheduledRun.objects.select_for_update(skip_locked=True).filter(name=job.name).first()
            if record is None or not job.due(record.last_started, now):
                continue
            record.last_started = now
            record.save(update_fields=["last_started"])
        error = ""
        try:
            job.run()
        except Exception as failure:  # noqa: BLE001 - one broken job must not stop the others
            logger.exception("定时任务 %s 失败", job.name)
            error = f"{type(failure).__name__}: {failure}"
        ScheduledRun.objects.filter(name=job.name).update(last_finished=timezone.now(), last_error=error)
        ran.append(job.name)
    return ran
