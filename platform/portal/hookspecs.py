"""The one place that declares plugin hooks.

A plugin is a module found through the `govsite.plugins` entry-point group whose functions carry
`@hookimpl`; its package is also a Django app (the module's parent package). Hooks are called
with keyword arguments; a plugin may accept fewer arguments than the spec. For a department
that has a plugin disabled, the plugin's implementations are left out of every call.
"""

import pluggy

PROJECT = "govsite"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def plugin_info():
    """Return a dict with the plugin's Chinese `title`, a one-line `description` and, optionally,
    `audit_events`: Chinese names of the audit events it records."""


@hookspec
def page_models():
    """Return Wagtail page classes the plugin adds; they may be created under a department home."""


@hookspec
def admin_menu_items(department):
    """Return `portal.plugins.MenuLink`s to add to the admin menu of `department`."""


@hookspec
def admin_urls():
    """Return URL patterns mounted under the admin at /admin/plugins/<plugin name>/."""


@hookspec
def public_urls():
    """Return URL patterns mounted at the site root of every department that enables the plugin."""


@hookspec
def template_slot(slot, department, request):
    """Return HTML (already escaped/safe) for a named slot of the theme, e.g. `footer_links`."""


@hookspec
def search_documents(department):
    """Yield dicts (kind, object_id, title, url, publish_time, summary, body_text) to index."""


@hookspec
def inspection_checks():
    """Return callables `check(department) -> list of findings` that the daily inspection runs."""


@hookspec
def provision_department(department):
    """Create what the plugin needs in a new department; runs inside the department's schema."""


@hookspec
def demo_content(department, rng):
    """Add demo content for `department` with the seeded `random.Random` `rng` (inside its schema)."""


@hookspec
def audit_event(event, user, department, target, success, details):
    """Observe an audit event (login, publish, …) after the core recorded it."""
