"""What the scanner cannot read is not published unchecked, and reading is bounded.

An encrypted PDF, a broken DOCX, an archive, a DOCX zip bomb: each is held for a 安全管理员's
保密审查 exactly like a hit, with a message that names the file and why; an upload over its
kind's size limit is refused in the admin form with a message in Chinese.
"""

import io
import re
import time
import zipfile

import pytest
from django_tenants.utils import tenant_context

from .helpers import JYJ, docx_bytes, draft_article, login, make_document, pdf_bytes, post_edit, text
from .test_confidentiality import _article_with_docx, _error_messages, _live


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["本通知为机密材料"]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mb=200) -> bytes:
    """A real DOCX whose document.xml is padded to `unpacked_mb` MB of white space: a few hundred
    kilobytes on disk."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(["正文"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                with bomb.open(item.filename, "w", force_zip64=True) as part:
                    part.write(data[:-len(b"</w:document>")])
                    chunk = b" " * (1024 * 1024)
                    for _ in range(unpacked_mb):
                        part.write(chunk)
                    part.write(b"</w:document>")
            else:
                bomb.writestr(item, data)
    return buffer.getvalue()


@pytest.mark.parametrize("filename, data, reason", [
    ("通知.pdf", encrypted_pdf, "已加密，无法读取"),
    ("方案.docx", lambda: b"PK\x03\x04 not really a document" * 20, "无法读取（文件已损坏或不是有效的 DOCX）"),
    ("材料.zip", lambda: zipfile_bytes(), "是不支持检查的文件类型（.zip）"),
])
def test_an_unreadable_attachment_is_held_until_a_security_review(jyj, news, client, security_admin, stored_files,
                                                                   filename, data, reason):
    with tenant_context(jyj):
        document = make_document(filename.split(".")[0], filename, data(), stored_files)
        article = draft_article(news, f"含无法检查附件的通知{filename}", documents=[document])

    login(client, "jyj_head")
    response = post_edit(client, article.pk, "action-publish")
    [message] = _error_messages(response)
    assert f"附件“{filename}”{reason}" in message and "无法自动检查" in message
    assert not _live(jyj, article.pk)

    # The 安全管理员 sees the file named in the review and agrees; then it goes out.
    client.logout()
    login(client, security_admin)
    review_url = f"/admin/governance/confidentiality/{article.pk}/"
    body = text(client.get(review_url, HTTP_HOST=JYJ))
    assert f"附件“{filename}”" in body
    content_hash = re.search(r'name="content_hash" value="([0-9a-f]{64})"', body).group(1)
    client.post(review_url, {"decision": "approve", "reason": "已人工打开附件核对，无涉密和个人信息",
                             "content_hash": content_hash}, HTTP_HOST=JYJ)
    client.logout()
    login(client, "jyj_head")
    response = post_edit(client, article.pk, "action-publish")
    assert _error_messages(response) == []
    assert _live(jyj, article.pk)


def zipfile_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("名单.txt", "张三 110105198001011238")
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_held_in_bounded_time_and_memory(jyj, news, client, stored_files):
    import tracemalloc

    from portal.governance.scanning import scan_page

    data = zip_bomb_docx()
    assert len(data) < 2 * 1024 * 1024  # small on disk, 200 MB unpacked
    with tenant_context(jyj):
        document = make_document("方案", "方案.docx", data, stored_files)
        article = draft_article(news, "含压缩炸弹附件的通知", documents=[document])
        tracemalloc.start()
        started = time.perf_counter()
        result = scan_page(article)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert seconds < 5 and peak < 20 * 1024 * 1024
    [held] = result.blocking
    assert "附件“方案.docx”" in held.message and "超出检查上限" in held.message

    login(client, "jyj_head")
    response = post_edit(client, article.pk, "action-publish")
    [message] = _error_messages(response)
    assert "附件“方案.docx”" in message and "超出检查上限" in message
    assert not _live(jyj, article.pk)


def test_a_readable_docx_is_not_held(jyj, news, stored_files):
    from portal.governance.scanning import scan_page

    with tenant_context(jyj):
        article = _article_with_docx(jyj, news, stored_files, ["各学校：", "现将安排通知如下。"])
        assert scan_page(article).blocking == []


def test_an_oversize_document_upload_is_refused_with_the_limit(jyj, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_SIZE_LIMITS = {"document": 1024 * 1024, "image": 512 * 1024}
    login(client, "jyj_head")
    big = SimpleUploadedFile("年度报告.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 100), "application/pdf")
    response = client.post("/admin/documents/add/", {"title": "年度报告", "file": big, "collection": 1},
                           HTTP_HOST=JYJ)
    assert response.status_code == 200
    assert "文件“年度报告.pdf”大小为 1 MB，超过文档上传上限 1 MB" in text(response)
    picture = SimpleUploadedFile("现场.png", b"\x89PNG" + b"0" * (600 * 1024), "image/png")
    response = client.post("/admin/documents/add/", {"title": "现场", "file": picture, "collection": 1},
                           HTTP_HOST=JYJ)
    assert "文件“现场.png”大小为 0.6 MB，超过图片上传上限 0.5 MB" in text(response)
    with tenant_context(jyj):
        from wagtail.documents.models import Document

        assert not Document.objects.filter(title__in=["年度报告", "现场"]).exists()
