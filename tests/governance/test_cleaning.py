"""Unified format (第十一条): what Word exports loses its styling and keeps its structure.

The fixture is the HTML Word 2016 writes with “另存为网页”: Office namespaces, `<o:p>`, `MsoNormal`
classes, `mso-` styles, 仿宋_GB2312 spans, a bordered table with merged cells, conditional
comments around VML and list numbers, and an image.
"""

import json
import re
from pathlib import Path

from django_tenants.utils import tenant_context
from portal.governance.cleaning import clean_html

from .helpers import JYJ, login

WORD_EXPORT = (Path(__file__).parent / "fixtures" / "word_export.html").read_text(encoding="utf-8")
STYLING = ("style=", "class=", "<span", "<font", "<o:p", "o:p>", "mso-", "仿宋", "黑体", "MsoNormal", "color",
           "<![if", "<!--", "v:shape", "<xml", "face=", "width=", "border=", "cellspacing", "lang=", "&nbsp;")


def test_word_export_keeps_structure_and_loses_styling():
    cleaned = clean_html(WORD_EXPORT)
    for gone in STYLING:
        assert gone not in cleaned, f"清理后仍有“{gone}”"
    # Headings (Word's h1 becomes the site's top article heading level), paragraphs, lists.
    assert "<h2>关于做好2026年秋季学期开学工作的通知</h2>" in cleaned
    assert "<h2>一、开学时间</h2>" in cleaned
    assert "<p>各中小学、幼儿园：</p>" in cleaned
    assert "<li>做好校舍安全检查</li>" in cleaned and "<li>落实疫情防控措施</li>" in cleaned
    assert "<b>9月1日</b>" in cleaned
    # Space indentation and Word's empty paragraphs are layout, not content.
    assert "<p>为做好2026年秋季学期开学工作，现将有关事项通知如下。</p>" in cleaned
    assert not re.search(r"<p>\s*</p>", cleaned)
    # The table with its merged cells, without Word's borders and widths.
    assert re.search(r'<td colspan="2"><p><b>学校名称</b></p></td>\s*<td rowspan="2"><p>报到日期</p></td>', cleaned)
    assert "<td><p>源城区第一小学</p></td>" in cleaned
    # Links and images stay, with only their address and text.
    assert '<a href="https://www.yuancheng.gov.cn/jyj/notice/2026/0820.html">开学工作安排</a>' in cleaned
    assert '<img src="https://www.yuancheng.gov.cn/jyj/images/kaixue.png" alt="开学报到流程图"/>' in cleaned
    # Nothing of the document head (title, Office XML properties, the stylesheet) leaks into the body.
    assert "区教育局办公室" not in cleaned and "Print" not in cleaned and "panose" not in cleaned
    assert cleaned.count("关于做好2026年秋季学期开学工作的通知") == 1


def test_cleaner_keeps_wagtails_own_references_and_drops_scripts():
    html = (
        '<p data-block-key="k1">见<a linktype="page" id="3">上一篇</a>和<a linktype="document" id="7">附件</a></p>'
        '<embed alt="图" embedtype="image" format="fullwidth" id="5"/>'
        '<p><a href="javascript:alert(1)" onclick="x()">坏链接</a><script>alert(1)</script></p>'
        '<embed src="old.swf">'
    )
    cleaned = clean_html(html)
    assert '<p data-block-key="k1">见<a linktype="page" id="3">上一篇</a>' in cleaned
    assert '和<a linktype="document" id="7">附件</a></p>' in cleaned
    assert '<embed alt="图" embedtype="image" format="fullwidth" id="5"/>' in cleaned
    assert "javascript" not in cleaned and "onclick" not in cleaned and "alert" not in cleaned
    assert "old.swf" not in cleaned
    assert clean_html(cleaned) == cleaned  # cleaning twice changes nothing


def test_every_article_save_stores_clean_html(jyj, news, client):
    """Whatever writes the body — code, the admin form, a revision — stored HTML has no styling."""
    from portal.pages.models import ArticlePage

    with tenant_context(jyj):
        article = ArticlePage(title="从 Word 粘贴的通知", slug="word-paste", body=[("text", WORD_EXPORT)])
        news.add_child(instance=article)
        revision = article.save_revision()
        revision.publish()
        stored = ArticlePage.objects.get(pk=article.pk)
        raw = json.dumps(list(stored.body.raw_data), ensure_ascii=False)
        raw += json.dumps(revision.content["body"], ensure_ascii=False, default=str)
        for gone in ("style=", "class=", "<span", "<o:p", "mso-", "仿宋_GB2312"):
            assert gone not in raw, f"保存的正文仍有“{gone}”"
        assert "<h2>一、开学时间</h2>" in raw and 'colspan=\\"2\\"' in raw
    # And the visitor gets the structure.
    page = client.get("/news/word-paste/", HTTP_HOST=JYJ).content.decode()
    assert "<h2>一、开学时间</h2>" in page and "仿宋" not in page and "MsoNormal" not in page

    # Through the admin: an editor's draft with inline styling is stored clean as well.
    from .helpers import post_edit

    login(client, "jyj_editor")
    response = post_edit(client, article.pk, None, body_html='<p>修改<span style="color:red">后</span></p>')
    assert response.status_code == 200
    with tenant_context(jyj):
        draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision()
        assert "style=" not in json.dumps(draft.content["body"], ensure_ascii=False, default=str)


def test_import_uses_the_same_cleaner(tmp_path, jyj):
    from portal.importing import clean_body, import_jsonl
    from portal.pages.models import ArticlePage

    assert clean_body(WORD_EXPORT) == clean_html(WORD_EXPORT)
    source = tmp_path / "legacy.jsonl"
    line = {"department": "jyj", "column": "news", "title": "旧系统导入的开学通知", "body_html": WORD_EXPORT,
            "publish_time": "2026-08-20 09:00"}
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    result = import_jsonl(source)
    assert result.imported == 1, result.errors
    with tenant_context(jyj):
        body = ArticlePage.objects.get(title="旧系统导入的开学通知").body.raw_data[0]["value"]
    assert body == clean_html(WORD_EXPORT)
