"""Turns a blocked submit or publish into a message on the page's edit screen.

The gates raise `PublishingBlocked` from deep inside Wagtail's actions (a workflow's approval, a
bulk publish, the edit view's publish), where the surrounding transaction must roll back; this
middleware then records the block (once the failed transaction is over), adds the message with
its link to the 保密审查, and sends the person back to the edit screen — as JSON for Wagtail's
modal workflow dialogs, which expect that.
"""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages

from .confidentiality import PublishingBlocked


def blocked_response(request, blocked: PublishingBlocked):
    blocked.record(request)
    messages.error(request, blocked.message_html())
    page = blocked.page
    if page is not None and page.pk is not None:
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    else:
        url = request.META.get("HTTP_REFERER") or reverse("wagtailadmin_home")
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        from wagtail.admin.modal_workflow import render_modal_workflow

        return render_modal_workflow(request, "", None, {}, json_data={"step": "success", "redirect": url})
    return redirect(url)


class PublishingGovernanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PublishingBlocked) and request.path.startswith("/admin/"):
            return blocked_response(request, exception)
        return None
