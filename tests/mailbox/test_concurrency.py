"""200 people submit letters at the same moment to a multi-threaded server process (gunicorn, as
in production, behind one trusted proxy that names each visitor's address): every letter
arrives once, none is lost, none is doubled, and each writer gets the query code of their own
letter. Retried submissions (the same form sent again) add nothing."""

import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connections

from tests.conftest import LIVE_PORT, ROOT, server_environment, wait_for_port

pytestmark = pytest.mark.django_db
PORT = LIVE_PORT + 7
WRITERS = 200
RETRIES = 20
SUBJECT = "并发提交测试来信"


def committed(sql, params=()):
    """Read or clean what the server process committed, outside the test's own transaction."""
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


@pytest.fixture
def threaded_server(django_db_setup):
    env = server_environment(PORT, TRUSTED_PROXY_COUNT="1")
    log = open(ROOT / ".services" / "test-gunicorn.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--threads", "8", "--pythonpath", f"{ROOT},{ROOT / 'platform'}", "--timeout", "120"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    wait_for_port(PORT, process, "test-gunicorn.log")
    yield f"http://127.0.0.1:{PORT}"
    process.terminate()
    process.wait(10)
    committed("DELETE FROM mailbox_letter WHERE subject LIKE %s", [f"{SUBJECT}%"])
    committed("DELETE FROM portal_formsubmission WHERE scope = 'mailbox'")


def open_form(client: httpx.Client, base: str) -> dict:
    html = client.get(f"{base}/mailbox/write/?captcha=text").text
    a, b = map(int, re.search(r'class="captcha-question">(\d+) 加 (\d+) 等于几', html).groups())
    return {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        "token": re.search(r'name="token" value="([^"]+)"', html).group(1),
        "captcha": str(a + b), "captcha_kind": "text",
    }


def test_200_concurrent_submissions_make_200_letters(threaded_server):
    base = threaded_server
    start = threading.Barrier(WRITERS, timeout=180)

    def writer(number):
        address = f"10.{number // 250}.{number % 250}.9"
        # The portal's host name, sent to the server's address (the resolver does not know *.localhost).
        headers = {"X-Forwarded-For": address, "Host": f"www.localhost:{PORT}"}
        # A fresh connection per request: the server closes idle ones while writers wait at the barrier.
        no_keepalive = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(headers=headers, timeout=120, limits=no_keepalive) as client:
            form = open_form(client, base)
            form.update(kind="consult", subject=f"{SUBJECT}{number:03d}", content=f"第 {number} 位来信人的内容。",
                        name=f"来信人{number}", phone=f"139{number:08d}", email="", may_publish="on")
            headers = {"Referer": f"http://www.localhost:{PORT}/mailbox/write/"}
            start.wait()
            responses = [client.post(f"{base}/mailbox/write/?captcha=text", data=form, headers=headers)]
            if number < RETRIES:  # the same form sent again, as a nervous double click would
                responses.append(client.post(f"{base}/mailbox/write/?captcha=text", data=form, headers=headers))
        codes = [re.search(r'class="query-code">([A-Z0-9]+)<', r.text) for r in responses]
        assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
        assert all(codes), responses[0].text[:500]
        return number, {code.group(1) for code in codes}

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = dict(pool.map(writer, range(WRITERS)))

    rows = committed("SELECT subject, query_code FROM mailbox_letter WHERE subject LIKE %s", [f"{SUBJECT}%"])
    assert len(rows) == WRITERS  # none lost, none doubled (retries included)
    by_subject = dict(rows)
    assert len(set(by_subject.values())) == WRITERS
    for number, codes in results.items():
        # Each writer (and each retry) was told the code of the writer's own letter.
        assert codes == {by_subject[f"{SUBJECT}{number:03d}"]}
