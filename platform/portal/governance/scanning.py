"""Scanning content for classification marks, personal data and 错敏词 (上网不涉密，涉密不上网).

Content is read as *segments*: a piece of text and where it is, in words an editor understands
("正文第 2 段", "附件“通知.docx”第 3 段", "附件“方案.pdf”第 2 页第 5 行"). A hit says what was
found, where (the segment and the character in it), and for a 错敏词 what to write instead.

- Classification marks (涉密标识) and 错敏词 come from the central word list (`ScanTerm`); marks
  in the form of GB/T 7156 ("秘密★1年", "机密★长期") are recognised whole. Words are matched
  after Unicode normalisation and with white space removed, so "机 密" in a PDF still counts.
- Personal data is recognised by its structure: 18-digit mainland ID numbers with a valid check
  digit (GB 11643) and a plausible birth date, mainland mobile numbers, and bank card numbers
  of 16–19 digits that pass the Luhn check, none of them inside a longer run of digits.

Attachments are read as text: PDF through pypdf, DOCX through python-docx (paragraphs, tables,
text boxes, headers and footers), plain text, and the text of old binary Word/WPS files
approximately. An attachment the scanner cannot read — another type (images, archives,
spreadsheets, OFD), an encrypted or broken file, a PDF without a text layer, or one whose
extraction reaches a bound (`GOVERNANCE_SCAN_LIMITS`: a DOCX's members and unpacked size, a
PDF's pages, the characters read) — is itself a blocking hit: what nobody checked does not go
out before a 安全管理员's 保密审查. The bounds keep a small hostile file (a zip bomb) from taking a
worker's memory or time.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import PurePosixPath

from django.core.exceptions import ObjectDoesNotExist

# Bump when extraction changes, so cached attachment texts are read again.
EXTRACTOR_VERSION = 3
CLASSIFICATION = "classification"
SENSITIVE = "sensitive"
ID_NUMBER = "id_number"
MOBILE = "mobile"
BANK_CARD = "bank_card"
UNSCANNABLE = "unscannable"
PERSONAL_KINDS = (ID_NUMBER, MOBILE, BANK_CARD)
KIND_LABELS = {
    UNSCANNABLE: "无法检查的附件",
    CLASSIFICATION: "涉密标识",
    SENSITIVE: "错敏词",
    ID_NUMBER: "身份证号码",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
}
DEFAULT_CLASSIFICATION_TERMS = [
    "绝密", "机密", "秘密", "★", "内部资料", "内部使用", "内部文件", "不宜公开", "涉密", "注意保密",
]
# GB/T 7156: level, star, and the period the mark lasts.
MARK_WITH_PERIOD = r"(?:绝密|机密|秘密)★(?:\d+(?:年|个月|月|天|日)|长期)?"

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCE_CODES = {
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
}
_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?:(?<=\+86)|(?<=\+86 )|(?<!\d))1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4})(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?!\d)")
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


@dataclass(frozen=True)
class Segment:
    place: str  # where the text is, e.g. "正文第 2 段"
    text: str


@dataclass(frozen=True)
class Hit:
    kind: str
    quote: str
    place: str
    offset: int  # 1-based character in the segment
    suggestion: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def blocking(self) -> bool:
        """Classification marks and personal data stop publishing; 错敏词 only warn."""
        return self.kind != SENSITIVE

    @property
    def shown(self) -> str:
        """The quote as messages show it: personal data masked (first 4 and last 4 kept)."""
        return mask(self.quote) if self.kind in PERSONAL_KINDS else self.quote

    @property
    def position(self) -> str:
        return f"{self.place}第 {self.offset} 字" if self.offset else self.place

    @property
    def message(self) -> str:
        if self.kind == UNSCANNABLE:
            return f"附件“{self.quote}”{self.note}，无法自动检查是否含涉密信息和个人信息"
        if self.kind == CLASSIFICATION:
            return f"发现涉密标识“{self.quote}”（{self.position}）"
        if self.kind == SENSITIVE:
            advice = f"，建议改为“{self.suggestion}”" if self.suggestion else ""
            note = f"；{self.note}" if self.note else ""
            return f"发现错敏词“{self.quote}”{advice}（{self.position}{note}）"
        return f"发现{self.label} {self.shown}（{self.position}）"

    def as_record(self) -> dict:
        """What may be stored: personal data only masked."""
        record = asdict(self)
        record["quote"] = self.shown
        record["message"] = self.message
        return record


@dataclass
class ScanResult:
    segments: list[Segment]
    hits: list[Hit]
    notices: list[str] = field(default_factory=list)  # attachments that could not be read
    content_hash: str = ""

    @property
    def blocking(self) -> list[Hit]:
        return [hit for hit in self.hits if hit.blocking]

    @property
    def warnings(self) -> list[Hit]:
        return [hit for hit in self.hits if not hit.blocking]


class Unscannable(Exception):
    """The file cannot be checked; the message says why, in words for the editor."""


DEFAULT_SCAN_LIMITS = {
    "zip_members": 2000,  # parts of a DOCX
    "zip_unpacked_bytes": 64 * 1024 * 1024,  # all parts together, as declared and as read
    "zip_ratio": 200,  # unpacked / packed size of one part larger than 1 MB
    "pdf_pages": 1000,
    "characters": 2_000_000,  # text read from one attachment
}


def scan_limits() -> dict:
    from django.conf import settings

    return {**DEFAULT_SCAN_LIMITS, **getattr(settings, "GOVERNANCE_SCAN_LIMITS", {})}


def _count_characters(units: list[tuple[str, str]], limits: dict) -> list[tuple[str, str]]:
    if sum(len(text) for _, text in units) > limits["characters"]:
        raise Unscannable(f"文字超过 {limits['characters']} 字，超出检查上限")
    return units


def mask(value: str) -> str:
    digits = re.sub(r"[^0-9Xx]", "", value)
    if len(digits) <= 8:
        return digits
    return f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}"


# --- personal data ---------------------------------------------------------------------------

def valid_id_number(value: str) -> bool:
    """GB 11643: a region, a real birth date, and the check digit over the first 17 digits."""
    value = value.upper()
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", value) or int(value[:2]) not in PROVINCE_CODES:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != value[17]:
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def _personal_hits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) in `text`; an ID number is not also reported as a card or a phone."""
    found: list[tuple[int, int, str]] = []

    def overlaps(start, end):
        return any(start < other_end and other_start < end for other_start, other_end, _ in found)

    for match in _ID.finditer(text):
        if valid_id_number(match.group()):
            found.append((match.start(), match.end(), ID_NUMBER))
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 16 <= len(digits) <= 19 and luhn_valid(digits) and not overlaps(match.start(), match.end()):
            found.append((match.start(), match.end(), BANK_CARD))
    for match in _MOBILE.finditer(text):
        if not overlaps(match.start(), match.end()):
            found.append((match.start(), match.end(), MOBILE))
    return found


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact_personal_data(text: str, names: tuple[str, ...] = ()) -> str:
    """`text` as the public may see it: ID, bank card and mobile numbers and e-mail addresses
    masked, and the given personal names replaced by 某某."""
    for start, end, _ in sorted(_personal_hits(text), reverse=True):
        text = text[:start] + mask(text[start:end]) + text[end:]
    text = _EMAIL.sub("***@***", text)
    for name in names:
        if name and name.strip():
            text = text.replace(name.strip(), "某某")
    return text


# --- words -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    classification: tuple[str, ...]
    sensitive: tuple[tuple[str, str, str], ...]  # (term, suggestion, note)

    @classmethod
    def load(cls) -> Terms:
        """The enabled words of the central list (public schema)."""
        from .models import ScanTerm

        rows = list(ScanTerm.objects.filter(enabled=True).values_list("kind", "term", "suggestion", "note"))
        return cls(
            classification=tuple(term for kind, term, _, _ in rows if kind == CLASSIFICATION),
            sensitive=tuple((term, suggestion, note) for kind, term, suggestion, note in rows if kind == SENSITIVE),
        )

    @classmethod
    def defaults(cls) -> Terms:
        return cls(classification=tuple(DEFAULT_CLASSIFICATION_TERMS), sensitive=())


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFKC text (full-width digits become digits) and, per character, its index in `text`."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for normal in unicodedata.normalize("NFKC", char):
            chars.append(normal)
            origin.append(index)
    return "".join(chars), origin


def _compact(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Without white space and invisible characters, for matching words split by layout."""
    chars, kept = [], []
    for char, index in zip(text, origin, strict=True):
        if not char.isspace() and char not in _INVISIBLE:
            chars.append(char)
            kept.append(index)
    return "".join(chars), kept


def _word_key(term: str) -> str:
    normal, origin = _normalised(term)
    return _compact(normal, origin)[0]


class _WordMatcher:
    def __init__(self, terms: Terms):
        classification = sorted({_word_key(t) for t in terms.classification if _word_key(t)}, key=len, reverse=True)
        self.sensitive = {}
        for term, suggestion, note in terms.sensitive:
            key = _word_key(term)
            if key:
                self.sensitive.setdefault(key, (suggestion, note))
        patterns = [MARK_WITH_PERIOD, *map(re.escape, classification)]
        self.classification_re = re.compile("|".join(patterns))
        self.sensitive_re = (
            re.compile("|".join(map(re.escape, sorted(self.sensitive, key=len, reverse=True))))
            if self.sensitive else None
        )


def scan_segments(segments: list[Segment], terms: Terms | None = None) -> list[Hit]:
    """Every hit in the segments, in reading order."""
    terms = terms if terms is not None else Terms.load()
    matcher = _WordMatcher(terms)
    hits: list[Hit] = []
    for segment in segments:
        if not segment.text:
            continue
        normal, origin = _normalised(segment.text)
        compact, kept = _compact(normal, origin)
        found: list[tuple[int, Hit]] = []
        for match in matcher.classification_re.finditer(compact):
            start, end = kept[match.start()], kept[match.end() - 1] + 1
            found.append((start, Hit(CLASSIFICATION, segment.text[start:end], segment.place, start + 1)))
        if matcher.sensitive_re is not None:
            for match in matcher.sensitive_re.finditer(compact):
                start, end = kept[match.start()], kept[match.end() - 1] + 1
                suggestion, note = matcher.sensitive[match.group()]
                found.append((start, Hit(SENSITIVE, segment.text[start:end], segment.place, start + 1,
                                         suggestion=suggestion, note=note)))
        for start, end, kind in _personal_hits(normal):
            first, last = origin[start], origin[end - 1] + 1
            found.append((first, Hit(kind, segment.text[first:last], segment.place, first + 1)))
        hits.extend(hit for _, hit in sorted(found, key=lambda pair: pair[0]))
    return hits


# --- reading content -------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "blockquote", "pre", "caption"}


class _RichTextReader(HTMLParser):
    """Paragraphs and table cells of rich-text HTML, numbered as an editor counts them."""

    def __init__(self, counters: dict):
        super().__init__(convert_charrefs=True)
        self.counters = counters  # shared across the text blocks of one body
        self.segments: list[Segment] = []
        self.buffer: list[str] = []
        self.table: list[int] | None = None  # [table number, row, column]
        self.in_cell = False

    def _flush(self):
        text = "".join(self.buffer).strip()
        self.buffer = []
        if not text:
            return
        if self.in_cell and self.table is not None:
            number, row, column = self.table
            self.segments.append(Segment(f"正文表格 {number} 第 {row} 行第 {column} 列", text))
        else:
            self.counters["paragraph"] += 1
            self.segments.append(Segment(f"正文第 {self.counters['paragraph']} 段", text))

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._flush()
            self.counters["table"] += 1
            self.table = [self.counters["table"], 0, 0]
        elif tag == "tr" and self.table is not None:
            self.table[1] += 1
            self.table[2] = 0
        elif tag in ("td", "th") and self.table is not None:
            self._flush()
            self.table[2] += 1
            self.in_cell = True
        elif tag in _BLOCK_TAGS and not self.in_cell:
            self._flush()
        elif tag == "br":
            self.buffer.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._flush()
            self.in_cell = False
        elif tag == "table":
            self._flush()
            self.table = None
        elif tag in _BLOCK_TAGS and not self.in_cell:
            self._flush()

    def handle_data(self, data):
        self.buffer.append(data)

    def close(self):
        super().close()
        self._flush()


def body_segments(body) -> list[Segment]:
    """Text and table blocks of an article body (StreamField)."""
    counters = {"paragraph": 0, "table": 0}
    segments: list[Segment] = []
    for block in body or []:
        if block.block_type == "text":
            source = getattr(block.value, "source", block.value) or ""
            reader = _RichTextReader(counters)
            reader.feed(str(source))
            reader.close()
            segments.extend(reader.segments)
        elif block.block_type == "table":
            counters["table"] += 1
            number = counters["table"]
            value = block.value or {}
            if value.get("table_caption"):
                segments.append(Segment(f"正文表格 {number} 标题", value["table_caption"]))
            for row_index, row in enumerate(value.get("data") or [], start=1):
                for column_index, cell in enumerate(row or [], start=1):
                    if cell and str(cell).strip():
                        place = f"正文表格 {number} 第 {row_index} 行第 {column_index} 列"
                        segments.append(Segment(place, str(cell)))
    return segments


def _pdf_units(data: bytes) -> list[tuple[str, str]]:
    from pypdf import PdfReader

    limits = scan_limits()
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # An owner password alone (printing restricted) still opens with the empty user password.
        try:
            opened = reader.decrypt("")
        except Exception:  # noqa: BLE001 - an unsupported cipher is as closed as a password
            opened = 0
        if not opened:
            raise Unscannable("已加密，无法读取")
    if len(reader.pages) > limits["pdf_pages"]:
        raise Unscannable(f"超过 {limits['pdf_pages']} 页，超出检查上限")
    units, characters = [], 0
    for page_number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        characters += len(text)
        if characters > limits["characters"]:
            raise Unscannable(f"文字超过 {limits['characters']} 字，超出检查上限")
        lines = [line for line in text.splitlines() if line.strip()]
        units.extend((f"第 {page_number} 页第 {line_number} 行", line) for line_number, line in enumerate(lines, 1))
    if reader.pages and not units:
        raise Unscannable("没有可读取的文字（可能是扫描件或图片）")
    return units


def _check_zip(data: bytes, limits: dict) -> None:
    """A DOCX is a zip: refuse one whose parts would unpack beyond the bounds before any is read.
    The sizes checked are the declared ones; `zipfile` stops reading a part at its declared size
    (and fails its checksum), so a part cannot unpack to more than it declares."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise Unscannable("无法读取（文件已损坏或不是有效的 DOCX）") from error
    members = archive.infolist()
    if len(members) > limits["zip_members"]:
        raise Unscannable(f"包含超过 {limits['zip_members']} 个部件，超出检查上限")
    if sum(member.file_size for member in members) > limits["zip_unpacked_bytes"]:
        raise Unscannable(f"解压后超过 {limits['zip_unpacked_bytes'] // (1024 * 1024)} MB，超出检查上限")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > limits["zip_ratio"] * max(member.compress_size, 1):
            raise Unscannable("压缩比异常（疑似压缩炸弹），超出检查上限")


def _docx_units(data: bytes) -> list[tuple[str, str]]:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    limits = scan_limits()
    _check_zip(data, limits)
    document = Document(io.BytesIO(data))
    units: list[tuple[str, str]] = []
    paragraph_number = table_number = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = Paragraph(element, document).text
            if text.strip():
                paragraph_number += 1
                units.append((f"第 {paragraph_number} 段", text))
        elif element.tag == qn("w:tbl"):
            table_number += 1
            seen = set()
            for row_number, row in enumerate(Table(element, document).rows, start=1):
                for column_number, cell in enumerate(row.cells, start=1):
                    # A merged cell is returned once per grid position; its element is the same.
                    if cell._tc in seen or not cell.text.strip():
                        continue
                    seen.add(cell._tc)
                    units.append((f"表格 {table_number} 第 {row_number} 行第 {column_number} 列", cell.text))
    boxes = []
    for box in document.element.body.iter(qn("w:txbxContent")):
        text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in box.iter(qn("w:p"))).strip()
        if text and text not in boxes:  # Word writes each text box twice (DrawingML and VML)
            boxes.append(text)
    units.extend((f"文本框 {number}", text) for number, text in enumerate(boxes, start=1))
    seen_parts = set()
    for section in document.sections:
        for name, part in (("页眉", section.header), ("页脚", section.footer)):
            if part.is_linked_to_previous or part._element in seen_parts:
                continue
            seen_parts.add(part._element)
            text = "\n".join(p.text for p in part.paragraphs).strip()
            if text:
                units.append((name, text))
    return _count_characters(units, limits)


_READABLE_RUN = re.compile(
    r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef0-9A-Za-z★☆，。、；：？！“”‘’（）《》〔〕\-\s]{4,}"
)


def _legacy_word_units(data: bytes) -> list[tuple[str, str]]:
    """Old binary Word/WPS files keep their text as UTF-16; read the runs of readable text."""
    text = data.decode("utf-16-le", errors="ignore")
    runs = _READABLE_RUN.findall(text)
    units = []
    for run in runs:
        for piece in run.split("\r"):
            if len(piece.strip()) >= 2 and re.search(r"[\u4e00-\u9fff0-9★]", piece):
                units.append((f"文字第 {len(units) + 1} 处", piece.strip()))
    return _count_characters(units, scan_limits())


def _text_units(data: bytes) -> list[tuple[str, str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unscannable("无法识别文字编码，无法读取")
    units = [(f"第 {number} 行", line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    return _count_characters(units, scan_limits())


READERS = {".pdf": _pdf_units, ".docx": _docx_units, ".txt": _text_units, ".doc": _legacy_word_units,
           ".wps": _legacy_word_units}


def attachment_label(attachment) -> str:
    """How the attachment is named to people: its title with the file's extension."""
    document = attachment.document
    extension = PurePosixPath(document.file.name).suffix
    title = (getattr(attachment, "title", "") or document.title or PurePosixPath(document.file.name).name).strip()
    return title if title.lower().endswith(extension.lower()) else f"{title}{extension}"


def document_units(document) -> tuple[list[tuple[str, str]], str | None, str]:
    """(units, problem, fingerprint) of a stored document; text is cached by the file's hash.
    `problem` says why the file could not be checked (then it is held for a 保密审查)."""
    from django.core.cache import cache

    extension = PurePosixPath(document.file.name).suffix.lower()
    data = None
    fingerprint = getattr(document, "file_hash", "") or ""
    if not fingerprint:
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            return [], "无法读取（文件不存在或无法打开）", ""
        fingerprint = hashlib.sha1(data).hexdigest()
    reader = READERS.get(extension)
    if reader is None:
        return [], f"是不支持检查的文件类型（{extension or '无扩展名'}）", fingerprint
    key = f"governance:text:{EXTRACTOR_VERSION}:{fingerprint}:{extension}"
    cached = cache.get(key)
    if cached is not None:
        return [tuple(unit) for unit in cached["units"]], cached["problem"], fingerprint
    problem = None
    units: list[tuple[str, str]] = []
    try:
        if data is None:
            with document.file.open("rb") as handle:
                data = handle.read()
        units = reader(data)
    except Unscannable as reason:
        units, problem = [], str(reason)
    except Exception:  # noqa: BLE001 - a broken file is held for review, not raised
        units, problem = [], "无法读取（文件已损坏）"
    cache.set(key, {"units": units, "problem": problem}, 24 * 3600)
    return units, problem, fingerprint


def page_content(page) -> tuple[list[Segment], list[str], list[str], list[Hit]]:
    """(segments, notices, fingerprints, unscannable attachments) of an article as it would be
    published."""
    segments = [Segment("标题", page.title or "")]
    if getattr(page, "summary", ""):
        segments.append(Segment("摘要", page.summary))
    segments.extend(body_segments(getattr(page, "body", None)))
    notices, fingerprints, unscannable = [], [], []
    attachments = getattr(page, "attachments", None)
    for attachment in attachments.all() if attachments is not None else []:
        if attachment.document_id is None:
            continue
        try:
            label = attachment_label(attachment)
        except ObjectDoesNotExist:  # the document was deleted since this revision was saved
            notices.append(f"附件（文档编号 {attachment.document_id}）已不存在")
            continue
        segments.append(Segment(f"附件“{label}”的名称", label))
        units, problem, fingerprint = document_units(attachment.document)
        fingerprints.append(f"{label}:{fingerprint}")
        if problem:
            unscannable.append(Hit(UNSCANNABLE, label, f"附件“{label}”", 0, note=problem))
        segments.extend(Segment(f"附件“{label}”{unit}", text) for unit, text in units)
    return segments, notices, fingerprints, unscannable


def content_hash(segments: list[Segment], fingerprints: list[str] = ()) -> str:
    """The fingerprint a 保密审查 is bound to: any change to the scanned text changes it."""
    payload = json.dumps([[s.place, s.text] for s in segments] + [["files", *fingerprints]], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def scan_page(page, terms: Terms | None = None) -> ScanResult:
    segments, notices, fingerprints, unscannable = page_content(page)
    return ScanResult(
        segments=segments, hits=unscannable + scan_segments(segments, terms), notices=notices,
        content_hash=content_hash(segments, fingerprints),
    )


def scan_text(text: str, place: str = "正文", terms: Terms | None = None) -> list[Hit]:
    """Hits in one piece of text (for checks outside articles)."""
    return scan_segments([Segment(place, text)], terms)
