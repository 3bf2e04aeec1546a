"""Elasticsearch going down in the middle of a run of publishes loses nothing.

The test stops and restarts a real node, so it uses a private one (own port and folder, started
by services/elasticsearch.py in the background when the search tests begin, see conftest): other
test runs on this machine keep the shared node. The node is restarted at the end whatever happens.
"""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import tenant_context

from search import index, pusher, rebuild, service
from search.models import OutboxEntry, SearchDocument

from .conftest import OUTAGE_PORT, node, publish, refresh_index, require_elasticsearch

WHEN = datetime(2026, 9, 9, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def outage_node(private_node, settings):
    output, _ = private_node.communicate(timeout=180)
    assert private_node.returncode in (0, None), output
    url = f"http://127.0.0.1:{OUTAGE_PORT}"
    require_elasticsearch(url)
    settings.ELASTICSEARCH_URL = url
    index._clients.clear()
    service.forget_es_state()
    try:
        yield url
    finally:
        node("start")  # running again, whatever happened
        index._clients.clear()
        service.forget_es_state()


def test_publishing_through_an_outage_converges_exactly(outage_node, committed):
    departments, created = committed
    jyj, wjj = departments["jyj"], departments["wjj"]
    rebuild.rebuild(collect_plugins=False)

    def publish_one(department, n):
        article = publish(department, "news", f"木棉花开第{n}期简报", f"<p>木棉简报正文第{n}期。</p>", WHEN,
                          slug=f"search-kapok-{n}")
        created.append((department, article.pk))
        return article

    before = [publish_one(jyj if n % 2 else wjj, n) for n in range(1, 4)]
    assert not OutboxEntry.objects.exists()  # pushed while the node was up

    node("stop")  # in the middle of the run
    during = [publish_one(jyj if n % 2 else wjj, n) for n in range(4, 8)]
    from portal.pages.models import ArticlePage

    with tenant_context(wjj):
        ArticlePage.objects.get(pk=before[1].pk).unpublish()  # 第2期 is withdrawn
    with tenant_context(jyj):
        edited = ArticlePage.objects.get(pk=before[0].pk)
        edited.title = "木棉花开第1期简报（更正）"
        edited.save_revision().publish()
    assert all(page.pk for page in during), "Elasticsearch 停止时发布失败"
    waiting = OutboxEntry.objects.count()
    assert waiting >= 6, waiting
    # An operator (or cron) pushing by hand during the outage is told it failed, with exit status 1.
    with pytest.raises(CommandError, match="未能推送到 Elasticsearch"):
        call_command("search_push", stdout=io.StringIO())
    assert OutboxEntry.objects.count() == waiting  # nothing dropped

    outcome = service.search(service.Params(q="木棉"))
    assert outcome.backend == "postgresql" and outcome.degraded
    assert outcome.total == 6
    assert "木棉花开第1期简报（更正）" in [hit.title_html.replace("<em>", "").replace("</em>", "")
                                      for hit in outcome.hits]

    node("start")
    result = pusher.drain(include_waiting=True)
    assert result.failed == 0 and not OutboxEntry.objects.exists()
    refresh_index()
    report = rebuild.check()
    assert report.differences == 0 and report.documents == report.indexed, report
    # Every change was applied exactly once: each document holds the projection's own version.
    es = index.client("index")
    for document in SearchDocument.objects.filter(title__startswith="木棉"):
        assert es.get(index=index.alias(), id=document.doc_id)["_version"] == document.version
    service.forget_es_state()
    after = service.search(service.Params(q="木棉"))
    assert after.backend == "elasticsearch" and after.total == 6
