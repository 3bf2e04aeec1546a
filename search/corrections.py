"""Corrections: what a visitor most likely meant, from the words the index actually contains.

Two kinds of input, one method — compare pinyin, folded for the usual confusions (see
`search.vocabulary.fuzzy`), and prefer words many documents use:

- Chinese with wrong characters (营商环竟, 医疗保线: homophones and near-homophones picked from an
  input method's list). The query is covered, left to right, by pieces: a character kept as
  typed, a span that is itself a vocabulary word, or a span replaced by a vocabulary word of the
  same length whose fuzzy pinyin equals the span's. Replacements are rewarded for the characters
  they keep and their exact pinyin, and pay for changing anything; the best cover wins.
- Pinyin (shebao), initials (sb) and pinyin mixed with characters (yingshang环境): characters
  become their pinyin, and the letters are covered by the pinyin of vocabulary words (or, failing
  that, by their initials), preferring few, frequent words that keep the typed characters.

The service asks for a correction only when the query as typed finds nothing or very little, and
uses it only when it finds more.
"""

import functools
import re

from . import text, vocabulary

MAX_SPAN = 8
LATIN_OR_HAN = re.compile(rf"^[a-z'{text.HAN}]+$")


@functools.lru_cache(maxsize=20_000)
def _syllables(query: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(query, style=Style.NORMAL, errors=lambda chars: list(chars)))


def _correct_chinese(query: str, words: vocabulary.Vocabulary) -> str:
    syllables = _syllables(query)
    if len(syllables) != len(query):
        return ""
    size = len(query)
    best: list[tuple[float, list[str]] | None] = [None] * (size + 1)
    best[0] = (0.0, [])
    for start in range(size):
        if best[start] is None:
            continue
        score, pieces = best[start]
        options = [(1.0, query[start])]
        for end in range(start + 2, min(size, start + MAX_SPAN) + 1):
            span = query[start:end]
            if span in words.documents:
                options.append((2.0 * len(span) + 0.5 + 0.2 * words.weight(span), span))
                continue
            exact = "".join(syllables[start:end])
            for candidate in words.by_fuzzy.get(vocabulary.fuzzy(exact), [])[:30]:
                if len(candidate) != len(span):
                    continue
                kept = sum(1 for a, b in zip(candidate, span, strict=True) if a == b)
                if kept == 0 and len(span) < 3:
                    continue  # two wholly different characters: too far from what was typed
                bonus = 1.5 if words.pinyin.get(candidate) == exact else 0.8
                options.append((2.0 * kept + bonus + 0.3 * words.weight(candidate) - 0.5, candidate))
        for value, piece in options:
            end = start + len(piece)
            total = score + value
            if best[end] is None or total > best[end][0]:
                best[end] = (total, [*pieces, piece])
    corrected = "".join(best[size][1]) if best[size] else ""
    return corrected if corrected != query else ""


BEAM = 3


def _cover(letters: str, table: dict[str, list[str]], words: vocabulary.Vocabulary, typed_han: str,
           key=vocabulary.fuzzy, min_piece: int = 2, prefix_last: bool = False) -> list[str]:
    """Up to `BEAM` best ways of covering `letters` with words of `table`, best first. With
    `prefix_last`, the last piece may be the beginning of a word's pinyin (shebao → 社保卡)."""
    size = len(letters)
    best: list[list[tuple[float, list[str]]]] = [[] for _ in range(size + 1)]
    best[0] = [(0.0, [])]

    def keep(words_typed: str, word: str) -> int:
        return sum(ch in words_typed for ch in word)

    for start in range(size):
        if not best[start]:
            continue
        for end in range(start + min_piece, size + 1):
            candidates = table.get(key(letters[start:end]))
            if not candidates and prefix_last and end == size and end - start >= 4:
                candidates = words.with_fuzzy_prefix(key(letters[start:end]))
            if not candidates:
                continue
            ranked = sorted(candidates[:30], key=lambda w: (-keep(typed_han, w), -words.documents[w]))[:BEAM]
            for word in ranked:
                value = (end - start) - 1.0 + 0.3 * words.weight(word) + 2.0 * keep(typed_han, word)
                for score, pieces in best[start]:
                    best[end].append((score + value, [*pieces, word]))
            best[end] = sorted(best[end], key=lambda pair: -pair[0])[:BEAM]
    return ["".join(pieces) for _, pieces in best[size]]


def _correct_pinyin(query: str, words: vocabulary.Vocabulary) -> list[str]:
    typed_han = "".join(text.HAN_RUN.findall(query))
    letters = "".join(_syllables(query.replace("'", ""))).lower()
    if not letters.isascii() or not letters.isalpha():
        return []
    found = _cover(letters, words.by_fuzzy, words, typed_han)
    if not found and not typed_han and len(letters) <= 8:
        found = _cover(letters, words.by_initials, words, "", key=lambda value: value, min_piece=2)
    if not found:
        found = _cover(letters, words.by_fuzzy, words, typed_han, prefix_last=True)
    return [value for value in found if value != query]


def candidates(folded: str) -> list[str]:
    """Better queries for `folded`, most likely first (at most `BEAM`)."""
    query = folded.replace(" ", "").lower()
    if not query or len(query) > 30 or not LATIN_OR_HAN.match(query):
        return []
    words = vocabulary.current()
    if not words.documents:
        return []
    if text.ONLY_HAN.match(query):
        found = _correct_chinese(query, words) if len(query) >= 2 else ""
        return [found] if found else []
    return _correct_pinyin(query, words)


def correction(folded: str) -> str:
    """The most likely better query for `folded`, or "" when there is none."""
    found = candidates(folded)
    return found[0] if found else ""
