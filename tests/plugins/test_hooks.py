"""Every hook is called by the core where the hookspec says, and a disabled plugin adds nothing."""

import importlib
import inspect
import random
import re
from pathlib import Path

import pytest
from django.urls import clear_url_caches
from django_tenants.utils import tenant_context
from portal import hookspecs
from portal.plugins import get_manager, hooks_for, inspection_checks, search_documents, set_enabled

from . import sample_plugin


@pytest.fixture
def sample(db):
    """The sample plugin registered like an installed one, with URLconfs rebuilt to include it."""
    import portal.urls_tenant
    import wagtail.admin.urls

    manager = get_manager()
    manager.register(sample_plugin, name="sample")
    sample_plugin.calls.clear()
    for module in (wagtail.admin.urls, portal.urls_tenant):
        importlib.reload(module)
    clear_url_caches()
    yield sample_plugin
    manager.unregister(name="sample")
    for module in (wagtail.admin.urls, portal.urls_tenant):
        importlib.reload(module)
    clear_url_caches()


def test_every_hookspec_has_a_docstring_and_a_test():
    functions = inspect.getmembers(hookspecs, inspect.isfunction)
    specs = [name for name, value in functions if hasattr(value, "govsite_spec")]
    assert len(specs) >= 10
    test_names = {
        match
        for path in Path(__file__).parent.parent.rglob("test_*.py")
        for match in re.findall(r"^def (test_\w+)", path.read_text(), flags=re.MULTILINE)
    }
    for name in specs:
        assert (getattr(hookspecs, name).__doc__ or "").strip(), f"hook {name} has no docstring"
        assert any(name in test_name for test_name in test_names), f"hook {name} has no test named after it"


def test_the_readme_names_every_hook():
    """Plugin authors read the README first: a hook missing there is a hook nobody uses."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    functions = inspect.getmembers(hookspecs, inspect.isfunction)
    missing = [name for name, value in functions if hasattr(value, "govsite_spec") and f"`{name}`" not in readme]
    assert not missing, f"README 未列出这些钩子：{missing}"


def test_built_in_plugins_come_from_the_entry_point_group():
    from importlib.metadata import entry_points

    names = {entry.name for entry in entry_points(group="govsite.plugins")}
    assert {"disclosure", "mailbox", "inspection", "consultation", "interviews"} <= names
    assert {"disclosure", "mailbox", "inspection", "consultation", "interviews"} <= {
        name for name, _ in get_manager().list_name_plugin()}


def test_plugin_info(sample):
    from portal.plugins import describe_plugins

    rows = {row["name"]: row for row in describe_plugins()}
    assert rows["mailbox"]["title"] == "政务邮箱"
    assert "provision_department" in rows["disclosure"]["hooks"]


def test_page_models(sample, departments):
    from portal.pages.models import ArticlePage, HomePage

    with tenant_context(departments["jyj"]):
        assert ArticlePage in HomePage.allowed_subpage_models()
        set_enabled(departments["jyj"], "sample", False)
        assert ArticlePage not in HomePage.allowed_subpage_models()


def test_public_urls(sample, departments, client):
    response = client.get("/sample/", HTTP_HOST="jyj.localhost")
    assert response.status_code == 200 and "示例公开页面·区教育局" in response.content.decode()
    set_enabled(departments["jyj"], "sample", False)
    assert client.get("/sample/", HTTP_HOST="jyj.localhost").status_code == 404
    assert client.get("/sample/", HTTP_HOST="wjj.localhost").status_code == 200


def test_admin_urls_and_admin_menu_items(sample, departments, client):
    from portal.accounts.models import User

    client.force_login(User.objects.get(username="jyj_editor"))
    response = client.get("/admin/plugins/sample/hello/", HTTP_HOST="jyj.localhost")
    assert response.status_code == 200 and "示例后台页面" in response.content.decode()
    home = client.get("/admin/", HTTP_HOST="jyj.localhost").content.decode()
    # Wagtail renders its sidebar from JSON, so the label arrives JSON-escaped.
    assert "/admin/plugins/sample/hello/" in home and "\\u793a\\u4f8b\\u83dc\\u5355" in home
    set_enabled(departments["jyj"], "sample", False)
    assert client.get("/admin/plugins/sample/hello/", HTTP_HOST="jyj.localhost").status_code == 404
    assert "/admin/plugins/sample/hello/" not in client.get("/admin/", HTTP_HOST="jyj.localhost").content.decode()


def test_workbench_panels(sample, departments, client):
    """A plugin's panel appears on the 工作台 of the sites that enable it, linking to its screen."""
    from portal.accounts.models import User

    client.force_login(User.objects.get(username="jyj_editor"))
    home = client.get("/admin/", HTTP_HOST="jyj.localhost").content.decode()
    assert "示例待办" in home and "区教育局的示例待办" in home and 'href="/admin/plugins/sample/hello/"' in home
    set_enabled(departments["jyj"], "sample", False)
    assert "示例待办" not in client.get("/admin/", HTTP_HOST="jyj.localhost").content.decode()


def test_template_slot(sample, departments, client):
    assert 'class="sample-slot"' in client.get("/", HTTP_HOST="wjj.localhost").content.decode()
    set_enabled(departments["wjj"], "sample", False)
    page = client.get("/", HTTP_HOST="wjj.localhost").content.decode()
    assert 'class="sample-slot"' not in page
    assert "政务邮箱" in page  # the mailbox plugin's footer link stays


def test_search_documents(sample, departments):
    titles = [doc["title"] for doc in search_documents(departments["jyj"])]
    assert "区教育局示例文档" in titles
    set_enabled(departments["jyj"], "sample", False)
    assert "区教育局示例文档" not in [doc["title"] for doc in search_documents(departments["jyj"])]


def test_inspection_checks(sample, departments):
    with tenant_context(departments["wjj"]):
        findings = [f for check in inspection_checks(departments["wjj"]) for f in check(departments["wjj"])]
    assert {"item": "示例检查", "title": "区卫生健康局"} in findings
    # The inspection plugin's own check finds the blank 政策解读 column of the sample district.
    blank = [f for f in findings if f["item"] == "blank_column" and "“政策解读”" in f["title"]]
    assert len(blank) == 1 and blank[0]["key"].startswith("column:")


def test_performance_figures(sample, departments):
    from datetime import date

    from portal.plugins import performance_figures

    figures = performance_figures(departments["jyj"], date(2026, 1, 1), date(2026, 12, 31))
    assert figures["sample"] == {"days": 365, "department": "jyj"}
    set_enabled(departments["jyj"], "sample", False)
    assert "sample" not in performance_figures(departments["jyj"], date(2026, 1, 1), date(2026, 12, 31))


def test_provision_department(sample):
    from tenants.provisioning import create_department

    department = create_department(name="区民政局", host_prefix="mzj", organization_code="007218410")
    assert ("provision_department", "mzj") in sample.calls
    # The disclosure plugin laid out the standard parts of the catalogue.
    with tenant_context(department):
        from portal.pages.models import ColumnPage

        parts = list(ColumnPage.objects.filter(depth=4, column_type="disclosure").values_list("title", flat=True))
    assert parts == ["信息公开指南", "信息公开制度", "法定主动公开内容", "信息公开年报", "依申请公开"]


def test_demo_content(sample, departments):
    with tenant_context(departments["jyj"]):
        hooks_for(departments["jyj"]).demo_content(department=departments["jyj"], rng=random.Random(7))
    # Other plugins' demo content records audit events after this call, so it need not be the last.
    assert ("demo_content", "jyj", random.Random(7).random()) in sample.calls


def test_audit_event(sample, departments, client):
    from portal.audit.models import AuditEvent

    client.post("/admin/login/", {"username": "jyj_editor", "password": "wrong"}, HTTP_HOST="jyj.localhost")
    assert ("audit_event", "login_failed", "jyj", False) in sample.calls
    row = AuditEvent.objects.filter(event="login_failed").latest("id")
    assert row.username == "jyj_editor" and row.department.host_prefix == "jyj" and not row.success


def test_plugin_info_names_plugin_audit_events_in_chinese(db):
    from portal.audit.events import event_label

    assert event_label("mailbox_forward") == "信件转交"
    assert event_label("publish") != "publish"
    assert event_label("no_such_event") == "no_such_event"
