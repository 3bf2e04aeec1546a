"""Hooks of the 在线访谈 plugin."""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.interviews"]
# An ended interview whose questions are still unmoderated this long after it is a finding.
UNHANDLED_AFTER_DAYS = 5


@hookimpl
def plugin_info():
    return {
        "title": "在线访谈",
        "description": "访谈预告、网民提问、文字直播和往期实录",
        "audit_events": {
            "interviews_create": "新建在线访谈", "interviews_edit": "修改在线访谈",
            "interviews_announce": "发布访谈预告", "interviews_start": "开始在线访谈",
            "interviews_end": "结束在线访谈", "interviews_publish": "发布访谈问答",
            "interviews_reject": "不予发布访谈提问",
        },
    }


@hookimpl
def public_urls():
    from django.urls import path

    from . import public_views

    return [
        path("interviews/", public_views.index, name="index"),
        path("interviews/<int:pk>/", public_views.detail, name="detail"),
        path("interviews/<int:pk>/transcript.json", public_views.transcript, name="transcript"),
        path("interviews/<int:pk>/ask/", public_views.ask, name="ask"),
    ]


@hookimpl
def admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("", admin_views.index, name="index"),
        path("new/", admin_views.edit, name="new"),
        path("<int:pk>/", admin_views.moderate, name="moderate"),
        path("<int:pk>/edit/", admin_views.edit, name="edit"),
        path("<int:pk>/<slug:action>/", admin_views.move, name="move"),
        path("<int:pk>/questions/<int:question_pk>/publish/", admin_views.publish, name="publish"),
        path("<int:pk>/questions/<int:question_pk>/reject/", admin_views.reject, name="reject"),
    ]


@hookimpl
def admin_menu_items(department):
    from portal.plugins import MenuLink

    return [MenuLink(label="在线访谈", url="/admin/plugins/interviews/", icon_name="comment", order=830)]


@hookimpl
def template_slot(slot, department, request):
    if slot == "footer_links":
        return '<li><a href="/interviews/">在线访谈</a></li>'
    return None


@hookimpl
def search_documents(department):
    """Ended interviews of this department with their transcripts, on the department's site."""
    from django.utils import timezone

    from .models import Interview

    documents = []
    for interview in Interview.objects.filter(department=department, status=Interview.Status.ENDED):
        transcript = "\n".join(
            f"网友问：{question.text}\n{question.answered_by}答：{question.answer}"
            for question in interview.transcript()
        )
        documents.append({
            "kind": "interview", "object_id": interview.pk, "title": interview.title,
            "url": f"{department.base_url}/interviews/{interview.pk}/",
            "publish_time": interview.starts_at,
            "summary": (interview.introduction or f"访谈嘉宾：{interview.guest_line}")[:200],
            "body_text": f"访谈嘉宾：{interview.guest_line}\n"
                         f"访谈时间：{timezone.localtime(interview.starts_at):%Y-%m-%d %H:%M}\n"
                         f"{interview.introduction}\n{transcript}",
            "type": "interview", "type_label": "在线访谈",
        })
    return documents


def unhandled_questions(department):
    """互动回应差: an interview ended days ago with questions nobody answered or turned down."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import Interview, Question

    ended = Interview.objects.filter(
        department=department, status=Interview.Status.ENDED,
        ends_at__lt=timezone.now() - timedelta(days=UNHANDLED_AFTER_DAYS),
    ).annotate(pending=Count("questions", filter=Q(questions__status=Question.Status.PENDING))).filter(pending__gt=0)
    return [{
        "item": "interaction_poor", "key": f"interview:{interview.pk}",
        "title": f"在线访谈《{interview.title}》结束已超过 {UNHANDLED_AFTER_DAYS} 天，"
                 f"仍有 {interview.pending} 条网民提问未处理",
        "url": f"{department.base_url}/interviews/{interview.pk}/",
        "edit_url": f"{department.base_url}/admin/plugins/interviews/{interview.pk}/",
        "evidence": f"访谈结束于 {timezone.localtime(interview.ends_at):%Y-%m-%d %H:%M}",
    } for interview in ended]


@hookimpl
def inspection_checks():
    return [unhandled_questions]


@hookimpl
def performance_figures(department, start, end):
    from .statistics import figures_for

    return {"interviews": figures_for(department, start, end)}


@hookimpl
def demo_content(department, rng):
    from .demo import create_demo_interviews

    create_demo_interviews(department, rng)


@hookimpl
def workbench_panels(department, user, request):
    from .workbench import questions_panel

    return [questions_panel(request)]
