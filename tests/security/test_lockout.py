"""Five failed logins lock the name from that address for 30 minutes, on every department's host;
wider patterns (one name from many addresses, one address over many names) ask for the captcha
instead of locking anyone out, and the security administrator sees and lifts both."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from portal.accounts.models import User

from tests.conftest import PASSWORD

from .conftest import JYJ, WJJ, WWW, login, messages_in, new_events, text

ATTACKER = "10.66.0.1"
LOCKED = "登录失败次数过多，账号在本机所在地址已锁定 30 分钟，请于 {} 后再试或联系区信息中心"
CAPTCHA_ASKED = "该账号或本机所在网络近期登录失败次数较多，请重新输入密码并填写图中的验证码"


def fail(client, username, times, *, on=JYJ, ip=ATTACKER):
    responses = [login(client, username, password=f"Wrong-guess-{n}!", on=on, ip=ip) for n in range(times)]
    return responses[-1]


def unlock_time() -> str:
    """30 minutes after the failure that started the lock, as the clock on the wall shows it."""
    started = AccessAttempt.objects.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    return timezone.localtime(started + timedelta(minutes=30)).strftime("%H:%M")


def test_four_failures_warn_and_the_fifth_locks(client, db):
    fourth = fail(client, "two_hats", 4)
    assert fourth.status_code == 200
    assert "用户名或密码不正确" in messages_in(text(fourth)) and "连续输错 5 次" in text(fourth)
    fifth = login(client, "two_hats", password="Wrong-guess-5!", ip=ATTACKER)
    assert fifth.status_code == 429
    assert LOCKED.format(unlock_time()) in messages_in(text(fifth))


def test_the_lock_holds_the_name_from_that_address_on_every_host_and_nobody_else(db):
    attacker = Client()
    fail(attacker, "two_hats", 5, on=JYJ)
    message = LOCKED.format(unlock_time())

    # The right password, on another department's host, from the same address: still locked.
    response = login(Client(), "two_hats", on=WJJ, ip=ATTACKER)
    assert response.status_code == 429 and message in messages_in(text(response))
    # The owner at another desk gets in: a stranger cannot lock a person out of every office.
    owner = Client()
    assert login(owner, "two_hats", on=WJJ, ip="10.66.0.2").status_code == 302
    assert owner.get("/admin/", HTTP_HOST=WJJ).status_code == 200
    # Another person's right password from the attacker's address: the address is not locked.
    assert login(Client(), "wjj_editor", on=WJJ, ip=ATTACKER).status_code == 302

    failures = new_events().filter(event="login_failed", username="two_hats").order_by("id")
    assert failures.count() == 6  # five guesses and the refused try from the locked address
    first = failures.first()
    assert (first.ip, first.department.host_prefix, first.success) == (ATTACKER, "jyj", False)
    assert failures.last().details == {"refused": "locked_out"} and failures.last().department.host_prefix == "wjj"
    lockouts = new_events().filter(event="lockout")
    assert lockouts.count() == 1  # refused tries during the lock are failures, not new lockouts
    lockout = lockouts.get()
    assert lockout.username == "two_hats" and lockout.user is None and lockout.ip == ATTACKER
    assert lockout.target == "two_hats" and lockout.department.host_prefix == "jyj" and not lockout.success
    assert lockout.details["failures"] == 5


def test_guesses_from_many_addresses_ask_the_name_for_the_captcha_not_a_lock(db):
    for n in range(5):  # one guess each from five machines: no pair is locked
        login(Client(), "jyj_head", password=f"Wrong-guess-{n}!", ip=f"10.77.0.{n + 1}")
    owner = Client()
    refused = login(owner, "jyj_head", ip="10.88.0.9")
    page = messages_in(text(refused))
    assert refused.status_code == 200 and CAPTCHA_ASKED in page and "验证码" in page
    assert owner.get("/admin/", HTTP_HOST=JYJ).status_code == 302  # not logged in
    assert 'src="/captcha/login.png' in text(refused)
    picture = owner.get("/captcha/login.png", HTTP_HOST=JYJ)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    # A wrong answer is refused too, with a fresh picture; the password was not even tried.
    wrong = owner.post("/admin/login/", {"username": "jyj_head", "password": PASSWORD, "captcha": "0000"},
                       HTTP_HOST=JYJ, REMOTE_ADDR="10.88.0.9")
    assert "验证码不正确" in messages_in(text(wrong))
    answer = owner.session["login_captcha"]["answer"]
    response = owner.post("/admin/login/", {"username": "jyj_head", "password": PASSWORD, "captcha": answer},
                          HTTP_HOST=JYJ, REMOTE_ADDR="10.88.0.9")
    assert response.status_code == 302
    assert owner.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    refusals = new_events().filter(event="login_failed", username="jyj_head", details__refused="captcha")
    assert refusals.count() == 2
    assert new_events().filter(event="login_captcha_required", target="jyj_head").count() == 1
    # A person whose name nobody tried logs in from anywhere without a captcha.
    assert login(Client(), "jyj_editor", ip="10.88.0.9").status_code == 302


def test_an_address_trying_many_names_gets_the_captcha_on_the_login_page(db):
    for n in range(5):
        login(Client(), f"guess{n}", password="Wrong-1!", ip=ATTACKER)
    page = text(Client().get("/admin/login/", HTTP_HOST=JYJ, REMOTE_ADDR=ATTACKER))
    assert "验证码" in page and 'name="captcha"' in page
    assert 'name="captcha"' not in text(Client().get("/admin/login/", HTTP_HOST=JYJ, REMOTE_ADDR="10.66.0.3"))
    text_question = text(Client().get("/admin/login/?captcha=text", HTTP_HOST=JYJ, REMOTE_ADDR=ATTACKER))
    assert "等于几" in text_question  # for people who cannot see the picture


def test_the_lock_ends_after_30_minutes(db):
    fail(Client(), "two_hats", 5, ip=ATTACKER)
    assert login(Client(), "two_hats", ip=ATTACKER).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert login(Client(), "two_hats", ip=ATTACKER).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert login(Client(), "two_hats", ip=ATTACKER).status_code == 302


def test_an_administrator_unlocks_at_once(security_admin, db):
    fail(Client(), "two_hats", 5, ip=ATTACKER)
    person = User.objects.get(username="two_hats")
    page = text(security_admin.get(f"/admin/people/{person.pk}/", HTTP_HOST=WWW))
    assert "登录失败次数过多，锁定至" in page
    response = security_admin.post(f"/admin/people/{person.pk}/", {"form": "unlock"}, HTTP_HOST=WWW, follow=True)
    assert "已解锁账号" in text(response)
    # The person, at their own desk (the address they mistyped from), gets in.
    assert login(Client(), "two_hats", ip=ATTACKER).status_code == 302
    row = new_events().filter(event="user_unlock").get()
    assert row.username == "sec_admin" and row.target == "two_hats" and row.ip == "127.0.0.1"


def test_an_administrator_locks_a_leaked_account_and_its_sessions_end(security_admin, db):
    person = User.objects.get(username="jyj_editor")
    thief = Client()
    assert login(thief, "jyj_editor", ip="10.66.0.9").status_code == 302
    assert thief.get("/admin/", HTTP_HOST=JYJ).status_code == 200
    response = security_admin.post(f"/admin/people/{person.pk}/", {"form": "lock"}, HTTP_HOST=WWW, follow=True)
    assert "已锁定账号" in text(response) and "已锁定（停用）" in text(response)
    assert thief.get("/admin/", HTTP_HOST=JYJ)["Location"].startswith("/admin/login/")
    refused = login(Client(), "jyj_editor")
    assert refused.status_code == 200 and "该账号已被管理员锁定，请联系区信息中心" in text(refused)
    assert not User.objects.get(pk=person.pk).is_active

    security_admin.post(f"/admin/people/{person.pk}/", {"form": "unlock"}, HTTP_HOST=WWW)
    assert login(Client(), "jyj_editor").status_code == 302
    events = list(new_events().filter(event__in=["user_lock", "user_unlock"]).order_by("id")
                  .values_list("event", "username", "target"))
    assert events == [("user_lock", "sec_admin", "jyj_editor"), ("user_unlock", "sec_admin", "jyj_editor")]


def test_only_system_and_security_administrators_lock_accounts(audit_admin, db):
    from .conftest import login_with_second_factor

    person = User.objects.get(username="jyj_head")
    editor = Client()
    login(editor, "jyj_editor")
    assert editor.post(f"/admin/people/{person.pk}/", {"form": "lock"}, HTTP_HOST=JYJ).status_code == 403
    assert audit_admin.post(f"/admin/people/{person.pk}/", {"form": "lock"}, HTTP_HOST=WWW).status_code == 403
    assert User.objects.get(pk=person.pk).is_active
    center = Client()
    login_with_second_factor(center, "center_admin")
    assert center.post(f"/admin/people/{person.pk}/", {"form": "lock"}, HTTP_HOST=WWW).status_code == 302
    assert not User.objects.get(pk=person.pk).is_active
    # Nobody locks themselves out by a slip of the mouse.
    admin = User.objects.get(username="center_admin")
    response = center.post(f"/admin/people/{admin.pk}/", {"form": "lock"}, HTTP_HOST=WWW, follow=True)
    assert "不能锁定自己的账号" in text(response) and User.objects.get(pk=admin.pk).is_active


def test_a_security_administrator_manages_security_but_not_roles(security_admin, departments):
    person = User.objects.get(username="jyj_editor")
    assert security_admin.get("/admin/people/", HTTP_HOST=WWW).status_code == 200
    response = security_admin.post(f"/admin/people/{person.pk}/",
                                   {"form": "department", "department": departments["wjj"].pk, "role": "head"},
                                   HTTP_HOST=WWW)
    assert response.status_code == 403
    assert not person.department_roles.filter(role="head").exists()
    assert security_admin.get("/admin/people/new/", HTTP_HOST=WWW).status_code == 403


def test_a_forged_forwarded_for_header_does_not_escape_the_address_captcha(db, settings):
    for n in range(5):
        Client().post("/admin/login/", {"username": f"guess{n}", "password": "Wrong-1!"}, HTTP_HOST=JYJ,
                      REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = Client().post("/admin/login/", {"username": "jyj_editor", "password": "Test-passw0rd!"},
                             HTTP_HOST=JYJ, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 200 and CAPTCHA_ASKED in messages_in(text(response))
    assert set(new_events().filter(event="login_failed").values_list("ip", flat=True)) == {ATTACKER}


def test_behind_our_proxy_the_address_it_saw_counts_not_the_one_the_visitor_claims(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # production: nginx appends the visitor's address
    proxy = "10.0.0.11"
    for n in range(5):
        Client().post("/admin/login/", {"username": f"guess{n}", "password": "Wrong-1!"}, HTTP_HOST=JYJ,
                      REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}")
    assert set(new_events().filter(event="login_failed").values_list("ip", flat=True)) == {ATTACKER}
    asked = Client().post("/admin/login/", {"username": "jyj_editor", "password": "Test-passw0rd!"},
                          HTTP_HOST=JYJ, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.50, {ATTACKER}")
    assert asked.status_code == 200 and CAPTCHA_ASKED in messages_in(text(asked))
    # Everyone else behind the same proxy still gets in.
    other = Client().post("/admin/login/", {"username": "jyj_editor", "password": "Test-passw0rd!"},
                          HTTP_HOST=JYJ, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.66.0.77")
    assert other.status_code == 302


def test_the_security_administrator_sees_and_lifts_locks_and_captchas(security_admin, db):
    fail(Client(), "two_hats", 5, ip=ATTACKER)
    for n in range(5):
        login(Client(), "jyj_head", password=f"Wrong-guess-{n}!", ip=f"10.77.0.{n + 1}")
    page = messages_in(text(security_admin.get("/admin/people/locks/", HTTP_HOST=WWW)))
    assert f"two_hats {ATTACKER} 5" in page and "jyj_head 5 5" in page
    assert login(Client(), "two_hats", ip=ATTACKER).status_code == 429
    response = security_admin.post("/admin/people/locks/", {"scope": "lock", "username": "two_hats", "ip": ATTACKER},
                                   HTTP_HOST=WWW, follow=True)
    assert f"已解除登录锁定：two_hats {ATTACKER}" in messages_in(text(response))
    assert login(Client(), "two_hats", ip=ATTACKER).status_code == 302
    security_admin.post("/admin/people/locks/", {"scope": "name", "username": "jyj_head"}, HTTP_HOST=WWW)
    assert login(Client(), "jyj_head", ip="10.88.0.9").status_code == 302  # no captcha any more
    lifts = list(new_events().filter(event="lockout_lift").order_by("id").values_list("username", "target"))
    assert lifts == [("sec_admin", f"two_hats {ATTACKER}"), ("sec_admin", "jyj_head")]
    # Nothing to lift, or a forged form: a Chinese answer, not an error page.
    bad = security_admin.post("/admin/people/locks/", {"scope": "everything"}, HTTP_HOST=WWW)
    assert bad.status_code == 400 and "请从列表中选择" in text(bad)
    # Department staff do not see the screen.
    editor = Client()
    login(editor, "jyj_editor")
    assert editor.get("/admin/people/locks/", HTTP_HOST=JYJ).status_code == 403
