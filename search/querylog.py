"""The search log and what the public sees of it: "大家都在搜" (popular searches).

A popular list fed by raw counts is a billboard anybody can write on: one visitor typing a phrase
fifty times, or a script, would put an advertisement, a link or markup on every no-result page.
So a word is shown only when several distinct visitors searched for it, it looks like a search
word (no markup, quotes, links, e-mail addresses or long digit strings such as phone or ID
numbers, no control characters), and the 区信息中心 has not hidden it in 搜索管理.

Visitors are told apart without keeping their address or setting a cookie: the log stores a
16-character keyed digest of the address under a salt derived from SECRET_KEY and the date, so
digests of different days cannot be linked and the address cannot be recovered from them.
"""

import re
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import text

POPULAR_MIN_VISITORS = 3
POPULAR_MAX_LENGTH = 30
# Markup and quotes, links and domain names, e-mail addresses, long digit strings (phone, ID and
# card numbers) and control characters never appear in the public list.
NOT_A_SEARCH_WORD = re.compile(
    r"""[<>"'`“”‘’「」『』&\\{}]|https?:|://|www\.|[a-z0-9-]+\.[a-z]{2,}|@|\d{7,}|[\x00-\x1f\x7f]""",
    re.IGNORECASE,
)


def visitor_digest(request) -> str:
    """Who searched, as a digest that changes every day; "" without a request."""
    from portal.audit.log import client_ip

    address = client_ip(request) if request is not None else None
    if not address:
        return ""
    salt = f"search.querylog.visitor:{timezone.localdate().isoformat()}"
    return salted_hmac(salt, address, algorithm="sha256").hexdigest()[:16]


def log_query(outcome, request=None) -> None:
    """Record a first-page search for the 区信息中心's review (no address, no user)."""
    from .models import QueryLog

    if not outcome.params.q or outcome.params.page != 1:
        return
    QueryLog.objects.create(
        query=outcome.params.q[:100], department=outcome.params.department[:30], total=outcome.total,
        backend=outcome.backend, visitor=visitor_digest(request),
    )


def may_be_shown(query: str) -> bool:
    return bool(query) and len(query) <= POPULAR_MAX_LENGTH and not NOT_A_SEARCH_WORD.search(query)


def popular_queries(limit: int = 8, days: int = 30) -> list[str]:
    """Words that found something, searched by at least POPULAR_MIN_VISITORS distinct visitors in
    the last `days`, most visitors first, without hidden or unsuitable ones."""
    from .models import HiddenQuery, QueryLog

    since = timezone.now() - timedelta(days=days)
    rows = (
        QueryLog.objects.filter(created_at__gte=since, total__gt=0).exclude(visitor="").values("query")
        .annotate(visitors=Count("visitor", distinct=True), n=Count("id"))
        .filter(visitors__gte=POPULAR_MIN_VISITORS).order_by("-visitors", "-n", "query")
    )
    hidden = set(HiddenQuery.objects.values_list("key", flat=True))
    shown: list[str] = []
    seen: set[str] = set()
    for row in rows.iterator():
        key = text.exact_key(row["query"])
        if key in hidden or key in seen or not may_be_shown(row["query"]):
            continue
        seen.add(key)
        shown.append(row["query"])
        if len(shown) == limit:
            break
    return shown


def hide(query: str, *, request) -> bool:
    """Keep `query` (and its spellings that differ in case, width, spaces or 繁简) out of the
    popular list; recorded in the audit log. False if it was hidden already."""
    from portal.audit.log import record

    from .models import HiddenQuery

    query = " ".join(query.split())[:100]
    key = text.exact_key(query)[:100]
    if not key:
        return False
    _, created = HiddenQuery.objects.get_or_create(
        key=key, defaults={"query": query, "hidden_by": request.user.get_username()}
    )
    if created:
        record("search_popular_hide", request=request, target=query)
    return created


def show_again(hidden_id: int, *, request) -> str:
    """Let a hidden word back into the popular list (if enough visitors search for it)."""
    from portal.audit.log import record

    from .models import HiddenQuery

    entry = HiddenQuery.objects.filter(pk=hidden_id).first()
    if entry is None:
        return ""
    entry.delete()
    record("search_popular_show", request=request, target=entry.query)
    return entry.query
