"""Draining the outbox into Elasticsearch.

Entries are taken in id order with `FOR UPDATE SKIP LOCKED`, so several workers share the work
without taking the same entry. For each document the pusher sends its state *now*: an index
operation with the search row's version, or a delete with the deletion's version when the row is
gone. Elasticsearch's external versioning makes this idempotent: a replay, a retry after a lost
acknowledgement, or an older state arriving late is rejected as a version conflict, which counts
as done. An entry is deleted only after every write target acknowledged it; otherwise it stays,
with its attempt count and the time of its next attempt (exponential backoff).
"""

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from elasticsearch import ApiError, TransportError

from . import index
from .documents import es_source
from .models import OutboxEntry, SearchDocument

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_BACKOFF_SECONDS = 300
PUSH_INCIDENT_KEY = "search_push_failure"


@dataclass
class DrainResult:
    pushed: int = 0
    failed: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)
    next_attempt_at: datetime | None = None

    def as_dict(self) -> dict:
        return {"pushed": self.pushed, "failed": self.failed, "batches": self.batches, "errors": self.errors[:5]}


def backoff(attempts: int) -> timedelta:
    seconds = min(MAX_BACKOFF_SECONDS, 2 ** min(attempts, 12))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def _states(entries: list[OutboxEntry]) -> list[tuple[str, SearchDocument | None, int]]:
    """(doc id, its search row or None when gone, the newest entry version) per document."""
    latest: dict[str, int] = {}
    for entry in entries:
        latest[entry.doc_id] = max(latest.get(entry.doc_id, 0), entry.version)
    documents = SearchDocument.objects.in_bulk(list(latest), field_name="doc_id")
    return [(doc_id, documents.get(doc_id), version) for doc_id, version in latest.items()]


def _operations(states, targets: list[str]) -> tuple[list, list[tuple[str, str]]]:
    operations, order = [], []
    for doc_id, document, entry_version in states:
        for target in targets:
            if document is not None:
                operations.append({"index": {"_index": target, "_id": doc_id, "version": document.version,
                                             "version_type": "external"}})
                operations.append(es_source(document))
            else:
                operations.append(
                    {"delete": {"_index": target, "_id": doc_id, "version": entry_version, "version_type": "external"}}
                )
            order.append((doc_id, target))
    return operations, order


def _item_ok(item: dict) -> tuple[bool, str]:
    (action, result), = item.items()
    status = result.get("status", 500)
    if status < 300:
        return True, ""
    if status == 409:  # the index already holds this state or a newer one
        return True, ""
    if action == "delete" and status == 404:
        return True, ""
    error = result.get("error") or {}
    return False, f"{error.get('type', status)}: {error.get('reason', '')}"[:500]


def push_batch(entries: list[OutboxEntry]) -> tuple[set[str], dict[str, str]]:
    """Send the entries' documents; returns (doc ids done, {doc id: error}).

    The state is read before the write targets are looked up: a rebuild exposes its new index
    before it starts reading the projection, so whatever is read here either reaches the new
    index through its alias or is already in the rebuild's snapshot."""
    states = _states(entries)
    targets = index.write_targets()
    operations, order = _operations(states, targets)
    if not operations:
        return set(), {}
    response = index.client("index").bulk(operations=operations, require_alias=True, refresh=False)
    failed: dict[str, str] = {}
    for (doc_id, target), item in zip(order, response["items"], strict=True):
        ok, error = _item_ok(item)
        if not ok and target == index.building_alias() and "index_not_found" in error:
            ok = True  # the rebuild finished (its index is now the live alias) or was abandoned
        if not ok:
            failed[doc_id] = error
    done = {entry.doc_id for entry in entries} - set(failed)
    return done, failed


def drain(batch_size: int = BATCH_SIZE, max_seconds: float | None = None, include_waiting: bool = False) -> DrainResult:
    """Push due outbox entries until none is left (or time is up). Never raises for an
    unreachable Elasticsearch: entries stay and are retried later.

    `include_waiting` also takes entries whose backoff has not run out (a command run by hand
    after Elasticsearch came back)."""
    result = DrainResult()
    started = time.monotonic()
    while max_seconds is None or time.monotonic() - started < max_seconds:
        with transaction.atomic():
            due = OutboxEntry.objects.select_for_update(skip_locked=True).order_by("id")
            if not include_waiting:
                due = due.filter(next_attempt_at__lte=timezone.now())
            entries = list(due[:batch_size])
            if not entries:
                break
            result.batches += 1
            try:
                done, failed = push_batch(entries)
            except (TransportError, ApiError) as error:
                message = f"{type(error).__name__}: {error}"[:500]
                done, failed = set(), {entry.doc_id: message for entry in entries}
                result.errors.append(message)
            finished = [entry.pk for entry in entries if entry.doc_id in done]
            OutboxEntry.objects.filter(pk__in=finished).delete()
            result.pushed += len(finished)
            now = timezone.now()
            for entry in entries:
                if entry.doc_id in failed:
                    entry.attempts += 1
                    entry.next_attempt_at = now + backoff(entry.attempts)
                    entry.last_error = failed[entry.doc_id]
                    result.failed += 1
            OutboxEntry.objects.bulk_update(
                [entry for entry in entries if entry.doc_id in failed], ["attempts", "next_attempt_at", "last_error"]
            )
            if failed:
                result.errors.extend(sorted(set(failed.values()))[:3])
                if not include_waiting and not done:
                    break  # Elasticsearch is refusing everything: stop and wait for the backoff
        if include_waiting and result.failed and not finished:
            break
    result.next_attempt_at = (
        OutboxEntry.objects.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    )
    if result.errors:
        logger.warning("检索推送有失败，稍后重试: %s", result.errors[0])
    if result.failed or result.pushed:
        watch_failures()
    return result


def watch_failures() -> None:
    """Tell the person on duty when changes keep failing to reach Elasticsearch: an entry that has
    failed `SEARCH_PUSH_ALERT_ATTEMPTS` times (default 5, about a minute of backoff) raises one
    检索推送失败 incident; it is resolved once no entry that failed that often is left."""
    from django.conf import settings
    from portal.operations.incidents import raise_incident, resolve_incident

    threshold = int(getattr(settings, "SEARCH_PUSH_ALERT_ATTEMPTS", 5))
    stuck = OutboxEntry.objects.filter(attempts__gte=threshold)
    oldest = stuck.order_by("created_at").first()
    if oldest is None:
        resolve_incident(PUSH_INCIDENT_KEY, "待推送的变更已全部送达检索服务，自动关闭")
        return
    raise_incident(
        "search_push_failure", PUSH_INCIDENT_KEY, "检索推送连续失败：新发布的信息搜不到",
        f"{stuck.count()} 条变更已连续推送失败 {threshold} 次以上（共 {pending_count()} 条等待推送），"
        f"最早一条记录于 {timezone.localtime(oldest.created_at):%Y-%m-%d %H:%M}。\n最近错误：{oldest.last_error}\n"
        "请检查 Elasticsearch 是否运行；恢复后运行 manage.py search_push 立即推送。",
    )


def pending_count() -> int:
    return OutboxEntry.objects.count()
