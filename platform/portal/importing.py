"""Importing legacy articles from JSON Lines: one line is one article, imported whole or not at all.

Departments moving onto the platform bring years of articles out of their old CMS, usually as
HTML pasted from Word, with attachments lying next to the export or still on the old server.
Each line is checked completely first (fields, department, column, time, attachments), then
the article and its attachments are created and published in one transaction, so a bad line
leaves nothing behind and a good one is live with its projection row. Lines already imported
(same department, column, title and publish time) are skipped, so an import can be re-run.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha1
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from portal.governance.confidentiality import PublishingBlocked

TZ = ZoneInfo("Asia/Shanghai")
REQUIRED_FIELDS = ("department", "column", "title", "body_html", "publish_time")
TEXT_LIMITS = {"title": 255, "source": 100, "author": 64, "keywords": 200, "summary": None}
DOWNLOAD_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


class LineError(Exception):
    """Why one line cannot be imported, in Chinese."""


@dataclass(frozen=True)
class LineProblem:
    line: int
    reason: str

    def __str__(self):
        return f"第 {self.line} 行：{self.reason}"


@dataclass
class ImportResult:
    imported: int = 0  # published (or, in a dry run, would be)
    failed: int = 0
    existing: int = 0  # already there, skipped
    dry_run: bool = False
    errors: list[LineProblem] = field(default_factory=list)
    existing_lines: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        text = f"导入 {self.imported} 条，失败 {self.failed} 条"
        if self.existing:
            text += f"，已存在 {self.existing} 条（已跳过）"
        return f"试运行（未写入数据库）：可{text}" if self.dry_run else text


@dataclass
class _Attachment:
    reference: str  # as written in the line
    filename: str
    data: bytes


@dataclass
class _Item:
    department: object
    column: object
    title: str
    body: str
    publish_time: datetime
    source: str = ""
    author: str = ""
    summary: str = ""
    keywords: str = ""
    attachment_refs: list[str] = field(default_factory=list)
    attachments: list[_Attachment] = field(default_factory=list)


def clean_body(html: str) -> str:
    """Keep the structure of legacy HTML (paragraphs, headings, lists, tables, links, images)
    and drop every style, class, font and span; empty paragraphs left by Word go too. The
    platform's one cleaner does it (`portal.governance.cleaning`), as for every saved article."""
    from portal.governance.cleaning import clean_html

    return clean_html(html)


def parse_publish_time(value) -> datetime:
    """ISO 8601 or "YYYY-MM-DD HH:MM"; a time without zone is Beijing time."""
    if not isinstance(value, str) or not value.strip():
        raise LineError("publish_time 字段应为日期时间字符串")
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.strptime(text, "%Y-%m-%d %H:%M")
        except ValueError:
            raise LineError(
                f"发布时间“{text}”无法识别，应为 ISO 8601（如 2024-05-01T09:30:00+08:00）或“YYYY-MM-DD HH:MM”"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    if moment > timezone.now():
        raise LineError(f"发布时间“{text}”晚于当前时间")
    return moment


class _Lookups:
    """Departments and their columns, looked up once per import."""

    def __init__(self):
        self.departments: dict[str, object] = {}
        self.columns: dict[str, tuple[dict, dict]] = {}

    def department(self, prefix: str):
        from tenants.models import Department

        key = prefix.strip().lower()
        if key not in self.departments:
            self.departments[key] = Department.objects.filter(
                host_prefix=key,
                kind__in=[Department.Kind.PORTAL, Department.Kind.BUREAU, Department.Kind.TOWN],
            ).first()
        if self.departments[key] is None:
            raise LineError(f"未知的单位“{prefix}”")
        return self.departments[key]

    def column(self, department, name: str):
        from portal.pages.models import ColumnPage

        if department.host_prefix not in self.columns:
            with tenant_context(department):
                fields = ("id", "title", "slug", "depth", "path", "url_path")
                columns = list(ColumnPage.objects.all().only(*fields))
            by_slug = {column.slug: column for column in columns if column.depth == 3}
            by_title: dict[str, list] = {}
            for column in columns:
                by_title.setdefault(column.title, []).append(column)
            self.columns[department.host_prefix] = (by_slug, by_title)
        by_slug, by_title = self.columns[department.host_prefix]
        key = name.strip()
        if key in by_slug:
            return by_slug[key]
        matches = by_title.get(key, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise LineError(f"栏目名称“{name}”在{department.name}有多个同名栏目，请改用栏目标识（如 news）")
        raise LineError(f"{department.name}没有栏目“{name}”")


def _text(record: dict, name: str, required: bool = False) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if name == "keywords" and isinstance(value, list):
        if not all(isinstance(word, str) for word in value):
            raise LineError("keywords 字段应为字符串或字符串列表")
        value = ",".join(word.strip() for word in value if word.strip())
    if not isinstance(value, str):
        raise LineError(f"{name} 字段应为字符串")
    value = value.strip()
    if required and not value:
        raise LineError(f"{name} 字段不能为空")
    limit = TEXT_LIMITS.get(name)
    if limit and len(value) > limit:
        raise LineError(f"{name} 字段过长（最多 {limit} 个字符）")
    return value


def _parse_line(raw: str, lookups: _Lookups) -> _Item:
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        raise LineError(f"JSON 格式错误（第 {error.colno} 个字符附近）") from None
    if not isinstance(record, dict):
        raise LineError("每行应为一个 JSON 对象（{…}）")
    missing = [name for name in REQUIRED_FIELDS if name not in record]
    if missing:
        raise LineError(f"缺少 {'、'.join(missing)} 字段")
    department = lookups.department(_text(record, "department", required=True))
    column = lookups.column(department, _text(record, "column", required=True))
    title = _text(record, "title", required=True)
    body_html = record["body_html"]
    if not isinstance(body_html, str):
        raise LineError("body_html 字段应为字符串")
    publish_time = parse_publish_time(record["publish_time"])
    body = clean_body(body_html)
    if not body:
        raise LineError("正文（body_html）清理后为空")
    refs = record.get("attachments") or []
    if not isinstance(refs, list) or not all(isinstance(ref, str) and ref.strip() for ref in refs):
        raise LineError("attachments 字段应为文件路径或网址的列表")
    return _Item(
        department=department, column=column, title=title, body=body, publish_time=publish_time,
        source=_text(record, "source"), author=_text(record, "author"), summary=_text(record, "summary"),
        keywords=_text(record, "keywords"), attachment_refs=[ref.strip() for ref in refs],
    )


def _check_extension(filename: str, reference: str):
    allowed = [extension.lower() for extension in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []]
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    if allowed and extension not in allowed:
        raise LineError(f"附件“{reference}”的文件类型不允许（允许：{'、'.join(allowed)}）")


def _load_attachment(reference: str, base_dir: Path, client: httpx.Client) -> _Attachment:
    if reference.lower().startswith(("http://", "https://")):
        filename = unquote(PurePosixPath(urlsplit(reference).path).name)
        _check_extension(filename, reference)
        data = bytearray()
        try:
            with client.stream("GET", reference) as response:
                if response.status_code != 200:
                    raise LineError(f"附件“{reference}”下载失败（HTTP {response.status_code}）")
                for chunk in response.iter_bytes():
                    data.extend(chunk)
                    if len(data) > MAX_ATTACHMENT_BYTES:
                        raise LineError(f"附件“{reference}”超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
        except httpx.TimeoutException:
            raise LineError(f"附件“{reference}”下载超时") from None
        except httpx.HTTPError:
            raise LineError(f"附件“{reference}”下载失败（无法连接或传输中断）") from None
        data = bytes(data)
    else:
        path = base_dir / reference
        filename = path.name
        _check_extension(filename, reference)
        if not path.is_file():
            raise LineError(f"附件文件“{reference}”不存在")
        if path.stat().st_size > MAX_ATTACHMENT_BYTES:
            raise LineError(f"附件“{reference}”超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
        try:
            data = path.read_bytes()
        except OSError:
            raise LineError(f"附件文件“{reference}”无法读取") from None
    if not data:
        raise LineError(f"附件“{reference}”是空文件")
    return _Attachment(reference=reference, filename=filename, data=data)


def _exists(item: _Item) -> bool:
    from portal.pages.models import ArticlePage

    siblings = ArticlePage.objects.child_of(item.column)
    return siblings.filter(title=item.title, publish_time=item.publish_time).exists()


def _slug(item: _Item) -> str:
    """ASCII, stable for the same article: publish minute plus a hash of the title."""
    from wagtail.models import Page

    digest = sha1(item.title.encode()).hexdigest()[:6]
    base = f"{timezone.localtime(item.publish_time, TZ):%Y%m%d%H%M}-{digest}"
    siblings = Page.objects.child_of(item.column)
    slug, number = base, 2
    while siblings.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _create(item: _Item):
    """Documents, article and publication in one transaction; stored files go if it fails."""
    from wagtail.documents import get_document_model

    from portal.pages.models import ArticleAttachment, ArticlePage, ColumnPage

    Document = get_document_model()
    stored = []
    try:
        with transaction.atomic():
            links = []
            for attachment in item.attachments:
                stem = PurePosixPath(attachment.filename).stem
                document = Document(
                    title=stem, file=ContentFile(attachment.data, name=attachment.filename),
                    file_size=len(attachment.data), file_hash=sha1(attachment.data).hexdigest(),
                )
                document.save()
                stored.append(document)
                links.append(ArticleAttachment(document=document, title=stem))
            page = ArticlePage(
                title=item.title, slug=_slug(item), publish_time=item.publish_time, source=item.source,
                author=item.author, summary=item.summary, keywords=item.keywords,
                information_date=timezone.localtime(item.publish_time, TZ).date(), body=[("text", item.body)],
                attachments=links, live=False, first_published_at=item.publish_time,
            )
            # A fresh copy: the tree position of a cached column may be stale after earlier lines.
            ColumnPage.objects.get(pk=item.column.pk).add_child(instance=page)
            page.save_revision().publish()
    except BaseException:
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise
    return page


def import_jsonl(
    path, *, dry_run: bool = False, progress: Callable[[int, int], None] | None = None,
    client: httpx.Client | None = None,
) -> ImportResult:
    """Import every line of `path`; returns counts and the problem of each line that failed.

    `progress(done, total)` is called after each line. In a dry run everything is checked
    (attachments are read and downloaded too) but nothing is written.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    result = ImportResult(dry_run=dry_run)
    lookups = _Lookups()
    seen: set[tuple] = set()  # keys of this file, so that a dry run also reports repeats
    own_client = client is None
    client = client or httpx.Client(timeout=DOWNLOAD_TIMEOUT, follow_redirects=True)
    try:
        for number, raw in enumerate(lines, start=1):
            if raw.strip():
                _import_line(number, raw, path.parent, lookups, client, dry_run, seen, result)
            if progress is not None:
                progress(number, len(lines))
    finally:
        if own_client:
            client.close()
    return result


def _import_line(number, raw, base_dir, lookups, client, dry_run, seen, result):
    try:
        item = _parse_line(raw, lookups)
    except LineError as error:
        result.failed += 1
        result.errors.append(LineProblem(number, str(error)))
        return
    key = (item.department.pk, item.column.pk, item.title, item.publish_time)
    with tenant_context(item.department):
        try:
            if key in seen or _exists(item):
                result.existing += 1
                result.existing_lines.append(number)
                return
            item.attachments = [_load_attachment(ref, base_dir, client) for ref in item.attachment_refs]
            if not dry_run:
                _create(item)
        except LineError as error:
            reason = str(error)
        except PublishingBlocked as blocked:  # the platform's publishing rules (保密审查 …) said no
            # Not `blocked.record()`: it points at the page, which the rollback has removed.
            reason = f"未通过发布检查，本行未导入（{blocked.text}）"
        except (ValidationError, DatabaseError, OSError) as error:
            detail = "；".join(error.messages) if isinstance(error, ValidationError) else str(error).strip()
            reason = f"写入失败，本行未导入（{detail}）"
        else:
            seen.add(key)
            result.imported += 1
            return
    result.failed += 1
    result.errors.append(LineProblem(number, reason))
