"""The public forms' limit (5 an hour per address and per contact) holds under simultaneous
submissions and counts a person once however the phone number or e-mail address is spelled."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection
from django.test import Client, RequestFactory
from portal.public_forms import PublicFormGuard, normalise_contact

from tests.mailbox.test_concurrency import PORT, SUBJECT, committed, open_form, threaded_server  # noqa: F401
from tests.mailbox.test_mailbox import letter_data
from tests.mailbox.test_mailbox import open_form as open_form_in_client

WWW = "www.localhost"
BURST = 12


def _guard(scope: str, address: str) -> PublicFormGuard:
    request = RequestFactory().post("/mailbox/write/", REMOTE_ADDR=address)
    return PublicFormGuard(request, scope)


def test_twelve_simultaneous_submissions_from_one_address_admit_exactly_five(db):
    """Each thread has its own database connection, as each server thread or process does."""
    scope = f"burst-{uuid.uuid4().hex[:8]}"
    start = threading.Barrier(BURST, timeout=60)

    def submit(number):
        try:
            guard = _guard(scope, "10.20.30.40")
            start.wait()
            return guard.admit([("phone", f"139{number:08d}"), ("email", "")])
        finally:
            connection.close()

    try:
        with ThreadPoolExecutor(max_workers=BURST) as pool:
            admitted = list(pool.map(submit, range(BURST)))
        assert admitted.count(True) == 5, admitted
        counted = committed("SELECT count(*) FROM portal_formsubmission WHERE scope = %s AND key = %s",
                            [scope, "ip:10.20.30.40"])
        assert counted == [(5,)]
    finally:
        committed("DELETE FROM portal_formsubmission WHERE scope = %s", [scope])


@pytest.mark.parametrize("spellings", [
    ["138 0013 8000", "+86-13800138000", "13800138000", "0086 138-0013-8000", "(138)00138000", "8613800138000"],
    ["A@Example.com", "a@example.com", " a@EXAMPLE.com ", "A@EXAMPLE.COM", "a@example.COM", "a@example.com"],
])
def test_spellings_of_one_contact_count_as_one(db, spellings):
    field = "email" if "@" in spellings[0] else "phone"
    assert len({normalise_contact(field, spelling) for spelling in spellings}) == 1
    scope = f"spelling-{uuid.uuid4().hex[:8]}"
    # Five addresses, five spellings of one contact: the sixth submission is one too many.
    results = [_guard(scope, f"10.1.1.{n}").admit([(field, spelling)]) for n, spelling in enumerate(spellings)]
    assert results == [True] * 5 + [False]


def test_landlines_and_different_people_stay_apart(db):
    assert normalise_contact("phone", "+86 762 3332345") == normalise_contact("phone", "0762-3332345")
    assert normalise_contact("phone", "13800138000") != normalise_contact("phone", "13800138001")
    assert normalise_contact("email", "a@example.com") != normalise_contact("email", "b@example.com")
    assert normalise_contact("phone", "") == normalise_contact("email", "  ") == ""


def test_a_letter_with_another_spelling_of_a_busy_phone_is_refused(db):
    from plugins.mailbox.models import Letter

    for n, phone in enumerate(["138 0013 8000", "+86-13800138000", "13800138000", "138-0013-8000",
                               "0086 13800138000"]):
        client = Client(REMOTE_ADDR=f"10.0.2.{n + 1}")
        token, answer = open_form_in_client(client)
        response = client.post("/mailbox/write/", letter_data(token, answer, phone=phone), HTTP_HOST=WWW)
        assert response.status_code == 200, response.content.decode()[:300]
    client = Client(REMOTE_ADDR="10.0.2.99")
    token, answer = open_form_in_client(client)
    response = client.post("/mailbox/write/", letter_data(token, answer, phone="+86 138 0013 8000"), HTTP_HOST=WWW)
    assert response.status_code == 429 and "同一联系方式" in response.content.decode()
    assert Letter.objects.filter(phone__contains="138").count() == 5


def test_twelve_letters_at_the_same_moment_from_one_address_through_the_server(threaded_server):  # noqa: F811
    """What the attack did: 12 letters at once from one address to a multi-process server."""
    base = threaded_server
    start = threading.Barrier(BURST, timeout=120)

    def writer(number):
        headers = {"X-Forwarded-For": "10.77.0.1", "Host": f"www.localhost:{PORT}"}
        with httpx.Client(headers=headers, timeout=120, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            form = open_form(client, base)
            form.update(kind="consult", subject=f"{SUBJECT}限流{number:02d}", content="同一地址的来信。",
                        name="来信人", phone=f"137{number:08d}", email="", may_publish="on")
            start.wait()
            response = client.post(f"{base}/mailbox/write/?captcha=text", data=form,
                                   headers={"Referer": f"http://www.localhost:{PORT}/mailbox/write/"})
            return response.status_code

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        statuses = list(pool.map(writer, range(BURST)))
    assert sorted(statuses) == [200] * 5 + [429] * 7, statuses
    rows = committed("SELECT count(*) FROM mailbox_letter WHERE subject LIKE %s", [f"{SUBJECT}限流%"])
    assert rows == [(5,)]
