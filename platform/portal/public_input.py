"""Refuses what no visitor types: control characters and broken UTF-8 in the address, the query
string, form fields and the cookies the platform reads.

PostgreSQL cannot store or compare NUL, redirects and the search engine choke on other control
characters, and every view that reads a parameter would otherwise have to remember all of this.
One middleware, right after the host routing, answers such a request with a Chinese 400 page
(JSON `{"error": ...}` on `/api/`) before any view, session or static-file lookup sees it.
Tab, newline and carriage return are allowed in posted form fields only (text areas have them);
in the admin, text pasted from Word keeps its line breaks and loses other controls instead of being
refused, so an editor never loses a draft to an invisible character.
"""

import re
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse

# C0 controls and DEL; in posted form fields tab, newline and carriage return are ordinary text.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Halves of a UTF-16 pair never stand alone in valid text; they cannot be stored or encoded.
SURROGATE = re.compile(r"[\ud800-\udfff]")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputRefused(ValueError):
    """What the visitor sent cannot be processed; the message says what to fix, in Chinese."""

    def __init__(self, message: str, cookie: str = ""):
        super().__init__(message)
        self.cookie = cookie  # the cookie to drop, so that reloading the page works again


def _shown(name: str) -> str:
    """A parameter name as the error message may quote it."""
    return CONTROL.sub("", SURROGATE.sub("", name))[:40] or "（无名称）"


def _raw(value: str) -> bytes:
    """WSGI hands the query string over as bytes decoded as Latin-1; get those bytes back."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def _pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise InputRefused(f"{where}不是有效的 UTF-8 编码文字，请检查后重新输入") from None


def check_path(request) -> None:
    path = request.path_info
    if CONTROL.search(path) or SURROGATE.search(path):
        raise InputRefused("网址中含有控制字符（如 %00），请检查网址后重试")


def check_query(request) -> None:
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    for name, value in _pairs(_raw(query), "网址中的查询参数"):
        if CONTROL.search(name) or CONTROL.search(value) or SURROGATE.search(name + value):
            raise InputRefused(f"参数“{_shown(name)}”中含有控制字符（如 %00、换行），请删除后重试")


# Word and WPS put vertical tabs (manual line breaks) and form feeds into pasted text: in the admin
# they become line breaks and other invisible controls are dropped, so an editor's work is saved,
# not refused. The public's forms are refused instead: nobody types these by hand.
ADMIN_PREFIX = "/admin/"
LINE_BREAKS = re.compile(r"[\x0b\x0c]")


def clean_text(value: str) -> str:
    return SURROGATE.sub("", FORM_CONTROL.sub("", LINE_BREAKS.sub("\n", value)))


def clean_admin_form(request) -> None:
    post = request.POST
    if not any(FORM_CONTROL.search(value) or SURROGATE.search(value)
               for name, values in post.lists() for value in (name, *values)):
        return
    cleaned = post.copy()
    cleaned.clear()
    for name, values in post.lists():
        cleaned.setlist(clean_text(name), [clean_text(value) for value in values])
    cleaned._mutable = False
    request._post = cleaned


def check_form(request) -> None:
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return
    if request.content_type == FORM_TYPES[0]:
        # Django would replace broken UTF-8 silently; refuse it instead of saving mangled text.
        _pairs(request.body, "提交的表单内容")
    if request.path_info.startswith(ADMIN_PREFIX):
        clean_admin_form(request)
        return
    for name, values in request.POST.lists():
        for value in (name, *values):
            if FORM_CONTROL.search(value) or SURROGATE.search(value):
                raise InputRefused(f"填写的“{_shown(name)}”中含有不可见的控制字符，请删除后重新提交")


def check_cookies(request) -> None:
    for name in settings.CHECKED_COOKIES:
        value = request.COOKIES.get(name)
        if value is not None and (CONTROL.search(value) or SURROGATE.search(value)):
            raise InputRefused("浏览器保存的网站数据（Cookie）已损坏，已为您清除，请刷新页面", cookie=name)


def check_request(request) -> None:
    """Raises InputRefused for the first problem found."""
    check_path(request)
    check_query(request)
    check_cookies(request)
    check_form(request)


class PublicInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except InputRefused as refused:
            return refusal(request, refused)
        return self.get_response(request)


def refusal(request, refused: InputRefused):
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"error": str(refused)}, status=400, json_dumps_params={"ensure_ascii": False})
    else:
        response = TemplateResponse(request, "portal/refused_input.html", {"message": str(refused)},
                                    status=400).render()
    response["Cache-Control"] = "no-store"
    if refused.cookie:
        response.delete_cookie(refused.cookie)
    return response
