"""Writing the search projection and the outbox, inside the caller's transaction.

`portal.projection` calls `article_changed` / `article_removed` right after it writes
`PublishedItem`, in the publishing transaction: a page is never live without its search row and
outbox entry, and a rolled-back publish leaves neither. After the commit a push task is queued
(once per transaction); if Elasticsearch is down the entries simply wait.

Versions come from the database clock and never go backwards for a document (the row lock of the
upsert orders concurrent writers), so Elasticsearch's external versioning keeps the newest state
whatever order pushes arrive in.
"""

import logging

from django.db import connection, transaction

from .documents import Row, row_from_item, row_from_plugin

logger = logging.getLogger(__name__)

CLOCK_MICROS = "(extract(epoch from clock_timestamp()) * 1000000)::bigint"

UPSERT = f"""
INSERT INTO search_searchdocument (
    doc_id, department_id, tenant, kind, object_id, type, type_label, title, title_folded, url,
    summary, body, publish_time, year, suggest, tsv, title_tsv, version, source_updated_at, validity,
    title_shape, outdated
) VALUES (
    %(doc_id)s, %(department_id)s, %(tenant)s, %(kind)s, %(object_id)s, %(type)s, %(type_label)s,
    %(title)s, %(title_folded)s, %(url)s, %(summary)s, %(body)s, %(publish_time)s, %(year)s,
    %(suggest)s::jsonb,
    setweight(to_tsvector('simple', %(tsv_a)s), 'A') || setweight(to_tsvector('simple', %(tsv_b)s), 'B')
        || setweight(to_tsvector('simple', %(tsv_d)s), 'D'),
    to_tsvector('simple', %(tsv_a)s),
    {CLOCK_MICROS}, %(source_updated_at)s, %(validity)s, %(title_shape)s, FALSE
)
ON CONFLICT (doc_id) DO UPDATE SET
    department_id = EXCLUDED.department_id, tenant = EXCLUDED.tenant, kind = EXCLUDED.kind,
    object_id = EXCLUDED.object_id, type = EXCLUDED.type, type_label = EXCLUDED.type_label,
    title = EXCLUDED.title, title_folded = EXCLUDED.title_folded, url = EXCLUDED.url,
    summary = EXCLUDED.summary, body = EXCLUDED.body, publish_time = EXCLUDED.publish_time,
    year = EXCLUDED.year, suggest = EXCLUDED.suggest, tsv = EXCLUDED.tsv, title_tsv = EXCLUDED.title_tsv,
    version = GREATEST(search_searchdocument.version + 1, EXCLUDED.version),
    source_updated_at = EXCLUDED.source_updated_at, validity = EXCLUDED.validity,
    title_shape = EXCLUDED.title_shape
RETURNING version
"""

ENQUEUE = "INSERT INTO search_outboxentry (doc_id, version, created_at, attempts, next_attempt_at, last_error) " \
          "VALUES (%s, %s, now(), 0, now(), '')"


def row_params(row: Row) -> dict:
    import json

    tsv_a, tsv_b, tsv_d = row.tsv_sources()
    return {
        "doc_id": row.doc_id, "department_id": row.department_id, "tenant": row.tenant, "kind": row.kind,
        "object_id": row.object_id, "type": row.type, "type_label": row.type_label, "title": row.title,
        "title_folded": row.title_folded, "url": row.url, "summary": row.summary, "body": row.body,
        "publish_time": row.publish_time, "year": row.year, "suggest": json.dumps(row.suggest, ensure_ascii=False),
        "tsv_a": tsv_a, "tsv_b": tsv_b, "tsv_d": tsv_d, "source_updated_at": row.source_updated_at,
        "validity": row.validity, "title_shape": row.title_shape,
    }


# Within one department, every document whose title shape is shared by a newer document is
# outdated (last year's notice of a yearly series); rows whose flag changes get a new version.
MARK_OUTDATED = f"""
UPDATE search_searchdocument d SET outdated = s.outdated, version = GREATEST(d.version + 1, {CLOCK_MICROS})
FROM (
    SELECT id, publish_time < max(publish_time) OVER (PARTITION BY tenant, title_shape) AS outdated
    FROM search_searchdocument WHERE tenant = %(tenant)s AND title_shape = ANY(%(shapes)s)
) s
WHERE d.id = s.id AND d.outdated IS DISTINCT FROM s.outdated
RETURNING d.doc_id, d.version
"""


def mark_all_outdated() -> int:
    """Recompute every outdated flag (before a rebuild: rows written in bulk never had theirs)."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE search_searchdocument d SET outdated = s.outdated,
                version = GREATEST(d.version + 1, {CLOCK_MICROS})
            FROM (SELECT id, publish_time < max(publish_time) OVER (PARTITION BY tenant, title_shape) AS outdated
                  FROM search_searchdocument) s
            WHERE d.id = s.id AND d.outdated IS DISTINCT FROM s.outdated""")
        return cursor.rowcount


def mark_outdated(tenant: str, shapes: list[str]) -> int:
    """Recompute the outdated flag of one department's documents of the given title shapes and
    push those whose flag changed."""
    shapes = [shape for shape in shapes if shape]
    if not shapes:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(MARK_OUTDATED, {"tenant": tenant, "shapes": shapes})
        rows = cursor.fetchall()
        for doc_id, version in rows:
            cursor.execute(ENQUEUE, [doc_id, version])
    if rows:
        push_after_commit()
    return len(rows)


def store(row: Row) -> int:
    """Upsert one search row and record the change in the outbox; returns the new version."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT title_shape FROM search_searchdocument WHERE doc_id = %s", [row.doc_id])
        previous = cursor.fetchone()
        cursor.execute(UPSERT, row_params(row))
        version = cursor.fetchone()[0]
        cursor.execute(ENQUEUE, [row.doc_id, version])
    mark_outdated(row.tenant, [row.title_shape, previous[0] if previous else ""])
    push_after_commit()
    return version


def _enqueue_rows(sql: str, doc_ids: list[str]) -> int:
    """Run `sql` (returning doc_id, new version) and record each returned row in the outbox."""
    if not doc_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(doc_ids)])
        rows = cursor.fetchall()
        for doc_id, version in rows:
            cursor.execute(ENQUEUE, [doc_id, version])
    if rows:
        push_after_commit()
    return len(rows)


def remove(doc_ids: list[str]) -> int:
    """Delete search rows and record each deletion in the outbox; returns how many existed. The
    older documents of a removed one's title shape become current again."""
    if not doc_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT tenant, array_agg(DISTINCT title_shape) FROM search_searchdocument "
                       "WHERE doc_id = ANY(%s) GROUP BY tenant", [list(doc_ids)])
        shapes = cursor.fetchall()
    removed = _enqueue_rows(
        f"DELETE FROM search_searchdocument WHERE doc_id = ANY(%s) "
        f"RETURNING doc_id, GREATEST(version + 1, {CLOCK_MICROS})",
        doc_ids,
    )
    for tenant, tenant_shapes in shapes:
        mark_outdated(tenant, tenant_shapes)
    return removed


def bump(doc_ids: list[str]) -> int:
    """Give documents a new version and push them again (repairs: the index may hold a higher
    version than the projection, e.g. after someone deleted a document by hand)."""
    return _enqueue_rows(
        f"UPDATE search_searchdocument SET version = GREATEST(version + 1, {CLOCK_MICROS}) "
        f"WHERE doc_id = ANY(%s) RETURNING doc_id, version",
        doc_ids,
    )


def enqueue(doc_ids: list[str]) -> None:
    """Ask for documents to be pushed again as they are now; a document no longer in the
    projection is deleted from the index."""
    if not doc_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO search_outboxentry (doc_id, version, created_at, attempts, next_attempt_at, last_error) "
            f"SELECT d, {CLOCK_MICROS}, now(), 0, now(), '' FROM unnest(%s::text[]) AS d",
            [list(doc_ids)],
        )
    push_after_commit()


# ----------------------------------------------------------------------------------------------
# Called by portal.projection inside the publishing transaction
# ----------------------------------------------------------------------------------------------


def article_changed(item, department, validity: str = "valid") -> None:
    store(row_from_item(item, department, validity))


def article_removed(department, object_ids) -> None:
    from .documents import doc_id

    remove([doc_id(department.schema_name, "article", pk) for pk in object_ids])


def sync_plugin_documents(department) -> tuple[int, int]:
    """Make the department's plugin documents in the projection match what its enabled plugins
    yield now (a disabled plugin yields none). Runs inside the department's schema."""
    from portal.plugins import search_documents

    from .models import SearchDocument

    wanted = {}
    if department.is_site:
        for doc in search_documents(department):
            try:
                row = row_from_plugin(doc, department)
            except (KeyError, TypeError, ValueError):
                logger.warning("插件检索文档格式不正确，已跳过: %r", doc)
                continue
            wanted[row.doc_id] = row
    plugin_rows = SearchDocument.objects.filter(department_id=department.pk).exclude(kind="article")
    existing = set(plugin_rows.values_list("doc_id", flat=True))
    with transaction.atomic():
        for row in wanted.values():
            store(row)
        removed = remove(sorted(existing - set(wanted)))
    return len(wanted), removed


# ----------------------------------------------------------------------------------------------
# After the commit: one push task per transaction
# ----------------------------------------------------------------------------------------------


def _push_now():
    from .tasks import push_changes

    try:
        push_changes.enqueue()
    except Exception:  # noqa: BLE001 - queuing must never undo or break a publish
        logger.exception("无法排队检索推送任务；变更保留在待推送表中")


def push_after_commit() -> None:
    from portal.transactions import on_commit_once

    on_commit_once(_push_now)
