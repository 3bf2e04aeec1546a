"""The citizen mailbox through HTTP: write on the portal, forward, reply, approve, look up."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from portal.accounts.models import User

from plugins.mailbox import service
from plugins.mailbox.models import Letter, LetterEvent

WWW = "www.localhost"
JYJ = "jyj.localhost"
WJJ = "wjj.localhost"
ADMIN = "/admin/plugins/mailbox/"


def open_form(client, host=WWW):
    """GET the form; return the hidden token and the answer to the arithmetic question."""
    response = client.get("/mailbox/write/?captcha=text", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return token, text_captcha_answer(html)


def text_captcha_answer(html):
    """What a person answers to the text alternative of the captcha (the arithmetic question)."""
    a, b = map(int, re.search(r'class="captcha-question">(\d+) 加 (\d+) 等于几', html).groups())
    return str(a + b)


def letter_data(token, captcha, **overrides):
    data = {
        "token": token, "captcha": captcha, "kind": "consult", "subject": "关于学校午餐的咨询",
        "content": "请问本学期学校午餐的收费标准是多少？", "name": "张三", "phone": "13800000000",
        "email": "", "may_publish": "on", "captcha_kind": "text",
    }
    data.update(overrides)
    return data


def write_letter(client, **overrides) -> Letter:
    token, answer = open_form(client)
    response = client.post("/mailbox/write/", letter_data(token, answer, **overrides), HTTP_HOST=WWW)
    assert response.status_code == 200, response.content.decode()
    code = re.search(r'class="query-code">([A-Z0-9]+)<', response.content.decode()).group(1)
    return Letter.objects.get(query_code=code)


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_full_flow_from_letter_to_reply(db, departments):
    from portal.audit.models import AuditEvent

    citizen = Client()
    letter = write_letter(citizen)
    assert letter.status == Letter.Status.RECEIVED and len(letter.query_code) == 12
    assert letter.department is None

    page = citizen.get(f"/mailbox/query/?code={letter.query_code}", HTTP_HOST=WWW).content.decode()
    assert "已收到" in page and "关于学校午餐的咨询" in page

    centre = login("center_admin")
    assert "关于学校午餐的咨询" in centre.get(ADMIN, HTTP_HOST=WWW).content.decode()
    response = centre.post(f"{ADMIN}{letter.pk}/forward/", {"department": departments["jyj"].pk, "reason": ""},
                           HTTP_HOST=WWW)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FORWARDED and letter.department == departments["jyj"]
    assert letter.due_date == service.add_working_days(service.received_date(letter), 5)
    detail = centre.get(f"{ADMIN}{letter.pk}/", HTTP_HOST=WWW).content.decode()
    assert "个工作日后为" in detail  # explain()

    editor = login("jyj_editor")
    assert "关于学校午餐的咨询" in editor.get(ADMIN, HTTP_HOST=JYJ).content.decode()
    response = editor.post(f"{ADMIN}{letter.pk}/reply/", {"text": "收费标准为每餐 8 元。"}, HTTP_HOST=JYJ)
    assert response.status_code == 302
    # The editor cannot approve, only the head can.
    assert editor.post(f"{ADMIN}{letter.pk}/approve/", HTTP_HOST=JYJ).status_code == 404
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FORWARDED
    # Before approval the citizen sees no reply.
    page = citizen.get(f"/mailbox/query/?code={letter.query_code}", HTTP_HOST=WWW).content.decode()
    assert "每餐 8 元" not in page

    head = login("jyj_head")
    assert "审核通过并发送答复" in head.get(f"{ADMIN}{letter.pk}/", HTTP_HOST=JYJ).content.decode()
    assert head.post(f"{ADMIN}{letter.pk}/approve/", HTTP_HOST=JYJ).status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.REPLIED

    page = citizen.get(f"/mailbox/query/?code={letter.query_code}", HTTP_HOST=WWW).content.decode()
    assert "已答复" in page and "收费标准为每餐 8 元。" in page and "区教育局" in page

    # The writer allowed publication: the centre publishes, without name or phone.
    assert "关于学校午餐的咨询" not in citizen.get("/mailbox/", HTTP_HOST=WWW).content.decode()
    assert centre.post(f"{ADMIN}{letter.pk}/publish/", HTTP_HOST=WWW).status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PUBLISHED
    public = citizen.get("/mailbox/", HTTP_HOST=WWW).content.decode()
    assert "关于学校午餐的咨询" in public and f'href="/mailbox/letters/{letter.pk}/"' in public
    public = citizen.get(f"/mailbox/letters/{letter.pk}/", HTTP_HOST=WWW).content.decode()
    assert "关于学校午餐的咨询" in public and "收费标准为每餐 8 元。" in public
    assert "张三" not in public and "13800000000" not in public
    page = citizen.get(f"/mailbox/query/?code={letter.query_code}", HTTP_HOST=WWW).content.decode()
    assert "已公开" in page and "收费标准为每餐 8 元。" in page

    actions = list(LetterEvent.objects.filter(letter=letter).values_list("action", "actor__username"))
    assert actions == [("forward", "center_admin"), ("reply", "jyj_editor"), ("approve", "jyj_head"),
                       ("publish", "center_admin")]
    events = set(AuditEvent.objects.filter(target=f"mailbox.letter:{letter.pk}").values_list("event", flat=True))
    assert events == {"mailbox_forward", "mailbox_reply", "mailbox_approve", "mailbox_publish"}


def test_double_submit_creates_one_letter(db):
    client = Client()
    token, answer = open_form(client)
    data = letter_data(token, answer)
    first = client.post("/mailbox/write/", data, HTTP_HOST=WWW)
    second = client.post("/mailbox/write/", data, HTTP_HOST=WWW)
    assert first.status_code == second.status_code == 200
    assert Letter.objects.count() == 1
    code = Letter.objects.get().query_code
    assert code in first.content.decode() and code in second.content.decode()


def test_a_token_not_issued_is_refused(db):
    client = Client()
    _, answer = open_form(client)
    response = client.post("/mailbox/write/", letter_data("forged", answer), HTTP_HOST=WWW)
    assert response.status_code == 400 and Letter.objects.count() == 0


def test_wrong_captcha_is_refused_and_the_data_kept(db):
    client = Client()
    token, answer = open_form(client)
    response = client.post("/mailbox/write/", letter_data(token, str(int(answer) + 1)), HTTP_HOST=WWW)
    html = response.content.decode()
    assert response.status_code == 400 and Letter.objects.count() == 0
    assert "验证码不正确" in html
    assert 'value="关于学校午餐的咨询"' in html and "请问本学期学校午餐的收费标准是多少？" in html
    # A new question is asked; answering it with the same token works.
    again = letter_data(token, text_captcha_answer(html), captcha_kind="text")
    assert client.post("/mailbox/write/", again, HTTP_HOST=WWW).status_code == 200
    assert Letter.objects.count() == 1


def test_length_limits_and_required_contact(db):
    client = Client()
    token, answer = open_form(client)
    html = client.post(
        "/mailbox/write/", letter_data(token, answer, subject="长" * 101, content="字" * 3001, phone=""),
        HTTP_HOST=WWW,
    ).content.decode()
    assert "标题不能超过 100 个字" in html and "内容不能超过 3000 个字" in html
    assert "请至少填写联系电话或电子邮箱中的一项" in html
    assert Letter.objects.count() == 0


def test_rate_limit_per_ip(db):
    client = Client()
    for n in range(5):
        write_letter(client, phone=f"1380000000{n}")
    token, answer = open_form(client)
    response = client.post("/mailbox/write/", letter_data(token, answer, phone="13900000000"), HTTP_HOST=WWW)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Letter.objects.count() == 5


def test_script_in_subject_is_shown_escaped(db, departments):
    client = Client()
    letter = write_letter(client, subject="<script>alert(1)</script>", content="<b>粗体</b>")
    for html in (
        client.get(f"/mailbox/query/?code={letter.query_code}", HTTP_HOST=WWW).content.decode(),
        login("center_admin").get(f"{ADMIN}{letter.pk}/", HTTP_HOST=WWW).content.decode(),
        login("center_admin").get(ADMIN, HTTP_HOST=WWW).content.decode(),
    ):
        assert "<script>alert(1)</script>" not in html and "<b>粗体</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_public_pages_only_on_the_portal(db):
    response = Client().get("/mailbox/write/", HTTP_HOST=JYJ)
    assert response.status_code == 302 and response["Location"].startswith("http://www.localhost")
    assert response["Location"].endswith("/mailbox/write/")


def test_unknown_code(db):
    html = Client().get("/mailbox/query/?code=NOSUCHCODE", HTTP_HOST=WWW).content.decode()
    assert "未找到该查询码对应的来信" in html


def _forwarded_to_jyj(departments):
    letter = Letter.objects.create(subject="教育局的信", content="内容", name="李四", phone="13800000001")
    service.forward(letter, departments["jyj"], User.objects.get(username="center_admin"))
    return letter


def test_another_department_cannot_see_or_act(db, departments):
    letter = _forwarded_to_jyj(departments)
    service.draft_reply(letter, "草稿", User.objects.get(username="jyj_editor"))
    other = login("wjj_editor")
    for host in (WJJ, JYJ, WWW):
        listing = other.get(ADMIN, HTTP_HOST=host)
        assert "教育局的信" not in listing.content.decode()
        assert other.get(f"{ADMIN}{letter.pk}/", HTTP_HOST=host).status_code in (403, 404)
        for action, data in (("forward", {"department": departments["wjj"].pk}),
                             ("close", {"category": "无效来信", "reason": "x"}),
                             ("reply", {"text": "冒充答复"}), ("approve", {})):
            assert other.post(f"{ADMIN}{letter.pk}/{action}/", data, HTTP_HOST=host).status_code in (403, 404)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FORWARDED and letter.department == departments["jyj"]
    assert letter.replies.get().text == "草稿"
    # An editor of jyj cannot forward or close: that is the centre's.
    editor = login("jyj_editor")
    response = editor.post(f"{ADMIN}{letter.pk}/close/", {"category": "无效来信", "reason": "x"}, HTTP_HOST=JYJ)
    assert response.status_code == 404
    # A new letter not yet forwarded is invisible to departments.
    fresh = Letter.objects.create(subject="新来信", content="内容", name="王五", phone="13800000002")
    assert editor.get(f"{ADMIN}{fresh.pk}/", HTTP_HOST=JYJ).status_code == 404


def test_close_requires_a_reason(db, departments):
    letter = Letter.objects.create(subject="重复的信", content="内容", name="赵六", phone="13800000003")
    centre = login("center_admin")
    response = centre.post(f"{ADMIN}{letter.pk}/close/", {"category": "重复来信", "reason": ""}, HTTP_HOST=WWW)
    assert response.status_code == 200 and "请填写关闭原因" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.RECEIVED
    assert centre.post(f"{ADMIN}{letter.pk}/close/", {"category": "重复来信", "reason": "与第 3 号来信相同"},
                       HTTP_HOST=WWW).status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CLOSED and letter.close_reason == "重复来信：与第 3 号来信相同"
    event = letter.events.get()
    assert event.action == "close" and event.reason == "重复来信：与第 3 号来信相同"
    html = Client().get(f"/mailbox/query/?code={letter.query_code}", HTTP_HOST=WWW).content.decode()
    assert "已关闭" in html


def test_mailbox_admin_role_is_the_centre(db, departments):
    from portal.accounts.roles import grant_central_role

    person = User.objects.create_user("mailbox_clerk", password="Test-passw0rd!")
    grant_central_role(person, "mailbox_admin")
    letter = Letter.objects.create(subject="给信箱管理员", content="内容", name="钱七", phone="13800000004")
    client = login("mailbox_clerk")
    assert "给信箱管理员" in client.get(ADMIN, HTTP_HOST=WWW).content.decode()
    response = client.post(f"{ADMIN}{letter.pk}/forward/", {"department": departments["wjj"].pk}, HTTP_HOST=WWW)
    assert response.status_code == 302


def test_transfer_needs_a_reason_and_is_recorded(db, departments):
    letter = _forwarded_to_jyj(departments)
    centre = login("center_admin")
    response = centre.post(f"{ADMIN}{letter.pk}/forward/", {"department": departments["wjj"].pk}, HTTP_HOST=WWW)
    assert "改派须填写原因" in response.content.decode()
    centre.post(f"{ADMIN}{letter.pk}/forward/", {"department": departments["wjj"].pk, "reason": "属卫生健康事项"},
                HTTP_HOST=WWW)
    event = letter.events.last()
    assert (event.action, event.from_department, event.to_department, event.reason) == (
        "transfer", departments["jyj"], departments["wjj"], "属卫生健康事项")


def _received(day: date) -> Letter:
    return Letter.objects.create(
        subject="期限", content="内容", name="孙八", phone="13800000005",
        received_at=datetime(day.year, day.month, day.day, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
    )


@pytest.mark.parametrize("received, due", [(date(2025, 9, 30), date(2025, 10, 14)),
                                           (date(2026, 2, 13), date(2026, 2, 27))])
def test_deadline_vectors(db, departments, received, due):
    letter = _received(received)
    service.forward(letter, departments["jyj"], None)
    letter.refresh_from_db()
    assert letter.due_date == due and letter.calendar_missing_year is None


def test_deadline_in_a_year_without_calendar_is_flagged(db, departments, year_2027_not_entered):
    letter = _received(date(2026, 12, 28))
    service.forward(letter, departments["jyj"], None)
    letter.refresh_from_db()
    assert letter.due_date is None and letter.calendar_missing_year == 2027
    centre = login("center_admin")
    for url in (ADMIN, f"{ADMIN}{letter.pk}/"):
        html = centre.get(url, HTTP_HOST=WWW).content.decode()
        assert "缺少日历" in html and "2027" in html


def test_disabled_plugin_answers_404(db, departments):
    from portal.plugins import set_enabled

    set_enabled(departments["www"], "mailbox", False)
    assert Client().get("/mailbox/write/", HTTP_HOST=WWW).status_code == 404
    set_enabled(departments["jyj"], "mailbox", False)
    assert login("jyj_editor").get(ADMIN, HTTP_HOST=JYJ).status_code == 404


def test_admin_menu_items_link_to_the_mailbox(db, departments):
    home = login("jyj_editor").get("/admin/", HTTP_HOST=JYJ).content.decode()
    assert "/admin/plugins/mailbox/" in home


def test_a_letter_not_allowed_to_be_published_stays_private(db, departments):
    letter = _forwarded_to_jyj(departments)  # may_publish defaults to False
    service.draft_reply(letter, "答复", User.objects.get(username="jyj_editor"))
    service.approve(letter, User.objects.get(username="jyj_head"))
    centre = login("center_admin")
    assert "来信人未同意公开" in centre.get(f"{ADMIN}{letter.pk}/", HTTP_HOST=WWW).content.decode()
    centre.post(f"{ADMIN}{letter.pk}/publish/", HTTP_HOST=WWW)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.REPLIED
    assert "教育局的信" not in Client().get("/mailbox/", HTTP_HOST=WWW).content.decode()


def test_overdue_letters_are_flagged(db, departments):
    letter = _received(date(2025, 9, 30))
    service.forward(letter, departments["jyj"], None)
    assert Letter.objects.get(pk=letter.pk).is_overdue
    html = login("center_admin").get(ADMIN, HTTP_HOST=WWW).content.decode()
    assert "已超期" in html


def test_extension_needs_a_reason_and_is_recorded(db, departments):
    letter = _received(date(2025, 9, 30))
    service.forward(letter, departments["jyj"], None)
    centre = login("center_admin")
    html = centre.post(f"{ADMIN}{letter.pk}/extend/", {"days": 3, "reason": ""}, HTTP_HOST=WWW).content.decode()
    assert "请填写延期原因" in html
    assert centre.post(f"{ADMIN}{letter.pk}/extend/", {"days": 3, "reason": "需会同多部门核实"},
                       HTTP_HOST=WWW).status_code == 302
    letter.refresh_from_db()
    assert letter.due_date == date(2025, 10, 17)
    event = letter.events.last()
    assert event.action == "extend" and event.actor.username == "center_admin"
    assert event.reason == "需会同多部门核实（2025-10-14 延至 2025-10-17）"
    assert login("jyj_head").post(f"{ADMIN}{letter.pk}/extend/", {"days": 3, "reason": "x"},
                                  HTTP_HOST=JYJ).status_code == 404


def test_transfer_drops_the_previous_departments_draft(db, departments):
    letter = _forwarded_to_jyj(departments)
    service.draft_reply(letter, "教育局草稿", User.objects.get(username="jyj_editor"))
    service.forward(letter, departments["wjj"], User.objects.get(username="center_admin"), reason="属卫生健康事项")
    assert not letter.replies.exists()
    assert login("jyj_head").post(f"{ADMIN}{letter.pk}/approve/", HTTP_HOST=JYJ).status_code == 404
    response = login("wjj_editor").post(f"{ADMIN}{letter.pk}/reply/", {"text": "卫健局答复"}, HTTP_HOST=WJJ)
    assert response.status_code == 302
    assert letter.replies.get().department == departments["wjj"]


def test_picture_captcha_is_the_default_and_the_text_question_its_alternative(db):
    client = Client()
    html = client.get("/mailbox/write/", HTTP_HOST=WWW).content.decode()
    image_url = re.search(r'<img src="(/captcha/mailbox\.png\?v=\w+)"', html).group(1)
    assert 'alt="验证码图片' in html and 'href="?captcha=text"' in html
    picture = client.get(image_url, HTTP_HOST=WWW)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG") and picture["Cache-Control"] == "no-store"
    # What the picture shows is what the server expects (read here from the visitor's session).
    digits = client.session["mailbox_captcha"]["answer"]
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = letter_data(token, digits, captcha_kind="image")
    assert client.post("/mailbox/write/", data, HTTP_HOST=WWW).status_code == 200
    assert Letter.objects.count() == 1
    # The challenge was used up: its picture is gone.
    assert client.get(image_url, HTTP_HOST=WWW).status_code == 404


def test_text_alternative_offers_read_aloud(db):
    html = Client().get("/mailbox/write/?captcha=text", HTTP_HOST=WWW).content.decode()
    assert re.search(r'class="captcha-question">\d+ 加 \d+ 等于几', html)
    assert 'class="read-aloud-captcha"' in html and "portal/captcha" in html


def test_rate_limit_per_contact_across_addresses(db):
    for n in range(5):
        write_letter(Client(REMOTE_ADDR=f"10.0.0.{n + 1}"), phone="13812345678")
    client = Client(REMOTE_ADDR="10.0.0.99")
    token, answer = open_form(client)
    response = client.post("/mailbox/write/", letter_data(token, answer, phone="13812345678"), HTTP_HOST=WWW)
    assert response.status_code == 429 and "同一联系方式" in response.content.decode()
    assert 'value="关于学校午餐的咨询"' in response.content.decode()  # the draft is kept
    assert Letter.objects.count() == 5


def test_department_asks_for_an_extension_and_the_centre_decides(db, departments):
    letter = _received(date(2025, 9, 30))
    service.forward(letter, departments["jyj"], None)
    editor, centre = login("jyj_editor"), login("center_admin")
    url = f"{ADMIN}{letter.pk}/request-extension/"
    html = editor.post(url, {"days": 3, "reason": ""}, HTTP_HOST=JYJ).content.decode()
    assert "请填写延期原因" in html and 'value="3"' in html  # what was valid is kept
    assert editor.post(url, {"days": 3, "reason": "需要调取往年资料"}, HTTP_HOST=JYJ).status_code == 302
    letter.refresh_from_db()
    assert letter.due_date == date(2025, 10, 14)  # asking alone moves nothing
    assert login("wjj_editor").post(url, {"days": 3, "reason": "x"}, HTTP_HOST=WJJ).status_code == 404
    page = centre.get(f"{ADMIN}{letter.pk}/", HTTP_HOST=WWW).content.decode()
    assert "区教育局申请延长 3 个工作日，理由：需要调取往年资料" in page
    # Denied: the request is gone and the department may ask again.
    assert centre.post(f"{ADMIN}{letter.pk}/deny-extension/", {"reason": "资料可当日调取"},
                       HTTP_HOST=WWW).status_code == 302
    letter.refresh_from_db()
    assert letter.extension_requested_days is None and letter.due_date == date(2025, 10, 14)
    editor.post(url, {"days": 2, "reason": "需要会商"}, HTTP_HOST=JYJ)
    response = centre.post(f"{ADMIN}{letter.pk}/extend/", {"days": 2, "reason": "同意会商"}, HTTP_HOST=WWW)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.due_date == date(2025, 10, 16) and letter.extension_requested_days is None
    assert [event.action for event in letter.events.all()][-4:] == ["ask_extension", "deny_extension",
                                                                   "ask_extension", "extend"]


def test_a_published_reply_is_masked_like_the_letter(db, departments):
    """A reply that quotes the writer's name, mobile, ID number or e-mail back shows none of them
    on the public page or in the search document; the writer's own look-up still reads it whole."""
    from plugins.mailbox.hooks import search_documents

    citizen = Client()
    letter = write_letter(citizen)
    centre = login("center_admin")
    centre.post(f"{ADMIN}{letter.pk}/forward/", {"department": departments["jyj"].pk, "reason": ""}, HTTP_HOST=WWW)
    text = "张三您好：已电话 13912345678 联系您，核对身份证 110105198001011238，材料发至 zhangsan@example.com。"
    login("jyj_editor").post(f"{ADMIN}{letter.pk}/reply/", {"text": text}, HTTP_HOST=JYJ)
    login("jyj_head").post(f"{ADMIN}{letter.pk}/approve/", HTTP_HOST=JYJ)
    assert centre.post(f"{ADMIN}{letter.pk}/publish/", HTTP_HOST=WWW).status_code == 302

    public = citizen.get(f"/mailbox/letters/{letter.pk}/", HTTP_HOST=WWW).content.decode()
    reply = public[public.index('class="reply-text"'):]
    assert "某某您好" in reply and "1391***5678" in reply and "1101**********1238" in reply and "***@***" in reply
    for secret in ("张三", "13912345678", "110105198001011238", "zhangsan@example.com"):
        assert secret not in public
    document = next(d for d in search_documents(departments["jyj"]) if d["object_id"] == letter.pk)
    for secret in ("张三", "13912345678", "110105198001011238", "zhangsan@example.com"):
        assert secret not in document["body_text"]
    assert "1391***5678" in document["body_text"]
    own = citizen.get(f"/mailbox/query/?code={letter.query_code}", HTTP_HOST=WWW).content.decode()
    assert "13912345678" in own
