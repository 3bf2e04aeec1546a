"""As-you-type suggestions: departments, then title words, in Chinese, pinyin or initials.

Departments come from the site table (names, their pinyin and initials). Words come from
Elasticsearch with live document counts; when it cannot answer, from the vocabulary kept in
PostgreSQL (`search.vocabulary`), and the answer says it is degraded.
"""

import re

from django.conf import settings
from elasticsearch import ApiError, TransportError
from elasticsearch.dsl import A, Q, Search

from . import backend, index, sites, text, vocabulary

LUCENE_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


def _regex_escape(value: str) -> str:
    return LUCENE_REGEX_SPECIAL.sub(r"\\\1", value)


def term_counts(field_name: str, prefix: str, inactive: list[str], size: int = 20) -> list[tuple[str, int]]:
    """Values of a suggestion field that start with `prefix`, with how many live documents have them."""
    query = Q("bool", filter=[Q("prefix", **{field_name: prefix})],
              must_not=[Q("terms", tenant=inactive)] if inactive else [])
    search = Search(using=index.client("search"), index=index.alias()).query(query).extra(size=0)
    search.aggs.bucket("values", A("terms", field=field_name, size=size, include=_regex_escape(prefix) + ".*"))
    response = search.execute()
    return [(bucket.key, bucket.doc_count) for bucket in response.aggregations["values"].buckets]


def words_for_pinyin(key: str, inactive: list[str]) -> list[tuple[str, int]]:
    words: dict[str, int] = {}
    for value, count in term_counts("suggest_py", key, inactive, size=30):
        word = value.split("|", 1)[1]
        words[word] = max(words.get(word, 0), count)
    return sorted(words.items(), key=lambda pair: (-pair[1], len(pair[0])))


def vocabulary_words(folded: str, pinyin: bool, limit: int = 20) -> list[tuple[str, int]]:
    """The same suggestions from the PostgreSQL vocabulary (Elasticsearch unavailable)."""
    words = vocabulary.current()
    key = folded.lower().replace(" ", "").replace("'", "")
    if pinyin:
        found = [word for word, full in words.pinyin.items() if full.startswith(key)]
        seen = set(found)
        found += [word for initials, group in words.by_initials.items() if initials.startswith(key)
                  for word in group if word not in seen]
    else:
        found = [word for word in words.documents if word.startswith(folded)]
    found.sort(key=lambda word: (-words.documents[word], len(word)))
    return [(word, words.documents[word]) for word in found[:limit]]


_name_pinyin: dict[str, tuple[str, str]] = {}


def name_pinyin(name: str) -> tuple[str, str]:
    """Pinyin and initials of a department name (remembered; there are a few hundred names)."""
    if name not in _name_pinyin:
        _name_pinyin[name] = text.pinyin_keys(name)
    return _name_pinyin[name]


def suggestions(prefix: str, limit: int = 8) -> tuple[list[dict], str]:
    """(suggestions, backend): departments whose name (or its pinyin or initials) contains what
    was typed, then title words that start with it, by document count."""
    folded = text.fold(prefix).strip()
    if not folded:
        return [], "elasticsearch" if backend.es_available() else "postgresql"
    every = sites.departments()
    active = {tenant: site for tenant, site in every.items() if site.active}
    inactive = sorted(tenant for tenant, site in every.items() if not site.active)
    pinyin = text.is_pinyin_input(folded)
    key = folded.lower().replace(" ", "").replace("'", "")
    suggestions = []
    recognised = None if pinyin else sites.recognise(folded, active)
    for site in sorted(active.values(), key=lambda site: site.order):
        if site.prefix == settings.PORTAL_HOST_PREFIX:
            continue
        full, initials = name_pinyin(site.name)
        if ((pinyin and (key in full or key in initials)) or (not pinyin and folded in site.name)
                or (recognised is not None and recognised.site is site and not recognised.rest)):
            suggestions.append({"text": site.name, "kind": "department", "department": site.prefix,
                                "url": site.base_url + "/"})
    words: list[tuple[str, int]] | None = None
    answered_by = "postgresql"
    if backend.es_available():
        try:
            if pinyin:
                words = words_for_pinyin(key, inactive)
            else:
                words = sorted(term_counts("suggest_zh", folded, inactive), key=lambda pair: (-pair[1], len(pair[0])))
            answered_by = "elasticsearch"
        except (TransportError, ApiError) as error:
            backend.mark_es_down(error)
    if words is None:
        words = vocabulary_words(folded, pinyin)
    for word, count in words:
        if len(suggestions) >= limit:
            break
        if all(entry["text"] != word for entry in suggestions):
            suggestions.append({"text": word, "kind": "term", "count": count})
    return suggestions[:limit], answered_by
