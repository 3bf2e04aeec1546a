"""Hooks of the disclosure plugin: the catalogue, 依申请公开 and the annual report.

`plugins.disclosure` (public schema) holds the index-number counters, the central catalogue's
projection, applications and annual reports; `plugins.disclosure.entries` (every department's
schema) holds the catalogue entry page type.
"""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.disclosure"]
TENANT_APPS = ["plugins.disclosure.entries"]

# 《政府信息公开条例》: the parts every department's catalogue must have.
STANDARD_PARTS = [
    ("guide", "信息公开指南", "申请方式、受理机构地址、办公时间、联系电话、传真和电子邮箱"),
    ("rules", "信息公开制度", "本单位政府信息公开工作制度"),
    ("statutory", "法定主动公开内容", "依法应当主动公开的政府信息"),
    ("annual-reports", "信息公开年报", "本单位政府信息公开工作年度报告"),
    ("on-request", "依申请公开", "依申请公开政府信息的办理方式和申请入口"),
]


@hookimpl
def plugin_info():
    return {
        "title": "信息公开目录",
        "description": "政府信息公开目录、依申请公开和年度报告",
        "audit_events": {
            "disclosure_extend": "依申请公开延期答复",
            "disclosure_completion_request": "依申请公开要求补正",
            "disclosure_completion_received": "依申请公开补正到达",
            "disclosure_decide": "依申请公开答复",
            "disclosure_report_generate": "生成信息公开年报",
            "disclosure_report_edit": "修改信息公开年报",
            "disclosure_report_publish": "发布信息公开年报",
        },
    }


@hookimpl
def page_models():
    from .entries.models import CatalogueEntryPage

    return [CatalogueEntryPage]


@hookimpl
def public_urls():
    from django.urls import path

    from . import public_views

    return [
        path("catalogue/", public_views.catalogue, name="catalogue"),
        path("catalogue/apply/", public_views.apply, name="apply"),
        path("catalogue/status/", public_views.status, name="status"),
        path("catalogue/reports/", public_views.reports, name="reports"),
        path("catalogue/reports/<int:pk>/", public_views.report, name="report"),
        path("catalogue/reports/<int:pk>/pdf/", public_views.report_pdf, name="report_pdf"),
    ]


@hookimpl
def robots_disallow(department):
    # An applicant's query code opens their application and its 补正 requests.
    return ["/catalogue/status/"]


@hookimpl
def admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("", admin_views.index, name="index"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/extend/", admin_views.extend, name="extend"),
        path("<int:pk>/completion-request/", admin_views.request_completion, name="request_completion"),
        path("<int:pk>/completion-received/", admin_views.completion_received, name="completion_received"),
        path("<int:pk>/decide/", admin_views.decide, name="decide"),
        path("reports/", admin_views.reports, name="reports"),
        path("reports/<int:pk>/", admin_views.report, name="report"),
        path("reports/<int:pk>/publish/", admin_views.publish_report, name="publish_report"),
    ]


@hookimpl
def admin_menu_items(department):
    from portal.plugins import MenuLink

    return [MenuLink(label="依申请公开", url="/admin/plugins/disclosure/", icon_name="doc-full-inverse", order=830)]


@hookimpl
def search_documents(department):
    """Published annual reports. Entries are articles: the core indexes them when they are
    published (same transaction, same outbox), with their 索引号, 文号 and 主题词 in the text."""
    from .reports import published_report_documents

    return published_report_documents(department)


@hookimpl
def inspection_checks():
    from .inspection import missing_standard_parts, overdue_applications, unpublished_annual_report

    return [overdue_applications, unpublished_annual_report, missing_standard_parts]


@hookimpl
def performance_figures(department, start, end):
    from .statistics import request_figures

    return {"disclosure_requests": request_figures(department, start, end)}


@hookimpl
def demo_content(department, rng):
    from .demo import add_demo_content

    add_demo_content(department, rng)


@hookimpl
def provision_department(department):
    """Create the five standard parts under the department's 信息公开 column."""
    from portal.pages.models import ColumnPage, HomePage

    # The site's own 信息公开 column (a deleted one waits in the 回收站, beside the home page).
    home = HomePage.objects.filter(depth=2).first()
    disclosure = ColumnPage.objects.child_of(home).filter(column_type="disclosure").first() if home else None
    if disclosure is None:
        return
    existing = set(ColumnPage.objects.child_of(disclosure).values_list("slug", flat=True))
    for slug, title, description in STANDARD_PARTS:
        if slug not in existing:
            disclosure.add_child(
                instance=ColumnPage(title=title, slug=slug, column_type="disclosure", description=description)
            )


@hookimpl
def template_slot(slot, department, request):
    if slot == "footer_links":
        return '<li><a href="/catalogue/">信息公开目录</a></li>'
    return None


@hookimpl
def calendar_changed():
    from .applications import recompute_open_deadlines

    recompute_open_deadlines()


@hookimpl
def workbench_panels(department, user, request):
    from .workbench import applications_panel

    return [applications_panel(request)]
