"""What a searchable document is, in the search projection and in Elasticsearch.

Articles come from `portal.PublishedItem`; plugins contribute dicts through the
`search_documents` hook (kind, object_id, title, url, publish_time, summary, body_text and
optionally type / type_label). Both become the same row shape here, so the pusher, the rebuild,
the check and the fallback never need to know where a document came from.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from . import text

# What visitors see as the type of a result, by column type (articles) or plugin kind.
TYPE_LABELS = {
    "news": "新闻",
    "notice": "通知公告",
    "policy": "政策文件",
    "interpretation": "政策解读",
    "disclosure": "信息公开",
    "about": "机构概况",
    "service": "办事服务",
    "interaction": "互动交流",
    "letter": "信件",
    "catalogue": "信息公开目录",
}
TYPE_ORDER = list(TYPE_LABELS)
BODY_LIMIT = 20_000  # characters of body kept for search; longer texts are cut

# 有效性 of a document, as its source says: catalogue entries (through the page's
# `search_validity()`) and plugin documents (an optional `validity` key) may be expired,
# repealed or superseded by another document; everything else is valid.
VALIDITIES = ("valid", "expired", "repealed", "superseded")

# How much a document's text score is kept, by validity and by whether a newer document of the
# same title shape exists. Small enough that a valid document outranks a repealed one with the
# same title, large enough that a clearly better text match still wins.
RANK_FACTORS = {"valid": 1.0, "superseded": 0.45, "expired": 0.45, "repealed": 0.35}
OUTDATED_FACTOR = 0.6


def rank_factor(validity: str, outdated: bool) -> float:
    return RANK_FACTORS.get(validity, 1.0) * (OUTDATED_FACTOR if outdated else 1.0)


def clean_validity(value) -> str:
    value = str(value or "valid").strip().lower()
    return value if value in VALIDITIES else "valid"


def doc_id(tenant: str, kind: str, object_id) -> str:
    return f"{tenant}:{kind}:{object_id}"


@dataclass
class Row:
    """One document of the search projection, before it is written."""

    doc_id: str
    department_id: int
    tenant: str
    kind: str
    object_id: int
    type: str
    type_label: str
    title: str
    title_folded: str
    url: str
    summary: str
    body: str
    publish_time: datetime
    suggest: list = field(default_factory=list)
    source_updated_at: datetime | None = None
    validity: str = "valid"

    @property
    def title_shape(self) -> str:
        return text.title_shape(self.title_folded)

    @property
    def year(self) -> int:
        return timezone.localtime(self.publish_time).year

    def tsv_sources(self) -> tuple[str, str, str]:
        """Space-joined tokens for the A (title), B (summary) and D (body) parts of the tsvector."""
        title_tokens = text.segment(self.title_folded) + text.char_grams(self.title_folded)
        summary_tokens = text.segment(self.summary) + text.char_grams(self.summary, limit=200)
        return " ".join(title_tokens), " ".join(summary_tokens), " ".join(text.segment(self.body))


def row_from_item(item, department, validity: str = "valid") -> Row:
    """The search row of a `PublishedItem` (an article of `department`); `validity` is what the
    page says of itself (see `portal.projection`)."""
    title_folded = text.fold(item.title)
    column_type = item.column_type or "news"
    return Row(
        doc_id=doc_id(department.schema_name, item.kind, item.object_id),
        department_id=department.pk,
        tenant=department.schema_name,
        kind=item.kind,
        object_id=item.object_id,
        type=column_type,
        type_label=TYPE_LABELS.get(column_type, item.column_title or column_type),
        title=item.title,
        title_folded=title_folded,
        url=item.url,
        summary=text.fold(item.summary),
        body=text.fold(item.body_text[:BODY_LIMIT]),
        publish_time=item.publish_time,
        suggest=text.suggest_entries(text.title_terms(title_folded)),
        source_updated_at=item.updated_at,
        validity=clean_validity(validity),
    )


def row_from_plugin(doc: dict, department) -> Row:
    """The search row of a document a plugin yields from `search_documents`."""
    kind = str(doc["kind"])
    doc_type = str(doc.get("type") or kind)
    url = str(doc.get("url") or "")
    if url.startswith("/"):
        url = department.base_url + url
    title_folded = text.fold(str(doc["title"]))
    published = doc.get("publish_time") or timezone.now()
    if isinstance(published, datetime) and timezone.is_naive(published):
        published = timezone.make_aware(published)
    return Row(
        doc_id=doc_id(department.schema_name, kind, doc["object_id"]),
        department_id=department.pk,
        tenant=department.schema_name,
        kind=kind,
        object_id=int(doc["object_id"]),
        type=doc_type,
        type_label=str(doc.get("type_label") or TYPE_LABELS.get(doc_type, doc_type)),
        title=str(doc["title"])[:255],
        title_folded=title_folded[:255],
        url=url[:500],
        summary=text.fold(str(doc.get("summary") or "")),
        body=text.fold(str(doc.get("body_text") or "")[:BODY_LIMIT]),
        publish_time=published,
        suggest=text.suggest_entries(text.title_terms(title_folded)),
        validity=clean_validity(doc.get("validity")),
    )


def es_source(document) -> dict:
    """The Elasticsearch `_source` of a `SearchDocument` (or anything with its attributes)."""
    return {
        "tenant": document.tenant,
        "kind": document.kind,
        "type": document.type,
        "title": document.title_folded,
        "title_display": document.title,
        "title_exact": document.title_folded.replace(" ", "").lower(),
        "summary": document.summary,
        "body": document.body,
        "url": document.url,
        "date": document.publish_time.isoformat(),
        "year": document.year,
        "suggest_zh": [entry[0] for entry in document.suggest],
        "suggest_py": sorted({f"{key}|{entry[0]}" for entry in document.suggest for key in entry[1:] if key}),
        "suggest_pinyin": sorted({entry[1] for entry in document.suggest if entry[1]}),
        "validity": document.validity,
        "rank": rank_factor(document.validity, False),
        "outdated": bool(document.outdated),
    }
