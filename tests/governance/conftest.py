"""Fixtures for the publishing-governance tests (helpers live in `tests.governance.helpers`)."""

import pytest
from django_tenants.utils import tenant_context

from tests.conftest import _make_user


@pytest.fixture
def jyj(departments):
    return departments["jyj"]


@pytest.fixture
def in_jyj(jyj):
    with tenant_context(jyj):
        yield jyj


@pytest.fixture
def news(jyj):
    from portal.pages.models import ColumnPage

    with tenant_context(jyj):
        return ColumnPage.objects.get(depth=3, slug="news")


@pytest.fixture
def security_admin(db):
    from portal.accounts.roles import appoint_first_holder

    user = _make_user("gov_security", "保密审查员")
    appoint_first_holder(user, "security_admin")
    return user


@pytest.fixture
def stored_files():
    """Uploaded files outlive the rolled-back rows of a test; remove them afterwards."""
    paths = []
    yield paths
    from pathlib import Path

    for path in paths:
        Path(path).unlink(missing_ok=True)
