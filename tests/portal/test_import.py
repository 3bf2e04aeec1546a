"""Legacy import: good lines are published and visible, bad lines are reported and leave nothing."""

import functools
import http.server
import json
import threading
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django_tenants.utils import tenant_context
from portal.demo.files import make_docx, make_pdf
from portal.importing import clean_body, import_jsonl

WORD_HTML = (
    '<p class="MsoNormal" style="font-family:仿宋;color:red"><span style="font-size:16pt">'
    '为做好<font color="red" face="仿宋_GB2312">校园安全</font>工作，现将有关事项通知如下。'
    "</span><o:p></o:p></p>"
    "<p>&nbsp;</p>"
    '<table class="MsoTableGrid" style="border-collapse:collapse"><tr>'
    '<td colspan="2" style="width:200px"><span>学校名称</span></td><td rowspan="2">人数</td></tr>'
    "<tr><td>区第一小学</td><td>源城中学</td></tr></table>"
    '<script>alert("x")</script><p><a href="https://www.example.gov.cn/" style="color:blue">原文链接</a></p>'
)


@pytest.fixture
def served(tmp_path):
    """A real HTTP server on localhost serving a folder, for attachments given as URLs."""
    folder = tmp_path / "served"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def jyj_documents(departments):
    """Documents of jyj created by the test; their files are removed afterwards (rows roll back)."""
    from wagtail.documents import get_document_model

    with tenant_context(departments["jyj"]):
        before = set(get_document_model().objects.values_list("pk", flat=True))
    yield lambda: _new_documents(departments["jyj"], before)
    with tenant_context(departments["jyj"]):
        for document in get_document_model().objects.exclude(pk__in=before):
            document.file.storage.delete(document.file.name)


def _new_documents(department, before):
    from wagtail.documents import get_document_model

    with tenant_context(department):
        return list(get_document_model().objects.exclude(pk__in=before).order_by("pk"))


def _stored_files(storage) -> set[str]:
    return set(storage.listdir("documents")[1]) if storage.exists("documents") else set()


def _write_jsonl(path, lines):
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                              for line in lines) + "\n", encoding="utf-8")
    return path


def _article(department, title):
    from portal.pages.models import ArticlePage

    with tenant_context(department):
        return ArticlePage.objects.filter(title=title).first()


def test_clean_body_keeps_structure_and_drops_word_styling():
    cleaned = clean_body(WORD_HTML)
    for gone in ("style=", "class=", "<span", "<font", "仿宋", "<o:p", "<script", "alert", "&nbsp;"):
        assert gone not in cleaned
    assert '<td colspan="2">学校名称</td><td rowspan="2">人数</td>' in cleaned
    assert "<table>" in cleaned and "为做好校园安全工作" in cleaned
    assert '<a href="https://www.example.gov.cn/">原文链接</a>' in cleaned


def test_import_publishes_good_lines_and_reports_bad_ones(
    departments, client, tmp_path, served, jyj_documents
):
    from portal.models import PublishedItem

    education = departments["jyj"]
    files = tmp_path / "files"
    files.mkdir()
    plan_pdf = make_pdf("源城区校园安全工作实施方案", ["各学校：现将方案印发给你们。"])
    (files / "实施方案.pdf").write_bytes(plan_pdf)
    (files / "run.exe").write_bytes(b"MZ")
    served_dir, base_url = served
    (served_dir / "baoming.docx").write_bytes(make_docx("报名表", ["姓名：", "联系电话："]))
    good = {
        "department": "jyj", "column": "部门动态", "title": "区教育局部署校园安全工作（旧站迁移）",
        "body_html": WORD_HTML, "publish_time": "2023-05-04 09:30", "source": "区教育局", "author": "张老师",
        "summary": "部署校园安全工作。", "keywords": ["校园安全", "教育"],
        "attachments": ["files/实施方案.pdf", f"{base_url}/baoming.docx"],
    }
    notice = {
        "department": "JYJ", "column": "notices", "title": "关于2023年秋季学期开学工作的通知（旧站迁移）",
        "body_html": "<p>各学校：</p><p>秋季学期定于9月1日开学。</p>",
        "publish_time": "2023-08-20T10:00:00+08:00",
    }
    lines = [
        good,  # 1
        '{"department": "jyj", "column": "news", "title": "坏行"',  # 2: malformed JSON
        {**notice, "department": "nosuch", "title": "未知单位的文章"},  # 3
        {**notice, "title": "附件缺失的文章", "attachments": ["files/实施方案.pdf", "files/不存在.pdf"]},  # 4
        notice,  # 5
        "",  # 6: blank lines are ignored
        {key: value for key, value in notice.items() if key != "title"},  # 7
        {**notice, "title": "附件类型不允许的文章", "attachments": ["files/run.exe"]},  # 8
        {**notice, "title": "附件网址失效的文章", "attachments": [f"{base_url}/gone.pdf"]},  # 9
        {**notice, "title": "时间格式错误的文章", "publish_time": "2023年8月20日"},  # 10
        {**notice, "title": "栏目不存在的文章", "column": "不存在的栏目"},  # 11
        {**notice, "title": "含密级标志的文章", "body_html": "<p>机密★1年</p><p>本通知请勿外传。</p>"},  # 12
    ]
    path = _write_jsonl(tmp_path / "legacy.jsonl", lines)

    result = import_jsonl(path)

    assert (result.imported, result.failed, result.existing) == (2, 9, 0)
    reasons = {problem.line: problem.reason for problem in result.errors}
    assert sorted(reasons) == [2, 3, 4, 7, 8, 9, 10, 11, 12]
    assert "JSON 格式错误" in reasons[2]
    assert reasons[3] == "未知的单位“nosuch”"
    assert reasons[4] == "附件文件“files/不存在.pdf”不存在"
    assert reasons[7] == "缺少 title 字段"
    assert "文件类型不允许" in reasons[8]
    assert "HTTP 404" in reasons[9]
    assert "无法识别" in reasons[10]
    assert "没有栏目“不存在的栏目”" in reasons[11]
    assert reasons[12].startswith("未通过发布检查") and "机密" in reasons[12]
    assert str(result.errors[0]).startswith("第 2 行：")
    assert result.summary() == "导入 2 条，失败 9 条"

    # Nothing of a failed line is left behind: only line 1's two attachments were stored.
    documents = jyj_documents()
    assert [document.title for document in documents] == ["实施方案", "baoming"]
    for title in ("附件缺失的文章", "附件类型不允许的文章", "附件网址失效的文章", "未知单位的文章", "含密级标志的文章"):
        assert _article(education, title) is None

    with tenant_context(education):
        article = _article(education, good["title"])
        assert article.live and article.get_parent().slug == "news"
        assert (article.source, article.author, article.keywords) == ("区教育局", "张老师", "校园安全,教育")
        assert [a.title for a in article.attachments.all()] == ["实施方案", "baoming"]
        stored = article.body[0].value.source
    for gone in ("style=", "<span", "<font", "仿宋", "class="):
        assert gone not in stored
    assert '<td colspan="2">学校名称</td>' in stored

    items = {item.title: item for item in PublishedItem.objects.filter(department=education)}
    assert items[good["title"]].column_title == "部门动态"
    assert items[notice["title"]].column_type == "notice"

    column_page = client.get("/news/", HTTP_HOST="jyj.localhost")
    assert column_page.status_code == 200 and good["title"] in column_page.content.decode()
    page = client.get(urlsplit(items[good["title"]].url).path, HTTP_HOST="jyj.localhost")
    html = page.content.decode()
    assert page.status_code == 200
    assert good["title"] in html and "<table>" in html and 'colspan="2"' in html
    assert "font-family" not in html and "<font" not in html and "baoming" in html


def test_rerun_skips_what_exists_and_the_command_reports_in_chinese(departments, tmp_path, jyj_documents):
    line = {
        "department": "jyj", "column": "news", "title": "重复导入测试文章", "body_html": "<p>正文</p>",
        "publish_time": "2022-03-01 08:00",
    }
    path = _write_jsonl(tmp_path / "again.jsonl", [line, {**line, "title": ""}])
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_content", str(path), stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert "第 2 行：title 字段不能为空" in err.getvalue()
    assert "导入 1 条，失败 1 条" in out.getvalue()

    dry = import_jsonl(path, dry_run=True)
    assert dry.summary() == "试运行（未写入数据库）：可导入 0 条，失败 1 条，已存在 1 条（已跳过）"
    out = StringIO()
    _write_jsonl(path, [line])
    call_command("import_content", str(path), stdout=out, stderr=StringIO())
    assert "第 1 行：已存在，跳过" in out.getvalue()
    assert "导入 0 条，失败 0 条，已存在 1 条（已跳过）" in out.getvalue()


def test_dry_run_writes_nothing(departments, tmp_path, jyj_documents):
    (tmp_path / "a.pdf").write_bytes(make_pdf("试运行附件", ["内容"]))
    line = {
        "department": "jyj", "column": "news", "title": "试运行文章", "body_html": "<p>正文</p>",
        "publish_time": "2022-03-02 08:00", "attachments": ["a.pdf"],
    }
    result = import_jsonl(_write_jsonl(tmp_path / "dry.jsonl", [line, line]), dry_run=True)
    assert (result.imported, result.existing, result.failed) == (1, 1, 0)
    assert _article(departments["jyj"], "试运行文章") is None and jyj_documents() == []


def test_a_line_that_fails_while_writing_leaves_nothing(departments, tmp_path, monkeypatch, jyj_documents):
    from django.core.files.storage import default_storage
    from portal.pages.models import ArticlePage

    original = ArticlePage.save_revision

    def failing_save_revision(self, *args, **kwargs):
        if self.title == "写入时出错的文章":
            raise DatabaseError("模拟数据库故障")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "save_revision", failing_save_revision)
    (tmp_path / "附件.pdf").write_bytes(make_pdf("附件", ["内容"]))
    line = {
        "department": "jyj", "column": "news", "title": "写入时出错的文章", "body_html": "<p>正文</p>",
        "publish_time": "2022-03-03 08:00", "attachments": ["附件.pdf"],
    }
    with tenant_context(departments["jyj"]):
        files_before = _stored_files(default_storage)
        result = import_jsonl(_write_jsonl(tmp_path / "fail.jsonl", [line]))
        files_after = _stored_files(default_storage)
    assert result.failed == 1
    assert "写入失败" in result.errors[0].reason and "模拟数据库故障" in result.errors[0].reason
    assert _article(departments["jyj"], "写入时出错的文章") is None
    assert jyj_documents() == [] and files_after == files_before
