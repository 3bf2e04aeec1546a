"""The inspection's admin screens: the centre's league table and on-demand runs with progress,
ignore rules and 虚假信息 flags with Chinese errors; a department's people see only their own."""

import pytest
from django.test import Client
from portal.accounts.models import User

from plugins.inspection.models import FalseInformationFlag, Finding, IgnoreRule, InspectionRun

pytestmark = pytest.mark.django_db
ADMIN = "/admin/plugins/inspection/"
WWW = "www.localhost"


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_centre_runs_an_inspection_and_sees_the_league(departments, live_server_url, offline_footer_links):
    from portal.audit.models import AuditEvent

    centre = login("center_admin")
    response = centre.post(f"{ADMIN}run/", {"department": departments["jyj"].pk}, HTTP_HOST=WWW)
    run = InspectionRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{ADMIN}runs/{run.pk}/")
    # The test settings run background tasks at once; the progress figure is what the page polls.
    progress = centre.get(f"{ADMIN}runs/{run.pk}/progress.json", HTTP_HOST=WWW).json()
    assert progress["status"] == "done" and progress["percent"] == 100 and progress["pages_done"] >= 10
    assert AuditEvent.objects.filter(event="inspection_run", details__department="jyj").exists()
    assert "已检查" in centre.get(f"{ADMIN}runs/{run.pk}/", HTTP_HOST=WWW).content.decode()

    # The committed sample district has blank 政策文件/政策解读 columns, among others.
    blank = Finding.objects.filter(department=departments["jyj"], item="blank_column")
    assert blank.filter(title__contains="“政策解读”").exists()
    page = centre.get(ADMIN, HTTP_HOST=WWW).content.decode()
    assert "健康度 = 100 −" in page
    for name in ("源城区人民政府", "区教育局", "区卫生健康局"):
        assert name in page
    assert "区教育局 · 空白栏目" in page
    assert '<svg class="chart" role="img" aria-label="待整改问题按指标分布"' in page
    assert f'href="{departments["jyj"].base_url}/admin/pages/' in page  # the edit screens


def test_department_sees_only_its_own(departments):
    from plugins.inspection import service

    for prefix in ("jyj", "wjj"):
        service.inspect_department(departments[prefix], crawl=False)
    editor = login("jyj_editor")
    page = editor.get(ADMIN, HTTP_HOST="jyj.localhost").content.decode()
    assert "区教育局的巡检结果" in page and "区教育局 · 空白栏目" in page
    assert "区卫生健康局" not in page and "发起巡检" not in page
    run = InspectionRun.objects.create()
    for url in (f"runs/{run.pk}/", f"runs/{run.pk}/progress.json", "rules/", "flags/"):
        assert editor.get(f"{ADMIN}{url}", HTTP_HOST="jyj.localhost").status_code == 404
    assert editor.post(f"{ADMIN}run/", {"department": ""}, HTTP_HOST="jyj.localhost").status_code == 404
    assert login("wjj_editor").get(ADMIN, HTTP_HOST="jyj.localhost").status_code == 403


def test_ignore_rules_and_flags_forms(departments):
    from portal.audit.models import AuditEvent

    centre = login("center_admin")
    response = centre.post(f"{ADMIN}rules/", {"url_pattern": "example.gov.cn", "status": "700", "reason": ""},
                           HTTP_HOST=WWW)
    html = response.content.decode()
    assert response.status_code == 200 and "网址模式应以 http://、https:// 或 * 开头" in html
    assert "HTTP 状态码应为 100 到 599 之间的整数" in html and "请填写忽略原因" in html
    assert 'value="example.gov.cn"' in html and not IgnoreRule.objects.exists()
    response = centre.post(f"{ADMIN}rules/", {"url_pattern": "https://old.example.gov.cn/*", "status": "404",
                                              "reason": "旧站已下线，等待上级网站迁移"}, HTTP_HOST=WWW)
    assert response.status_code == 302
    rule = IgnoreRule.objects.get()
    assert rule.status == 404 and AuditEvent.objects.filter(event="inspection_rule_add").exists()
    assert centre.post(f"{ADMIN}rules/{rule.pk}/delete/", HTTP_HOST=WWW).status_code == 302
    assert not IgnoreRule.objects.exists() and AuditEvent.objects.filter(event="inspection_rule_delete").exists()

    response = centre.post(f"{ADMIN}flags/", {"department": departments["wjj"].pk, "title": "<b>不实消息</b>",
                                              "evidence": "", "date": "2025-02-30", "url": "javascript:alert(1)"},
                           HTTP_HOST=WWW)
    html = response.content.decode()
    assert "页面地址应以 http:// 或 https:// 开头" in html
    assert "请填写证据" in html and "日期格式应为 YYYY-MM-DD" in html and "&lt;b&gt;不实消息&lt;/b&gt;" in html
    response = centre.post(f"{ADMIN}flags/", {"department": departments["wjj"].pk, "title": "<b>不实消息</b>",
                                              "evidence": "经核实与事实不符", "date": "2025-02-28"}, HTTP_HOST=WWW)
    assert response.status_code == 302
    assert FalseInformationFlag.objects.get().flagged_by.username == "center_admin"
    listing = centre.get(f"{ADMIN}flags/", HTTP_HOST=WWW).content.decode()
    assert "&lt;b&gt;不实消息&lt;/b&gt;" in listing and "<b>不实消息</b>" not in listing


def test_menu_entry(departments):
    page = login("jyj_editor").get("/admin/", HTTP_HOST="jyj.localhost").content.decode()
    # The sidebar menu is rendered from JSON props, where Chinese may be escaped.
    assert ADMIN in page and ("网站巡检" in page or "\\u7f51\\u7ad9\\u5de1\\u68c0" in page)


def test_inspect_command(departments, live_server_url, offline_footer_links):
    import io

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="请用 --department 指定一个单位"):
        call_command("inspect")
    with pytest.raises(CommandError, match="没有域名前缀为“nosuch”的单位网站"):
        call_command("inspect", department="nosuch")
    out = io.StringIO()
    call_command("inspect", department="wjj", stdout=out)
    assert "巡检完成" in out.getvalue() and "区卫生健康局  健康度" in out.getvalue()
    run = InspectionRun.objects.get()
    assert run.status == "done" and run.pages_done >= 10 and run.department == departments["wjj"]
    assert Finding.objects.filter(department=departments["wjj"], item="blank_column").exists()
