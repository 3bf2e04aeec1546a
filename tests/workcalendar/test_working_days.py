"""Working days on the official schedule, including 调休 and years an administrator enters."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from portal.accounts.models import User
from portal.workcalendar.models import CalendarDay, CalendarYear
from portal.workcalendar.service import CalendarMissing, add_working_days, explain, working_days_between


@pytest.mark.parametrize(
    ("received", "count", "due"),
    [
        (date(2025, 9, 30), 5, date(2025, 10, 14)),  # National Day + Mid-Autumn, 10-11 is a 调休 Saturday
        (date(2026, 2, 13), 5, date(2026, 2, 27)),  # Spring Festival, 02-14 is a 调休 Saturday
        (date(2026, 9, 30), 5, date(2026, 10, 13)),  # long holiday before the deadline
        (date(2025, 6, 3), 5, date(2025, 6, 10)),  # an ordinary week
        (date(2025, 9, 30), 20, date(2025, 11, 4)),  # the disclosure deadline across the holiday
    ],
)
def test_official_schedule_vectors(db, received, count, due):
    assert add_working_days(received, count) == due


def test_command_prints_the_due_date(db, capsys):
    call_command("working_days", "2025-09-30", "5")
    assert capsys.readouterr().out.strip() == "2025-10-14"


def test_missing_year_is_never_guessed(db, year_2027_not_entered):
    with pytest.raises(CalendarMissing) as missing:
        add_working_days(date(2026, 12, 28), 5)
    assert missing.value.year == 2027 and "2027" in str(missing.value)
    with pytest.raises(CommandError, match="缺少 2027 年的节假日安排"):
        call_command("working_days", "2026-12-28", "5")


def test_entering_next_years_schedule_in_the_admin_fixes_it(client, db, year_2027_not_entered):
    admin = User.objects.get(username="center_admin")
    client.force_login(admin)
    host = {"HTTP_HOST": "www.localhost"}
    response = client.post(
        "/admin/calendar_years/new/", {"year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知"}, **host
    )
    assert response.status_code == 302, response.content.decode()[:500]
    for day in ("2027-01-01",):
        client.post("/admin/calendar_days/new/", {"date": day, "kind": "holiday", "name": "元旦"}, **host)
    assert CalendarYear.objects.filter(year=2027).exists()
    # 12-29, 12-30, 12-31, (01-01 元旦), 01-04, 01-05
    assert add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)


def test_a_corrected_day_changes_deadlines(db):
    assert add_working_days(date(2025, 6, 3), 5) == date(2025, 6, 10)
    CalendarDay.objects.create(date=date(2025, 6, 5), kind="holiday", name="更正")
    assert add_working_days(date(2025, 6, 3), 5) == date(2025, 6, 11)
    assert working_days_between(date(2025, 6, 3), date(2025, 6, 11)) == 5


def test_explanation_names_the_holidays(db):
    text = explain(date(2025, 9, 30), 5)
    assert text.startswith("2025-09-30 收到，5 个工作日后为 2025-10-14")
    assert "10-01" in text and "10-11调休上班" in text


def test_department_staff_cannot_edit_the_calendar(client, db):
    client.force_login(User.objects.get(username="jyj_editor"))
    response = client.post(
        "/admin/calendar_days/new/", {"date": "2025-06-05", "kind": "holiday", "name": "擅自放假"},
        HTTP_HOST="jyj.localhost",
    )
    assert response.status_code in (302, 403)
    assert not CalendarDay.objects.filter(date=date(2025, 6, 5)).exists()
    assert add_working_days(date(2025, 6, 3), 5) == date(2025, 6, 10)
