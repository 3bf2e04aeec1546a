"""The page cache needs the shared store: without it these tests fail, they are never skipped."""

import pytest

from tests.conftest import empty_shared_store


@pytest.fixture(autouse=True)
def empty_store():
    """Start each test from an empty store (a crashed earlier run may have left pages behind)."""
    empty_shared_store()
    yield
