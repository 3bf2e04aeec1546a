"""Wagtail admin integration of publishing governance: 保密审查 views, the word lists, and the
checks that run when an editor saves, copies or bulk-publishes articles."""

from django.urls import include, path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from . import views
from .confidentiality import HELD_CONTENT, ConfidentialityBlocked, can_review, check_publishable
from .middleware import blocked_response
from .models import ScanTerm
from .scanning import scan_page
from .viewsets import ScanTermViewSet, TermManagersPolicy

register_permission_policy(ScanTerm, TermManagersPolicy(ScanTerm))

governance_urls = [
    path("confidentiality/", views.confidentiality_index, name="confidentiality_index"),
    path("confidentiality/<int:page_id>/", views.confidentiality_review, name="confidentiality_review"),
]


@hooks.register("register_admin_urls")
def governance_admin_urls():
    return [path("governance/", include((governance_urls, "governance"), namespace="governance"))]


@hooks.register("register_admin_viewset")
def scan_term_viewset():
    return ScanTermViewSet()


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


@hooks.register("register_admin_menu_item")
def confidentiality_menu_item():
    return ReviewerMenuItem("保密审查", reverse("governance:confidentiality_index"), icon_name="lock", order=9015)


def _article(page):
    from portal.pages.models import ArticlePage

    specific = page.specific
    return specific if isinstance(specific, ArticlePage) else None


def _warn_after_save(request, page):
    """错敏词 after every save (not after the editor's background autosaves)."""
    if _article(page) is None or not request.accepts("text/html"):
        return
    result = scan_page(page.specific.get_latest_revision_as_object())
    if result.warnings:
        items = format_html_join("", "<li>{}</li>", ((hit.message,) for hit in result.warnings))
        messages.warning(request, format_html("请核实以下错敏词（不影响发布）：<ul>{}</ul>", items))
    if result.blocking and not page.specific.live:
        items = format_html_join("", "<li>{}</li>", ((hit.message,) for hit in result.blocking))
        messages.warning(
            request, format_html("{}，提交审核前须删除或经保密审查同意：<ul>{}</ul>", HELD_CONTENT, items)
        )


@hooks.register("after_edit_page")
def warn_after_edit(request, page):
    _warn_after_save(request, page)


@hooks.register("after_create_page")
def warn_after_create(request, page):
    _warn_after_save(request, page)


@hooks.register("before_publish_page")
def gate_admin_publish(request, page):
    """The edit view publishes without `Page.publish()`; a publish scheduled for later too."""
    if _article(page) is not None:
        check_publishable(page.specific, "publish", user=request.user)


@hooks.register("before_copy_page")
def gate_copy_kept_live(request, page):
    """A copy that stays live is a publish of every live article it copies."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    candidates = [page.specific]
    if request.POST.get("copy_subpages"):
        candidates.extend(page.get_descendants().live().specific())
    try:
        for candidate in candidates:
            if _article(candidate) is not None and candidate.live:
                check_publishable(candidate, "publish", user=request.user)
    except ConfidentialityBlocked as blocked:
        return blocked_response(request, blocked)
    return None


@hooks.register("before_bulk_action")
def gate_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    pages = list(objects)
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live())
    try:
        for page in pages:
            if _article(page) is not None:
                check_publishable(page.specific.get_latest_revision_as_object(), "publish", user=request.user)
    except ConfidentialityBlocked as blocked:
        return blocked_response(request, blocked)
    return None
