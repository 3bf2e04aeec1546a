"""The 发布前检查 panel at the top of the article editor.

It shows what the scanner finds in the saved draft: 错敏词 with their suggested correction
(warnings), classification marks and personal data (which block submitting and publishing until
a 保密审查 agrees), and attachments that could not be read. The 负责人 sees the same panel when
opening a page that waits for approval.
"""

from django.template.loader import render_to_string
from wagtail.admin.panels import HelpPanel


def checks_context(page) -> dict:
    from .confidentiality import current_site_department, latest_decision
    from .scanning import scan_page

    if page is None or page.pk is None:
        return {"unsaved": True}
    result = scan_page(page)
    decision = latest_decision(current_site_department(), result.content_hash) if result.blocking else None
    from django.urls import reverse

    return {
        "warnings": result.warnings,
        "blocking": result.blocking,
        "notices": result.notices,
        "decision": decision,
        "review_url": reverse("governance:confidentiality_review", args=[page.pk]) if result.blocking else "",
    }


class GovernanceChecksPanel(HelpPanel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "发布前检查")
        super().__init__(**kwargs)

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.pop("content", None)
        kwargs.pop("template", None)
        return kwargs

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = render_to_string("governance/checks_panel.html", checks_context(self.instance))
