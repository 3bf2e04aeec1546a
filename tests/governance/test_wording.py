"""错敏词: wrong names and outdated wording are pointed out with the right wording, never blocking.

The editor sees them in the 发布前检查 panel of the editor and after saving; the 负责人 sees the
same when opening the submitted page. The lists are kept centrally by the 系统管理员 and the
安全管理员.
"""

from django_tenants.utils import schema_context, tenant_context

from .helpers import JYJ, draft_article, login, messages_of, post_edit, text, workflow_action

TAX = "发现错敏词“源城区地方税务局”，建议改为“国家税务总局源城区税务局”"
MAILBOX = "发现错敏词“区长邮箱”，建议改为“区长信箱”"


def _panel(client, page_id) -> str:
    html = text(client.get(f"/admin/pages/{page_id}/edit/", HTTP_HOST=JYJ))
    start = html.index("data-governance-checks")
    return html[start:html.index("</fieldset>", start)]


def test_wording_warnings_show_with_their_suggestion_and_do_not_block(jyj, news, client):
    with tenant_context(jyj):
        article = draft_article(
            news, "关于办税服务的说明", summary="市民可通过区长邮箱反映问题。",
            body_html="<p>纳税人可前往源城区地方税务局办理。</p><p>落实党的十九大精神。</p>",
        )
    login(client, "jyj_editor")
    panel = _panel(client, article.pk)
    assert TAX + "（正文第 1 段第 7 字；机构已改革（2018 年国地税合并））" in panel
    assert MAILBOX + "（摘要第 6 字；栏目规范名称）" in panel
    assert "发现错敏词“党的十九大”，建议改为“党的二十大”（正文第 2 段第 3 字；引用历史会议时可忽略）" in panel

    # After saving, the warnings come as a message too.
    response = post_edit(client, article.pk, None)
    assert any(TAX in m for m in messages_of(response))
    # And they do not stop the submission.
    response = post_edit(client, article.pk, "action-submit")
    from wagtail.models import WorkflowState

    with tenant_context(jyj):
        assert WorkflowState.objects.get(object_id=str(article.pk)).status == "in_progress"

    # The 负责人 sees them when reviewing, and can still approve.
    client.logout()
    login(client, "jyj_head")
    panel = _panel(client, article.pk)
    assert TAX in panel and MAILBOX in panel
    workflow_action(client, article.pk, "approve")
    from portal.pages.models import ArticlePage

    with tenant_context(jyj):
        assert ArticlePage.objects.get(pk=article.pk).live


def test_a_clean_article_says_so_and_a_blocked_one_links_to_the_review(jyj, news, client):
    with tenant_context(jyj):
        clean = draft_article(news, "规范的通知", body_html="<p>国家税务总局源城区税务局将于下周开展培训。</p>")
        marked = draft_article(news, "带标识的通知", body_html="<p>内部资料，请勿外传。</p>")
    login(client, "jyj_editor")
    assert "未发现错敏词、涉密标识或个人信息" in _panel(client, clean.pk)
    panel = _panel(client, marked.pk)
    assert "发现涉密标识“内部资料”（正文第 1 段第 1 字）" in panel
    assert f"/admin/governance/confidentiality/{marked.pk}/" in panel


def test_word_lists_are_kept_by_system_and_security_administrators(jyj, news, client, security_admin):
    from portal.audit.models import AuditEvent
    from portal.governance.models import ScanTerm

    login(client, "jyj_editor")
    response = client.get("/admin/governance/terms/", HTTP_HOST=JYJ)
    assert response.status_code in (302, 403)
    response = client.post("/admin/governance/terms/new/", {"kind": "sensitive", "term": "业务员加的词"}, HTTP_HOST=JYJ)
    assert response.status_code in (302, 403)
    with schema_context("public"):
        assert not ScanTerm.objects.filter(term="业务员加的词").exists()

    client.logout()
    login(client, security_admin)
    listing = client.get("/admin/governance/terms/", HTTP_HOST=JYJ)
    assert listing.status_code == 200 and "源城区地方税务局" in text(listing)
    response = client.post("/admin/governance/terms/new/", {
        "kind": "sensitive", "term": "源城区文化广电新闻出版局", "suggestion": "源城区文化广电旅游体育局",
        "note": "机构已改革", "enabled": "on",
    }, HTTP_HOST=JYJ)
    assert response.status_code == 302
    with schema_context("public"):
        assert ScanTerm.objects.get(term="源城区文化广电新闻出版局").suggestion == "源城区文化广电旅游体育局"
        assert AuditEvent.objects.filter(event="scan_term_change", username="gov_security").exists()
        ScanTerm.objects.filter(term="源城区地方税务局").update(enabled=False)

    # The new word is checked at once in every department; the disabled one no longer is.
    with tenant_context(jyj):
        article = draft_article(news, "机构名称", body_html="<p>源城区文化广电新闻出版局、源城区地方税务局。</p>")
    client.logout()
    login(client, "jyj_editor")
    panel = _panel(client, article.pk)
    assert "建议改为“源城区文化广电旅游体育局”" in panel and "源城区地方税务局" not in panel
