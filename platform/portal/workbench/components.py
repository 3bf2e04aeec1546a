"""The 工作台 as Wagtail admin components: it replaces the default panels of the admin home."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.admin.ui.components import Component

from . import Panel, scope_of
from .core_panels import CORE_PANELS, district_summary_panel


def collect_panels(request) -> list[Panel]:
    """Every panel this person should see on this site: the core's and the plugins'."""
    from portal.plugins import hooks_for

    scope = scope_of(request)
    panels = [panel for make in CORE_PANELS if (panel := make(scope)) is not None]
    for contributed in hooks_for(scope.department).workbench_panels(
        department=scope.department, user=request.user, request=request
    ):
        panels.extend(panel for panel in contributed or [] if panel is not None)
    summary = district_summary_panel(scope, panels)
    if summary is not None:
        panels.append(summary)
    return sorted(panels, key=lambda panel: (panel.order, panel.key))


class WorkbenchPanel(Component):
    """One panel of the 工作台 drawn with its own template."""

    def __init__(self, panel: Panel):
        self.panel = panel
        self.order = panel.order
        self.name = f"workbench_{panel.key}"

    def render_html(self, parent_context=None):
        # A plain context, not the request's: the page around the panels has already run the
        # context processors (theme, navigation …), and running them again for every panel cost
        # more than the panels themselves.
        request = (parent_context or {}).get("request")
        return render_to_string(self.panel.template, {"panel": self.panel, "scope": scope_of(request),
                                                      "request": request})


def replace_homepage_panels(request, panels):
    """`construct_homepage_panels`: Wagtail's own panels make way for the 工作台's."""
    panels[:] = [WorkbenchPanel(panel) for panel in collect_panels(request)]
    scope = scope_of(request)
    request.workbench_scope = scope
    request.workbench_sites = scope.sites
    # The 按单位查看 choices, drawn at once: a template loop over every department cost more than
    # the panels' queries.
    chosen = request.GET.get("department", "")
    request.workbench_site_options = mark_safe("".join(
        f'<option value="{escape(site.host_prefix)}"{" selected" if site.host_prefix == chosen else ""}>'
        f"{escape(site.name)}</option>"
        for site in scope.sites
    ))
