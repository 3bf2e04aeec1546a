"""The page cache needs the shared store: without it these tests fail, they are never skipped."""

import pytest


@pytest.fixture(autouse=True)
def empty_store():
    """Start each test from an empty store (a crashed earlier run may have left pages behind)."""
    from django.core.cache import caches

    try:
        caches["shared"].clear()
    except Exception as error:  # noqa: BLE001
        raise RuntimeError(f"共享存储（Valkey）不可用：{error}；请先运行 services/store.py start") from error
    yield
