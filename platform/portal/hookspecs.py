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


# The items of 《政府网站与政务新媒体检查指标》 a finding belongs to, with their Chinese names.
INSPECTION_ITEMS = {
    "site_unavailable": "站点无法访问",
    "homepage_stale": "首页不更新",
    "column_stale": "栏目不更新",
    "blank_column": "空白栏目",
    "interaction_poor": "互动回应差",
    "broken_link": "链接不可用",
    "footer_missing": "页脚要素缺失",
    "metadata_missing": "页面元数据缺失",
    "sensitive_word": "错敏词",
    "classified_mark": "涉密标识",
    "future_date": "发布日期异常",
    "disclosure": "信息公开",
    "bulletin_rectification": "通报整改超期",
    "newmedia": "政务新媒体",
    "annual_statement": "年度工作报表",
}


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
def robots_disallow(department):
    """Return path prefixes of `department`'s site that search engines must not crawl (a lookup
    by query code, say); `robots.txt` lists them after the admin."""


@hookspec
def template_slot(slot, department, request):
    """Return HTML (already escaped/safe) for a named slot of the theme: `footer_links`, or
    `interaction_column` (the top of the 互动交流 column's page)."""


@hookspec
def search_documents(department):
    """Yield dicts (kind, object_id, title, url, publish_time, summary, body_text) to index.

    Optional keys: `type` / `type_label` (the result's type), and `validity` — "valid" (the
    default), "expired", "repealed" or "superseded" — which search ranks by: a document that is
    no longer valid ranks below a valid one of the same title."""


@hookspec
def inspection_checks():
    """Return callables `check(department) -> list of findings` that the daily inspection runs
    inside the department's schema. A finding is a dict:

    - `item`: a key of `INSPECTION_ITEMS` (the national item it belongs to);
    - `key`: a stable string naming the problem, so the same problem found again tomorrow is the
      same finding (e.g. `"letter:42"`, `"column:17"`);
    - `title`: what is wrong, in Chinese; optional `severity` (`"veto"`, `"serious"`, `"normal"`,
      default `"normal"`), `url` (the public page), `edit_url` (the admin screen) and `evidence`.
    """


@hookspec
def provision_department(department):
    """Create what the plugin needs in a new department; runs inside the department's schema."""


@hookspec
def demo_content(department, rng):
    """Add demo content for `department` with the seeded `random.Random` `rng` (inside its schema)."""


@hookspec
def audit_event(event, user, department, target, success, details):
    """Observe an audit event (login, publish, …) after the core recorded it."""


@hookspec
def scheduled_jobs():
    """Return `portal.scheduling.Job`s (name, run, `every` timedelta or `daily_at` "HH:MM") that
    `manage.py run_scheduler` runs when due."""


@hookspec
def calendar_changed():
    """The working-day calendar was entered or corrected (after the commit): recompute the
    deadlines that depend on it."""


@hookspec
def performance_figures(department, start, end):
    """Return `{section: {figure: number}}` for the performance report of `department` over the
    dates `start`..`end` (inclusive), e.g. `{"mailbox": {"received": 3, "replied_on_time": 2}}`.
    Sections: `mailbox` (received, replied, replied_on_time, overdue, unanswered_3_months,
    published, avg_working_days or None), `disclosure_requests` (received, answered, answered_on_time,
    overdue, avg_working_days or None), `consultation` (periods, opinions_received,
    results_published), `interviews` (interviews, questions_received, questions_answered) and,
    from the core's 信息报送, `sharing` (submitted, accepted, rate in per cent or None)."""


@hookspec
def security_checks(start, end):
    """Return `{label: count}` of the security checks the plugin ran over the dates `start`..`end`
    (inclusive), each label saying in Chinese what was counted (e.g. `{"网站巡检（次）": 365}`);
    the core adds them up as 安全检测评估次数 in `portal.operations.figures.security_figures`."""


@hookspec
def workbench_panels(department, user, request):
    """Return `portal.workbench.Panel`s for the 工作台 (admin home) of `user` on `department`'s
    site, or nothing for a person they do not concern. Ask `portal.workbench.scope_of(request)`
    whether this is a department's view or the central view over `scope.departments`; each line
    links to the screen where the work is done, and `summary` adds figures to 全区概况."""
