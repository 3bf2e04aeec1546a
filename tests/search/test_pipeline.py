"""Indexing that loses nothing: the outbox is written in the publishing transaction, pushes are
idempotent, a rebuild swaps the alias without an empty moment and keeps changes made meanwhile,
the check finds and repairs drift, and plugins' documents are indexed (none when disabled)."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from search import index, pusher, rebuild, service
from search.models import OutboxEntry, SearchDocument

from .conftest import publish, refresh_index

WHEN = datetime(2026, 3, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def es_doc(doc_id):
    return index.client("index").options(ignore_status=404).get(index=index.alias(), id=doc_id)


def test_outbox_and_projection_are_written_in_the_publishing_transaction(departments, db):
    jyj = departments["jyj"]
    with pytest.raises(RuntimeError), transaction.atomic():
        article = publish(jyj, "news", "回滚测试石榴", "<p>石榴</p>", WHEN, slug="search-rollback")
        doc_id = f"jyj:article:{article.pk}"
        assert SearchDocument.objects.filter(doc_id=doc_id).exists()
        assert OutboxEntry.objects.filter(doc_id=doc_id).exists()
        raise RuntimeError("publishing failed after the projection was written")
    assert not SearchDocument.objects.filter(doc_id=doc_id).exists()
    assert not OutboxEntry.objects.filter(doc_id=doc_id).exists()



def test_pushing_twice_or_late_changes_nothing(committed):
    departments, created = committed
    jyj = departments["jyj"]
    article = publish(jyj, "news", "幂等推送测试海棠", "<p>海棠</p>", WHEN, slug="search-idempotent")
    created.append((jyj, article.pk))
    doc_id = f"jyj:article:{article.pk}"
    document = SearchDocument.objects.get(doc_id=doc_id)
    assert not OutboxEntry.objects.filter(doc_id=doc_id).exists()  # pushed after the commit
    assert es_doc(doc_id)["_version"] == document.version

    # Replays (a lost acknowledgement, a second worker) are accepted as already applied.
    OutboxEntry.objects.bulk_create([OutboxEntry(doc_id=doc_id, version=document.version) for _ in range(3)])
    result = pusher.drain()
    assert result.pushed == 3 and result.failed == 0 and not OutboxEntry.objects.exists()
    assert es_doc(doc_id)["_version"] == document.version

    # An older state arriving late cannot overwrite the newer one.
    response = index.client("index").options(ignore_status=409).index(
        index=index.alias(), id=doc_id, document={"title": "旧版本"}, version=document.version - 1,
        version_type="external")
    assert response.meta.status == 409
    assert es_doc(doc_id)["_source"]["title"] == "幂等推送测试海棠"


def test_rebuild_swaps_the_alias_without_an_empty_moment_and_keeps_changes_made_meanwhile(committed):
    departments, created = committed
    jyj = departments["jyj"]
    before = index.current_indices()
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching():
        while not stop.is_set():
            totals.append(index.client("search").count(index=index.alias(), q="title:教育")["count"])

    published_during = {}

    def publish_during_rebuild(done, total):
        if published_during:
            return

        def run():
            try:
                article = publish(jyj, "news", "重建期间发布的玉兰消息", "<p>玉兰</p>", WHEN, slug="search-magnolia")
                published_during["page"] = article.pk
            finally:
                connection.close()

        worker = threading.Thread(target=run)
        worker.start()
        worker.join()

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        result = rebuild.rebuild(progress=publish_during_rebuild)
    finally:
        stop.set()
        searcher.join()
    created.append((jyj, published_during["page"]))
    after = index.current_indices()
    assert after == [result.index] and after != before
    assert not index.client("index").indices.exists(index=before[0])  # the old index is gone
    assert totals and min(totals) > 0, "搜索在重建期间出现了空结果"
    refresh_index()
    assert es_doc(f"jyj:article:{published_during['page']}")["found"]
    assert [hit.title_html for hit in service.search(service.Params(q="玉兰")).hits]
    assert not index.client("index").indices.exists_alias(name=index.building_alias())


def test_check_reports_and_repairs_drift(committed, capsys):
    departments, created = committed
    from portal.models import PublishedItem

    es = index.client("index")
    healthy = rebuild.check()
    assert healthy.differences == 0, healthy
    item = PublishedItem.objects.filter(department=departments["jyj"]).order_by("id").first()
    doc_id = f"jyj:article:{item.object_id}"
    other = SearchDocument.objects.exclude(doc_id=doc_id).order_by("id").first()
    # Drift of every kind: a document missing from the index, one too many, one projection row lost.
    es.delete(index=index.alias(), id=other.doc_id, refresh=True)
    es.index(index=index.alias(), id="jyj:article:999999", document={"title": "不应存在"}, refresh=True)
    SearchDocument.objects.filter(doc_id=doc_id).delete()
    with pytest.raises(SystemExit) as exited:
        call_command("search_check")
    assert exited.value.code == 1
    output = capsys.readouterr().out
    assert "索引中缺少" in output and "索引中多余" in output and "已发布但不在检索投影中" in output

    call_command("search_check", "--repair")
    output = capsys.readouterr().out
    assert "一致" in output
    assert rebuild.check().differences == 0
    assert es_doc(doc_id)["found"] and es_doc(other.doc_id)["found"] and not es_doc("jyj:article:999999")["found"]


def test_search_documents_of_plugins_are_indexed_and_leave_when_disabled(committed):
    departments, created = committed
    from portal.plugins import get_manager, set_enabled

    from tests.plugins import sample_plugin

    manager = get_manager()
    manager.register(sample_plugin, name="sample")
    try:
        rebuild.rebuild()
        refresh_index()
        outcome = service.search(service.Params(q="示例文档"))
        assert {"区教育局示例文档", "区卫生健康局示例文档"} <= {hit.title_html.replace("<em>", "").replace("</em>", "")
                                                      for hit in outcome.hits}
        hit = next(hit for hit in outcome.hits if hit.department_prefix == "jyj")
        assert hit.url == departments["jyj"].base_url + "/sample/" and hit.type == "sample"
        set_enabled(departments["jyj"], "sample", False)
        refresh_index()
        assert {hit.department_prefix for hit in service.search(service.Params(q="示例文档")).hits} == {"wjj", "www"}
    finally:
        set_enabled(departments["jyj"], "sample", True)
        manager.unregister(name="sample")
        rebuild.sync_plugins()
        from portal.models import PluginSetting

        PluginSetting.objects.filter(plugin="sample").delete()
        refresh_index()
    assert service.search(service.Params(q="示例文档")).total == 0
