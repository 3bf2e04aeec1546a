"""The crawler: a site's rendered public pages, as a visitor's browser would receive them.

It starts at the site's homepage and follows links within the site's host, with a bounded number
of requests in flight and a minimum interval between two requests to the same host (a polite
rate). Every link and attachment it meets is checked: internal ones by fetching them, external
ones with HEAD (GET when HEAD is refused) and a timeout, their answers cached for a day and their
hosts rate-limited. It knows nothing about findings: it returns what it saw, and `checks` judges.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from lxml import html as lxml_html

# Paths that are not content pages: the admin, the search (infinite result pages) and feeds.
SKIPPED_PREFIXES = ("/admin/", "/search/", "/feeds/", "/api/", "/django-admin/")
# Links to these are attachments: checked to exist, never parsed.
ATTACHMENT_PREFIXES = ("/documents/", "/media/", "/static/")
USER_AGENT = "GovsiteInspection/1.0"


def _loopback(request: httpx.Request) -> httpx.Request:
    """RFC 6761: names under `.localhost` always mean this machine, but the system resolver does
    not always know them (browsers do). Such requests go to 127.0.0.1 with the original Host."""
    if not request.url.host.endswith(".localhost"):
        return request
    headers = httpx.Headers(request.headers)
    headers["Host"] = request.url.netloc.decode("ascii")
    return httpx.Request(request.method, request.url.copy_with(host="127.0.0.1"), headers=headers,
                         stream=request.stream, extensions=request.extensions)


class LoopbackTransport(httpx.AsyncHTTPTransport):
    async def handle_async_request(self, request):
        return await super().handle_async_request(_loopback(request))


class SyncLoopbackTransport(httpx.HTTPTransport):
    def handle_request(self, request):
        return super().handle_request(_loopback(request))


@dataclass
class LinkResult:
    url: str
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and self.status < 400

    @property
    def problem(self) -> str:
        if self.error:
            return self.error
        return f"HTTP {self.status}"


@dataclass
class CrawledPage:
    url: str
    status: int | None
    error: str = ""
    html: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class CrawlResult:
    start_url: str
    pages: dict[str, CrawledPage] = field(default_factory=dict)  # url -> page (HTML pages of the site)
    links: dict[str, LinkResult] = field(default_factory=dict)  # url -> answer (every link target)
    referrers: dict[str, list[str]] = field(default_factory=dict)  # link target -> pages linking to it
    checked_external: list[str] = field(default_factory=list)  # external answers fetched now, to cache
    seconds: float = 0.0

    @property
    def homepage_ok(self) -> bool:
        page = self.pages.get(self.start_url)
        return page is not None and not page.error and page.status is not None and page.status < 400


class HostPacer:
    """At most one request starts per `interval` seconds for each host."""

    def __init__(self, interval: float, own_interval: float, own_suffix: str):
        self.interval = interval
        self.own_interval = own_interval
        self.own_suffix = own_suffix
        self.next_slot: dict[str, float] = {}
        self.lock = asyncio.Lock()

    async def wait(self, host: str):
        name = host.split(":")[0]
        own = self.own_suffix and (name == self.own_suffix or name.endswith("." + self.own_suffix))
        interval = self.own_interval if own else self.interval
        if interval <= 0:
            return
        async with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot.get(host, now))
            self.next_slot[host] = slot + interval
        if slot > now:
            await asyncio.sleep(slot - now)


def normalise(url: str) -> str:
    url, _ = urldefrag(url)
    return url


def page_links(document, base_url: str) -> list[str]:
    """Absolute http(s) targets of links and embedded files on a page, in order, without repeats."""
    seen = []
    for element, attribute, link, _ in document.iterlinks():
        if element.tag not in ("a", "img", "iframe", "source", "video", "audio", "embed"):
            continue
        if attribute not in ("href", "src"):
            continue
        link = (link or "").strip()
        if not link or link.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        absolute = normalise(urljoin(base_url, link))
        if absolute.startswith(("http://", "https://")) and absolute not in seen:
            seen.append(absolute)
    return seen


class Crawler:
    def __init__(
        self, *, concurrency: int = 4, host_interval: float = 0.05, external_interval: float = 1.0,
        timeout: float = 15.0, max_pages: int = 5000, known_external: dict[str, LinkResult] | None = None,
        skip_url: Callable[[str], bool] | None = None, progress: Callable[[int, int], None] | None = None,
        own_suffix: str = "",
    ):
        self.concurrency = concurrency
        self.host_interval = host_interval
        self.external_interval = external_interval
        self.timeout = timeout
        self.max_pages = max_pages
        self.known_external = known_external or {}  # answers still fresh in the day-long cache
        self.skip_url = skip_url or (lambda url: False)
        self.progress = progress
        self.counts = (0, 0)
        self.own_suffix = own_suffix  # e.g. "gov.cn.example": every department's host ends with it

    def crawl(self, start_url: str) -> CrawlResult:
        return self._run([start_url], follow=True)

    def check_pages(self, urls: list[str]) -> CrawlResult:
        """Fetch just these pages and check their links, following none (a re-check)."""
        return self._run(urls, follow=False)

    def _run(self, start_urls: list[str], follow: bool) -> CrawlResult:
        """Crawl in a worker thread; progress is reported from the calling thread about once a
        second, so the callback may use the database (which async code must not)."""
        outcome: dict = {}

        def work():
            try:
                outcome["result"] = asyncio.run(self._crawl(start_urls, follow))
            except BaseException as error:  # noqa: BLE001 - re-raised in the calling thread
                outcome["error"] = error

        worker = threading.Thread(target=work, name="inspection-crawl", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(1.0)
            if self.progress:
                self.progress(*self.counts)
        if self.progress:
            self.progress(*self.counts)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    async def _crawl(self, start_urls: list[str], follow: bool) -> CrawlResult:
        started = time.perf_counter()
        start_urls = [normalise(url) for url in start_urls]
        start_url = start_urls[0]
        site_host = urlsplit(start_url).netloc
        result = CrawlResult(start_url=start_url)
        # The platform's own sites share the crawl's pace; other hosts get the slower external one.
        own_suffix = self.own_suffix or site_host.split(":")[0]
        pacer = HostPacer(self.external_interval, self.host_interval, own_suffix)
        semaphore = asyncio.Semaphore(self.concurrency)
        queued: set[str] = set(start_urls)
        pending_links: set[str] = set()
        tasks: set[asyncio.Task] = set()
        external: list[str] = []

        async with httpx.AsyncClient(
            timeout=self.timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT},
            transport=LoopbackTransport(limits=httpx.Limits(max_connections=self.concurrency * 2)),
        ) as client:

            def report():
                self.counts = (len(result.pages), len(queued))

            async def fetch_page(url: str):
                async with semaphore:
                    await pacer.wait(site_host)
                    page = await self._get_page(client, url)
                result.pages[url] = page
                result.links[url] = LinkResult(url, page.status, page.error)
                for link in page.links:
                    result.referrers.setdefault(link, [])
                    if url not in result.referrers[link]:
                        result.referrers[link].append(url)
                    schedule(link)
                report()

            async def check_internal(url: str):
                async with semaphore:
                    await pacer.wait(site_host)
                    result.links[url] = await self._probe(client, url)

            def schedule(link: str):
                parts = urlsplit(link)
                if link in queued or link in pending_links or self.skip_url(link):
                    return
                if parts.netloc != site_host:
                    pending_links.add(link)
                    external.append(link)
                    return
                if parts.path.startswith(SKIPPED_PREFIXES):
                    return
                if parts.path.startswith(ATTACHMENT_PREFIXES) or not follow:
                    pending_links.add(link)
                    tasks.add(asyncio.ensure_future(check_internal(link)))
                    return
                if parts.query and not parts.query.startswith("page="):
                    return
                if len(queued) >= self.max_pages:
                    return
                queued.add(link)
                tasks.add(asyncio.ensure_future(fetch_page(link)))

            for url in start_urls:
                tasks.add(asyncio.ensure_future(fetch_page(url)))
            while tasks:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    tasks.discard(task)
                    task.result()
            await self._check_external(client, pacer, semaphore, external, result)
        result.seconds = time.perf_counter() - started
        return result

    async def _get_page(self, client, url: str) -> CrawledPage:
        try:
            response = await client.get(url)
        except httpx.TimeoutException:
            return CrawledPage(url, None, f"超过 {self.timeout:g} 秒未响应")
        except httpx.HTTPError as error:
            return CrawledPage(url, None, describe_error(error))
        page = CrawledPage(url, response.status_code)
        content_type = response.headers.get("content-type", "")
        if response.status_code < 400 and "html" in content_type:
            page.html = response.text
            try:
                document = lxml_html.fromstring(page.html)
            except (ValueError, lxml_html.etree.ParserError):
                return page
            page.links = page_links(document, str(response.url))
        return page

    async def _probe(self, client, url: str) -> LinkResult:
        """HEAD first; servers that refuse HEAD (405/501/403) get a streamed GET."""
        try:
            response = await client.head(url)
            if response.status_code in (403, 405, 501):
                async with client.stream("GET", url) as streamed:
                    return LinkResult(url, streamed.status_code)
            return LinkResult(url, response.status_code)
        except httpx.TimeoutException:
            return LinkResult(url, None, f"超过 {self.timeout:g} 秒未响应")
        except httpx.HTTPError as error:
            return LinkResult(url, None, describe_error(error))

    async def _check_external(self, client, pacer, semaphore, urls, result):
        async def one(url):
            cached = self.known_external.get(url)
            if cached is not None:
                result.links[url] = cached
                return
            async with semaphore:
                await pacer.wait(urlsplit(url).netloc)
                answer = await self._probe(client, url)
            result.links[url] = answer
            result.checked_external.append(url)

        await asyncio.gather(*(one(url) for url in urls))


def describe_error(error: Exception) -> str:
    """The reason in words a webmaster knows: DNS failure, refused connection, or the message."""
    import socket

    seen, current = set(), error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "域名无法解析（DNS 失败）"
        if isinstance(current, ConnectionRefusedError):
            return "连接被拒绝"
        current = current.__cause__ or current.__context__
    text = str(error) or error.__class__.__name__
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return "域名无法解析（DNS 失败）"
    if "connection refused" in lowered or "connect call failed" in lowered:
        return "连接被拒绝"
    return f"无法连接：{text[:200]}"
