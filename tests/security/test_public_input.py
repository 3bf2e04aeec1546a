"""What visitors send never answers 5xx: control characters and broken UTF-8 get a Chinese 400 from
one middleware, and bad parameter values a 400 from the place that parses them.

The fuzz test does not list URLs by hand: it walks every pattern the URL confs know (the tenant
URLconf with the plugins' `public_urls`, and the bare platform host's), fills the path parameters
with plausible values until the pattern resolves, learns which parameters each view reads by
watching the request's QueryDicts, and sends those (and a few common ones) with hostile values,
on the portal and on a department host, by GET and, for forms, by POST; the search URLs once more
with Elasticsearch unreachable.
"""

import itertools
import re
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.datastructures import MultiValueDict

from tests.conftest import host

WWW, JYJ = host("www"), host("jyj")

# Values nobody types into a form or an address (sent percent-encoded unless marked raw).
CONTROL_VALUES = ["\x00", "a\x01b", "\x1b[31m", "x\x7f"]
WRONG_VALUES = ["abc", "-1", "0", "99999999999999999999999", "1.5", "²", "１２", "\u202e", "😀", "'\"<script>",
                "x" * 100_000]
BROKEN_UTF8 = ["%FF", "%ED%A0%80", "%C3"]  # raw: not UTF-8, a lone surrogate, a cut sequence
COMMON_NAMES = ["q", "page", "department", "type", "year", "sort", "next", "code"]
POOL = ["1", "", "news/", "news/sample-1/", "news", "sample-1", "x.pdf"]
# Plausible values of named path parameters, tried before the general pool.
HINTS = {"mode": ["elderly", "plain"], "state": ["on", "off"], "scope": ["mailbox", "disclosure"],
         "column_path": ["news"], "path": ["www/logo.png"], "pk": ["1"], "digest": ["0" * 64]}


# ----------------------------------------------------------------------------------------------
# Every public URL pattern, with its path parameters filled
# ----------------------------------------------------------------------------------------------


def _strip(regex: str) -> str:
    regex = regex[1:] if regex.startswith("^") else regex
    for end in ("\\Z", "$"):
        if regex.endswith(end):
            regex = regex[: -len(end)]
    return regex


def _walk(patterns, prefix=""):
    for pattern in patterns:
        regex = prefix + _strip(pattern.pattern.regex.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, regex)
        elif isinstance(pattern, URLPattern):
            yield regex, pattern


def _template(regex: str) -> tuple[str, list[str]]:
    """The regex with each top-level capturing group replaced by {n} (escapes undone), and the
    names of those groups ("" for an unnamed one)."""
    out, depth, names, index = [], 0, [], 0
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            if depth == 0:
                out.append(regex[index + 1])
            index += 2
            continue
        if char == "(":
            if depth == 0:
                out.append(f"{{{len(names)}}}")
                named = re.match(r"\(\?P<(\w+)>", regex[index:])
                names.append(named.group(1) if named else "")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char not in "?*+":
            out.append(char.replace("{", "{{").replace("}", "}}"))
        index += 1
    return "".join(out), names


def public_paths(urlconf: str) -> list[str]:
    """Concrete paths for every public pattern of the URLconf (the admin is not public, except its
    login form): one per pattern, three for Wagtail's page serving (home, column, article)."""
    paths = []
    for regex, pattern in _walk(get_resolver(urlconf).url_patterns):
        if regex.startswith("admin/") and regex != "admin/login/":
            continue
        template, names = _template(regex)
        wanted = 3 if getattr(pattern.callback, "__name__", "") == "serve" else 1
        found = []
        for values in itertools.product(*[HINTS.get(name, []) + POOL for name in names]):
            path = "/" + template.format(*values)
            try:
                match = resolve(path, urlconf)
            except Exception:  # noqa: BLE001 - a candidate that does not resolve is just skipped
                continue
            if match.func == pattern.callback and path not in found:
                found.append(path)
            if len(found) == wanted:
                break
        assert found, f"无法为 {regex} 构造可访问的路径"
        paths.extend(found)
    return paths


# ----------------------------------------------------------------------------------------------
# Sending and watching
# ----------------------------------------------------------------------------------------------


@contextmanager
def names_read():
    """Every parameter name a view looks up in request.GET / request.POST while inside."""
    seen: set[str] = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("__getitem__", "get", "getlist", "__contains__")}

    def watching(name):
        original = originals[name]

        def method(self, key, *args, **kwargs):
            if isinstance(key, str):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for name in originals:
        setattr(MultiValueDict, name, watching(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(MultiValueDict, name, original)


class Fuzzer:
    def __init__(self):
        self.client = Client(raise_request_exception=False)
        self.failures: list[str] = []
        self.requests = 0

    def send(self, method: str, hostname: str, path: str, query: str = "", data=None, cookies: str = ""):
        url = f"{path}?{query}" if query else path
        extra = {"HTTP_HOST": hostname}
        if cookies:
            extra["HTTP_COOKIE"] = cookies
        # Each request in a savepoint: a failed one must not hide what the next one does.
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url, **extra)
            else:
                response = self.client.post(url, data or {}, **extra)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        self.requests += 1
        if response.status_code >= 500:
            shown = url if len(url) < 200 else url[:200] + "…"
            fields = {key: str(value)[:20] for key, value in (data or {}).items()} if data else ""
            self.failures.append(f"{method} {hostname}{shown} {fields} → {response.status_code}")
        return response


def _encode(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def fuzz_get(fuzzer: Fuzzer, hostname: str, path: str, one_by_one: bool = True) -> None:
    with names_read() as seen:
        first = fuzzer.send("GET", hostname, path)
        names = sorted(set(COMMON_NAMES) | seen)
        for value in [*CONTROL_VALUES, *WRONG_VALUES]:  # every name at once
            fuzzer.send("GET", hostname, path, "&".join(f"{_encode(n)}={_encode(value)}" for n in names))
        for raw in BROKEN_UTF8:
            fuzzer.send("GET", hostname, path, "&".join(f"{_encode(n)}={raw}" for n in names))
    fuzzer.send("GET", hostname, path.rstrip("/") + "%00/")
    fuzzer.send("GET", hostname, path, cookies='sessionid="\\000"; theme_elderly=\x01; theme_plain=1')
    if one_by_one:
        # One name at a time, for the names the view (or the page frame) reads, so that an early
        # 400 on one parameter does not hide what another one does.
        for name in sorted(seen - {"csrfmiddlewaretoken"}):
            for value in ("abc", "99999999999999999999999", "²"):
                fuzzer.send("GET", hostname, path, f"{_encode(name)}={_encode(value)}")
            fuzzer.send("GET", hostname, path, f"{_encode(name)}[]=1&{_encode(name)}[]=2&{_encode(name)}=x")
    if first.status_code == 200 and "text/html" in first.get("Content-Type", ""):
        fuzz_forms(fuzzer, hostname, path, first.content.decode("utf-8", "replace"))


def fuzz_forms(fuzzer: Fuzzer, hostname: str, path: str, html: str) -> None:
    """POST every form of the page that posts back to it, field by field and all at once."""
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        target = form.get("action") or path
        if not target.startswith("/"):
            continue
        fields = {}
        for field in form.find_all(["input", "textarea", "select"]):
            if field.get("name"):
                fields[field["name"]] = field.get("value", "")
        with names_read() as seen:
            fuzzer.send("POST", hostname, target, data=fields)
            names = sorted(set(fields) - {"csrfmiddlewaretoken", "token"})
            for value in [*CONTROL_VALUES, *WRONG_VALUES, "第一行\n第二行\t制表"]:
                fuzzer.send("POST", hostname, target, data={**fields, **dict.fromkeys(names, value)})
        for name in sorted((set(fields) | seen) - {"csrfmiddlewaretoken", "token"}):
            fuzzer.send("POST", hostname, target, data={**fields, name: "x" * 100_000})
            fuzzer.send("POST", hostname, target, data={**fields, name: ["1", "x"]})


@contextmanager
def elasticsearch_unreachable(settings):
    from search import index, service

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    index._clients.clear()
    service.forget_es_state()
    try:
        yield
    finally:
        index._clients.clear()
        service.forget_es_state()


# ----------------------------------------------------------------------------------------------
# The tests
# ----------------------------------------------------------------------------------------------


@pytest.mark.fuzz
def test_every_public_url_survives_hostile_parameters(db, settings):
    fuzzer = Fuzzer()
    tenant_paths = public_paths("portal.urls_tenant")
    assert {"/search/", "/api/search/", "/api/items/", "/catalogue/", "/mailbox/write/", "/catalogue/apply/"} <= set(
        tenant_paths)
    for path in tenant_paths:
        fuzz_get(fuzzer, WWW, path)
        # The same views on a department's host: every name at once is enough there.
        fuzz_get(fuzzer, JYJ, path, one_by_one=False)
    for path in public_paths("portal.urls_public"):
        fuzz_get(fuzzer, "localhost", path)
    with elasticsearch_unreachable(settings):
        for hostname in (WWW, JYJ):
            for path in ("/search/", "/api/search/", "/api/search/suggest/"):
                fuzz_get(fuzzer, hostname, path, one_by_one=hostname == WWW)
                fuzzer.send("GET", hostname, path, "q=教育&department=nosuch")
    assert fuzzer.requests > 1000
    assert not fuzzer.failures, f"{len(fuzzer.failures)} 个请求得到 5xx：\n" + "\n".join(fuzzer.failures[:40])
