"""Aggregated columns and sitemaps read the page cache's shared store: it must be there."""

import pytest

from tests.conftest import empty_shared_store


@pytest.fixture(autouse=True)
def empty_store():
    empty_shared_store()
    yield
