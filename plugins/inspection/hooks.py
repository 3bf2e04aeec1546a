"""Hooks of the inspection plugin: the checks it contributes itself."""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.inspection"]


@hookimpl
def plugin_info():
    return {"title": "网站巡检", "description": "每日巡检、单项否决指标和健康度"}


def blank_columns(department):
    """空白栏目: a column that has had no content since it was created."""
    from portal.pages.models import ColumnPage

    findings = []
    for column in ColumnPage.objects.filter(depth=3).exclude(column_type__in=["about", "service", "interaction"]):
        if not column.get_children().live().exists():
            findings.append({"item": "空白栏目", "title": column.title, "page_id": column.pk})
    return findings


@hookimpl
def inspection_checks():
    return [blank_columns]
