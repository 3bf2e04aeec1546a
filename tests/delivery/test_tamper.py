"""网页防篡改 as the centre meets it: a page altered where the public is served is found by the
check, restored at once, recorded as an incident and reported to the person on duty; an untouched
site gives no false alarm. Pages are fetched over HTTP from a real server process, at their public
address, as a visitor's browser would."""

from urllib.parse import urlsplit

import httpx
import pytest
from django.core import mail
from django.core.cache import caches
from portal.delivery import store
from portal.delivery.tamper import check_department, pages_to_check

ARTICLE = "/news/sample-1/"
PLANTED = "<p>此处内容已被非法篡改</p>"


def public(department, path):
    """What a visitor's browser gets at the page's public address (*.localhost is loopback)."""
    base = urlsplit(department.base_url)
    return httpx.get(f"http://127.0.0.1:{base.port}{path}", headers={"Host": base.netloc}, timeout=30)


@pytest.fixture
def jyj(departments, live_server_url):
    return departments["jyj"]


def test_an_untouched_site_gives_no_alarm(jyj):
    from portal.operations.models import Incident

    for path in pages_to_check(jyj):  # visitors have filled the cache
        assert public(jyj, path).status_code == 200
    assert public(jyj, ARTICLE).headers["X-Page-Cache"] == "HIT"
    report = check_department(jyj)
    assert report.checked >= 4 and ARTICLE in " ".join(d for d in pages_to_check(jyj))
    assert report.differences == [] and report.errors == []
    assert not Incident.objects.filter(kind="tamper").exists()


def test_an_altered_copy_is_found_restored_recorded_and_reported(jyj):
    from portal.accounts.models import User
    from portal.operations.models import Incident

    # Nobody is rostered: the alert goes to the system administrators.
    User.objects.filter(username="center_admin").update(email="center@yuancheng.example")

    original = public(jyj, ARTICLE)
    assert public(jyj, ARTICLE).headers["X-Page-Cache"] == "HIT"
    # Someone with access to the store (or a proxy in between) changes what visitors get.
    key = store.page_key(jyj.hostname, ARTICLE, "", "||")
    entry = caches["shared"].get(key)
    assert entry is not None, "the article should be in the page cache"
    entry["body"] = entry["body"].replace(b"</h1>", b"</h1>" + PLANTED.encode(), 1)
    caches["shared"].set(key, entry, None)
    assert PLANTED in public(jyj, ARTICLE).text

    report = check_department(jyj)

    [difference] = report.differences
    assert difference.url == jyj.base_url + ARTICLE and difference.restored
    restored = public(jyj, ARTICLE)
    assert PLANTED not in restored.text and restored.text == original.text
    incident = Incident.objects.get(kind="tamper", department=jyj)
    assert ARTICLE in incident.details and "已恢复" in incident.details
    assert any("篡改" in message.subject and "center@yuancheng.example" in message.to for message in mail.outbox), \
        [(m.subject, m.to) for m in mail.outbox]
    # The next check finds nothing: the restored page is what was published.
    assert check_department(jyj).differences == []
