"""Whether Elasticsearch is asked at all: after a failure it is left alone for a few seconds, so
a dead node costs one timeout, not one per visitor; `SEARCH_BACKEND=postgres` turns it off."""

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)

ES_RETRY_AFTER_SECONDS = 5
_es_down_until = 0.0


def es_available() -> bool:
    return settings.SEARCH_BACKEND != "postgres" and time.monotonic() >= _es_down_until


def mark_es_down(error: Exception) -> None:
    global _es_down_until
    _es_down_until = time.monotonic() + ES_RETRY_AFTER_SECONDS
    logger.warning("Elasticsearch 不可用，改用 PostgreSQL 检索: %s", error)


def forget_es_state() -> None:
    global _es_down_until
    _es_down_until = 0.0
