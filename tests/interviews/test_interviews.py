"""在线访谈 through HTTP on the committed district: a department's moderator sets up an interview,
the public asks, moderators publish answers into the transcript (served from the page cache and
refreshed by exactly that change), the ended interview becomes an archive that search finds, and
its figures reach the yearly statement. A department that switches the plugin off loses all of it."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from portal.accounts.models import User
from portal.plugins import inspection_checks, performance_figures, search_documents, set_enabled

from plugins.interviews import service
from plugins.interviews.models import Interview, Question

JYJ, WJJ = "jyj.localhost", "wjj.localhost"
ADMIN = "/admin/plugins/interviews/"
BEIJING = ZoneInfo("Asia/Shanghai")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def interview_data(**overrides):
    data = {
        "title": "教育局长谈“双减”落实", "guests": "张建国，区教育局局长\n李海燕，区教育局副局长",
        "starts_at": "2026-12-10T10:00", "ends_at": "2026-12-10T11:30",
        "introduction": "区教育局负责人介绍“双减”落实情况，并回答家长关心的问题。", "picture_alt": "",
    }
    data.update(overrides)
    return data


def make_interview(department, status=Interview.Status.UPCOMING, **fields) -> Interview:
    start = fields.pop("starts_at", datetime(2026, 12, 10, 10, tzinfo=BEIJING))
    return Interview.objects.create(
        department=department, title=fields.pop("title", "教育局长谈“双减”落实"),
        guests=fields.pop("guests", [{"name": "张建国", "title": "区教育局局长"}]),
        starts_at=start, ends_at=start + timedelta(hours=1), status=status, **fields,
    )


def open_form(client, interview, host=JYJ):
    response = client.get(f"/interviews/{interview.pk}/ask/?captcha=text", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    a, b = map(int, re.search(r'class="captcha-question">(\d+) 加 (\d+) 等于几', html).groups())
    return token, str(a + b)


def ask(client, interview, host=JYJ, **overrides):
    token, answer = open_form(client, interview, host)
    data = {"token": token, "captcha": answer, "captcha_kind": "text", "nickname": "家长小王",
            "text": "课后服务几点结束？", **overrides}
    return client.post(f"/interviews/{interview.pk}/ask/", data, HTTP_HOST=host)


def test_from_setup_to_published_answer(db, departments):
    from portal.audit.models import AuditEvent

    moderator = login("jyj_editor")
    response = moderator.post(f"{ADMIN}new/", interview_data(), HTTP_HOST=JYJ)
    assert response.status_code == 302
    interview = Interview.objects.get(title="教育局长谈“双减”落实")
    assert interview.department == departments["jyj"] and interview.status == Interview.Status.DRAFT
    assert interview.guests == [{"name": "张建国", "title": "区教育局局长"},
                                {"name": "李海燕", "title": "区教育局副局长"}]
    visitor = Client()
    assert visitor.get(f"/interviews/{interview.pk}/", HTTP_HOST=JYJ).status_code == 404  # a draft is not public

    assert moderator.post(f"{ADMIN}{interview.pk}/announce/", HTTP_HOST=JYJ).status_code == 302
    listing = visitor.get("/interviews/", HTTP_HOST=JYJ).content.decode()
    assert "教育局长谈“双减”落实" in listing and "预告" in listing
    page = visitor.get(f"/interviews/{interview.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "区教育局局长 张建国" in page and "我要提问" in page and "暂无问答" in page

    response = ask(Client(), interview)
    assert response.status_code == 200 and "提问已提交" in response.content.decode()
    question = Question.objects.get(interview=interview)
    assert question.status == Question.Status.PENDING and question.nickname == "家长小王"
    assert "课后服务几点结束" not in visitor.get(f"/interviews/{interview.pk}/", HTTP_HOST=JYJ).content.decode()

    assert moderator.post(f"{ADMIN}{interview.pk}/start/", HTTP_HOST=JYJ).status_code == 302
    moderation = moderator.get(f"{ADMIN}{interview.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "待审核提问（1）" in moderation and "课后服务几点结束" in moderation
    response = moderator.post(f"{ADMIN}{interview.pk}/questions/{question.pk}/publish/", {
        f"q{question.pk}-answered_by": "区教育局局长张建国", f"q{question.pk}-answer": "课后服务一般到 17:30 结束。",
    }, HTTP_HOST=JYJ)
    assert response.status_code == 302
    page = visitor.get(f"/interviews/{interview.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "正在直播" in page and "课后服务几点结束" in page and "区教育局局长张建国答" in page
    data = visitor.get(f"/interviews/{interview.pk}/transcript.json", HTTP_HOST=JYJ).json()
    assert data["status_label"] == "正在直播"
    assert [(e["question"], e["answer"]) for e in data["entries"]] == [
        ("课后服务几点结束？", "课后服务一般到 17:30 结束。")]
    events = set(AuditEvent.objects.filter(target__startswith="interviews.").values_list("event", flat=True))
    assert {"interviews_create", "interviews_announce", "interviews_start", "interviews_publish"} <= events


def test_the_live_transcript_is_rendered_once_per_published_answer(db, departments):
    """Thousands of viewers polling cost one render per change: the page and its JSON are served
    from the page cache; a question the public sends changes nothing they see and keeps the copy;
    a published answer makes the next request render the new transcript, and only that
    interview's: another interview's copies stay (the interview's own cache tag)."""
    interview = make_interview(departments["jyj"], Interview.Status.LIVE)
    other = make_interview(departments["jyj"], Interview.Status.LIVE, title="另一场访谈")
    other_urls = [f"/interviews/{other.pk}/", f"/interviews/{other.pk}/transcript.json"]
    for url in other_urls:
        Client().get(url, HTTP_HOST=JYJ)
    urls = [f"/interviews/{interview.pk}/", f"/interviews/{interview.pk}/transcript.json"]
    for url in urls:
        assert Client().get(url, HTTP_HOST=JYJ)["X-Page-Cache"] == "MISS"
        assert Client().get(url, HTTP_HOST=JYJ)["X-Page-Cache"] == "HIT"
    assert ask(Client(), interview).status_code == 200
    for url in urls:
        assert Client().get(url, HTTP_HOST=JYJ)["X-Page-Cache"] == "HIT"
    service.publish(Question.objects.get(interview=interview), answer="17:30 结束。", answered_by="局长")
    first = Client().get(urls[1], HTTP_HOST=JYJ)
    assert first["X-Page-Cache"] == "MISS" and first.json()["entries"][0]["answer"] == "17:30 结束。"
    assert Client().get(urls[1], HTTP_HOST=JYJ)["X-Page-Cache"] == "HIT"
    assert "17:30 结束。" in Client().get(urls[0], HTTP_HOST=JYJ).content.decode()
    for url in other_urls:
        assert Client().get(url, HTTP_HOST=JYJ)["X-Page-Cache"] == "HIT"


def test_what_the_public_writes_is_escaped_everywhere(db, departments):
    interview = make_interview(departments["jyj"], Interview.Status.LIVE)
    assert ask(Client(), interview, nickname=HOSTILE[:30], text=HOSTILE).status_code == 200
    question = Question.objects.get(interview=interview)
    assert question.text == HOSTILE  # kept as written, shown as text
    moderation = login("jyj_editor").get(f"{ADMIN}{interview.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "<script>alert" not in moderation and "&lt;script&gt;alert" in moderation
    service.publish(question, answer="<b>不是粗体</b>", answered_by="局长")
    page = Client().get(f"/interviews/{interview.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;b&gt;不是粗体&lt;/b&gt;" in page
    response = Client().get(f"/interviews/{interview.pk}/transcript.json", HTTP_HOST=JYJ)
    assert response["Content-Type"] == "application/json"  # never sniffed as a page


def test_invalid_questions_are_refused_in_chinese_and_keep_what_was_valid(db, departments):
    interview = make_interview(departments["jyj"])
    response = ask(Client(), interview, text="")
    html = response.content.decode()
    assert response.status_code == 400 and "请填写提问内容" in html and 'value="家长小王"' in html
    response = ask(Client(), interview, text="太长" * 300)
    assert response.status_code == 400 and "提问内容不能超过 500 个字" in response.content.decode()
    client = Client()
    token, _ = open_form(client, interview)
    response = client.post(f"/interviews/{interview.pk}/ask/", {
        "token": token, "captcha": "999", "captcha_kind": "text", "nickname": "家长小王", "text": "课后服务几点结束？",
    }, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert "课后服务几点结束？" in response.content.decode()
    assert not Question.objects.filter(interview=interview).exists()


def test_one_network_may_ask_only_so_often(db, departments):
    interview = make_interview(departments["jyj"])
    client = Client()
    for number in range(5):
        assert ask(client, interview, text=f"第 {number} 个问题").status_code == 200
    response = ask(client, interview, text="第 6 个问题")
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Question.objects.filter(interview=interview).count() == 5


def test_a_double_click_makes_one_question(db, departments):
    interview = make_interview(departments["jyj"])
    client = Client()
    token, answer = open_form(client, interview)
    data = {"token": token, "captcha": answer, "captcha_kind": "text", "nickname": "家长", "text": "同一个问题"}
    assert client.post(f"/interviews/{interview.pk}/ask/", data, HTTP_HOST=JYJ).status_code == 200
    assert client.post(f"/interviews/{interview.pk}/ask/", data, HTTP_HOST=JYJ).status_code == 200
    assert Question.objects.filter(interview=interview).count() == 1


def test_invalid_interview_forms_say_what_to_fix_and_keep_the_rest(db, departments):
    moderator = login("jyj_editor")
    response = moderator.post(f"{ADMIN}new/", interview_data(ends_at="2026-12-10T09:00"), HTTP_HOST=JYJ)
    html = response.content.decode()
    assert response.status_code == 400 and "结束时间必须晚于开始时间" in html and "教育局长谈“双减”落实" in html
    response = moderator.post(f"{ADMIN}new/", interview_data(guests="张建国"), HTTP_HOST=JYJ)
    assert response.status_code == 400 and "第 1 行“张建国”格式不正确" in response.content.decode()
    response = moderator.post(f"{ADMIN}new/", interview_data(starts_at="明天上午"), HTTP_HOST=JYJ)
    assert response.status_code == 400 and "开始时间格式不正确" in response.content.decode()
    response = moderator.post(f"{ADMIN}new/", interview_data(title=""), HTTP_HOST=JYJ)
    assert response.status_code == 400 and "请填写访谈主题" in response.content.decode()
    assert not Interview.objects.filter(title="教育局长谈“双减”落实").exists()
    interview = make_interview(departments["jyj"], Interview.Status.LIVE)
    question = Question.objects.create(interview=interview, nickname="家长", text="问题")
    response = moderator.post(f"{ADMIN}{interview.pk}/questions/{question.pk}/publish/", {
        f"q{question.pk}-answered_by": "不在名单上的人", f"q{question.pk}-answer": "",
    }, HTTP_HOST=JYJ)
    html = response.content.decode()
    assert response.status_code == 400 and "请从嘉宾名单中选择" in html and "请填写答复内容" in html
    response = moderator.post(f"{ADMIN}{interview.pk}/announce/", HTTP_HOST=JYJ, follow=True)
    assert "不能发布访谈预告" in response.content.decode()


def test_only_the_hosting_department_moderates(db, departments):
    interview = make_interview(departments["jyj"], Interview.Status.LIVE)
    question = Question.objects.create(interview=interview, nickname="家长", text="问题")
    other = login("wjj_editor")
    assert other.get(f"{ADMIN}{interview.pk}/", HTTP_HOST=WJJ).status_code == 404
    # On the other department's site the admin itself turns them away.
    assert other.get(f"{ADMIN}{interview.pk}/", HTTP_HOST=JYJ).status_code == 403
    assert other.post(f"{ADMIN}{interview.pk}/questions/{question.pk}/publish/", {
        f"q{question.pk}-answered_by": "区教育局局长张建国", f"q{question.pk}-answer": "答复",
    }, HTTP_HOST=JYJ).status_code == 403
    assert other.get(ADMIN, HTTP_HOST=JYJ).status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.PENDING
    assert Client().get(f"/interviews/{interview.pk}/", HTTP_HOST=WJJ).status_code == 404  # another site


def test_an_ended_interview_is_an_archive_that_search_finds(db, departments, django_capture_on_commit_callbacks):
    from search import index
    from search import service as search_service

    interview = make_interview(departments["jyj"], Interview.Status.LIVE, title="教育局长谈校园午餐")
    question = Question.objects.create(interview=interview, nickname="家长", text="午餐标准是多少？")
    service.publish(question, answer="午餐由营养师配餐，每周公示菜谱。", answered_by="区教育局局长张建国")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            service.move(interview, "end")
        index.refresh()
        page = Client().get(f"/interviews/{interview.pk}/", HTTP_HOST=JYJ).content.decode()
        assert "访谈实录" in page and "营养师配餐" in page and "interviews/live.js" not in page
        assert "我要提问" not in page
        closed = ask_after_end(interview)
        assert closed.status_code == 410 and "不再接受提问" in closed.content.decode()
        hits = search_service.search(search_service.Params(q="营养师配餐")).hits
        mine = [hit for hit in hits if hit.url.endswith(f"/interviews/{interview.pk}/")]
        assert len(mine) == 1 and mine[0].department_prefix == "jyj"
    finally:
        index.client().options(ignore_status=404).delete(
            index=index.alias(), id=f"jyj:interview:{interview.pk}", refresh=True)


def ask_after_end(interview):
    return Client().get(f"/interviews/{interview.pk}/ask/", HTTP_HOST=JYJ)


def test_performance_figures_count_interviews_questions_and_answers(db, departments):
    year = (date(2026, 1, 1), date(2026, 12, 31))
    # What other tests committed to the shared district (the browser test) is not this test's.
    before = {prefix: performance_figures(departments[prefix], *year)["interviews"] for prefix in ("jyj", "wjj")}
    held = make_interview(departments["jyj"], Interview.Status.ENDED,
                          starts_at=datetime(2026, 3, 5, 10, tzinfo=BEIJING))
    make_interview(departments["jyj"], Interview.Status.UPCOMING, starts_at=datetime(2026, 4, 5, 10, tzinfo=BEIJING))
    make_interview(departments["jyj"], Interview.Status.ENDED, starts_at=datetime(2025, 12, 5, 10, tzinfo=BEIJING))
    asked = datetime(2026, 3, 4, 9, tzinfo=BEIJING)
    for number in range(3):
        Question.objects.create(interview=held, nickname="网友", text=f"问题{number}", submitted_at=asked,
                                status=Question.Status.PUBLISHED if number else Question.Status.REJECTED,
                                answer="答复" if number else "", published_at=asked + timedelta(days=1))
    # Late on 31 December in Beijing is still 2026 although it is already 2027 nowhere near.
    Question.objects.create(interview=held, nickname="网友", text="跨年", submitted_at=datetime(2026, 12, 31, 23, 30,
                                                                                              tzinfo=BEIJING))
    figures = performance_figures(departments["jyj"], *year)["interviews"]
    assert {name: figures[name] - before["jyj"][name] for name in figures} == {
        "interviews": 1, "questions_received": 4, "questions_answered": 2}
    assert performance_figures(departments["wjj"], *year)["interviews"] == before["wjj"]


def test_an_interview_left_unmoderated_is_an_inspection_finding(db, departments):
    ended = make_interview(departments["jyj"], Interview.Status.ENDED, title="十天前的访谈",
                           starts_at=timezone.now() - timedelta(days=10))
    Question.objects.create(interview=ended, nickname="网友", text="没人处理的问题")
    recent = make_interview(departments["jyj"], Interview.Status.ENDED, title="昨天的访谈",
                            starts_at=timezone.now() - timedelta(days=1))
    Question.objects.create(interview=recent, nickname="网友", text="还来得及处理")
    with tenant_context(departments["jyj"]):
        findings = [f for check in inspection_checks(departments["jyj"]) for f in check(departments["jyj"])]
    mine = [f for f in findings if f["key"].startswith("interview:")]
    assert len(mine) == 1 and mine[0]["item"] == "interaction_poor" and "十天前的访谈" in mine[0]["title"]
    assert "1 条网民提问未处理" in mine[0]["title"]


def test_workbench_shows_questions_waiting_for_moderation(db, departments):
    interview = make_interview(departments["jyj"], Interview.Status.LIVE)
    Question.objects.create(interview=interview, nickname="网友", text="待审核的午餐问题")
    home = login("jyj_editor").get("/admin/", HTTP_HOST=JYJ).content.decode()
    assert "待审核提问" in home and "待审核的午餐问题" in home
    assert f'href="/admin/plugins/interviews/{interview.pk}/#question-' in home
    assert "待审核的午餐问题" not in login("wjj_editor").get("/admin/", HTTP_HOST=WJJ).content.decode()


def test_disabling_the_plugin_removes_it_from_site_search_inspection_and_statement(db, departments):
    interview = make_interview(departments["jyj"], Interview.Status.ENDED,
                               starts_at=timezone.now() - timedelta(days=10))
    Question.objects.create(interview=interview, nickname="网友", text="没人处理的问题")
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert "interviews" in performance_figures(departments["jyj"], *year)
    assert any(doc["kind"] == "interview" for doc in search_documents(departments["jyj"]))
    assert 'href="/interviews/"' in Client().get("/", HTTP_HOST=JYJ).content.decode()

    set_enabled(departments["jyj"], "interviews", False)
    assert Client().get("/interviews/", HTTP_HOST=JYJ).status_code == 404
    assert Client().get(f"/interviews/{interview.pk}/", HTTP_HOST=JYJ).status_code == 404
    assert Client().get(f"/interviews/{interview.pk}/transcript.json", HTTP_HOST=JYJ).status_code == 404
    assert 'href="/interviews/"' not in Client().get("/", HTTP_HOST=JYJ).content.decode()
    assert login("jyj_editor").get(ADMIN, HTTP_HOST=JYJ).status_code == 404
    assert "interview" not in {doc["kind"] for doc in search_documents(departments["jyj"])}
    with tenant_context(departments["jyj"]):
        findings = [f for check in inspection_checks(departments["jyj"]) for f in check(departments["jyj"])]
    assert not [f for f in findings if f["key"].startswith("interview:")]
    # The statement shows 未开展 for a section that is absent, not zeros.
    assert "interviews" not in performance_figures(departments["jyj"], *year)
    assert "interviews" in performance_figures(departments["wjj"], *year)


def test_the_plugin_is_found_like_any_installed_one(db):
    from importlib.metadata import entry_points

    from portal.plugins import describe_plugins

    assert "interviews" in {entry.name for entry in entry_points(group="govsite.plugins")}
    row = {row["name"]: row for row in describe_plugins()}["interviews"]
    assert row["title"] == "在线访谈"
    assert {"public_urls", "search_documents", "performance_figures", "workbench_panels"} <= set(row["hooks"])


def test_demo_content_gives_an_archive_and_an_announced_interview(db, departments):
    import random

    from plugins.interviews.demo import create_demo_interviews

    create_demo_interviews(departments["www"], random.Random(3))
    statuses = sorted(Interview.objects.filter(department=departments["www"]).values_list("status", flat=True))
    assert statuses == ["ended", "upcoming"]
    archive = Interview.objects.get(department=departments["www"], status="ended")
    assert archive.transcript().count() == 3
    page = Client().get(f"/interviews/{archive.pk}/", HTTP_HOST="www.localhost").content.decode()
    assert "访谈实录" in page
