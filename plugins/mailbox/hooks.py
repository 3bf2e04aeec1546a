"""Hooks of the citizen mailbox plugin."""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.mailbox"]


@hookimpl
def plugin_info():
    return {
        "title": "政务邮箱",
        "description": "群众来信、转办、答复和公开",
        "audit_events": {
            "mailbox_forward": "信件转交", "mailbox_transfer": "信件改转", "mailbox_close": "信件办结（无效/重复）",
            "mailbox_reply": "起草答复", "mailbox_approve": "审核并答复信件", "mailbox_publish": "公开信件",
            "mailbox_extend": "批准信件延期", "mailbox_ask_extension": "申请信件延期",
            "mailbox_deny_extension": "驳回信件延期申请",
        },
    }


@hookimpl
def public_urls():
    from django.urls import path

    from . import public_views

    return [
        path("mailbox/", public_views.published, name="published"),
        path("mailbox/letters/<int:pk>/", public_views.published_letter, name="letter"),
        path("mailbox/statistics/", public_views.statistics, name="statistics"),
        path("mailbox/write/", public_views.write, name="write"),
        path("mailbox/query/", public_views.query, name="query"),
    ]


@hookimpl
def robots_disallow(department):
    # A writer's query code opens their letter and its reply: no search engine should try codes.
    return ["/mailbox/query/"]


@hookimpl
def admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("", admin_views.index, name="index"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/forward/", admin_views.forward, name="forward"),
        path("<int:pk>/close/", admin_views.close, name="close"),
        path("<int:pk>/reply/", admin_views.reply, name="reply"),
        path("<int:pk>/approve/", admin_views.approve, name="approve"),
        path("<int:pk>/publish/", admin_views.publish, name="publish"),
        path("<int:pk>/extend/", admin_views.extend, name="extend"),
        path("<int:pk>/request-extension/", admin_views.request_extension, name="request_extension"),
        path("<int:pk>/deny-extension/", admin_views.deny_extension, name="deny_extension"),
    ]


@hookimpl
def admin_menu_items(department):
    from portal.plugins import MenuLink

    return [MenuLink(label="政务邮箱", url="/admin/plugins/mailbox/", icon_name="mail", order=820)]


@hookimpl
def template_slot(slot, department, request):
    if slot == "footer_links":
        return '<li><a href="/mailbox/">政务邮箱</a></li>'
    return None


@hookimpl
def search_documents(department):
    """Published letters of this department, without personal data; their page is on the portal."""
    from tenants.models import Department

    from .models import Letter

    portal = Department.objects.filter(kind="portal").first()
    if portal is None:
        return []
    letters = Letter.objects.filter(department=department, status=Letter.Status.PUBLISHED).prefetch_related("replies")
    documents = []
    for letter in letters:
        reply = letter.published_reply()
        documents.append({
            "kind": "letter", "object_id": letter.pk, "title": letter.public_subject,
            "url": f"{portal.base_url}/mailbox/letters/{letter.pk}/",
            "publish_time": reply.approved_at if reply else letter.received_at,
            "summary": letter.public_content[:200],
            "body_text": f"{letter.public_content}\n答复：{reply.public_text if reply else ''}",
        })
    return documents


def unanswered_letters(department):
    """互动回应差: a valid letter received within the last year and unanswered for 3 months."""
    from django.utils import timezone

    from .notifications import unanswered_since

    findings = []
    for letter in unanswered_since(department=department):
        days = (timezone.now() - letter.received_at).days
        findings.append({
            "item": "interaction_poor", "key": f"letter:{letter.pk}", "severity": "veto",
            "title": f"来信《{letter.public_subject}》{days} 天未答复",
            "edit_url": f"{department.base_url}/admin/plugins/mailbox/{letter.pk}/",
            "evidence": f"收信 {timezone.localtime(letter.received_at):%Y-%m-%d}，"
                        f"答复期限 {letter.due_date:%Y-%m-%d}" if letter.due_date else "答复期限未确定（缺少日历）",
        })
    return findings


@hookimpl
def inspection_checks():
    return [unanswered_letters]


@hookimpl
def performance_figures(department, start, end):
    from .statistics import figures_for

    return {"mailbox": figures_for(department, start, end).as_dict()}


@hookimpl
def scheduled_jobs():
    from portal.scheduling import Job

    from .notifications import send_overdue_digest

    return [Job(name="mailbox.overdue_digest", run=send_overdue_digest, daily_at="08:30")]


@hookimpl
def calendar_changed():
    from .service import recompute_open_deadlines

    recompute_open_deadlines()


@hookimpl
def demo_content(department, rng):
    from .demo import create_demo_letters

    create_demo_letters(department, rng)


@hookimpl
def workbench_panels(department, user, request):
    from .workbench import letters_panel

    return [letters_panel(request)]
