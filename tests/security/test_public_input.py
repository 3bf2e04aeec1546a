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


# ----------------------------------------------------------------------------------------------
# What a visitor sees
# ----------------------------------------------------------------------------------------------


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("url", ["/search/?q=%00", "/api/search/?q=%00", "/catalogue/?q=%00",
                                 "/api/items/?column_type=%00", "/catalogue/?department=a%01b",
                                 "/mailbox/query/?code=%1b"])
def test_control_characters_in_parameters_get_a_chinese_400(db, client, url):
    response = client.get(url, HTTP_HOST=WWW)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "控制字符" in response.json()["error"]
    else:
        assert "无法处理的请求" in _text(response) and "控制字符" in _text(response)
        assert "源城区人民政府" in _text(response)  # the site's own frame, so the visitor can go on


def test_broken_utf8_path_control_characters_and_damaged_cookies_are_refused(db, client):
    response = client.get("/search/?q=%ED%A0%80", HTTP_HOST=WWW)  # a lone surrogate, encoded
    assert response.status_code == 400 and "UTF-8" in _text(response)
    error = client.get("/api/search/?q=%FF", HTTP_HOST=JYJ).json()["error"]
    assert error.startswith("网址中的查询参数不是有效的 UTF-8")
    assert client.get("/news%00/", HTTP_HOST=JYJ).status_code == 400
    response = client.get("/", HTTP_HOST=JYJ, HTTP_COOKIE='sessionid="\\000"')
    assert response.status_code == 400 and "已为您清除" in _text(response)
    assert response.cookies["sessionid"]["max-age"] == 0  # reloading the page works again
    assert client.get("/", HTTP_HOST=JYJ, HTTP_COOKIE="othersite=\x01; theme_plain=1").status_code == 200


def test_form_fields_refuse_control_characters_but_keep_line_breaks(db):
    from tests.mailbox.test_mailbox import letter_data, open_form

    client = Client()
    token, answer = open_form(client)
    response = client.post("/mailbox/write/", letter_data(token, answer, subject="关于\x0b午餐"), HTTP_HOST=WWW)
    assert response.status_code == 400 and "“subject”中含有不可见的控制字符" in _text(response)
    response = client.post("/mailbox/write/", letter_data(token, answer, content="第一行\r\n第二行\t（完）"),
                           HTTP_HOST=WWW)
    assert response.status_code == 200 and "query-code" in response.content.decode()
    broken = b"token=x&subject=%FF"
    response = client.post("/mailbox/write/", broken, content_type="application/x-www-form-urlencoded",
                           HTTP_HOST=WWW)
    assert response.status_code == 400 and "不是有效的 UTF-8" in _text(response)


def test_unknown_department_filter_is_a_400_even_with_elasticsearch_down(db, client, settings):
    with elasticsearch_unreachable(settings):
        response = client.get("/api/search/", {"q": "教育", "department": "nosuch"}, HTTP_HOST=WWW)
        assert response.status_code == 400 and response.json()["error"] == "department 参数应为单位的网站前缀，例如 jyj"
        response = client.get("/search/", {"q": "教育", "department": "nosuch"}, HTTP_HOST=WWW)
        assert response.status_code == 400 and "department 参数应为单位的网站前缀" in _text(response)
        response = client.get("/api/search/", {"q": "教育", "department": "jyj", "page": "²"}, HTTP_HOST=WWW)
        assert response.status_code == 400 and response.json()["error"] == "page 参数应为正整数"
        assert client.get("/api/search/", {"q": "教育", "department": "jyj"}, HTTP_HOST=WWW).json()["degraded"]


def test_items_api_checks_its_parameters(db, client):
    def error(**params):
        response = client.get("/api/items/", params, HTTP_HOST=WWW)
        assert response.status_code == 400, response.content
        return response.json()["error"]

    assert error(page="99999999999999999999") == "page 参数应为 1 到 10000 之间的整数"
    assert error(page="-1") == error(page="²") == error(page="abc")
    assert error(column_type="nosuch").startswith("column_type 参数只能是 about、news")
    assert error(department="nosuch") == "department 参数应为单位的网站前缀，例如 jyj"
    assert client.get("/api/items/", {"department": "jyj", "column_type": "news", "page": "1"},
                      HTTP_HOST=WWW).json()["total"] == 3


def test_mode_switch_goes_back_only_to_a_page_of_this_site(db, client):
    for target, expected in (("abc", "/"), ("/news/", "/news/"), ("https://evil.example/", "/"), ("/" * 3000, "/")):
        response = client.get("/theme/mode/elderly/on/", {"next": target}, HTTP_HOST=JYJ)
        assert response.status_code == 302 and response["Location"] == expected


def test_text_pasted_from_word_into_the_admin_is_saved_with_its_line_breaks(db):
    """Word's manual line break is a vertical tab: an editor's draft is cleaned, never refused."""
    from django.test import RequestFactory
    from portal.public_input import PublicInputMiddleware

    seen = {}

    def view(request):
        seen.update(request.POST.dict())
        from django.http import HttpResponse

        return HttpResponse("saved")

    request = RequestFactory().post("/admin/pages/7/edit/", {"title": "开学\x0b通知\x07", "slug": "kai\x00xue"},
                                    HTTP_HOST=JYJ)
    response = PublicInputMiddleware(view)(request)
    assert response.status_code == 200 and response.content == b"saved"
    assert seen == {"title": "开学\n通知", "slug": "kaixue"}
