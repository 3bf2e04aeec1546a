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
