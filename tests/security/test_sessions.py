"""Idle sessions end after 30 minutes; an administrator ends all of a person's sessions at once."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from portal.accounts.models import LoginSession, User

from .conftest import JYJ, WJJ, WWW, clock_moved, login, new_events, text


def test_an_idle_session_ends_after_30_minutes_and_activity_keeps_it(client, db):
    assert login(client, "two_hats", on=JYJ).status_code == 302
    assert client.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    with clock_moved(timedelta(minutes=29)):
        assert client.get("/admin/", HTTP_HOST=JYJ).status_code == 200  # still there, and the clock restarts
    with clock_moved(timedelta(minutes=58)):
        assert client.get("/admin/", HTTP_HOST=WJJ).status_code == 200  # 29 idle minutes again
    with clock_moved(timedelta(minutes=89)):
        response = client.get("/admin/", HTTP_HOST=JYJ)  # 31 idle minutes
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_session_cookie_lasts_no_longer_than_the_browser(client, db):
    response = login(client, "jyj_editor")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and not cookie["expires"] and not cookie["max-age"]
    session = Session.objects.get(session_key=cookie.value)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_force_logout_ends_every_session_of_the_person_on_every_host(security_admin, db):
    person = User.objects.get(username="two_hats")
    at_desk, at_home = Client(), Client()
    assert login(at_desk, "two_hats", on=JYJ, ip="10.1.1.1").status_code == 302
    assert login(at_home, "two_hats", on=WJJ, ip="10.2.2.2").status_code == 302
    assert at_desk.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    assert at_home.get("/admin/", HTTP_HOST=WJJ).status_code == 200
    bystander = Client()
    assert login(bystander, "wjj_editor", on=WJJ).status_code == 302

    page = text(security_admin.get(f"/admin/people/{person.pk}/", HTTP_HOST=WWW))
    assert "当前登录会话</dt><dd>2 个" in page
    response = security_admin.post(f"/admin/people/{person.pk}/", {"form": "force_logout"}, HTTP_HOST=WWW,
                                   follow=True)
    assert "已强制下线" in text(response)
    for client, on in ((at_desk, JYJ), (at_home, WJJ), (at_desk, WJJ)):
        response = client.get("/admin/", HTTP_HOST=on)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not LoginSession.objects.filter(user=person).exists()
    assert bystander.get("/admin/", HTTP_HOST=WJJ).status_code == 200  # nobody else is touched
    assert security_admin.get("/admin/", HTTP_HOST=WWW).status_code == 200
    # The person can log in again at once: it was a logout, not a lock.
    assert login(Client(), "two_hats", on=JYJ).status_code == 302
    row = new_events().filter(event="force_logout").get()
    assert (row.username, row.target, row.details, row.department.host_prefix) == (
        "sec_admin", "two_hats", {"sessions": 2}, "www")


def test_logging_out_is_recorded_and_forgets_the_session(client, db):
    login(client, "jyj_editor", ip="10.3.3.3")
    key = client.cookies["sessionid"].value
    assert LoginSession.objects.filter(session_key=key, user__username="jyj_editor", ip="10.3.3.3").exists()
    client.post("/admin/logout/", HTTP_HOST=JYJ, REMOTE_ADDR="10.3.3.3")
    assert not LoginSession.objects.filter(session_key=key).exists()
    rows = new_events().filter(username="jyj_editor", event__in=["login", "logout"]).order_by("id")
    assert [(r.event, r.ip, r.department.host_prefix) for r in rows] == [
        ("login", "10.3.3.3", "jyj"), ("logout", "10.3.3.3", "jyj")]
