"""The crawler: a site's rendered public pages, as a visitor's browser would receive them.

It starts at the site's homepage and follows links within the site's host, with a bounded number
of requests in flight and a minimum interval between two requests to the same host (a polite
rate). Every link and attachment it meets is checked: internal ones by fetching them, external
ones with HEAD (GET when HEAD is refused) and a timeout, their answers cached for a day and their
hosts rate-limited. It knows nothing about findings: it returns what it saw, and `checks` judges.

Links are written by editors, so a link is no reason to reach any address (SSRF). The platform's
own sites (the department hosts under `DOMAIN_SUFFIX`, on the platform's port) are fetched
through the configured route; every other request goes through `GuardedTransport`, which
resolves the name once, refuses private, loopback, link-local, multicast, reserved and
unspecified addresses (IPv4 and IPv6, IPv4-mapped included) and connects to exactly the address
it checked, keeping the Host header and the TLS server name. Redirects are followed here, one hop
at a time, so every hop meets the same check. Hosts the 区信息中心 lists explicitly
(`TrustedInternalHost`) are exempt. A refused link says only that it was refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
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
MAX_REDIRECTS = 5
REFUSED_INTERNAL = "链接指向内部网络地址，已拒绝检查"


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


class RefusedAddress(httpx.ConnectError):
    """The link's host is, or resolves to, an address inside a network; nothing was sent."""


def forbidden_address(address: str) -> bool:
    """True for every address that is not a public unicast one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def resolve(host: str, port: int) -> list[str]:
    """Every address the name stands for (RFC 6761: names under `localhost` are this machine)."""
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return ["127.0.0.1", "::1"]
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def host_matches(entries, host: str, port: int) -> bool:
    """Allow-list entries are a host name or address, optionally with `:port`."""
    host = host.lower().strip("[]")
    return any(entry in (host, f"{host}:{port}") for entry in entries)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """Resolve once, refuse internal addresses, connect to the vetted address (no DNS rebinding
    between check and connect); the Host header and the TLS server name stay the link's own."""

    def __init__(self, *, allowed_hosts=(), **kwargs):
        super().__init__(**kwargs)
        self.allowed_hosts = {entry.strip().lower() for entry in allowed_hosts if entry.strip()}

    async def handle_async_request(self, request):
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        if host_matches(self.allowed_hosts, host, port):
            return await super().handle_async_request(_loopback(request))
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            try:
                addresses = await asyncio.get_running_loop().run_in_executor(None, resolve, host, port)
            except socket.gaierror as error:
                raise httpx.ConnectError(str(error), request=request) from error
        if not addresses or any(forbidden_address(address) for address in addresses):
            raise RefusedAddress(REFUSED_INTERNAL, request=request)
        headers = httpx.Headers(request.headers)
        headers["Host"] = request.url.netloc.decode("ascii")
        pinned = httpx.Request(
            request.method, request.url.copy_with(host=addresses[0]), headers=headers, stream=request.stream,
            extensions={**request.extensions, "sni_hostname": host},
        )
        return await super().handle_async_request(pinned)


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
        own_suffix: str = "", allowed_hosts=(), own_ports=(),
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
        self.allowed_hosts = tuple(allowed_hosts)  # internal hosts the centre allows links to
        self.own_ports = {int(port) for port in own_ports if str(port).isdigit()}  # the platform's public port

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

        site_port = _port(urlsplit(start_url))
        own_ports = self.own_ports | {site_port}

        def own(url: str) -> bool:
            parts = urlsplit(url)
            name = (parts.hostname or "").lower()
            return bool(own_suffix) and (name == own_suffix or name.endswith("." + own_suffix)) \
                and _port(parts) in own_ports

        async with httpx.AsyncClient(
            timeout=self.timeout, headers={"User-Agent": USER_AGENT},
            transport=LoopbackTransport(limits=httpx.Limits(max_connections=self.concurrency * 2)),
        ) as own_client, httpx.AsyncClient(
            timeout=self.timeout, headers={"User-Agent": USER_AGENT},
            # No kept-alive connections: a pooled connection to a vetted address must not serve another name.
            transport=GuardedTransport(allowed_hosts=self.allowed_hosts, limits=httpx.Limits(
                max_connections=self.concurrency * 2, max_keepalive_connections=0)),
        ) as external_client:
            client = _Router(own, own_client, external_client)

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
            response = await client.request("GET", url, read=True)
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
            response = await client.request("HEAD", url)
            if response.status_code in (403, 405, 501):
                response = await client.request("GET", url)
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


def _port(parts) -> int:
    try:
        port = parts.port
    except ValueError:
        port = None
    return port or (443 if parts.scheme == "https" else 80)


class _Router:
    """Sends a request through the route its URL belongs to and follows redirects hop by hop,
    so a redirect from a vetted host to an internal one meets the check again."""

    def __init__(self, own, own_client: httpx.AsyncClient, external_client: httpx.AsyncClient):
        self.own = own
        self.own_client = own_client
        self.external_client = external_client

    async def request(self, method: str, url: str, *, read: bool = False) -> httpx.Response:
        """The final response; its body is read only with `read` (else closed unread)."""
        for _ in range(MAX_REDIRECTS + 1):
            client = self.own_client if self.own(url) else self.external_client
            response = await client.send(client.build_request(method, url), stream=True)
            location = response.headers.get("location") if response.is_redirect else None
            if location is None:
                if read:
                    await response.aread()
                await response.aclose()
                return response
            await response.aclose()
            url = normalise(urljoin(str(response.url), location))
            if response.status_code == 303:
                method = "GET" if method != "HEAD" else "HEAD"
        raise httpx.TooManyRedirects(f"重定向超过 {MAX_REDIRECTS} 次")


def describe_error(error: Exception) -> str:
    """The reason in words a webmaster knows: DNS failure, refused connection, or the message."""
    if isinstance(error, RefusedAddress):
        return REFUSED_INTERNAL
    if isinstance(error, httpx.TooManyRedirects):
        return f"重定向超过 {MAX_REDIRECTS} 次"
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
