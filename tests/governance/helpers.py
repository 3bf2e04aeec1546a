"""Helpers for the publishing-governance tests, on the committed district of tests/conftest.py.

区教育局 (jyj) has the 业务员 `jyj_editor` and the 负责人 `jyj_head`; `center_admin` is a 系统管理员
(a superuser). A 安全管理员 is created where a test needs one. Admin requests go through the full
middleware stack with Django's test client on the department's host.
"""

import io
import re

from django.core.files.base import ContentFile
from django_tenants.utils import tenant_context
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from tests.conftest import host

JYJ = host("jyj")


def text(response) -> str:
    return response.content.decode()


def login(client, username_or_user):
    """Log in as a person; central administrators also get their second factor proven."""
    from portal.accounts.models import User

    user = username_or_user if isinstance(username_or_user, User) else User.objects.get(username=username_or_user)
    client.force_login(user)
    try:
        from portal.accounts import totp
    except ImportError:  # no second factor in this build
        return user
    if totp.requires_second_factor(user):
        from portal.accounts.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": totp.new_secret()})
        session = client.session
        session[totp.SESSION_KEY] = device.pk
        session.save()
    return user


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def docx_bytes(paragraphs, table=None, header=None) -> bytes:
    from docx import Document

    document = Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(lines) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setFont("STSong-Light", 12)
    y = 800
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 20
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def valid_id(prefix17: str = "44160219900307123") -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return prefix17 + "10X98765432"[sum(int(d) * w for d, w in zip(prefix17, weights, strict=True)) % 11]


def wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def make_document(title, filename, data, stored_files=None):
    """A Wagtail document in the current schema."""
    from hashlib import sha1

    from wagtail.documents.models import Document

    document = Document(title=title, file_size=len(data), file_hash=sha1(data).hexdigest())
    document.file.save(filename, ContentFile(data), save=True)
    if stored_files is not None:
        stored_files.append(document.file.path)
    return document


def draft_article(column, title, body_html="<p>正文。</p>", summary="", documents=(), slug=None, owner=None):
    """An unpublished article as an editor leaves it after 保存草稿 (page plus a revision)."""
    from portal.pages.models import ArticleAttachment, ArticlePage

    article = ArticlePage(
        title=title, slug=slug or f"gov-{abs(hash(title)) % 10**8}", summary=summary,
        body=[("text", body_html)], live=False, owner=owner,
        attachments=[ArticleAttachment(document=document, title=document.title) for document in documents],
    )
    column.add_child(instance=article)
    article.save_revision(user=owner)
    return article


def edit_form_data(client, page_id, **changes):
    """The edit form of a page as the browser would post it, with changes applied."""
    response = client.get(f"/admin/pages/{page_id}/edit/", HTTP_HOST=JYJ)
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(text(response), form_id="page-edit-form")
    body = changes.pop("body_html", None)
    for name, value in changes.items():
        data[name] = value
    if body is None:
        # The body editor is drawn by JavaScript from a JSON attribute; post the stored blocks.
        body = _stored_body(page_id)
    data.update(nested_form_data({"body": streamfield([("text", rich_text(body))])}))
    return data


def _stored_body(page_id) -> str:
    from portal.pages.models import ArticlePage

    from tenants.models import Department

    with tenant_context(Department.objects.get(host_prefix="jyj")):
        page = ArticlePage.objects.get(pk=page_id).get_latest_revision_as_object()
        return "".join(str(block.value.source) for block in page.body if block.block_type == "text")


def post_edit(client, page_id, action, follow=True, **changes):
    data = edit_form_data(client, page_id, **changes)
    for key in [k for k in data if k.startswith("action-")]:
        del data[key]
    if action:
        data[action] = action
    return client.post(f"/admin/pages/{page_id}/edit/", data, HTTP_HOST=JYJ, follow=follow)


def workflow_action(client, page_id, name, comment=""):
    """The 负责人 presses 审核通过 / 退回修改 in the editor's action menu."""
    import json

    data = edit_form_data(client, page_id)
    for key in [k for k in data if k.startswith("action-")]:
        del data[key]
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = name
    data["workflow-action-extra-data"] = json.dumps({"comment": comment} if comment else {})
    return client.post(f"/admin/pages/{page_id}/edit/", data, HTTP_HOST=JYJ, follow=True)


def strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)
