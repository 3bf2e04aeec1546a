"""上网不涉密，涉密不上网 (第七条(四), 第十五条): classification marks and personal data do not go out.

A mark planted in an attachment, a valid ID number, a mobile number in a PDF: each blocks
submitting and publishing, by every route, with a message that says what was found and where.
Only a 安全管理员's 保密审查 with a reason clears it, and only for exactly that content.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context, tenant_context
from portal.governance.scanning import (
    BANK_CARD,
    CLASSIFICATION,
    ID_NUMBER,
    MOBILE,
    Segment,
    Terms,
    luhn_valid,
    scan_segments,
    valid_id_number,
)

from .helpers import (
    JYJ,
    docx_bytes,
    draft_article,
    login,
    make_document,
    messages_of,
    pdf_bytes,
    post_edit,
    text,
    valid_id,
    workflow_action,
    wrong_check_digit,
)

DEFAULTS = Terms.defaults()


def kinds(text_, terms=DEFAULTS):
    return [(hit.kind, hit.quote) for hit in scan_segments([Segment("正文第 1 段", text_)], terms)]


# --- the scanner on its own ------------------------------------------------------------------

def test_id_numbers_need_a_valid_check_digit_and_a_real_birth_date():
    number = valid_id()
    assert valid_id_number(number) and valid_id_number(valid_id("11010519491231002"))
    assert not valid_id_number(wrong_check_digit(number))
    assert not valid_id_number(valid_id("44160219901307123"))  # month 13
    assert not valid_id_number(valid_id("44160221990307123"))  # born in 2199
    assert not valid_id_number(valid_id("99160219900307123"))  # no such province
    assert kinds(f"身份证号：{number}。") == [(ID_NUMBER, number)]
    assert kinds(f"身份证号：{wrong_check_digit(number)}。") == []
    assert kinds(f"流水号 9{number}") == []  # inside a longer run of digits
    lower_x = valid_id("11010519800101001")
    if lower_x.endswith("X"):
        assert kinds(lower_x.lower()) == [(ID_NUMBER, lower_x.lower())]


def test_mobile_numbers_and_bank_cards():
    assert kinds("联系电话：13800138000") == [(MOBILE, "13800138000")]
    assert kinds("手机 138-0013-8000 或 +8613912345678") == [(MOBILE, "138-0013-8000"), (MOBILE, "13912345678")]
    assert kinds("电话 0762-3332345，编号 1380013800012") == []  # a landline, a longer run of digits
    assert kinds("全角 １３８００１３８０００") == [(MOBILE, "１３８００１３８０００")]
    card = "6222020200112233445"
    card = card[:-1] + next(d for d in "0123456789" if luhn_valid(card[:-1] + d))
    assert kinds(f"开户账号 {card}") == [(BANK_CARD, card)]
    assert kinds(f"开户账号 {card[:-1]}{(int(card[-1]) + 1) % 10}") == []  # fails the Luhn check
    grouped = f"{card[:4]} {card[4:8]} {card[8:12]} {card[12:16]} {card[16:]}"
    assert kinds(f"卡号：{grouped}") == [(BANK_CARD, grouped)]


def test_classification_marks_from_the_word_list():
    assert kinds("本件为秘密★1年，请妥善保管。") == [(CLASSIFICATION, "秘密★1年")]
    assert kinds("机密★长期") == [(CLASSIFICATION, "机密★长期")]
    assert kinds("绝 密 文件") == [(CLASSIFICATION, "绝 密")]  # split by layout, e.g. in a PDF
    assert kinds("内部资料 注意保密") == [(CLASSIFICATION, "内部资料"), (CLASSIFICATION, "注意保密")]
    assert kinds("公开发布的通知") == []
    hit = scan_segments([Segment("正文第 2 段", "依据上级机密文件")], DEFAULTS)[0]
    assert hit.message == "发现涉密标识“机密”（正文第 2 段第 5 字）"
    # The central list decides: a word the 安全管理员 added counts, a disabled one does not.
    custom = Terms(classification=("试点保密词",), sensitive=())
    assert kinds("含试点保密词的句子", custom) == [(CLASSIFICATION, "试点保密词")]
    assert kinds("含机密的句子", custom) == []


def test_default_word_lists_are_seeded_in_the_public_schema(db):
    from portal.governance.models import ScanTerm

    with schema_context("public"):
        classification = set(ScanTerm.objects.filter(kind="classification").values_list("term", flat=True))
        expected = {"绝密", "机密", "秘密", "★", "内部资料", "内部使用", "内部文件", "不宜公开", "涉密", "注意保密"}
        assert expected <= classification
        wrong = dict(ScanTerm.objects.filter(kind="sensitive").values_list("term", "suggestion"))
        assert wrong["源城区地方税务局"] == "国家税务总局源城区税务局"
        assert wrong["源城区卫生和计划生育局"] == "源城区卫生健康局"
        assert wrong["党的十九大"] == "党的二十大"
        assert wrong["区长邮箱"] == "区长信箱"


# --- blocking in the admin -------------------------------------------------------------------

def _workflow_status(jyj, pk):
    from wagtail.models import WorkflowState

    with tenant_context(jyj):
        state = WorkflowState.objects.filter(object_id=str(pk)).order_by("-created_at", "-id").first()
        return state.status if state else None


def _live(jyj, pk):
    from portal.pages.models import ArticlePage

    with tenant_context(jyj):
        return ArticlePage.objects.get(pk=pk).live


def _article_with_docx(jyj, news, stored_files, paragraphs, title="关于开展安全检查的通知", **docx):
    with tenant_context(jyj):
        document = make_document("通知", "通知.docx", docx_bytes(paragraphs, **docx), stored_files)
        return draft_article(news, title, documents=[document])


def _error_messages(response):
    return [m for m in messages_of(response) if "须经保密审查" in m or "保密审查不同意" in m]


def test_a_mark_in_a_docx_attachment_blocks_submit_and_publish(jyj, news, client, stored_files):
    paragraphs = ["各学校：", "现将检查安排通知如下。", "本通知为机密材料，请勿外传。"]
    article = _article_with_docx(jyj, news, stored_files, paragraphs)

    login(client, "jyj_editor")
    response = post_edit(client, article.pk, "action-submit")
    [message] = _error_messages(response)
    assert "发现涉密标识“机密”" in message and "附件“通知.docx”第 3 段" in message
    assert f"/admin/governance/confidentiality/{article.pk}/" in message  # the way to a 保密审查
    assert _workflow_status(jyj, article.pk) is None  # not submitted
    assert response.redirect_chain[-1][0].endswith(f"/admin/pages/{article.pk}/edit/")

    client.logout()
    login(client, "jyj_head")
    response = post_edit(client, article.pk, "action-publish")
    [message] = _error_messages(response)
    assert "附件“通知.docx”第 3 段" in message
    assert not _live(jyj, article.pk)

    # The block is recorded for the 安全管理员, once per content, and in the audit log.
    from portal.audit.models import AuditEvent
    from portal.governance.models import ConfidentialityHold

    with schema_context("public"):
        [hold] = ConfidentialityHold.objects.filter(department=jyj, page_id=article.pk)
        assert hold.review is None and "附件“通知.docx”第 3 段" in hold.hits[0]["message"]
        events = AuditEvent.objects.filter(event="confidentiality_block", target__contains=f"#{article.pk})")
        assert [(e.username, e.success) for e in events.order_by("id")] == [("jyj_editor", False), ("jyj_head", False)]


def test_marks_in_docx_tables_headers_and_pdf_lines_are_found(jyj, news, stored_files):
    from portal.governance.scanning import scan_page

    number = valid_id()
    with tenant_context(jyj):
        docx = make_document("名单", "名单.docx", docx_bytes(
            ["报名名单"], table=[["姓名", "身份证号"], ["张三", number]], header="内部资料"), stored_files)
        pdf = make_document("方案", "方案.pdf", pdf_bytes(["实施方案", "联系人手机 13800138000"]), stored_files)
        article = draft_article(news, "附件检查", documents=[docx, pdf])
        result = scan_page(article)
    found = {(hit.kind, hit.place) for hit in result.hits}
    assert (ID_NUMBER, "附件“名单.docx”表格 1 第 2 行第 2 列") in found
    assert (CLASSIFICATION, "附件“名单.docx”页眉") in found
    assert (MOBILE, "附件“方案.pdf”第 1 页第 2 行") in found
    assert result.notices == []


def test_id_numbers_block_only_with_a_valid_check_digit_and_are_masked(jyj, news, client):
    number = valid_id()
    with tenant_context(jyj):
        wrong = draft_article(news, "错号不拦截", body_html=f"<p>编号 {wrong_check_digit(number)}</p>")
        right = draft_article(news, "真实身份证号", body_html=f"<p>申请人身份证号码为{number}。</p>")

    login(client, "jyj_editor")
    response = post_edit(client, wrong.pk, "action-submit")
    assert _error_messages(response) == []
    assert _workflow_status(jyj, wrong.pk) == "in_progress"

    response = post_edit(client, right.pk, "action-submit")
    [message] = _error_messages(response)
    masked = f"{number[:4]}{'*' * 10}{number[-4:]}"
    assert f"发现身份证号码 {masked}（正文第 1 段第 10 字）" in message
    assert not any(number in m for m in messages_of(response))  # never shown in full
    assert _workflow_status(jyj, right.pk) is None


def test_a_security_review_clears_exactly_that_content(jyj, news, client, security_admin):
    from portal.governance.models import ConfidentialityHold, ConfidentialityReview

    with tenant_context(jyj):
        article = draft_article(news, "办事指南", body_html="<p>咨询电话：13800138000（工作日）。</p>")
    review_url = f"/admin/governance/confidentiality/{article.pk}/"

    login(client, "jyj_editor")
    post_edit(client, article.pk, "action-submit")
    assert _workflow_status(jyj, article.pk) is None

    # The editor may look at the review, not decide it; nor may the 系统管理员 (三员分立).
    response = client.get(review_url, HTTP_HOST=JYJ)
    assert response.status_code == 200 and "尚未经过保密审查" in text(response)
    assert 'name="reason"' not in text(response)
    assert client.post(review_url, {"decision": "approve", "reason": "x"}, HTTP_HOST=JYJ).status_code == 403
    client.logout()
    login(client, "center_admin")
    assert client.post(review_url, {"decision": "approve", "reason": "x"}, HTTP_HOST=JYJ).status_code == 403

    # The 安全管理员 finds it in the list of what waits, opens it, and decides with a reason.
    client.logout()
    login(client, security_admin)
    listing = client.get("/admin/governance/confidentiality/", HTTP_HOST=JYJ)
    assert listing.status_code == 200 and "办事指南" in text(listing)
    page = client.get(review_url, HTTP_HOST=JYJ)
    assert page.status_code == 200
    body = text(page)
    assert "手机号码：1380***8000" in body and "正文第 1 段第 6 字" in body
    content_hash = re.search(r'name="content_hash" value="([0-9a-f]{64})"', body).group(1)
    # A reason is required.
    response = client.post(review_url, {"decision": "approve", "reason": " ", "content_hash": content_hash},
                           HTTP_HOST=JYJ)
    assert response.status_code == 200 and "请填写审查理由" in text(response)
    with schema_context("public"):
        assert not ConfidentialityReview.objects.filter(page_id=article.pk, department=jyj).exists()
    response = client.post(review_url, {
        "decision": "approve", "reason": "单位公开的办事咨询电话，不属于个人信息", "content_hash": content_hash,
    }, HTTP_HOST=JYJ, follow=True)
    assert "已记录保密审查：同意发布" in " ".join(messages_of(response))
    with schema_context("public"):
        review = ConfidentialityReview.objects.get(page_id=article.pk, department=jyj)
        assert (review.decision, review.reviewer_id) == ("approve", security_admin.pk)
        assert review.content_hash == content_hash
        assert ConfidentialityHold.objects.get(page_id=article.pk, department=jyj).review_id == review.pk
        from portal.audit.models import AuditEvent

        event = AuditEvent.objects.get(event="confidentiality_decision", target__contains=f"#{article.pk})")
        assert event.username == "gov_security" and event.details["reason"] == "单位公开的办事咨询电话，不属于个人信息"

    # Now the editor can submit and the head can approve: the article goes live.
    client.logout()
    login(client, "jyj_editor")
    response = post_edit(client, article.pk, "action-submit")
    assert _error_messages(response) == []
    assert _workflow_status(jyj, article.pk) == "in_progress"
    client.logout()
    login(client, "jyj_head")
    workflow_action(client, article.pk, "approve")
    assert _live(jyj, article.pk)

    # Editing the text afterwards needs a new review before it can be published again.
    response = post_edit(client, article.pk, "action-publish",
                         body_html="<p>咨询电话：13800138000（工作日），周末请拨 13900139000。</p>")
    [message] = _error_messages(response)
    assert "1390***9000" in message
    with tenant_context(jyj):
        from portal.pages.models import ArticlePage

        assert "13900139000" not in ArticlePage.objects.get(pk=article.pk).body_text()  # the live text is unchanged


def test_a_review_that_refuses_keeps_the_block_with_its_reason(jyj, news, client, security_admin):
    from portal.governance.confidentiality import record_decision

    with tenant_context(jyj):
        article = draft_article(news, "内部通报", body_html="<p>本文件内部使用。</p>")
        record_decision(article, decision="reject", reason="内部工作材料，不得公开", reviewer=security_admin)
        with pytest.raises(Exception, match="只有安全管理员"):
            from portal.accounts.models import User

            record_decision(article, decision="approve", reason="x", reviewer=User.objects.get(username="jyj_head"))
    login(client, "jyj_editor")
    response = post_edit(client, article.pk, "action-submit")
    [message] = _error_messages(response)
    assert "保密审查不同意发布本内容（理由：内部工作材料，不得公开）" in message


def test_no_publishing_route_bypasses_the_confidentiality_gate(jyj, news, client, stored_files):
    """Bulk publish, copy kept live, scheduled publish and code meet the same gate."""
    from portal.governance.confidentiality import ConfidentialityBlocked
    from portal.governance.models import ScanTerm
    from portal.pages.models import ArticlePage

    with tenant_context(jyj):
        draft = draft_article(news, "批量发布的稿件", body_html="<p>本材料内部资料，仅供参考。</p>")
        # Code: `revision.publish()` and a page saved live.
        with pytest.raises(ConfidentialityBlocked):
            draft.get_latest_revision().publish()
        with pytest.raises(ValidationError, match="秘密★5年"):
            news.add_child(instance=ArticlePage(title="直接保存为已发布", slug="saved-live",
                                                  body=[("text", "<p>秘密★5年</p>")]))
        assert not ArticlePage.objects.get(pk=draft.pk).live
        assert not ArticlePage.objects.filter(slug="saved-live").exists()
        # An article that went live before a word was added to the list.
        live = draft_article(news, "已发布的旧稿", body_html="<p>含有试点保密词的旧稿。</p>", slug="old-live")
        live.get_latest_revision().publish()
    with schema_context("public"):
        ScanTerm.objects.create(kind="classification", term="试点保密词")

    login(client, "jyj_head")
    # Bulk publish.
    response = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}", {"include_descendants": ""},
                           HTTP_HOST=JYJ, follow=True)
    assert any("内部资料" in m for m in _error_messages(response))
    assert not _live(jyj, draft.pk)
    # Copying the live article and keeping the copy live.
    response = client.post(f"/admin/pages/{live.pk}/copy/", {
        "new_title": "复制的旧稿", "new_slug": "copied-old", "new_parent_page": news.pk, "publish_copies": "on",
    }, HTTP_HOST=JYJ, follow=True)
    assert any("试点保密词" in m for m in _error_messages(response))
    with tenant_context(jyj):
        assert not ArticlePage.objects.filter(slug="copied-old", live=True).exists()
        # Scheduled publishing holds the article back and goes on with the others.
        from datetime import timedelta

        from django.core.management import call_command
        from django.utils import timezone

        revision = ArticlePage.objects.get(pk=draft.pk).get_latest_revision()
        revision.approved_go_live_at = timezone.now() - timedelta(minutes=5)
        revision.save()
        call_command("publish_scheduled", verbosity=0)
        assert not ArticlePage.objects.get(pk=draft.pk).live


def test_approving_from_the_dashboard_is_gated_too(jyj, news, client):
    """A word added to the list while an article waits: the approval is refused, nothing changes."""
    import json

    from portal.governance.models import ScanTerm

    with tenant_context(jyj):
        article = draft_article(news, "等待审核时新增的敏感标识", body_html="<p>本文提及试点保密词。</p>")
    login(client, "jyj_editor")
    post_edit(client, article.pk, "action-submit")
    assert _workflow_status(jyj, article.pk) == "in_progress"
    with schema_context("public"):
        ScanTerm.objects.create(kind="classification", term="试点保密词")
    with tenant_context(jyj):
        from portal.pages.models import ArticlePage

        task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state

    client.logout()
    login(client, "jyj_head")
    url = f"/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/"
    # The dialog of the dashboard posts in the background and expects JSON.
    response = client.post(url, {"comment": "同意"}, HTTP_HOST=JYJ, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    reply = json.loads(response.content)
    assert reply["step"] == "success" and reply["redirect"].endswith(f"/admin/pages/{article.pk}/edit/")
    # A plain form post is sent back to the editor with the reason.
    response = client.post(url, {"comment": "同意"}, HTTP_HOST=JYJ, follow=True)
    assert any("发现涉密标识“试点保密词”" in m and "审核通过" in m for m in _error_messages(response))
    assert not _live(jyj, article.pk)
    assert _workflow_status(jyj, article.pk) == "in_progress"  # the approval was rolled back
    from portal.audit.models import AuditEvent

    with schema_context("public"):
        assert not AuditEvent.objects.filter(event="approve", target__contains=f"#{article.pk})").exists()


def test_a_blocked_approval_is_a_message_not_a_server_error(jyj, news):
    """With exceptions rendered as a real server would, the head sees the reason, not a 500."""
    from django.test import Client
    from portal.governance.models import ScanTerm

    client = Client(raise_request_exception=False)
    with tenant_context(jyj):
        article = draft_article(news, "待审核时新增保密词的文章", body_html="<p>本文提及另一保密词。</p>")
    login(client, "jyj_editor")
    post_edit(client, article.pk, "action-submit")
    with schema_context("public"):
        ScanTerm.objects.create(kind="classification", term="另一保密词")
    with tenant_context(jyj):
        from portal.pages.models import ArticlePage

        task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    client.logout()
    login(client, "jyj_head")
    url = f"/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/"
    response = client.post(url, {"comment": "同意"}, HTTP_HOST=JYJ)
    assert response.status_code == 302 and response["Location"].endswith(f"/admin/pages/{article.pk}/edit/")
    page = client.get(response["Location"], HTTP_HOST=JYJ)
    assert page.status_code == 200 and "另一保密词" in page.content.decode()
    assert not _live(jyj, article.pk)
