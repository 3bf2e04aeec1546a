"""The crawler's link checks on a local server: timeouts and DNS failures are named, and the
pace per host holds."""

import asyncio
import threading
import time

import pytest

from plugins.inspection.crawler import Crawler, HostPacer


def test_timeouts_and_dns_failures_are_reported(external_server):
    page = f"{external_server}/links"
    result = Crawler(timeout=0.5, host_interval=0).check_pages([page])
    assert result.pages[page].status == 200
    slow = result.links[f"{external_server}/slow"]
    assert not slow.ok and slow.error == "超过 0.5 秒未响应"
    unknown = result.links["http://no-such-host.invalid/"]
    assert not unknown.ok and unknown.error == "域名无法解析（DNS 失败）"
    assert result.links[f"{external_server}/ok/x"].ok
    assert result.referrers[f"{external_server}/slow"] == [page]


@pytest.mark.parametrize("host, spacing", [("jyj.localhost:8000", 0.1), ("example.gov.cn", 0.3)])
def test_pace_per_host(host, spacing):
    pacer = HostPacer(interval=0.3, own_interval=0.1, own_suffix="localhost")

    async def four_requests():
        started = []
        for _ in range(4):
            await pacer.wait(host)
            started.append(time.monotonic())
        return started

    # In a thread of its own: after a browser test, Playwright keeps an event loop in the main thread.
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(asyncio.run(four_requests())))
    worker.start()
    worker.join()
    started = outcome[0]
    gaps = [b - a for a, b in zip(started, started[1:], strict=False)]
    assert min(gaps) >= spacing * 0.9
