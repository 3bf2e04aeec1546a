"""Public views of the theme: the visitor's own mode switches and the central logo image."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control

from .context_processors import ELDERLY_COOKIE, PLAIN_COOKIE
from .services import logo_of

MODE_COOKIES = {"elderly": ELDERLY_COOKIE, "plain": PLAIN_COOKIE}
COOKIE_SECONDS = 365 * 24 * 3600


def switch_mode(request, mode, state):
    """A link (no JavaScript needed) that remembers the visitor's choice and goes back."""
    if mode not in MODE_COOKIES or state not in ("on", "off"):
        raise Http404("没有这种浏览方式")
    target = request.GET.get("next") or "/"
    # Back to a page of this site only: a path or this host, not a bare word or a huge header.
    if (
        len(target) > 2000 or not target.startswith(("/", "http://", "https://"))
        or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = "/"
    if mode == "plain" and state == "off":
        # `?plain=1` in the address would keep the page plain after the cookie is gone.
        parts = urlsplit(target)
        query = urlencode([(name, value) for name, value in parse_qsl(parts.query) if name != "plain"])
        target = urlunsplit(parts._replace(query=query)) or "/"
    # Not `redirect()`: it would try a bare word such as `next=abc` as a URL name and fail.
    response = HttpResponseRedirect(target)
    # Elderly "off" is remembered as "0" so that it also overrides a centrally scheduled mode.
    value = "1" if state == "on" else "0"
    if mode == "plain" and state == "off":
        response.delete_cookie(PLAIN_COOKIE)
    else:
        response.set_cookie(MODE_COOKIES[mode], value, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)
    return response


@cache_control(public=True, max_age=COOKIE_SECONDS, immutable=True)
def logo(request, digest):
    """The logo is stored centrally; its address carries its digest, so it is cached for long."""
    row = logo_of(digest)
    if row is None:
        raise Http404("没有这个标志图片")
    return HttpResponse(bytes(row.logo), content_type=row.logo_content_type)
