"""Test settings: the same real PostgreSQL and Elasticsearch as the demo, a separate database."""

import os
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import PASSWORD_HASHERS

DEBUG = False
SECRET_KEY = "test-settings-key-never-used-outside-the-test-database-" + "0" * 16
# Hashing is deliberately slow in production; tests create many accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".services" / "test-media"))  # noqa: F405
BACKUP_DIR = os.environ.get("BACKUP_DIR", str(BASE_DIR / ".services" / "test-backups"))  # noqa: F405
# The server process of the browser tests listens here; generated links must point at it.
PUBLIC_PORT = os.environ.get("PUBLIC_PORT", os.environ.get("GOVSITE_TEST_PORT", "18000"))
# pytest-django creates and migrates the test database as this role (by default the embedded
# server's superuser, who may create and drop every run's test database on a shared server);
# tests/conftest.py then connects the whole suite, and the servers it starts, as the application
# role of DATABASE_URL, so the suite proves the application works with that role's grants alone.
TEST_DATABASE_OWNER_URL = os.environ.get(
    "DATABASE_OWNER_URL", f"postgres://postgres@127.0.0.1:{os.environ.get('GOVSITE_PG_PORT', '54329')}/govsite"
)
# Several test runs may share one PostgreSQL server: each can name its own test database.
DATABASES["default"]["TEST"] = {"NAME": "test_govsite" + os.environ.get("GOVSITE_TEST_DB_SUFFIX", "")}  # noqa: F405
# Parallel test runs on one Elasticsearch node must not share an index.
SEARCH_INDEX_PREFIX = ("test-govsite" + os.environ.get("GOVSITE_TEST_DB_SUFFIX", "")).lower()
# Parallel test runs may share one store: each keeps its own keys.
CACHES["default"]["KEY_PREFIX"] = "test" + os.environ.get("GOVSITE_TEST_DB_SUFFIX", "")  # noqa: F405
CACHES["shared"]["KEY_PREFIX"] = "test" + os.environ.get("GOVSITE_TEST_DB_SUFFIX", "") + "-shared"  # noqa: F405
