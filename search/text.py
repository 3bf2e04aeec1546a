"""Chinese text handling shared by indexing and querying.

Both sides of a search must see the same text, so folding happens here, in Python, once: full-width
letters and digits → half-width and OpenCC `t2s` (traditional → simplified; stock Elasticsearch
has no such filter). Elasticsearch then lower-cases and splits the folded text into bigrams; the
PostgreSQL fallback gets jieba tokens in a `simple` tsvector. Pinyin (full and initials) of title
words feeds as-you-type suggestions and "did you mean".

Segmentation is done per sentence with a bounded cache: sentences repeat across documents
(boilerplate, imported series), and segmentation is the costly part of writing the projection.
"""

import functools
import logging
import re
import threading

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")
ONLY_HAN = re.compile(f"^[{HAN}]+$")
WORD_CHAR = re.compile(rf"[{HAN}0-9a-z]")
SENTENCE_BREAK = re.compile(r"[。！？；!?;\n\r]+")
PINYIN_INPUT = re.compile(r"^[a-z][a-z' ]*$")

_jieba_lock = threading.Lock()
_jieba = None
_converter = None


def _t2s():
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter


def jieba():
    """jieba, initialised once per process (loading its dictionary takes about a second)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba as module

                module.setLogLevel(logging.WARNING)
                module.initialize()
                _jieba = module
    return _jieba


# Full-width digits and Latin letters (and the ideographic space) become half-width; Chinese
# punctuation (，。：（）) stays as it is, since folded text is also what snippets show.
WIDTH = str.maketrans({**{chr(code): chr(code - 0xFEE0) for code in range(0xFF10, 0xFF5B)
                          if chr(code - 0xFEE0).isalnum()}, "\u3000": " "})


def fold(text: str) -> str:
    """Full-width letters and digits → half-width, traditional → simplified, collapsed white space.
    Case is kept for display; Elasticsearch's analyzers and PostgreSQL's `simple` configuration
    lower-case by themselves."""
    if not text:
        return ""
    text = _t2s().convert(text.translate(WIDTH))
    return " ".join(text.split())


def exact_key(text: str) -> str:
    """What an exact-title or best-bet comparison looks at: folded, without spaces."""
    return fold(text).replace(" ", "").lower()


def is_short_query(folded: str) -> bool:
    """One or two Chinese characters: matched by characters and character pairs."""
    return bool(ONLY_HAN.match(folded)) and len(folded) <= 2


DIGITS = re.compile(r"[0-9一二三四五六七八九十〇零]+(?=[年届期批号])|[0-9]+")
SHAPE_NOISE = re.compile(r"[\s\u3000《》“”\"'()（）【】\[\]〔〕]")


def title_shape(folded_title: str) -> str:
    """A title with its numbers blanked: 关于做好2025年秋季开学工作的通知 and its 2026 successor
    share a shape, so the older one can be recognised as outdated."""
    return DIGITS.sub("#", SHAPE_NOISE.sub("", folded_title.lower()))[:255]


def is_pinyin_input(folded: str) -> bool:
    return bool(PINYIN_INPUT.match(folded.lower()))


@functools.lru_cache(maxsize=50_000)
def _segment_sentence(sentence: str) -> tuple[str, ...]:
    return tuple(
        token
        for token in (t.strip() for t in jieba().cut_for_search(sentence))
        if token and WORD_CHAR.search(token.lower())
    )


def segment(text: str) -> list[str]:
    """jieba search-mode tokens (words and their dictionary sub-words) of already folded text."""
    tokens: list[str] = []
    for sentence in SENTENCE_BREAK.split(text):
        if sentence.strip():
            tokens.extend(_segment_sentence(sentence.strip()))
    return tokens


def query_tokens(folded: str) -> list[str]:
    """jieba precise-mode tokens of a query (documents carry the search-mode sub-words too)."""
    return [t.strip() for t in jieba().cut(folded) if t.strip() and WORD_CHAR.search(t.lower())]


def char_grams(text: str, limit: int = 400) -> list[str]:
    """Single Chinese characters and adjacent pairs of `text` (titles and summaries only)."""
    grams: list[str] = []
    for run in HAN_RUN.findall(text[:limit]):
        grams.extend(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@functools.lru_cache(maxsize=100_000)
def pinyin_keys(word: str) -> tuple[str, str]:
    """Full pinyin without tones and initials: 教育 → ("jiaoyu", "jy")."""
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
    return full.lower(), initials.lower()


def title_terms(folded_title: str, limit: int = 20) -> list[str]:
    """Words of a title worth suggesting: Chinese words of two to eight characters."""
    return list(_title_terms(folded_title, limit))


@functools.lru_cache(maxsize=20_000)
def _title_terms(folded_title: str, limit: int) -> tuple[str, ...]:
    seen: list[str] = []
    for token in jieba().cut(folded_title):
        if 2 <= len(token) <= 8 and ONLY_HAN.match(token) and token not in seen:
            seen.append(token)
            if len(seen) >= limit:
                break
    return tuple(seen)


def suggest_entries(terms: list[str]) -> list[list[str]]:
    """[word, full pinyin, initials] of each word, for suggestions and "did you mean"."""
    return [[term, *pinyin_keys(term)] for term in terms]


def highlight(text: str, terms: list[str], size: int = 120) -> str:
    """HTML-escaped excerpt of `text` around the first term found, terms wrapped in <em>.

    Used by the PostgreSQL fallback; Elasticsearch highlights by itself.
    """
    from django.utils.html import escape

    if not text:
        return ""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    lowered = text.lower()
    first = min((p for p in (lowered.find(t) for t in terms) if p >= 0), default=-1)
    start = max(0, first - size // 4) if first >= 0 else 0
    excerpt = text[start : start + size]
    if not terms:
        return escape(excerpt)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    parts, position = [], 0
    for match in pattern.finditer(excerpt):
        parts.append(escape(excerpt[position : match.start()]))
        parts.append(f"<em>{escape(match.group(0))}</em>")
        position = match.end()
    parts.append(escape(excerpt[position:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + size < len(text) else ""
    return prefix + "".join(parts) + suffix
