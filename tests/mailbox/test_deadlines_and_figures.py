"""What happens around a letter's deadline: calendar changes, overdue digests, the 3-month
escalation into the inspection, the public statistics, the report figures and the search index."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from portal.accounts.models import User

from plugins.mailbox import service
from plugins.mailbox.hooks import unanswered_letters
from plugins.mailbox.models import Letter, Reply
from plugins.mailbox.notifications import send_overdue_digest

SHANGHAI = ZoneInfo("Asia/Shanghai")
WWW = "www.localhost"


def received(day: date, hour=10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def letter_for(department, on: date, subject="关于校车线路的建议", **fields) -> Letter:
    values = {"kind": "suggest", "content": "希望增加一条校车线路。", "name": "李四", "phone": "13900001111",
              "email": "", "may_publish": True, **fields}
    letter = service.submit(subject=subject, token=None, ip="10.1.1.1", received_at=received(on), **values)
    if department is not None:
        service.forward(letter, department, User.objects.get(username="center_admin"))
    return letter


def replied(letter, on: date, text="已研究，将于下学期增加线路。"):
    head = User.objects.get(username=f"{letter.department.host_prefix}_head")
    service.draft_reply(letter, text, User.objects.get(username=f"{letter.department.host_prefix}_editor"))
    service.approve(letter, head)
    Reply.objects.filter(letter=letter).update(approved_at=received(on, 16))
    return letter


@pytest.fixture
def wjj_head(db, departments):
    from portal.accounts.roles import grant_department_role

    head, _ = User.objects.get_or_create(username="wjj_head", defaults={"full_name": "卫健局负责人"})
    grant_department_role(head, departments["wjj"], "head")
    return head


def test_a_letter_before_the_national_day_holiday(db, departments):
    letter = letter_for(departments["jyj"], date(2026, 9, 30))
    assert letter.due_date == date(2026, 10, 13)
    assert "2026-09-30 收到，5 个工作日后为 2026-10-13" in service.deadline_explanation(letter)


def test_calendar_changed_recomputes_open_letters(db, departments, mailoutbox, django_capture_on_commit_callbacks,
                                                 year_2027_not_entered):
    User.objects.filter(username="center_admin").update(email="centre@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        late = letter_for(departments["jyj"], date(2026, 12, 28))
    # No 2027 schedule yet: not computed as Monday–Friday, flagged, and the centre is alerted.
    assert late.due_date is None and late.calendar_missing_year == 2027
    assert [message.to for message in mailoutbox] == [["centre@example.gov.cn"]]
    assert "缺少 2027 年节假日安排" in mailoutbox[0].subject and "不会按周一至周五估算" in mailoutbox[0].body
    admin = Client()
    admin.force_login(User.objects.get(username="center_admin"))
    listing = admin.get("/admin/plugins/mailbox/", HTTP_HOST=WWW).content.decode()
    assert "录入 2027 年节假日安排" in listing

    open_letter = letter_for(departments["jyj"], date(2026, 10, 9))
    done = replied(letter_for(departments["jyj"], date(2026, 10, 9)), date(2026, 10, 12))
    assert open_letter.due_date == date(2026, 10, 15)  # Saturday 10-10 is a 调休 workday
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/admin/calendar_years/new/", {"year": "2027", "source": "国务院办公厅通知"}, HTTP_HOST=WWW)
        admin.post("/admin/calendar_days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                   HTTP_HOST=WWW)
        # A correction of 2026: a holiday the package did not know about.
        admin.post("/admin/calendar_days/new/", {"date": "2026-10-14", "kind": "holiday", "name": "更正"},
                   HTTP_HOST=WWW)
    late.refresh_from_db()
    open_letter.refresh_from_db()
    done.refresh_from_db()
    assert (late.due_date, late.calendar_missing_year) == (date(2027, 1, 5), None)
    assert open_letter.due_date == date(2026, 10, 16)
    assert done.due_date == date(2026, 10, 15)  # a replied letter keeps the deadline it was measured by
    assert "录入 2027 年" not in admin.get("/admin/plugins/mailbox/", HTTP_HOST=WWW).content.decode()


def test_extension_survives_a_recomputation(db, departments):
    letter = letter_for(departments["jyj"], date(2026, 9, 30))
    service.extend(letter, 3, "需要实地核查", User.objects.get(username="center_admin"))
    assert letter.due_date == date(2026, 10, 16)
    service.recompute_open_deadlines()
    letter.refresh_from_db()
    assert letter.due_date == date(2026, 10, 16) and letter.extension_days == 3
    assert "经批准延长 3 个工作日" in service.deadline_explanation(letter)


def test_overdue_digest_reaches_the_department_and_the_centre(db, departments, mailoutbox):
    from portal.scheduling import all_jobs

    User.objects.filter(username="center_admin").update(email="centre@example.gov.cn")
    User.objects.filter(username="jyj_editor").update(email="editor@jyj.example.gov.cn")
    User.objects.filter(username="wjj_editor").update(email="editor@wjj.example.gov.cn")
    overdue = letter_for(departments["jyj"], timezone.localdate() - timedelta(days=20), subject="超期未答复的来信")
    letter_for(departments["wjj"], timezone.localdate(), subject="刚转办的来信")
    assert overdue.is_overdue
    assert send_overdue_digest() == 2
    by_recipient = {tuple(message.to): message for message in mailoutbox}
    assert set(by_recipient) == {("editor@jyj.example.gov.cn",), ("centre@example.gov.cn",)}
    assert "超期未答复的来信" in by_recipient[("editor@jyj.example.gov.cn",)].body
    assert "全区共有 1 封来信已超过答复期限" in by_recipient[("centre@example.gov.cn",)].body
    assert "刚转办的来信" not in by_recipient[("centre@example.gov.cn",)].body
    assert "mailbox.overdue_digest" in {job.name for job in all_jobs()}
    # Both admins flag it.
    for user, host in (("center_admin", WWW), ("jyj_editor", "jyj.localhost")):
        client = Client()
        client.force_login(User.objects.get(username=user))
        page = client.get("/admin/plugins/mailbox/?status=overdue", HTTP_HOST=host).content.decode()
        assert "超期未答复的来信" in page and "已超期" in page and "1 封来信已超过答复期限" in page


def test_three_months_unanswered_is_an_inspection_finding(db, departments):
    from django_tenants.utils import tenant_context
    from portal.plugins import inspection_checks

    today = timezone.localdate()
    stale = letter_for(departments["jyj"], today - timedelta(days=100), subject="三个月未答复")
    replied(letter_for(departments["jyj"], today - timedelta(days=100), subject="已答复"), today - timedelta(days=99))
    letter_for(departments["jyj"], today - timedelta(days=400), subject="一年以前")
    letter_for(departments["wjj"], today - timedelta(days=100), subject="卫健局的来信")
    with tenant_context(departments["jyj"]):
        findings = [f for check in inspection_checks(departments["jyj"]) for f in check(departments["jyj"])]
    poor = [finding for finding in findings if finding["item"] == "interaction_poor"]
    assert [finding["key"] for finding in poor] == [f"letter:{stale.pk}"]
    assert poor[0]["severity"] == "veto" and "三个月未答复" in poor[0]["title"]
    assert poor[0]["edit_url"].endswith(f"/admin/plugins/mailbox/{stale.pk}/")
    assert unanswered_letters(departments["wjj"])[0]["title"].startswith("来信《卫健局的来信》")


def test_statistics_and_performance_figures(db, departments, wjj_head):
    from portal.plugins import performance_figures

    # 2026-03-02 is a Monday: due 2026-03-09.
    on_time = replied(letter_for(departments["jyj"], date(2026, 3, 2)), date(2026, 3, 4))  # 2 working days
    service.publish(on_time, User.objects.get(username="jyj_head"))  # 公开答复
    replied(letter_for(departments["jyj"], date(2026, 3, 2)), date(2026, 3, 11))  # 7 working days, late
    letter_for(departments["jyj"], date(2026, 4, 1))  # never answered: overdue
    closed = letter_for(None, date(2026, 3, 3))
    service.close(closed, "重复来信", User.objects.get(username="center_admin"))
    replied(letter_for(departments["wjj"], date(2026, 5, 6)), date(2026, 5, 7))

    figures = performance_figures(departments["jyj"], date(2026, 1, 1), date(2026, 12, 31))["mailbox"]
    assert figures == {"received": 3, "replied": 2, "replied_on_time": 1, "overdue": 2,
                       "unanswered_3_months": 1, "published": 1, "avg_working_days": 4.5}
    march = performance_figures(departments["jyj"], date(2026, 3, 1), date(2026, 3, 31))["mailbox"]
    assert (march["received"], march["overdue"]) == (2, 1)

    page = Client().get("/mailbox/statistics/?year=2026", HTTP_HOST=WWW).content.decode()
    row = page.split("<th scope=\"row\">区教育局</th>")[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == ["3", "2", "1", "50.0%", "2", "4.5"]
    assert "区卫生健康局" in page
    monthly = Client().get(f"/mailbox/statistics/?year=2026&department={departments['jyj'].pk}",
                           HTTP_HOST=WWW).content.decode()
    march_row = monthly.split('id="by-month"')[1].split("<th scope=\"row\">3 月</th>")[1].split("</tr>")[0]
    assert march_row.startswith("<td>2</td><td>2</td><td>1</td><td>1</td>")
    bad = Client().get("/mailbox/statistics/?year=abc&month=13", HTTP_HOST=WWW)
    assert bad.status_code == 400 and "请填写正确的年份" in bad.content.decode()


def test_published_letters_are_searchable_without_personal_data(db, departments, django_capture_on_commit_callbacks):
    from search import index
    from search import service as search_service
    from search.models import SearchDocument

    letter = letter_for(departments["jyj"], date(2026, 11, 2), subject="李四反映操场照明问题",
                        content="我是李四，电话13900001111，学校操场夜间照明不足。")
    replied(letter, date(2026, 11, 3), text="已安排维修操场照明。")
    hidden = replied(letter_for(departments["jyj"], date(2026, 11, 2), subject="未公开的操场来信"), date(2026, 11, 3))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            service.publish(letter, User.objects.get(username="center_admin"))
        index.refresh()
        outcome = search_service.search(search_service.Params(q="操场照明"))
        hits = [hit for hit in outcome.hits if hit.type == "letter"]
        assert len(hits) == 1 and hits[0].url.endswith(f"/mailbox/letters/{letter.pk}/")
        assert hits[0].department_prefix == "jyj"
        document = SearchDocument.objects.get(kind="letter", object_id=letter.pk)
        assert "李四" not in document.title + document.body and "13900001111" not in document.body
        assert "维修操场照明" in document.body
        assert not SearchDocument.objects.filter(kind="letter", object_id=hidden.pk).exists()
    finally:
        # The database rolls back after the test; the index has to be tidied by hand.
        es = index.client().options(ignore_status=404)
        es.delete(index=index.alias(), id=f"jyj:letter:{letter.pk}", refresh=True)


def test_a_letter_the_centre_never_forwards_runs_late_under_the_centre(db, departments, mailoutbox):
    """The clock runs from receipt whoever holds the letter: a letter left with the centre is
    overdue, counted in the statistics and the report on the portal's row, and becomes a finding."""
    from django_tenants.utils import tenant_context
    from portal.plugins import inspection_checks, performance_figures

    User.objects.filter(username="center_admin").update(email="centre@example.gov.cn")
    today = timezone.localdate()
    forgotten = letter_for(None, today - timedelta(days=100), subject="无人转办的来信")
    late = letter_for(None, today - timedelta(days=20), subject="中心未转办超期")
    assert forgotten.status == Letter.Status.RECEIVED and forgotten.is_overdue and late.is_overdue

    # The centre's admin list flags both, and the daily digest names them.
    admin = Client()
    admin.force_login(User.objects.get(username="center_admin"))
    listing = admin.get("/admin/plugins/mailbox/?status=overdue", HTTP_HOST=WWW).content.decode()
    assert "无人转办的来信" in listing and "中心未转办超期" in listing and "2 封来信已超过答复期限" in listing
    assert send_overdue_digest() == 1
    assert "全区共有 2 封来信已超过答复期限" in mailoutbox[0].body and "区信息中心（待转办）" in mailoutbox[0].body

    # Statistics and the performance report count them under the portal, which the centre runs.
    portal = departments["www"]
    year = today.year
    figures = performance_figures(portal, date(year - 1, 1, 1), date(year, 12, 31))["mailbox"]
    assert (figures["received"], figures["overdue"], figures["unanswered_3_months"]) == (2, 2, 1)
    assert performance_figures(departments["jyj"], date(year - 1, 1, 1), date(year, 12, 31))["mailbox"]["received"] == 0
    page = Client().get(f"/mailbox/statistics/?year={late.received_at.year}", HTTP_HOST=WWW).content.decode()
    assert f'<th scope="row">{portal.name}</th>' in page

    # Three months unanswered at the centre: a 互动回应差 finding of the portal's inspection.
    with tenant_context(portal):
        findings = [f for check in inspection_checks(portal) for f in check(portal)]
    assert [f["key"] for f in findings if f["item"] == "interaction_poor"] == [f"letter:{forgotten.pk}"]
