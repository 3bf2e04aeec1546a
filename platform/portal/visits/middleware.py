"""Counts the page views of visitors, hits of the page cache included.

Placed before the page cache so that it sees every answer; it reads only the request and the
answer's status and type, and hands the view to `counting`, which touches neither the database
nor (on most requests) the store.
"""

from portal.audit.log import client_ip
from portal.delivery.middleware import FRESH_RENDER

from . import counting

# Not pages a visitor reads: the admin, files, the APIs and the theme switches.
NOT_PAGES = ("/admin/", "/static/", "/media/", "/documents/", "/theme/", "/captcha/", "/api/", "/feeds/")


class VisitCountingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        counting.is_robot("Mozilla/5.0")  # builds the crawler list now, not in a visitor's request

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 200
            and request.method == "GET"
            and not request.path.startswith(NOT_PAGES)
            and response.get("Content-Type", "").startswith("text/html")
            and not request.META.get(FRESH_RENDER)  # the tamper check's own renders
        ):
            host = request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()
            counting.record(host, request.path, client_ip(request) or "",
                            request.META.get("HTTP_USER_AGENT", ""))
        return response
