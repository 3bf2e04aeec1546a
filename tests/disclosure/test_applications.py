"""依申请公开 deadlines on the official holiday schedule, and the department's handling.

2025's National Day holiday: 1–8 October off, Sunday 28 September and Saturday 11 October are
working days (调休). An application received on Friday 26 September 2025 is due on the 20th
working day after it: 30 October 2025.
"""

from datetime import date

import pytest
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


def test_a_year_without_a_schedule_is_flagged_not_guessed(departments):
    late = applications.submit(department=departments["jyj"], data=applicant_data(), received_on=date(2026, 12, 21))
    assert late.due_date is None and late.calendar_missing_year == 2027
    assert "缺少 2027 年的节假日安排" in applications.deadline_explanation(late)
