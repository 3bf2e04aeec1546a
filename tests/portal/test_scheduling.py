"""Scheduled jobs: due on their clock, recorded, never run twice for one slot, failures kept."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from portal.models import ScheduledRun
from portal.scheduling import Job, run_due

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_a_daily_job_runs_once_per_day_after_its_time(db):
    runs = []
    job = Job(name="test.daily", run=lambda: runs.append(1), daily_at="08:00")
    assert run_due(at(26, 7, 59), jobs=[job]) == []
    assert run_due(at(26, 8, 0), jobs=[job]) == ["test.daily"]
    assert run_due(at(26, 12, 0), jobs=[job]) == []  # not again the same day
    assert run_due(at(27, 8, 1), jobs=[job]) == ["test.daily"]
    assert len(runs) == 2


def test_an_interval_job_and_a_failing_job(db):
    def broken():
        raise RuntimeError("数据库不可用")

    hourly = Job(name="test.hourly", run=lambda: None, every=timedelta(hours=1))
    failing = Job(name="test.failing", run=broken, every=timedelta(hours=1))
    assert run_due(at(26, 9), jobs=[failing, hourly]) == ["test.failing", "test.hourly"]
    assert run_due(at(26, 9, 30), jobs=[failing, hourly]) == []
    assert run_due(at(26, 10), jobs=[failing, hourly]) == ["test.failing", "test.hourly"]
    record = ScheduledRun.objects.get(name="test.failing")
    assert "数据库不可用" in record.last_error and record.last_finished is not None
    assert ScheduledRun.objects.get(name="test.hourly").last_error == ""


def test_a_job_needs_exactly_one_clock():
    with pytest.raises(ValueError):
        Job(name="test.none", run=lambda: None)


def test_scheduled_jobs(db):
    """Plugins' jobs come through the hook; `run_scheduler --once` runs those that are due."""
    from portal.plugins import get_manager

    from tests.plugins import sample_plugin

    manager = get_manager()
    manager.register(sample_plugin, name="sample")
    try:
        sample_plugin.calls.clear()
        call_command("run_scheduler", "--once")
        assert ("scheduled", "hourly") in sample_plugin.calls
        call_command("run_scheduler", "--once")
        assert sample_plugin.calls.count(("scheduled", "hourly")) == 1
    finally:
        manager.unregister(name="sample")
