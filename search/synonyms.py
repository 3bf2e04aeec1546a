"""Synonyms and abbreviations the centre manages (社保 ↔ 社会保险), applied when a query is made.

A query that contains a word of a group is also searched with that word replaced by each other
word of the group (one alternative per word, the typed form weighing most), so a document that
only says 社会保险 is found by 社保. Nothing is stored in the index: editing a group takes effect
on the next search after the short cache below expires, with no reindex.
"""

import re
import threading
import time

from django.db.models.signals import post_delete, post_save

from . import text

CACHE_SECONDS = 30
MAX_ALTERNATIVES = 4

_groups: tuple[float, list[list[str]]] | None = None
_lock = threading.Lock()


def forget(**kwargs) -> None:
    global _groups
    with _lock:
        _groups = None


def groups() -> list[list[str]]:
    """The enabled groups, each a list of folded, lower-cased words."""
    global _groups
    from .models import Synonym

    cached = _groups
    if cached is None or cached[0] < time.monotonic():
        found = []
        for synonym in Synonym.objects.filter(enabled=True).order_by("id"):
            terms = [term.lower() for term in synonym.term_list()]
            if len(terms) >= 2:
                found.append(terms)
        with _lock:
            _groups = cached = (time.monotonic() + CACHE_SECONDS, found)
    return cached[1]


LETTERS_DIGITS = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def alternatives(folded: str) -> list[str]:
    """Other ways of saying `folded`: each group word found in it (longest first, not inside a
    longer word already replaced) swapped for the group's other words; and letters and digits
    written apart (GB2760 → GB 2760, as titles often have them)."""
    lowered = folded.lower()
    found: list[str] = []
    spaced = LETTERS_DIGITS.sub(" ", lowered)
    if spaced != lowered:
        found.append(spaced)
    taken: list[tuple[int, int]] = []
    words = sorted(((word, group) for group in groups() for word in group), key=lambda pair: -len(pair[0]))
    for word, group in words:
        start = lowered.find(word)
        if start < 0 or any(start < end and start + len(word) > begin for begin, end in taken):
            continue
        taken.append((start, start + len(word)))
        for other in group:
            if other != word:
                variant = lowered[:start] + other + lowered[start + len(word):]
                if variant not in found and variant != lowered:
                    found.append(variant)
        if len(found) >= MAX_ALTERNATIVES:
            break
    return [text.fold(variant) for variant in found[:MAX_ALTERNATIVES]]


def connect_signals() -> None:
    from .models import Synonym

    for signal in (post_save, post_delete):
        signal.connect(forget, sender=Synonym, dispatch_uid=f"search.synonyms.{signal}")
