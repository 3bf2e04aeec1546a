"""Hooks of the 征集调查 plugin (意见征集 and 问卷调查).

Everything the plugin adds to the site, the search, the inspection, the 工作台 and the yearly
statement comes through these hooks; its data lives in each department's own schema.
"""

from portal.hookspecs import hookimpl

TENANT_APPS = ["plugins.consultation"]

# A closed consultation must publish its 结果反馈 within this many days.
RESULT_DAYS = 30


@hookimpl
def plugin_info():
    return {
        "title": "征集调查",
        "description": "意见征集、问卷调查和结果反馈",
        "audit_events": {
            "consultation_publish": "发布征集调查", "consultation_moderate": "审核征集意见",
            "consultation_result": "公布征集结果反馈",
        },
    }


@hookimpl
def public_urls():
    from django.urls import path

    from . import public_views

    return [
        path("consultations/", public_views.index, name="index"),
        path("consultations/statistics/", public_views.statistics, name="statistics"),
        path("consultations/<int:pk>/", public_views.detail, name="detail"),
        path("consultations/<int:pk>/take-part/", public_views.take_part, name="take_part"),
    ]


@hookimpl
def admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("", admin_views.index, name="index"),
        path("new/", admin_views.new, name="new"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/edit/", admin_views.edit, name="edit"),
        path("<int:pk>/publish/", admin_views.publish, name="publish"),
        path("<int:pk>/questions/", admin_views.add_question, name="add_question"),
        path("<int:pk>/questions/<int:question_pk>/delete/", admin_views.delete_question, name="delete_question"),
        path("<int:pk>/submissions/<int:submission_pk>/", admin_views.moderate, name="moderate"),
        path("<int:pk>/result/", admin_views.publish_result, name="publish_result"),
    ]


@hookimpl
def admin_menu_items(department):
    from portal.plugins import MenuLink

    return [MenuLink(label="征集调查", url="/admin/plugins/consultation/", icon_name="list-ul", order=840)]


@hookimpl
def template_slot(slot, department, request):
    """The 互动交流 column lists the department's consultations; the footer links to them."""
    if slot == "footer_links":
        return '<li><a href="/consultations/">征集调查</a></li>'
    if slot == "interaction_column":
        from django.template.loader import render_to_string

        from .public_views import published_consultations

        return render_to_string("consultation/column.html", {"items": published_consultations()[:10]})
    return None


@hookimpl
def search_documents(department):
    """Published consultations: the draft, purpose and, once published, the 结果反馈 (read in the
    department's schema, wherever the caller is)."""
    from django_tenants.utils import tenant_context

    from .models import Consultation

    with tenant_context(department):
        consultations = list(Consultation.objects.filter(published_at__isnull=False))
    documents = []
    for consultation in consultations:
        result = ""
        if consultation.result_published_at is not None:
            result = (f"\n结果反馈：收到意见 {consultation.result_received} 条，采纳 {consultation.result_adopted} 条。"
                      f"\n{consultation.result_reasons}")
        documents.append({
            "kind": "consultation", "object_id": consultation.pk, "title": consultation.title,
            "url": f"{department.base_url}/consultations/{consultation.pk}/",
            "publish_time": consultation.published_at, "summary": consultation.purpose[:200],
            "body_text": f"{consultation.purpose}\n{consultation.draft}\n{consultation.usage}{result}",
            "type": "consultation", "type_label": consultation.get_kind_display(),
        })
    return documents


def missing_results(department):
    """互动回应差: a consultation closed more than 30 days ago without a published 结果反馈."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Consultation

    now = timezone.now()
    late = Consultation.objects.filter(published_at__isnull=False, result_published_at__isnull=True,
                                       ends_at__lt=now - timedelta(days=RESULT_DAYS))
    return [{
        "item": "interaction_poor", "key": f"consultation:{consultation.pk}", "severity": "serious",
        "title": f"{consultation.get_kind_display()}《{consultation.title}》结束 {(now - consultation.ends_at).days} 天"
                 f"仍未公布结果反馈",
        "url": f"{department.base_url}/consultations/{consultation.pk}/",
        "edit_url": f"{department.base_url}/admin/plugins/consultation/{consultation.pk}/",
        "evidence": f"征集于 {timezone.localtime(consultation.ends_at):%Y-%m-%d %H:%M} 结束，"
                    f"应在 {RESULT_DAYS} 天内公布结果反馈",
    } for consultation in late]


@hookimpl
def inspection_checks():
    return [missing_results]


@hookimpl
def performance_figures(department, start, end):
    from .statistics import figures_for

    return {"consultation": figures_for(department, start, end)}


@hookimpl
def scheduled_jobs():
    from datetime import timedelta

    from portal.scheduling import Job

    from .service import refresh_all_phases

    return [Job(name="consultation.phases", run=refresh_all_phases, every=timedelta(minutes=1))]


@hookimpl
def workbench_panels(department, user, request):
    from .workbench import consultation_panel

    return [consultation_panel(department, request)]


@hookimpl
def demo_content(department, rng):
    from .demo import create_demo_consultations

    create_demo_consultations(department, rng)
