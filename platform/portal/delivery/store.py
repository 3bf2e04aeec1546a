"""Tag versions, cached pages and render locks in the shared store.

A cached page carries the versions its tags had when its render began; it is fresh while every
one of them is unchanged. Invalidation is one atomic INCR per tag, so no process needs to know
which pages exist, and a page whose render overlapped a change is stored already stale.
Version keys have no expiry: the store evicts only cached pages (volatile-lru), never a version,
so a version never falls back to an older value that an old page could match.
"""

import hashlib
import logging

from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

PAGE_SECONDS = 24 * 3600  # upper bound; staleness is decided by the tag versions
LOCK_SECONDS = 15  # a render that crashed frees its page's lock after this
PASS_SECONDS = 60  # how long a key that gave an uncacheable answer skips the render lock
RENDERS_KEY = "delivery:renders"


def _cache():
    return caches["shared"]


def tag_key(tag: str) -> str:
    return f"delivery:tag:{tag}"


def versions(tags) -> dict[str, int]:
    """Current version of each tag, in one round trip (0 for a tag never bumped)."""
    tags = list(tags)
    found = _cache().get_many([tag_key(tag) for tag in tags])
    return {tag: int(found.get(tag_key(tag), 0)) for tag in tags}


def bump(*tags: str) -> None:
    cache = _cache()
    for tag in dict.fromkeys(tags):
        key = tag_key(tag)
        try:
            cache.incr(key)
        except ValueError:  # never bumped (or the store was emptied): start it
            if not cache.add(key, 1, timeout=None):
                cache.incr(key)


def changed(*tags: str) -> None:
    """Every cached page that depends on one of `tags` is stale from now on, on every server.

    Bumped now (this transaction's own later reads see it) and again after the commit: a visitor
    whose render read the old rows between the two is stored with the first bump and is stale
    after the second.
    """
    if not tags:
        return
    try:
        bump(*tags)
    except Exception:  # noqa: BLE001  (a store outage must not undo the editor's change)
        logger.exception("共享存储不可用，页面缓存未能失效：%s", tags)
    transaction.on_commit(lambda: bump(*tags))


def page_key(host: str, path: str, query: str, variant: str) -> str:
    digest = hashlib.blake2b(f"{host}\n{path}\n{query}\n{variant}".encode(), digest_size=20).hexdigest()
    return f"delivery:page:{digest}"


# Which tags each page key's entry named last time, learned in this process: a repeat visit then
# reads the entry and its tags' current versions in the same round trip.
_known_tags: dict[str, tuple[str, ...]] = {}
KNOWN_TAGS_LIMIT = 50_000


def read_entry(key: str):
    return _cache().get(key)


def read_fresh_entry(key: str, also=()):
    """(entry, fresh, found): the stored entry of `key` (or None), whether every tag it names still
    has the version it was rendered with, and the values of the keys in `also`, read in the same
    round trip (the middleware's schedule and configuration version)."""
    tags = _known_tags.get(key, ())
    also = list(also)
    found = _cache().get_many([*also, key, *(tag_key(tag) for tag in tags)])
    extra = {name: found[name] for name in also if name in found}
    entry = found.get(key)
    if entry is None:
        return None, False, extra
    wanted = entry.get("versions")
    if wanted is None:  # a pass marker without tags: fresh until it expires
        return entry, True, extra
    if set(wanted) == set(tags):
        current = {tag: int(found.get(tag_key(tag), 0)) for tag in tags}
    else:  # first visit in this process, or the page now depends on other tags
        current = versions(wanted)
        if len(_known_tags) >= KNOWN_TAGS_LIMIT:
            _known_tags.clear()
        _known_tags[key] = tuple(wanted)
    return entry, current == wanted, extra


def write_entry(key: str, entry: dict, timeout: int = PAGE_SECONDS) -> None:
    cache = _cache()
    cache.set(key, entry, timeout)
    if not entry.get("pass"):
        try:
            cache.incr(RENDERS_KEY)
        except ValueError:
            cache.add(RENDERS_KEY, 1, timeout=None)


def take_lock(key: str) -> bool:
    return _cache().add(key + ":lock", 1, LOCK_SECONDS)


def release_lock(key: str) -> None:
    _cache().delete(key + ":lock")


def renders() -> int:
    """How many pages have been rendered into the cache (tests and benchmarks count these)."""
    return int(_cache().get(RENDERS_KEY) or 0)
