"""Search tests on the real Elasticsearch node and PostgreSQL.

A fixture corpus (`corpus.py`) is published through Wagtail into the committed district — the
real path: publish → projection → outbox → push task → Elasticsearch — then the index is rebuilt
so the run starts from an index that equals the projection. The corpus is removed again after
the last search test (deleting pages, which pushes the deletions), so other test packages see
the district as conftest made it. Elasticsearch being unreachable fails the tests, never skips.
"""

import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from tests.conftest import LIVE_PORT, ROOT

from .corpus import CORPUS, DRAFTS, PRIVATE, WITHDRAWN


@dataclass
class Published:
    key: str
    prefix: str
    page_id: int
    title: str
    url: str


def require_elasticsearch(url: str | None = None) -> None:
    url = (url or settings.ELASTICSEARCH_URL).rstrip("/")
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=5) as response:
            health = json.load(response)
    except (OSError, ValueError) as error:
        pytest.fail(f"Elasticsearch 不可达 ({url}): {error}。请先运行 `python services/elasticsearch.py start`。",
                    pytrace=False)
    assert health["status"] in ("yellow", "green"), health


def publish(department, column_slug, title, body, publish_time, slug, live=True, **fields):
    from portal.pages.models import ArticlePage, ColumnPage

    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug=column_slug)
        article = ArticlePage(title=title, slug=slug, publish_time=publish_time, source=department.name,
                              body=[("text", body)], **fields)
        column.add_child(instance=article)
        revision = article.save_revision()
        if live:
            revision.publish()
            article.refresh_from_db()
        article.search_url = department.base_url + article.url if live else ""
        return article


def delete_page(department, page_id) -> None:
    from wagtail.models import Page

    with tenant_context(department):
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            page.delete()


def refresh_index() -> None:
    from search import index

    index.refresh()


OUTAGE_PORT = 19200 + LIVE_PORT % 1000  # transport port is 100 higher
NODE_ENV = {
    **os.environ,
    "GOVSITE_ES_PORT": str(OUTAGE_PORT),
    "GOVSITE_ES_HEAP": "384m",
    "GOVSITE_ES_DIR": str(ROOT / ".services" / f"elasticsearch-outage-{OUTAGE_PORT}"),
}


def node(command: str, wait: bool = True):
    process = subprocess.Popen([sys.executable, str(ROOT / "services" / "elasticsearch.py"), command],
                               env=NODE_ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not wait:
        return process
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output
    return process


@pytest.fixture(scope="package", autouse=True)
def private_node():
    """A private Elasticsearch node for the outage test (test_outage.py), started in the background
    when the search tests begin so it is ready by the time that test runs; stopped at the end."""
    starting = node("start", wait=False)
    yield starting
    starting.wait(180)
    node("stop")


@pytest.fixture(scope="package", autouse=True)
def corpus(private_node, django_db_setup, django_db_blocker):
    """{key: Published} of the fixture corpus, committed and indexed; removed afterwards."""
    from search import index, rebuild
    from tenants.models import Department

    require_elasticsearch()
    es = index.client("index")
    es.indices.delete(index=f"{index.alias()}-*", ignore_unavailable=True, allow_no_indices=True)
    published: dict[str, Published] = {}
    extra: list[tuple] = []
    with django_db_blocker.unblock():
        departments = {d.host_prefix: d for d in Department.objects.filter(host_prefix__in=["www", "jyj", "wjj"])}
        for key, (prefix, column, title, body, when) in CORPUS.items():
            article = publish(departments[prefix], column, title, body, when, slug=f"search-{key}")
            published[key] = Published(key, prefix, article.pk, title, article.search_url)
        for key, (prefix, column, title, body, when) in DRAFTS.items():
            article = publish(departments[prefix], column, title, body, when, slug=f"search-{key}", live=False)
            extra.append((departments[prefix], article.pk))
        for key, (prefix, column, title, body, when) in WITHDRAWN.items():
            article = publish(departments[prefix], column, title, body, when, slug=f"search-{key}")
            with tenant_context(departments[prefix]):
                article.unpublish()
            extra.append((departments[prefix], article.pk))
        for key, (prefix, column, title, body, when) in PRIVATE.items():
            from wagtail.models import PageViewRestriction

            article = publish(departments[prefix], column, title, body, when, slug=f"search-{key}")
            with tenant_context(departments[prefix]):
                PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
            extra.append((departments[prefix], article.pk))
        connection.set_schema_to_public()
        rebuild.rebuild()
        refresh_index()
    yield published
    with django_db_blocker.unblock():
        for item in published.values():
            delete_page(departments[item.prefix], item.page_id)
        for department, page_id in extra:
            delete_page(department, page_id)
        connection.set_schema_to_public()
        from search.models import BestBet, QueryLog

        BestBet.objects.all().delete()
        QueryLog.objects.all().delete()


@pytest.fixture
def committed(django_db_blocker):
    """No test transaction: what the test publishes is committed, so the push after the commit
    reaches Elasticsearch. Yields (departments by prefix, list to append (department, page id) of
    pages to delete afterwards)."""
    from tenants.models import Department

    created = []
    with django_db_blocker.unblock():
        departments = {d.host_prefix: d for d in Department.objects.filter(host_prefix__in=["www", "jyj", "wjj"])}
        yield departments, created
        for department, page_id in created:
            delete_page(department, page_id)
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _search_process_state():
    from search import service

    service.forget_best_bets()
    service.forget_es_state()
    yield
    service.forget_best_bets()
    service.forget_es_state()


@pytest.fixture
def search(db):
    """`search(q, **filters)` → Outcome, through the service the page and the API use."""
    from search import service

    def run(q, **filters):
        data = {"q": q, **{key: str(value) for key, value in filters.items()}}
        return service.search(service.Params.from_data(data))

    return run


@pytest.fixture
def postgres_only(settings):
    settings.SEARCH_BACKEND = "postgres"
    yield


def titles(outcome) -> list[str]:
    import re

    return [re.sub(r"</?em>", "", hit.title_html) for hit in outcome.hits]
