"""Test settings: the same real PostgreSQL and Elasticsearch as the demo, a separate database."""

import os

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
MEDIA_ROOT = BASE_DIR / ".services" / "test-media"  # noqa: F405
# The server process of the browser tests listens here; generated links must point at it.
PUBLIC_PORT = os.environ.get("PUBLIC_PORT", os.environ.get("GOVSITE_TEST_PORT", "18000"))
# Several test runs may share one PostgreSQL server: each can name its own test database.
DATABASES["default"]["TEST"] = {"NAME": "test_govsite" + os.environ.get("GOVSITE_TEST_DB_SUFFIX", "")}  # noqa: F405
# Parallel test runs on one Elasticsearch node must not share an index.
SEARCH_INDEX_PREFIX = ("test-govsite" + os.environ.get("GOVSITE_TEST_DB_SUFFIX", "")).lower()
