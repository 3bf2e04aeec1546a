"""Full reindex into a new index, then an atomic alias swap; and the projection ↔ index check.

A rebuild never empties search: the live alias keeps serving the old index until the new one is
complete and refreshed. While the new index fills, it is reachable as `<alias>-building`, and the
pusher writes every change to both, so nothing published during the rebuild is lost (versions
settle races between the snapshot and the pusher). Plugins' documents are collected first
(`portal.plugins.search_documents`, so a disabled plugin contributes none).
"""

import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, transaction
from django_tenants.utils import tenant_context
from elasticsearch import helpers

from . import index, outbox, pusher, vocabulary
from .documents import es_source, row_from_item
from .models import OutboxEntry, SearchDocument

REBUILD_LOCK = 72_410_001  # pg advisory lock key: one rebuild at a time
SOURCE_FIELDS = ["doc_id", "tenant", "kind", "type", "title", "title_folded", "summary", "body", "url",
                 "publish_time", "year", "suggest", "version", "validity", "outdated"]


@dataclass
class RebuildResult:
    index: str
    documents: int
    indexed: int
    conflicts: int
    errors: list[str]
    seconds: float
    old_indices: list[str]

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0


def sync_plugins(departments=None) -> int:
    """Collect every active site's plugin documents into the projection."""
    from tenants.models import Department

    total = 0
    for department in departments or Department.sites():
        with tenant_context(department):
            stored, _ = outbox.sync_plugin_documents(department)
            total += stored
    connection.set_schema_to_public()
    return total


def _dumps():
    try:
        import orjson

        return orjson.dumps
    except ImportError:  # pragma: no cover - orjson is a dependency; stdlib json is the fallback
        import json

        return lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def operation_chunks(target: str, chunk_size: int = 1000) -> Iterator[bytes]:
    """NDJSON `_bulk` bodies for every document of the projection, `chunk_size` documents each.

    Rows are read as tuples (no model instances) and serialized here, in the thread that reads
    them: the CPU saved is CPU Elasticsearch gets on a small machine."""
    dumps = _dumps()
    rows = SearchDocument.objects.values_list(*SOURCE_FIELDS, named=True).order_by("id")
    lines: list[bytes] = []
    for document in rows.iterator(chunk_size=2000):
        lines.append(dumps({"index": {"_index": target, "_id": document.doc_id, "version": document.version,
                                      "version_type": "external"}}))
        lines.append(dumps(es_source(document)))
        if len(lines) >= 2 * chunk_size:
            yield b"\n".join(lines) + b"\n"
            lines = []
    if lines:
        yield b"\n".join(lines) + b"\n"


def send_chunks(chunks, thread_count: int = 2, progress: Callable[[int], None] | None = None):
    """Send bulk bodies with up to `thread_count` requests in flight; the chunks are produced in
    the calling thread (which owns the database connection). Returns (indexed, conflicts, errors)."""
    es = index.client("index")
    indexed = conflicts = 0
    errors: list[str] = []
    last_report = 0.0

    def handle(response):
        nonlocal indexed, conflicts
        for item in response["items"]:
            (_, detail), = item.items()
            status = detail.get("status", 500)
            if status < 300:
                indexed += 1
            elif status == 409:
                conflicts += 1
            else:
                errors.append(str(detail.get("error"))[:300])

    with ThreadPoolExecutor(max_workers=thread_count) as pool:
        inflight: deque = deque()
        for chunk in chunks:
            inflight.append(pool.submit(es.bulk, operations=chunk, refresh=False))
            while len(inflight) >= thread_count:
                handle(inflight.popleft().result())
                if progress and time.monotonic() - last_report >= 1:
                    last_report = time.monotonic()
                    progress(indexed + conflicts + len(errors))
        while inflight:
            handle(inflight.popleft().result())
    if progress:
        progress(indexed + conflicts + len(errors))
    return indexed, conflicts, errors


def bulk_index(target: str, progress: Callable[[int, int], None] | None = None, thread_count: int = 2,
               chunk_size: int = 1000) -> tuple[int, int, list[str]]:
    """Index the whole projection into `target` through our document code; (indexed, conflicts, errors)."""
    total = SearchDocument.objects.count()
    report = (lambda done: progress(done, total)) if progress else None
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # one consistent snapshot of the projection for the whole read
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return send_chunks(operation_chunks(target, chunk_size), thread_count=thread_count, progress=report)


def rebuild(progress: Callable[[int, int], None] | None = None, keep_old: bool = False,
            collect_plugins: bool = True, thread_count: int = 2) -> RebuildResult:
    es = index.client("index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK])
        if not cursor.fetchone()[0]:
            raise RuntimeError("另一个重建正在进行")
    try:
        if collect_plugins:
            sync_plugins()
        outbox.mark_all_outdated()
        # An abandoned rebuild leaves its half-filled index behind its alias: drop it.
        for stale in index.current_indices(index.building_alias()):
            es.indices.delete(index=stale, ignore_unavailable=True)
        old = index.current_indices()
        name = index.new_index_name()
        index.create_index(name, bulk_load=True)
        es.indices.update_aliases(actions=[{"add": {"index": name, "alias": index.building_alias()}}])
        started = time.monotonic()
        try:
            indexed, conflicts, errors = bulk_index(name, progress=progress, thread_count=thread_count)
            seconds = time.monotonic() - started
            if errors:
                raise RuntimeError(f"{len(errors)} 个文档索引失败，例如：{errors[0]}")
            index.finish_bulk_load(name)
            actions = [{"remove": {"index": old_name, "alias": index.alias()}} for old_name in old]
            actions += [
                {"add": {"index": name, "alias": index.alias()}},
                {"remove": {"index": name, "alias": index.building_alias()}},
            ]
            es.indices.update_aliases(actions=actions)
        except BaseException:
            es.indices.delete(index=name, ignore_unavailable=True)
            raise
        if old and not keep_old:
            es.indices.delete(index=",".join(old), ignore_unavailable=True)
        vocabulary.refresh()
        return RebuildResult(name, SearchDocument.objects.count(), indexed, conflicts, errors, seconds, old)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])


# ----------------------------------------------------------------------------------------------
# Check and repair
# ----------------------------------------------------------------------------------------------


@dataclass
class CheckReport:
    projection_missing: list[str] = field(default_factory=list)  # PublishedItem without search row
    projection_extra: list[str] = field(default_factory=list)  # article search row without PublishedItem
    projection_stale: list[str] = field(default_factory=list)  # PublishedItem changed after its row
    index_missing: list[str] = field(default_factory=list)
    index_extra: list[str] = field(default_factory=list)
    index_stale: list[str] = field(default_factory=list)
    pending: int = 0
    documents: int = 0
    indexed: int = 0

    @property
    def differences(self) -> int:
        return sum(len(getattr(self, name)) for name in (
            "projection_missing", "projection_extra", "projection_stale", "index_missing", "index_extra",
            "index_stale"))


def index_versions() -> dict[str, int]:
    es = index.client("index")
    es.indices.refresh(index=index.alias())
    return {
        hit["_id"]: hit["_version"]
        for hit in helpers.scan(es, index=index.alias(), query={"query": {"match_all": {}}}, _source=False,
                                version=True, size=5000)
    }


def check() -> CheckReport:
    from portal.models import PublishedItem

    report = CheckReport()
    items = {
        (department_id, kind, object_id): updated_at
        for department_id, kind, object_id, updated_at in PublishedItem.objects.values_list(
            "department_id", "kind", "object_id", "updated_at")
    }
    rows = {}
    projection_versions = {}
    for doc_id, department_id, kind, object_id, source_updated_at, version in SearchDocument.objects.values_list(
        "doc_id", "department_id", "kind", "object_id", "source_updated_at", "version"
    ):
        projection_versions[doc_id] = version
        if kind == "article":
            rows[(department_id, kind, object_id)] = (doc_id, source_updated_at)
    from tenants.models import Department

    schemas = dict(Department.objects.values_list("pk", "schema_name"))
    for key, updated_at in items.items():
        row = rows.get(key)
        if row is None:
            report.projection_missing.append(f"{schemas.get(key[0])}:{key[1]}:{key[2]}")
        elif row[1] is None or row[1] < updated_at:
            report.projection_stale.append(row[0])
    report.projection_extra = sorted(doc_id for key, (doc_id, _) in rows.items() if key not in items)
    report.projection_missing.sort()
    report.projection_stale.sort()

    pending = set(OutboxEntry.objects.values_list("doc_id", flat=True))
    report.pending = len(pending)
    in_index = index_versions()
    report.documents, report.indexed = len(projection_versions), len(in_index)
    report.index_missing = sorted(set(projection_versions) - set(in_index) - pending)
    report.index_extra = sorted(set(in_index) - set(projection_versions) - pending)
    report.index_stale = sorted(
        doc_id for doc_id, version in projection_versions.items()
        if doc_id in in_index and in_index[doc_id] != version and doc_id not in pending
    )
    return report


def repair(report: CheckReport) -> int:
    """Re-derive drifted projection rows from `PublishedItem`, then re-push every document that
    differs (a document gone from the projection is deleted from the index)."""
    from portal.models import PublishedItem

    repaired = 0
    stale_or_missing = set(report.projection_missing) | set(report.projection_stale)
    by_department: dict[str, list[int]] = {}
    for doc_id in stale_or_missing:
        schema, kind, object_id = doc_id.split(":")
        if kind == "article":
            by_department.setdefault(schema, []).append(int(object_id))
    from tenants.models import Department

    with transaction.atomic():
        for schema, object_ids in by_department.items():
            department = Department.objects.get(schema_name=schema)
            validities = dict(SearchDocument.objects.filter(department=department, kind="article").filter(
                object_id__in=object_ids).values_list("object_id", "validity"))
            for item in PublishedItem.objects.filter(department=department, kind="article", object_id__in=object_ids):
                outbox.store(row_from_item(item, department, validities.get(item.object_id, "valid")))
                repaired += 1
        repaired += outbox.remove(report.projection_extra)
        outbox.bump(report.index_missing + report.index_stale)
        outbox.enqueue(report.index_extra)
    repaired += len(report.index_missing) + len(report.index_extra) + len(report.index_stale)
    pusher.drain(include_waiting=True)
    return repaired
