"""Aggregated columns and sitemaps read the page cache's shared store: it must be there."""

import pytest


@pytest.fixture(autouse=True)
def empty_store():
    from django.core.cache import caches

    try:
        caches["shared"].clear()
    except Exception as error:  # noqa: BLE001
        raise RuntimeError(f"共享存储（Valkey）不可用：{error}；请先运行 services/store.py start") from error
    yield
