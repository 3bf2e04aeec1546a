"""The vocabulary of the index: title words, their pinyin and document counts, in PostgreSQL.

Corrections ("营商环竟" → 营商环境, "shebao" → 社保) and suggestions must only ever offer words
that documents actually contain, and must keep working when Elasticsearch is down, so the words
are kept in `search_searchterm`, recomputed from the projection after a rebuild and (at most
every `REFRESH_SECONDS`) after pushes, and held in memory per process with lookup tables by
pinyin. The pinyin keys are "fuzzy": the confusions of people typing with a pinyin input method
(zh/z, ch/c, sh/s, front/back nasals an/ang en/eng in/ing, l/n, f/h, ü/v/u) fold to one key, so a
near-homophone lands on the same entry as the right word.
"""

import math
import threading
import time
from dataclasses import dataclass, field

from django.db import connection, transaction

REFRESH_SECONDS = 30
RELOAD_CHECK_SECONDS = 10

REFRESH_SQL = """
INSERT INTO search_searchterm (word, pinyin, initials, documents)
SELECT e->>0, min(e->>1), min(e->>2), count(DISTINCT d.id)
FROM search_searchdocument d CROSS JOIN LATERAL jsonb_array_elements(d.suggest) e
WHERE length(e->>0) BETWEEN 2 AND 32 AND coalesce(e->>1, '') <> ''
GROUP BY e->>0
"""


def fuzzy(pinyin: str) -> str:
    """One key for pinyin people confuse (applied to whole strings, both sides alike)."""
    value = pinyin.lower().replace("ü", "u").replace("v", "u")
    for before, after in (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ng", "n"), ("n", "l"), ("f", "h")):
        value = value.replace(before, after)
    return value


@dataclass
class Vocabulary:
    documents: dict[str, int] = field(default_factory=dict)
    pinyin: dict[str, str] = field(default_factory=dict)
    by_fuzzy: dict[str, list[str]] = field(default_factory=dict)
    by_initials: dict[str, list[str]] = field(default_factory=dict)
    fuzzy_keys: list[str] = field(default_factory=list)
    stamp: tuple = ()

    def weight(self, word: str) -> float:
        return math.log10(1 + self.documents.get(word, 0))

    def add(self, word: str, full: str, initials: str, count: int) -> None:
        self.documents[word] = count
        self.pinyin[word] = full
        self.by_fuzzy.setdefault(fuzzy(full), []).append(word)
        if initials:
            self.by_initials.setdefault(initials, []).append(word)

    def finish(self) -> None:
        for table in (self.by_fuzzy, self.by_initials):
            for words in table.values():
                words.sort(key=lambda word: (-self.documents[word], len(word), word))
        self.fuzzy_keys = sorted(self.by_fuzzy)

    def with_fuzzy_prefix(self, prefix: str, limit: int = 30) -> list[str]:
        """Words whose fuzzy pinyin starts with `prefix`, most used first."""
        import bisect

        found: list[str] = []
        position = bisect.bisect_left(self.fuzzy_keys, prefix)
        while position < len(self.fuzzy_keys) and self.fuzzy_keys[position].startswith(prefix):
            found.extend(self.by_fuzzy[self.fuzzy_keys[position]])
            position += 1
            if len(found) >= 200:
                break
        return sorted(found, key=lambda word: (-self.documents[word], len(word)))[:limit]


def refresh() -> int:
    """Recompute the vocabulary from the projection; returns how many words it has."""
    global _last_refresh
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE search_searchterm IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM search_searchterm")
        cursor.execute(REFRESH_SQL)
        count = cursor.rowcount
    _last_refresh = time.monotonic()
    forget()
    return count


_last_refresh = 0.0


def refresh_soon() -> bool:
    """After a push: refresh unless this process did so within `REFRESH_SECONDS`."""
    if time.monotonic() - _last_refresh < REFRESH_SECONDS:
        return False
    refresh()
    return True


_loaded: tuple[float, Vocabulary] | None = None
_lock = threading.Lock()


def forget() -> None:
    global _loaded
    with _lock:
        _loaded = None


def _stamp() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM search_searchterm")
        return tuple(cursor.fetchone())


def current() -> Vocabulary:
    """The vocabulary in memory, reloaded when the table was recomputed (checked every few seconds)."""
    global _loaded
    loaded = _loaded
    if loaded is not None and loaded[0] > time.monotonic():
        return loaded[1]
    stamp = _stamp()
    if loaded is not None and loaded[1].stamp == stamp:
        vocabulary = loaded[1]
    else:
        vocabulary = Vocabulary(stamp=stamp)
        with connection.cursor() as cursor:
            cursor.execute("SELECT word, pinyin, initials, documents FROM search_searchterm")
            for word, full, initials, count in cursor.fetchall():
                vocabulary.add(word, full, initials, count)
        vocabulary.finish()
    with _lock:
        _loaded = (time.monotonic() + RELOAD_CHECK_SECONDS, vocabulary)
    return vocabulary
