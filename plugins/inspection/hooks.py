"""Hooks of the inspection plugin: its own data checks, its admin screens and its demo data."""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.inspection"]


@hookimpl
def plugin_info():
    return {
        "title": "网站巡检",
        "description": "每日巡检、单项否决指标、健康度和年度绩效评估通报",
        "audit_events": {
            "inspection_run": "发起巡检", "inspection_fix": "报告问题已整改", "inspection_ignore": "忽略巡检问题",
            "inspection_unignore": "取消忽略巡检问题", "inspection_rule_add": "新增链接忽略规则",
            "inspection_rule_delete": "删除链接忽略规则", "inspection_flag_add": "记录虚假信息",
            "inspection_report_export": "导出绩效评估报告",
            "inspection_trusted_host_add": "新增内网地址白名单", "inspection_trusted_host_delete": "删除内网地址白名单",
            "bulletin_draft": "起草年度通报", "bulletin_edit": "修改年度通报正文", "bulletin_submit": "报送年度通报",
            "bulletin_return": "退回年度通报", "bulletin_approve": "批准并发布年度通报",
            "bulletin_rectification": "提交通报整改情况",
        },
    }


@hookimpl
def inspection_checks():
    from . import bulletin, checks

    return [checks.column_checks, checks.availability_check, bulletin.rectification_check]


@hookimpl
def admin_urls():
    from . import urls

    return urls.urlpatterns


@hookimpl
def admin_menu_items(department):
    from portal.plugins import MenuLink

    return [MenuLink(label="网站巡检", url="/admin/plugins/inspection/", icon_name="warning", order=830)]


@hookimpl
def scheduled_jobs():
    """The daily inspection at 02:00, a homepage probe of every site each hour (24 a day, the
    national minimum is 20, counted by the veto), the watch every 5 minutes (alerts the person on
    duty when a site stops answering), the centre's digest of new serious findings at 08:00, and
    at 08:30 the yearly 通报's overdue 整改 (findings, mail) and, in March, its reminder."""
    from datetime import timedelta

    from portal.scheduling import Job

    from . import bulletin, service

    return [
        Job(name="inspection.daily", run=service.daily_inspection, daily_at="02:00"),
        Job(name="inspection.bulletin", run=bulletin.daily_jobs, daily_at="08:30"),
        Job(name="inspection.probes", run=service.probe_all, every=timedelta(hours=1)),
        Job(name="inspection.watch", run=service.watch_all, every=service.watch_interval()),
        Job(name="inspection.digest", run=service.send_digest, daily_at="08:00"),
    ]


@hookimpl
def security_checks(start, end):
    from . import service

    return service.security_check_counts(start, end)


@hookimpl
def demo_content(department, rng):
    """One 虚假信息 record, in a department the demo already makes neglectful, so the report's
    第十八条 list has every kind of evidence to show after `manage.py inspect --all`."""
    from datetime import timedelta

    from django.utils import timezone
    from portal.demo import STALE_NEWS_DEPARTMENTS

    from .models import FalseInformationFlag

    if department.host_prefix != STALE_NEWS_DEPARTMENTS[0]:
        return
    FalseInformationFlag.objects.get_or_create(
        department=department, title=f"{department.name}发布的补贴发放进度与实际不符",
        defaults={"date": timezone.localdate() - timedelta(days=rng.randint(20, 60)),
                  "evidence": "经区信息中心与业务主管部门核实，文中所称“已全部发放”与实际进度不符，已要求更正。"},
    )


@hookimpl
def workbench_panels(department, user, request):
    from .bulletin_panel import rectification_panel
    from .workbench import findings_panel

    return [findings_panel(request), rectification_panel(request)]
