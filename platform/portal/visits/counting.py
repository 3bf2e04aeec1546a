"""Counting a page view costs a dictionary update: the shared store is written in bulk.

Every process keeps what it counted in `_buffer` and a daemon thread writes it to the store in one
pipelined call a second (or sooner when the buffer is large), so a page served from the page
cache gets no extra round trip of its own. In the store each day has:

- `visits:views:<day>`: a hash of `<host>\\n<path>` → page views;
- `visits:uv:<day>:<host>:<digest of path>` and `visits:uv:<day>:<host>`: HyperLogLogs of the
  visitors of a page and of a site (a few kilobytes at most, whatever the traffic);
- `visits:days`: the days the database does not have in full yet (`flush` reads them).

A visitor is the digest of their address and browser under the day's salt. The salt is random,
lives only in the store, and expires at midnight (Beijing time); the digests go only into the
HyperLogLogs, which cannot give them back. So one day's visitors cannot be linked to another's,
and nothing in the store or the database identifies anyone.
"""

import atexit
import functools
import hashlib
import logging
import os
import secrets
import threading
import time
from datetime import UTC, datetime

from django.core.cache import caches

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
FLUSH_AT_VIEWS = 2000  # a burst is written before a second is up, so the buffer stays small
KEEP_IN_STORE_SECONDS = 8 * 24 * 3600  # a day's keys outlive a scheduler that stopped for a week
BEIJING_OFFSET = 8 * 3600  # Asia/Shanghai has no daylight saving time
MAX_PATH = 300
MAX_AGENT = 512
# The platform's own visitors: the inspection crawler and its availability watch. The watch and
# other scripts send their HTTP library's name, which the crawler list below already knows.
OWN_AGENTS = ("GovsiteInspection",)

_lock = threading.Lock()
_buffer: dict[tuple[str, str, str], list] = {}  # (day, host, path) -> [views, {visitor digests}]
_buffered_views = 0
_salt: tuple[str, bytes] = ("", b"")
_day: tuple[float, str] = (0.0, "")
_flusher_started = False
_detector = None
_detector_lock = threading.Lock()


def store():
    """The shared store's own client: counters and HyperLogLogs are not Django cache values."""
    return caches["shared"]._cache.get_client(None, write=True)


def key(name: str) -> str:
    """`name` under the shared cache's prefix, so parallel test runs on one store stay apart."""
    return caches["shared"].make_key(name)


def views_key(day: str) -> str:
    return key(f"visits:views:{day}")


def page_visitors_key(day: str, host: str, path: str) -> str:
    return key(f"visits:uv:{day}:{host}:{hashlib.blake2b(path.encode(), digest_size=12).hexdigest()}")


def site_visitors_key(day: str, host: str) -> str:
    return key(f"visits:uv:{day}:{host}")


def days_key() -> str:
    return key("visits:days")


def salt_key(day: str) -> str:
    return key(f"visits:salt:{day}")


def today() -> str:
    """Today in Beijing, as YYYY-MM-DD, recomputed only when a day is over."""
    global _day
    now = time.time()
    ends, day = _day
    if now >= ends:
        local_midnight = (now + BEIJING_OFFSET) // 86400 * 86400
        day = datetime.fromtimestamp(local_midnight, UTC).date().isoformat()
        _day = (local_midnight + 86400 - BEIJING_OFFSET, day)
    return day


def _day_salt(day: str) -> bytes:
    """The day's salt, made by whichever process needs it first; read once a day per process."""
    global _salt
    if _salt[0] == day:
        return _salt[1]
    ends_in = int(_day[0] - time.time()) + 60 if _day[1] == day else 86400
    client = store()
    pipe = client.pipeline(transaction=False)
    pipe.set(salt_key(day), secrets.token_hex(32), nx=True, ex=max(ends_in, 60))
    pipe.get(salt_key(day))
    value = pipe.execute()[1]
    _salt = (day, value)
    return value


def _robot_detector():
    global _detector
    if _detector is None:
        from crawlerdetect import CrawlerDetect

        _detector = CrawlerDetect()
    return _detector


@functools.lru_cache(maxsize=4096)
def is_robot(user_agent: str) -> bool:
    """Crawlers, scripts and the platform's own checks; a request without a browser name too."""
    if not user_agent.strip():
        return True
    if any(own in user_agent for own in OWN_AGENTS):
        return True
    with _detector_lock:  # the detector keeps the last match on itself
        return bool(_robot_detector().isCrawler(user_agent))


def visitor_digest(salt: bytes, address: str, user_agent: str) -> bytes:
    return hashlib.blake2b(f"{address}\n{user_agent}".encode(), key=salt[:64], digest_size=8).digest()


def record(host: str, path: str, address: str, user_agent: str) -> None:
    """Count one page view of `host` + `path` (no query) by the visitor at `address`."""
    global _buffered_views
    user_agent = user_agent[:MAX_AGENT]
    if is_robot(user_agent):
        return
    day = today()
    try:
        digest = visitor_digest(_day_salt(day), address, user_agent)
    except Exception:  # noqa: BLE001 - a store outage must not break the page
        logger.warning("共享存储不可用，本次访问未计入访问统计", exc_info=True)
        return
    entry_key = (day, host, path[:MAX_PATH])
    with _lock:
        entry = _buffer.get(entry_key)
        if entry is None:
            entry = _buffer[entry_key] = [0, set()]
        entry[0] += 1
        entry[1].add(digest)
        _buffered_views += 1
        full = _buffered_views >= FLUSH_AT_VIEWS
    if full:
        flush_buffer()
    elif not _flusher_started:
        _start_flusher()


def flush_buffer() -> int:
    """Write what this process counted to the store in one pipelined call; the number of views."""
    global _buffer, _buffered_views
    with _lock:
        taken, _buffer = _buffer, {}
        _buffered_views = 0
    if not taken:
        return 0
    try:
        pipe = store().pipeline(transaction=False)
        days = set()
        for (day, host, path), (views, digests) in taken.items():
            days.add(day)
            pipe.hincrby(views_key(day), f"{host}\n{path}", views)
            for visitors_key in (page_visitors_key(day, host, path), site_visitors_key(day, host)):
                pipe.pfadd(visitors_key, *digests)
                pipe.expire(visitors_key, KEEP_IN_STORE_SECONDS)
        for day in days:
            pipe.expire(views_key(day), KEEP_IN_STORE_SECONDS)
        pipe.sadd(days_key(), *days)
        pipe.execute()
    except Exception:  # noqa: BLE001 - counts are lost, pages are not
        logger.warning("共享存储不可用，%s 次访问未能计入访问统计", sum(v for v, _ in taken.values()), exc_info=True)
        return 0
    return sum(views for views, _ in taken.values())


def _flush_forever():
    while True:
        time.sleep(FLUSH_SECONDS)
        flush_buffer()


def _start_flusher() -> None:
    """One writer thread per process, started by its first counted view (so after a fork)."""
    global _flusher_started
    with _lock:
        if _flusher_started:
            return
        _flusher_started = True
    threading.Thread(target=_flush_forever, name="visit-counter-flush", daemon=True).start()


def _forked() -> None:
    """A forked worker has no writer thread and must not send its parent's counts again."""
    global _flusher_started, _buffer, _buffered_views, _lock
    _flusher_started, _buffer, _buffered_views, _lock = False, {}, 0, threading.Lock()


os.register_at_fork(after_in_child=_forked)
atexit.register(flush_buffer)
