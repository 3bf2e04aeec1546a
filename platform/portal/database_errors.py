"""A database that does not answer is an outage to wait out, not a bug to show.

While PostgreSQL restarts (or a failover moves it), every request that needs it fails wherever it
first touches it: the host lookup of the tenant middleware, the session, a view, a template. All
those failures end in Django's `handler500`, which both URLconfs point here: a database that cannot
be reached (connection refused, terminated by the server, closed under the application) answers
a Chinese 503 with `Retry-After` and one log line, never a stack trace or a bare 500. Every other
error keeps Django's own 500.

The answer is built without the database, the theme or the session (each of which may need the
database that is gone), and is never kept by the page cache or the front. Cached pages are still
answered by `portal.delivery` without reaching this point. Once PostgreSQL is back, the next
request's connection health check (`CONN_HEALTH_CHECKS`, settings) replaces the dead persistent
connection, so the site recovers without restarting the app servers.
"""

import logging
import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)

# How long visitors (and nginx, `proxy_cache_use_stale http_503`) are asked to wait.
RETRY_AFTER_SECONDS = 5
MESSAGE = "数据库暂时无法连接，网站正在自动恢复，请稍候几秒后刷新本页。"
# Django wraps most driver errors in its own classes; django-tenants sets the search path on the
# driver's cursor directly, so the driver's own classes reach here too.
UNREACHABLE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)

PAGE = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>网站暂时无法访问</title>
<style>
body {{ font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 0;
       background: #f5f5f5; color: #333; }}
main {{ max-width: 36rem; margin: 15vh auto; padding: 2rem; background: #fff; border-top: 4px solid #b8272c; }}
h1 {{ font-size: 1.5rem; color: #b8272c; }}
</style>
</head>
<body>
<main role="alert">
<h1>网站暂时无法访问</h1>
<p>{MESSAGE}</p>
<p>给您带来不便，敬请谅解。</p>
</main>
</body>
</html>
"""


def is_database_unreachable(error: BaseException | None) -> bool:
    """True for an error that says the database cannot be reached (also when wrapped in another)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNREACHABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def unavailable_response(request) -> HttpResponse:
    """The 503 a visitor sees while the database is away: HTML, or JSON under /api/."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"error": MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # One warning line below instead of Django's error with a stack trace per failed request.
    response._has_been_logged = True
    # The page cache answers such a request with its last copy of the page, when it has one.
    response.database_unavailable = True
    return response


def server_error(request):
    """`handler500`: Django calls it while the uncaught exception is being handled."""
    error = sys.exc_info()[1]
    if not is_database_unreachable(error):
        return defaults.server_error(request)
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    logger.warning("数据库不可用，%s %s 返回 503：%s", request.method, request.path, reason)
    return unavailable_response(request)
