"""An outage is found and alerted within 10 minutes: a real server process serves 区教育局, the
5-minute watch runs on the scheduler's clock, the server is stopped, and the second failed probe
(at most 10 minutes after the stop) raises one incident, e-mails the person on duty and puts a
banner on the centre's admin pages; restarting the server resolves it. The hourly probes that
the 站点无法访问 veto counts are not touched by the watch."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import LIVE_PORT, ROOT, server_environment, wait_for_port

pytestmark = [pytest.mark.crawl, pytest.mark.django_db]  # a real server process: slow, always run
WATCHED_PORT = LIVE_PORT + 31


def _serve():
    log = open(ROOT / ".services" / f"test-watch-{WATCHED_PORT}.log", "w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{WATCHED_PORT}", "--noreload"],
        env=server_environment(WATCHED_PORT), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    wait_for_port(WATCHED_PORT, process, log.name)
    return process


def _stop(process):
    process.terminate()
    process.wait(10)


def test_a_stopped_server_is_alerted_within_ten_minutes(departments, settings, mailoutbox):
    from portal.accounts.models import User
    from portal.operations.models import DutyShift, Incident
    from portal.scheduling import all_jobs, run_due

    from plugins.inspection.models import AvailabilityProbe
    from tenants.models import Department

    # Homepage addresses point at the server this test starts; the other sites are left out of
    # the watch (inside this test's transaction only) so that the outage is exactly one site's.
    settings.PUBLIC_PORT = str(WATCHED_PORT)
    Department.objects.filter(kind__in=["portal", "bureau", "town"]).exclude(host_prefix="jyj").update(
        status="suspended")
    officer = User.objects.create_user("duty_sun", full_name="孙值班", email="sun@example.gov.cn")
    DutyShift.objects.create(start_date=timezone.localdate(), person=officer, role="主班")
    [watch] = [job for job in all_jobs() if job.name == "inspection.watch"]
    assert watch.every == timedelta(minutes=5)
    hourly_probes = AvailabilityProbe.objects.count()

    clock = timezone.now()
    server = _serve()
    try:
        for _ in range(2):  # answering: nothing to report
            assert run_due(clock, jobs=[watch]) == ["inspection.watch"]
            clock += timedelta(minutes=5)
        assert not Incident.objects.exists() and not mailoutbox
    finally:
        _stop(server)
    stopped_at = clock - timedelta(minutes=4)  # the server went down a minute after the last good probe

    assert run_due(clock, jobs=[watch]) == ["inspection.watch"]
    assert not Incident.objects.exists(), "一次探测失败不应告警（可能只是瞬间抖动）"
    assert run_due(clock + timedelta(minutes=2), jobs=[watch]) == []  # not due yet: every 5 minutes
    clock += timedelta(minutes=5)
    assert run_due(clock, jobs=[watch]) == ["inspection.watch"]
    detected_at = clock
    incident = Incident.objects.get()
    assert detected_at - stopped_at <= timedelta(minutes=10)
    assert incident.kind == "site_down" and incident.department == departments["jyj"]
    assert incident.title == "区教育局网站无法访问" and "连续 2 次失败" in incident.details
    assert "连接被拒绝" in incident.details
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sun@example.gov.cn"]
    assert "区教育局网站无法访问" in mailoutbox[0].subject

    centre, editor = Client(), Client()
    centre.force_login(User.objects.get(username="center_admin"))
    editor.force_login(User.objects.get(username="jyj_editor"))
    banner = centre.get("/admin/", HTTP_HOST="jyj.localhost").content.decode()
    assert "值班告警：1 个事件尚未确认" in banner and "区教育局网站无法访问" in banner
    plain = editor.get("/admin/", HTTP_HOST="jyj.localhost").content.decode()
    assert "值班告警" not in plain and "区教育局网站无法访问" not in plain

    clock += timedelta(minutes=5)  # still down: the same incident, nobody mailed again
    run_due(clock, jobs=[watch])
    assert Incident.objects.count() == 1 and len(mailoutbox) == 1

    server = _serve()
    try:
        clock += timedelta(minutes=5)
        run_due(clock, jobs=[watch])
    finally:
        _stop(server)
    incident.refresh_from_db()
    assert incident.resolved_at and incident.resolved_by is None and "自动关闭" in incident.resolution
    assert "值班告警" not in centre.get("/admin/", HTTP_HOST="jyj.localhost").content.decode()
    assert AvailabilityProbe.objects.count() == hourly_probes  # the veto's hourly figure is untouched
