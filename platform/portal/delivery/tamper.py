"""网页防篡改: prove that what the public is served is what the platform published.

The platform knows what it published: rendering a page now from the database through the whole
stack (without the page cache) gives the bytes that are right. The check fetches each page the
way a visitor does, at its public address (through nginx, a CDN or whatever sits in front), and
compares the SHA-256 of both. A difference — a cached copy changed in the store, a proxy serving
altered bytes, a stale copy that outlived a withdrawal — is restored at once (the department's
cached pages are invalidated, so the next visitor gets a fresh render), checked again, recorded as
an incident and reported to the person on duty.

A change published while the check runs could look like a difference: each difference is
fetched and rendered a second time before it counts.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from . import store
from .middleware import FRESH_RENDER

logger = logging.getLogger(__name__)

@dataclass
class Difference:
    url: str
    served_sha256: str
    published_sha256: str
    served_status: int
    restored: bool = False


@dataclass
class TamperReport:
    department: object
    checked: int = 0
    differences: list[Difference] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def pages_to_check(department, limit: int | None = None) -> list[str]:
    """The homepage and the newest published items of the department (paths on its host)."""
    from portal.models import PublishedItem

    limit = settings.TAMPER_CHECK_PAGES if limit is None else limit
    paths = ["/"]
    base = department.base_url.rstrip("/")
    urls = (PublishedItem.objects.filter(department=department, kind="article")
            .order_by("-publish_time").values_list("url", flat=True)[: max(0, limit - 1)])
    for url in urls:
        if url.startswith(base):
            paths.append(url[len(base):] or "/")
    return list(dict.fromkeys(paths))


def published_render(department, path: str) -> tuple[int, bytes]:
    """The page as the platform renders it now from what is published, for an anonymous visitor."""
    host = department.base_url.split("://", 1)[1].split("/", 1)[0]
    client = Client(HTTP_HOST=host)
    response = client.get(path, secure=department.base_url.startswith("https"), **{FRESH_RENDER: True})
    connection.set_schema_to_public()
    return response.status_code, response.content


def served(department, path: str, http) -> tuple[int, bytes]:
    """The page as the public is served it, from its public address. Names under `localhost`
    (the demo and the tests) are loopback by definition (RFC 6761), as browsers treat them; the
    system resolver may not know them, so they are asked of 127.0.0.1 with the site's Host."""
    url = department.base_url.rstrip("/") + path
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        parts = urlsplit(url)
        response = http.get(parts._replace(netloc=parts.netloc.replace(host, "127.0.0.1", 1)).geturl(),
                            headers={"Host": parts.netloc})
    else:
        response = http.get(url)
    return response.status_code, response.content


def _compare(department, path, http) -> Difference | None:
    served_status, served_body = served(department, path, http)
    status, body = published_render(department, path)
    if served_status != 200 or status != 200:
        return None  # unavailable or withdrawn: the availability probes and the inspection report those
    if _sha(served_body) == _sha(body):
        return None
    return Difference(department.base_url.rstrip("/") + path, _sha(served_body), _sha(body), served_status)


def restore(department) -> None:
    """Every cached copy of the department's pages is stale from now on, on every server."""
    store.changed(f"site:{department.schema_name}")
    if department.is_portal:
        store.changed("projection")


def check_department(department, http=None) -> TamperReport:
    """Compare the department's pages as served with what was published; restore and report."""
    import httpx

    report = TamperReport(department)
    own_client = http is None
    http = http or httpx.Client(timeout=15, follow_redirects=False)
    try:
        for path in pages_to_check(department):
            report.checked += 1
            try:
                difference = _compare(department, path, http)
                if difference is not None:  # a second look: a publish may have raced the first
                    difference = _compare(department, path, http)
            except httpx.HTTPError as error:
                report.errors.append(f"{path}: {type(error).__name__}")
                continue
            if difference is not None:
                report.differences.append(difference)
        if report.differences:
            restore(department)
            for difference in report.differences:
                path = difference.url[len(department.base_url.rstrip("/")):] or "/"
                try:
                    difference.restored = _compare(department, path, http) is None
                except httpx.HTTPError:
                    difference.restored = False
            _report(report)
    finally:
        if own_client:
            http.close()
    return report


def _report(report: TamperReport) -> None:
    from portal.operations.incidents import raise_incident

    department = report.department
    lines = [f"{d.url}：对外提供的内容 SHA-256 {d.served_sha256[:16]}… 与发布的内容 {d.published_sha256[:16]}… 不一致，"
             + ("已恢复" if d.restored else "恢复后仍不一致，请立即检查前端服务器与缓存") for d in report.differences]
    raise_incident(
        kind="tamper", key=f"tamper:{department.schema_name}:{timezone.localdate():%Y%m%d}",
        title=f"{department.name}网页内容被篡改（{len(report.differences)} 个页面）",
        details="\n".join(lines), department=department,
    )
    logger.warning("网页防篡改：%s 发现 %d 个页面不一致", department.name, len(report.differences))


def check_all() -> list[TamperReport]:
    """The scheduled check over every live site."""
    from tenants.models import Department

    reports = []
    for department in Department.sites().filter(status=Department.Status.ACTIVE):
        reports.append(check_department(department))
    return reports
