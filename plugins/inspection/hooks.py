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
        },
    }


@hookimpl
def inspection_checks():
    from . import checks

    return [checks.column_checks, checks.availability_check]


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
    national minimum is 20), and the centre's digest of new serious findings at 08:00."""
    from datetime import timedelta

    from portal.scheduling import Job

    from . import service

    return [
        Job(name="inspection.daily", run=service.daily_inspection, daily_at="02:00"),
        Job(name="inspection.probes", run=service.probe_all, every=timedelta(hours=1)),
        Job(name="inspection.digest", run=service.send_digest, daily_at="08:00"),
    ]
