"""An external-style plugin used by the tests: it implements every hook the core declares."""

from django.http import HttpResponse
from django.urls import path
from portal.hookspecs import hookimpl
from portal.plugins import MenuLink

calls: list[tuple] = []


@hookimpl
def plugin_info():
    return {"title": "示例插件", "description": "用于测试的插件"}


@hookimpl
def page_models():
    from portal.pages.models import ArticlePage

    return [ArticlePage]


@hookimpl
def admin_menu_items(department):
    return [MenuLink(label=f"示例菜单·{department.name}", url="/admin/plugins/sample/hello/")]


@hookimpl
def admin_urls():
    return [path("hello/", lambda request: HttpResponse("示例后台页面"), name="hello")]


@hookimpl
def public_urls():
    return [path("sample/", lambda request: HttpResponse(f"示例公开页面·{request.tenant.name}"), name="public")]


@hookimpl
def template_slot(slot, department, request):
    if slot == "footer_links":
        return '<li class="sample-slot">示例链接</li>'
    return None


@hookimpl
def search_documents(department):
    return [{"kind": "sample", "object_id": 1, "title": f"{department.name}示例文档", "url": "/sample/"}]


@hookimpl
def inspection_checks():
    def sample_check(department):
        return [{"item": "示例检查", "title": department.name}]

    return [sample_check]


@hookimpl
def provision_department(department):
    calls.append(("provision_department", department.host_prefix))


@hookimpl
def demo_content(department, rng):
    calls.append(("demo_content", department.host_prefix, rng.random()))


@hookimpl
def audit_event(event, user, department, target, success, details):
    calls.append(("audit_event", event, getattr(department, "host_prefix", None), success))


@hookimpl
def performance_figures(department, start, end):
    return {"sample": {"days": (end - start).days + 1, "department": department.host_prefix}}


@hookimpl
def scheduled_jobs():
    from datetime import timedelta

    from portal.scheduling import Job

    return [Job(name="sample.hourly", run=lambda: calls.append(("scheduled", "hourly")), every=timedelta(hours=1))]


@hookimpl
def workbench_panels(department, user, request):
    from portal.workbench import Line, Panel

    return [Panel(key="sample", title="示例待办", order=70, empty_text="没有示例待办。",
                  lines=[Line(text=f"{department.name}的示例待办", url="/admin/plugins/sample/hello/")])]
