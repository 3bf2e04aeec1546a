"""Visit counting needs the shared store: without it these tests fail, they are never skipped."""

import pytest


def _visit_keys(client, prefix):
    return list(client.scan_iter(match=f"{prefix}*visits:*", count=1000))


@pytest.fixture(autouse=True)
def empty_counters():
    """Each test starts with no counted visits: this run's visit keys only (the store is shared)."""
    from django.core.cache import caches
    from portal.visits import counting

    prefix = caches["shared"].key_prefix
    try:
        client = counting.store()
        client.ping()
    except Exception as error:  # noqa: BLE001
        raise RuntimeError(f"共享存储（Valkey）不可用：{error}；请先运行 services/store.py start") from error
    counting.flush_buffer()
    for stale in _visit_keys(client, prefix):
        client.delete(stale)
    counting._salt = ("", b"")  # the store's salt went with the keys; so must this process's copy
    yield
    counting.flush_buffer()
    for stale in _visit_keys(client, prefix):
        client.delete(stale)
