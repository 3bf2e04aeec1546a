"""The inspection's scheduled jobs: registered with the core scheduler; probes count towards the
站点无法访问 veto; the digest mails the centre the new serious findings only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plugins.inspection import service
from plugins.inspection.models import AvailabilityProbe, Finding

pytestmark = pytest.mark.django_db


def test_jobs_are_registered():
    from portal.scheduling import all_jobs

    jobs = {job.name: job for job in all_jobs()}
    assert jobs["inspection.daily"].daily_at == "02:00"
    assert jobs["inspection.probes"].every == timedelta(hours=1)  # 24 probes a day, at least 20 required
    assert jobs["inspection.digest"].daily_at == "08:00"


def test_failed_probes_over_a_week_are_a_veto(departments):
    jyj = departments["jyj"]
    # A closed port answers nothing: a real failed probe, recorded with its reason.
    failed = service.probe(jyj, url="http://127.0.0.1:9/")
    assert not failed.ok and failed.error
    now = timezone.now()
    for hour in range(1, 100):  # 99 good probes + 1 failure = 1 % failures: no finding
        AvailabilityProbe.objects.create(department=jyj, ok=True, status=200, seconds=0.2,
                                         time=now - timedelta(hours=hour))
    service.inspect_department(jyj, crawl=False)
    assert not Finding.objects.filter(department=jyj, item="site_unavailable").exists()
    for hour in range(100, 105):  # 6 failures out of 105 ≥ 5 %: the veto
        AvailabilityProbe.objects.create(department=jyj, ok=False, error="超过 15 秒未加载完成",
                                         time=now - timedelta(hours=hour))
    service.inspect_department(jyj, crawl=False)
    finding = Finding.objects.get(department=jyj, item="site_unavailable", key="availability")
    assert finding.severity == "veto" and "失败 6 次" in finding.title
    # Probes older than a week do not count.
    AvailabilityProbe.objects.filter(department=jyj, ok=False).update(time=now - timedelta(days=8))
    service.inspect_department(jyj, crawl=False)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.FIXED


def test_probe_of_a_live_site(departments, live_server_url):
    probe = service.probe(departments["jyj"], url=live_server_url.format(prefix="jyj") + "/")
    assert probe.ok and probe.status == 200 and probe.seconds < 15


def test_digest_mails_new_serious_findings(departments, mailoutbox):
    from portal.accounts.models import User

    User.objects.filter(username="center_admin").update(email="centre@example.gov.cn")
    service.inspect_department(departments["wjj"], crawl=False)  # blank columns: serious
    old = Finding.objects.filter(department=departments["wjj"]).first()
    Finding.objects.filter(pk=old.pk).update(first_seen=timezone.now() - timedelta(days=3))
    Finding.objects.filter(department=departments["wjj"]).exclude(pk=old.pk).update(severity="normal")
    Finding.objects.create(department=departments["jyj"], item="classified_mark", key="mark:/x/:机密",
                           title="公开页面出现涉密标识“机密”", severity="serious")
    assert service.send_digest() == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["centre@example.gov.cn"] and "新发现严重问题 1 个" in mail.subject
    assert "【区教育局】严重·涉密标识" in mail.body and old.title not in mail.body


def test_unreachable_site_keeps_its_page_findings(departments, settings):
    """A crawl that cannot load the homepage reports it, and closes none of the page findings."""
    jyj = departments["jyj"]
    footer = Finding.objects.create(department=jyj, item="footer_missing", key="footer:police",
                                    title="页脚缺少公安机关备案号", source="crawl")
    settings.PUBLIC_PORT = "9"  # the site's own public address, where nothing answers
    run = service.execute_run(service.start_run(jyj), start_urls={"jyj": "http://jyj.localhost:9/"})
    assert run.status == "done"
    down = Finding.objects.get(department=jyj, item="site_unavailable", key="crawl")
    assert "巡检时首页无法访问" in down.title and "连接被拒绝" in down.title
    footer.refresh_from_db()
    assert footer.status == Finding.Status.OPEN


def test_a_plugin_check_that_breaks_the_contract_does_not_stop_the_inspection(departments, monkeypatch):
    """A check that raises, or returns a finding without a known item or key, is logged and skipped."""
    import portal.plugins

    def broken(department):
        raise RuntimeError("boom")

    def malformed(department):
        return [{"item": "示例检查", "title": department.name}, {"item": "broken_link", "title": "无 key"}]

    original = portal.plugins.inspection_checks
    monkeypatch.setattr(portal.plugins, "inspection_checks",
                        lambda department: [broken, malformed, *original(department)])
    service.inspect_department(departments["wjj"], crawl=False)
    items = set(Finding.objects.filter(department=departments["wjj"]).values_list("item", flat=True))
    assert "blank_column" in items and "示例检查" not in items and "broken_link" not in items
