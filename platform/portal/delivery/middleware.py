"""The page cache in front of the whole stack, and the HTTP validators for what sits in front.

Placed first, before the tenant middleware: a hit is answered from the shared store by host,
path, query and variant, without the tenant lookup, a session or a database connection.

Who is served from the cache: GET/HEAD requests without a session cookie. A session cookie may
belong to a logged-in editor (their pages show the editing bar) or hold a password given for a
restricted page, and telling which needs the database, so such requests always go through the
stack. What is stored: a 200 answer of a view named in `policy`, to a GET with no session cookie,
that sets no cookie (a CSRF token or a session would), is not marked private, and whose query
parameters are all ones the page reads. Everything else is answered `private, no-store`.

A burst on a page whose copy has just gone stale renders it once: the first request takes a
short lock in the store, the others are answered with the stale copy meanwhile (or, when there is
no copy at all, wait for the first render).

What the production front (nginx, deploy/nginx/govsite.conf) may keep is said here and only here:
a fresh shared answer (a hit, a page just stored, and the 304 that revalidates one) carries
`X-Accel-Expires` with an absolute time at most FRONT_CACHE_SECONDS ahead, and nginx keeps nothing
without it. A personal page, a stale copy and any answer that is not a stored page never carry it,
whatever other headers a view sets. nginx strips the header, so browsers and CDNs see only
`Cache-Control`.
"""

import hashlib
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from . import policy, store

SHARED_CACHE_CONTROL = "public, max-age=0, s-maxage=1"
# Set by the tamper check in this process's own requests (see tamper.py); never from HTTP.
FRESH_RENDER = "govsite.fresh_render"
PERSONAL_CACHE_CONTROL = "private, no-store"
# Paths that are never shared pages: no store round trip for them.
BYPASS_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/theme/", "/captcha/")
WAIT_SECONDS = 5.0
WAIT_STEP = 0.02
# Headers that describe one answer, not the page: recomputed when a copy is served.
PER_ANSWER_HEADERS = {"set-cookie", "expires", "cache-control", "etag", "last-modified", "content-length",
                      "vary", "x-page-cache", "date", "x-accel-expires"}
# Answers nginx may keep: a copy that was fresh when it was answered.
FRONT_KEEPS = {"HIT", "MISS"}

_seen_config: int | None = None
_last_schedule = None


def _remember_schedule(schedule):
    global _last_schedule
    if schedule is not None:
        _last_schedule = schedule
    return schedule


@dataclass
class _Render:
    """What the views tell the middleware about the page being rendered."""

    key: str
    query: list[tuple[str, str]]
    spec: policy.Cacheable | None = None
    tags: list[str] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    started: float = 0.0


def _sync_process_state(config_version: int) -> None:
    """Drop this process's own host and plugin-setting copies when a department changed anywhere."""
    global _seen_config
    if _seen_config is not None and config_version != _seen_config:
        from portal.plugins import forget_plugin_settings
        from tenants.middleware import forget_hosts

        forget_hosts()
        forget_plugin_settings()
    _seen_config = config_version


def _central_modes(schedule) -> list[str]:
    if schedule is None:
        from portal.database_errors import UNREACHABLE
        from themes.services import active_modes  # refills the shared copy (one small query)

        try:
            return sorted(active_modes())
        except UNREACHABLE:  # the database is away: keep serving copies with the schedule last seen
            schedule = _last_schedule or ()
    now = timezone.now()
    return sorted({mode for mode, starts_at, ends_at in schedule if starts_at <= now < ends_at})


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from themes.context_processors import ELDERLY_COOKIE, PLAIN_COOKIE
        from themes.services import SCHEDULE_KEY

        config_key = store.tag_key("config")
        request.delivery = None
        if (
            request.META.get(FRESH_RENDER)  # tamper detection: what is published now, untouched by copies
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path.startswith(BYPASS_PREFIXES)
        ):
            _sync_process_state(int(caches["shared"].get(config_key) or 0))
            return self._not_shared(request, self.get_response(request))
        try:
            host = request.get_host().split(":")[0].lower()
        except DisallowedHost:
            _sync_process_state(int(caches["shared"].get(config_key) or 0))
            return self._not_shared(request, self.get_response(request))
        query = sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
        cookies = (request.COOKIES.get(ELDERLY_COOKIE, ""), request.COOKIES.get(PLAIN_COOKIE, ""))

        def key_for(schedule):
            variant = "|".join([*cookies, ",".join(_central_modes(schedule))])
            return store.page_key(host, request.path, urlencode(query), variant)

        # One round trip on a hit: the entry is read under the modes of the schedule this process
        # saw last, together with the current schedule and configuration version; only when the
        # current schedule gives other modes is the right entry read in a second one.
        guess = key_for(_last_schedule or ())
        entry, fresh, found = store.read_fresh_entry(guess, also=(SCHEDULE_KEY, config_key))
        _sync_process_state(int(found.get(config_key, 0)))
        key = key_for(_remember_schedule(found.get(SCHEDULE_KEY)))
        if key != guess:
            entry, fresh, _ = store.read_fresh_entry(key)

        if fresh and not entry.get("pass"):
            return self._serve(request, entry, "HIT")
        if fresh:  # known not to be shareable: no lock, no waiting
            return self._render(request, key, query)
        if store.take_lock(key):
            try:
                # Another request may have rendered the page and let the lock go between this
                # request's read and its lock: then that copy is the answer, not a second render.
                latest, fresh, _ = store.read_fresh_entry(key)
                if fresh and not latest.get("pass"):
                    return self._serve(request, latest, "HIT")
                return self._render(request, key, query, stale=entry)
            finally:
                store.release_lock(key)
        if entry is not None and not entry.get("pass"):
            return self._serve(request, entry, "STALE")
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            entry = store.read_entry(key)
            if entry is not None and self._fresh(entry):
                if entry.get("pass"):
                    break
                return self._serve(request, entry, "HIT")
        return self._render(request, key, query)

    def process_view(self, request, view_func, view_args, view_kwargs):
        render = getattr(request, "delivery", None)
        department = getattr(request, "tenant", None)
        if render is None or department is None or not getattr(department, "is_site", False):
            return None
        spec = policy.for_view(request.resolver_match)
        if spec is None:
            return None
        render.spec = spec
        render.tags = policy.tags_for(spec, department, view_kwargs)
        # Read before the view reads any row: a change committed after this makes the copy stale.
        render.versions = store.versions(render.tags)
        render.started = time.time()
        return None

    # --- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _fresh(entry) -> bool:
        wanted = entry.get("versions")
        if wanted is None:  # a pass marker without tags: fresh until it expires
            return True
        return store.versions(wanted) == wanted

    def _render(self, request, key, query, stale=None):
        render = request.delivery = _Render(key=key, query=query)
        response = self.get_response(request)
        if request.method != "GET":
            return self._not_shared(request, response)
        if getattr(response, "database_unavailable", False):
            # A render that failed because the database is away stores nothing, and a visitor who
            # would have had the page a moment ago still gets the last copy.
            if stale is not None and not stale.get("pass"):
                return self._serve(request, stale, "STALE")
            return self._not_shared(request, response)
        if render.spec is not None and self._storable(request, response, render):
            body = response.content
            entry = {
                "versions": render.versions,
                "status": response.status_code,
                "headers": [(name, value) for name, value in response.items()
                            if name.lower() not in PER_ANSWER_HEADERS],
                "vary": response.get("Vary", ""),
                "body": body,
                "sha256": hashlib.sha256(body).hexdigest(),
                "last_modified": int(render.started),
            }
            store.write_entry(key, entry)
            return self._validators(request, response, entry, "MISS")
        # Not shareable: later requests for this key go straight through, without the lock.
        marker = {"pass": True}
        if render.spec is not None:
            marker["versions"] = render.versions
        store.write_entry(key, marker, timeout=store.PAGE_SECONDS if render.spec is not None else store.PASS_SECONDS)
        return self._not_shared(request, response)

    @staticmethod
    def _storable(request, response, render) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies or response.has_header("Set-Cookie"):
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        allowed = {*render.spec.params, *policy.COMMON_PARAMS}
        if any(name not in allowed for name, _ in render.query):
            return False
        if render.spec is policy.VIEWS["wagtail_serve"]:
            return policy.page_type_allowed(getattr(request, "served_page", None))
        return True

    def _serve(self, request, entry, label):
        body = entry["body"]
        response = HttpResponse(body if request.method == "GET" else b"", status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        if entry["vary"]:
            response["Vary"] = entry["vary"]
        response["Content-Length"] = str(len(body))
        return self._validators(request, response, entry, label)

    @staticmethod
    def _validators(request, response, entry, label):
        response["ETag"] = f'"{entry["sha256"]}"'
        response["Last-Modified"] = http_date(entry["last_modified"])
        response["Cache-Control"] = SHARED_CACHE_CONTROL
        # Cookies choose the variant (elderly, plain) and whether the visitor is logged in.
        patch_vary_headers(response, ("Cookie",))
        response["X-Page-Cache"] = label
        answer = get_conditional_response(
            request, etag=response["ETag"], last_modified=entry["last_modified"], response=response
        )
        # Set on the 304 as well: nginx revalidates its copy with it and keeps the new expiry.
        front = _front_expiry() if label in FRONT_KEEPS else None
        if front:
            answer["X-Accel-Expires"] = front
        return answer

    @staticmethod
    def _not_shared(request, response):
        if not response.has_header("Cache-Control") and not response.streaming:
            response["Cache-Control"] = PERSONAL_CACHE_CONTROL
        response["X-Page-Cache"] = "BYPASS"
        # A view's own header must not let the front keep a page the page cache did not share.
        if response.has_header("X-Accel-Expires"):
            del response["X-Accel-Expires"]
        return response


def _front_expiry() -> str | None:
    """How long the front may keep this answer, as nginx's absolute `@<unix second>`.

    nginx counts whole seconds and keeps a copy until the end of the second it names, so a relative
    `1` would last up to two seconds; naming the last whole second within FRONT_CACHE_SECONDS keeps
    every copy no longer than that (between N-1 and N seconds; under a second for N = 1).
    """
    seconds = int(getattr(settings, "FRONT_CACHE_SECONDS", 1))
    if seconds <= 0:
        return None
    return f"@{int(time.time()) + seconds - 1}"
