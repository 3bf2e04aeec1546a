"""依申请公开 deadlines on the official holiday schedule, and the department's handling.

2025's National Day holiday: 1–8 October off, Sunday 28 September and Saturday 11 October are
working days (调休). An application received on Friday 26 September 2025 is due on the 20th
working day after it: 30 October 2025.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from portal.accounts.models import User

from plugins.disclosure import applications
from plugins.disclosure.applications import ApplicationError
from plugins.disclosure.models import Application, ApplicationEvent

RECEIVED = date(2025, 9, 26)


def applicant_data(**overrides):
    data = {
        "applicant_type": "person", "name": "李四", "id_number": "441602199001011234", "phone": "13900000000",
        "email": "lisi@example.com", "address": "源城区文明路1号",
        "description": "源城区2025年义务教育阶段学位供给情况统计表", "delivery": "email",
    }
    data.update(overrides)
    return data


@pytest.fixture
def head(db):
    return User.objects.get(username="jyj_head")


@pytest.fixture
def application(departments):
    return applications.submit(department=departments["jyj"], data=applicant_data(), received_on=RECEIVED)


def test_normal_deadline_is_20_working_days_across_the_holiday(application):
    assert application.due_date == date(2025, 10, 30)
    assert application.status == Application.Status.RECEIVED
    assert not application.is_overdue(today=date(2025, 10, 30))
    assert application.is_overdue(today=date(2025, 10, 31))


def test_one_extension_of_at_most_20_working_days_with_a_reason(application, head):
    with pytest.raises(ApplicationError, match="1 至 20"):
        applications.extend(application, days=21, reason="需要协调多个部门", user=head, on=date(2025, 10, 20))
    with pytest.raises(ApplicationError, match="理由"):
        applications.extend(application, days=10, reason=" ", user=head, on=date(2025, 10, 20))
    applications.extend(application, days=10, reason="需要协调多个部门", user=head, on=date(2025, 10, 20))
    application.refresh_from_db()
    assert application.due_date == date(2025, 11, 13)
    assert application.extension_reason == "需要协调多个部门"
    with pytest.raises(ApplicationError, match="只能延长一次"):
        applications.extend(application, days=5, reason="再次延期", user=head, on=date(2025, 10, 21))
    event = application.events.get(action=ApplicationEvent.Action.EXTEND)
    assert event.actor == head and "2025-11-13" in event.note


def test_extension_after_the_deadline_is_refused(application, head):
    with pytest.raises(ApplicationError, match="已过"):
        applications.extend(application, days=5, reason="来不及了", user=head, on=date(2025, 10, 31))


def test_completion_pauses_the_clock_and_resumes_it(application, head):
    # The 7th working day after receipt is 13 October (the holiday does not count).
    assert applications.completion_deadline(application) == date(2025, 10, 13)
    applications.request_completion(application, text="请写明所需信息的年份和学段", user=head, on=date(2025, 9, 30))
    application.refresh_from_db()
    assert application.status == Application.Status.AWAITING_COMPLETION
    # Paused: however late it gets, the application is not overdue while the applicant is awaited.
    assert not application.is_overdue(today=date(2025, 11, 20))
    # The completion arrives on 10 October: 9 and 10 October were working days spent waiting.
    applications.completion_received(application, user=head, on=date(2025, 10, 10))
    application.refresh_from_db()
    assert application.paused_working_days == 2
    assert application.due_date == date(2025, 11, 3)
    assert application.status == Application.Status.RECEIVED
    assert "等待补正 2 个工作日不计入" in applications.deadline_explanation(application)
    with pytest.raises(ApplicationError, match="只能要求一次"):
        applications.request_completion(application, text="再补一次", user=head, on=date(2025, 10, 13))


def test_completion_must_be_requested_within_7_working_days(application, head):
    with pytest.raises(ApplicationError, match="7 个工作日内.*2025-10-13"):
        applications.request_completion(application, text="请补充", user=head, on=date(2025, 10, 14))


def test_decision_needs_a_reason_unless_disclosed(application, head):
    with pytest.raises(ApplicationError, match="不予公开.*理由"):
        applications.decide(application, decision="refuse", answer="经审查不予公开。", user=head,
                            on=date(2025, 10, 20))
    applications.decide(application, decision="refuse", reason="属于国家秘密（第十四条）", answer="经审查不予公开。",
                        user=head, on=date(2025, 10, 20))
    application.refresh_from_db()
    assert application.status == Application.Status.ANSWERED and not application.is_overdue()
    with pytest.raises(ApplicationError, match="已经答复"):
        applications.decide(application, decision="disclose", answer="改为公开", user=head, on=date(2025, 10, 21))


def test_a_late_answer_counts_as_overdue(application, head):
    applications.decide(application, decision="disclose", answer="见附件。", user=head, on=date(2025, 10, 31))
    application.refresh_from_db()
    assert application.is_overdue()


def test_a_year_without_a_schedule_is_flagged_not_guessed(departments, year_2027_not_entered):
    late = applications.submit(department=departments["jyj"], data=applicant_data(), received_on=date(2026, 12, 21))
    assert late.due_date is None and late.calendar_missing_year == 2027
    assert "缺少 2027 年的节假日安排" in applications.deadline_explanation(late)


# -- through HTTP: the public form, the status lookup, the department's screens ------------------

import re  # noqa: E402

from django.test import Client  # noqa: E402

WWW = "www.localhost"
JYJ = "jyj.localhost"
WJJ = "wjj.localhost"
ADMIN = "/admin/plugins/disclosure/"


def open_form(client, host=WWW):
    response = client.get("/catalogue/apply/?captcha=text", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    a, b = map(int, re.search(r'class="captcha-question">(\d+) 加 (\d+) 等于几', html).groups())
    return token, str(a + b), html


def form_data(token, captcha, department, **overrides):
    data = {"token": token, "captcha": captcha, "captcha_kind": "text", "department": department.pk,
            **applicant_data()}
    data.update(overrides)
    return data


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_apply_online_and_look_up_the_status(db, departments):
    citizen = Client()
    token, answer, _ = open_form(citizen)
    data = form_data(token, answer, departments["jyj"], description="<script>alert(1)</script>2025年学位供给情况")
    response = citizen.post("/catalogue/apply/", data, HTTP_HOST=WWW)
    assert response.status_code == 200, response.content.decode()
    code = re.search(r'class="query-code">([A-Z0-9]+)<', response.content.decode()).group(1)
    application = Application.objects.get(query_code=code)
    assert application.department == departments["jyj"] and application.applicant_type == "person"
    assert application.due_date is not None and application.status == Application.Status.RECEIVED

    # A second click on the same form creates nothing new.
    again = citizen.post("/catalogue/apply/", data, HTTP_HOST=WWW)
    assert code in again.content.decode()
    assert Application.objects.filter(submit_token=token).count() == 1

    status = citizen.get("/catalogue/status/", {"code": code.lower()}, HTTP_HOST=WWW).content.decode()
    assert "区教育局" in status and "办理中" in status and f"{application.due_date:%Y-%m-%d}" in status
    assert "<script>alert(1)</script>" not in status and "&lt;script&gt;" in status
    missing = citizen.get("/catalogue/status/", {"code": "NOSUCHCODE"}, HTTP_HOST=WWW).content.decode()
    assert "未找到该查询码对应的申请" in missing


def test_invalid_applications_are_refused_and_kept(db, departments):
    citizen = Client()
    token, answer, _ = open_form(citizen)
    data = form_data(token, answer, departments["jyj"], id_number="12345", email="", delivery="email",
                     applicant_type="business", contact_person="")
    response = citizen.post("/catalogue/apply/", data, HTTP_HOST=WWW)
    assert response.status_code == 400
    html = response.content.decode()
    assert "证件号码应为 18 位数字或字母" in html
    assert "选择以电子邮件获取信息时，请填写电子邮箱" in html
    assert "组织申请时请填写联系人" in html
    assert "源城区2025年义务教育阶段学位供给情况统计表" in html  # what was typed is kept
    assert not Application.objects.filter(submit_token=token).exists()

    token, _answer, _ = open_form(citizen)
    wrong = citizen.post("/catalogue/apply/", form_data(token, "999", departments["jyj"]), HTTP_HOST=WWW)
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()


def test_rate_limit_per_contact(db, departments):
    citizen = Client()
    for _ in range(5):
        token, answer, _ = open_form(citizen)
        response = citizen.post("/catalogue/apply/", form_data(token, answer, departments["jyj"]), HTTP_HOST=WWW)
        assert response.status_code == 200
    token, answer, _ = open_form(citizen)
    blocked = citizen.post("/catalogue/apply/", form_data(token, answer, departments["jyj"]), HTTP_HOST=WWW)
    assert blocked.status_code == 429 and "提交过于频繁" in blocked.content.decode()


def test_a_department_site_addresses_its_own_department(db, departments):
    citizen = Client()
    token, answer, html = open_form(citizen, host=WJJ)
    assert "区卫生健康局" in html and "区教育局" not in html
    response = citizen.post("/catalogue/apply/", form_data(token, answer, departments["jyj"]), HTTP_HOST=WJJ)
    assert response.status_code == 400 and "请从列表中选择机关" in response.content.decode()


def test_department_handles_only_its_own_applications(db, departments):
    from portal.audit.models import AuditEvent

    mine = applications.submit(department=departments["jyj"], data=applicant_data(), received_on=RECEIVED)
    theirs = applications.submit(department=departments["wjj"], data=applicant_data(name="王五"),
                                 received_on=RECEIVED)
    editor = login("jyj_editor")
    listing = editor.get(ADMIN, HTTP_HOST=JYJ).content.decode()
    assert "李四" in listing and "王五" not in listing
    assert "已超期" in listing  # received in 2025, never answered
    assert editor.get(f"{ADMIN}{theirs.pk}/", HTTP_HOST=JYJ).status_code == 404
    assert editor.post(f"{ADMIN}{theirs.pk}/decide/", {"decision": "disclose", "answer": "x"},
                       HTTP_HOST=JYJ).status_code == 404
    # On another department's site the same account has no role: nothing to see.
    assert login("jyj_editor").get(f"{ADMIN}{mine.pk}/", HTTP_HOST=WJJ).status_code in (403, 404)
    # Extending needs the head.
    assert editor.post(f"{ADMIN}{mine.pk}/extend/", {"days": 10, "reason": "协调"}, HTTP_HOST=JYJ).status_code == 404

    # Deciding is the head's: the editor's POST is refused and changes nothing.
    assert "答复决定须由本单位负责人作出" in editor.get(f"{ADMIN}{mine.pk}/", HTTP_HOST=JYJ).content.decode()
    forbidden = editor.post(f"{ADMIN}{mine.pk}/decide/", {"decision": "disclose", "answer": "予以公开。"},
                            HTTP_HOST=JYJ)
    assert forbidden.status_code == 403 and "只有本单位负责人或区信息中心可以作出答复决定" in forbidden.content.decode()
    mine.refresh_from_db()
    assert mine.status != Application.Status.ANSWERED and not mine.answer
    clerk = User.objects.get(username="jyj_editor")
    with pytest.raises(PermissionDenied):
        applications.decide(mine, decision="disclose", answer="予以公开。", user=clerk)
    with pytest.raises(PermissionDenied):
        applications.extend(mine, days=5, reason="协调", user=clerk)

    head = login("jyj_head")
    refused = head.post(f"{ADMIN}{mine.pk}/decide/", {"decision": "refuse", "reason": "", "answer": "不予公开"},
                        HTTP_HOST=JYJ)
    assert refused.status_code == 200 and "须写明理由和依据" in refused.content.decode()
    response = head.post(f"{ADMIN}{mine.pk}/decide/", {"decision": "partial", "reason": "部分涉及个人隐私",
                                                       "answer": "现提供可公开部分。"}, HTTP_HOST=JYJ)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Application.Status.ANSWERED and mine.decision == "partial"
    assert AuditEvent.objects.filter(event="disclosure_decide", target=f"disclosure.application:{mine.pk}").exists()

    # The centre sees every department's applications.
    centre = login("center_admin").get(ADMIN, HTTP_HOST=WWW).content.decode()
    assert "李四" in centre and "王五" in centre
    assert Client().get(ADMIN, HTTP_HOST=JYJ).status_code in (302, 403)


def test_head_extends_and_records_completion_through_the_admin(db, departments):
    application = applications.submit(department=departments["jyj"], data=applicant_data(),
                                      received_on=applications.today_in_shanghai())
    head = login("jyj_head")
    response = head.post(f"{ADMIN}{application.pk}/completion-request/", {"text": "请写明学段"}, HTTP_HOST=JYJ)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.is_paused
    page = head.get(f"{ADMIN}{application.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "等待申请人补正" in page and "补正已到达" in page
    bad = head.post(f"{ADMIN}{application.pk}/completion-received/", {"on": "不是日期"}, HTTP_HOST=JYJ)
    assert "日期格式为" in bad.content.decode()
    head.post(f"{ADMIN}{application.pk}/completion-received/", {"on": f"{application.received_on:%Y-%m-%d}"},
              HTTP_HOST=JYJ)
    head.post(f"{ADMIN}{application.pk}/extend/", {"days": 15, "reason": "需要征求第三方意见"}, HTTP_HOST=JYJ)
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED and application.extension_days == 15
    assert [event.action for event in application.events.all()] == [
        "submit", "completion_request", "completion_received", "extend"]


def test_entering_the_missing_year_computes_the_deadline(db, departments, django_capture_on_commit_callbacks,
                                                       year_2027_not_entered):
    late = applications.submit(department=departments["jyj"], data=applicant_data(), received_on=date(2026, 12, 21))
    assert late.due_date is None
    admin = login("center_admin")
    listing = admin.get(ADMIN, HTTP_HOST=WWW).content.decode()
    assert "缺少 2027 年的节假日安排" in listing
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/admin/calendar_years/new/", {"year": "2027", "source": "国务院办公厅通知"}, HTTP_HOST=WWW)
        admin.post("/admin/calendar_days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                   HTTP_HOST=WWW)
    late.refresh_from_db()
    # 22–31 December 2026: 8 working days; 1 January 2027 is a holiday; 12 more from 4 January.
    assert late.calendar_missing_year is None and late.due_date == date(2027, 1, 19)


def test_the_applicant_completes_the_application_online(db, departments):
    application = applications.submit(department=departments["jyj"], data=applicant_data(),
                                      received_on=applications.today_in_shanghai())
    applications.request_completion(application, text="请写明所需信息的学段",
                                    user=User.objects.get(username="jyj_head"))
    citizen = Client()
    page = citizen.get("/catalogue/status/", {"code": application.query_code}, HTTP_HOST=WWW).content.decode()
    assert "待申请人补正" in page and "请写明所需信息的学段" in page and "提交补正" in page
    empty = citizen.post("/catalogue/status/", {"code": application.query_code, "text": " "}, HTTP_HOST=WWW)
    assert empty.status_code == 400 and "请填写补正内容" in empty.content.decode()
    assert citizen.post("/catalogue/status/", {"code": "WRONGCODE", "text": "x"}, HTTP_HOST=WWW).status_code == 404
    response = citizen.post("/catalogue/status/", {"code": application.query_code, "text": "<b>小学</b>阶段"},
                            HTTP_HOST=WWW)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED and application.completion_text == "<b>小学</b>阶段"
    after = citizen.get("/catalogue/status/", {"code": application.query_code}, HTTP_HOST=WWW).content.decode()
    assert "&lt;b&gt;小学&lt;/b&gt;阶段" in after and "提交补正" not in after
    # A second submission changes nothing: the application is no longer waiting.
    again = citizen.post("/catalogue/status/", {"code": application.query_code, "text": "再补"}, HTTP_HOST=WWW)
    assert again.status_code == 302 and "再补" not in Application.objects.get(pk=application.pk).completion_text
