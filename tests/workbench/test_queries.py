"""The centre's 工作台 stays fast as the district grows: the same number of queries at 3 and at
23 departments, the person's central roles read once per request, the department list read
once, and one working-day calendar for every panel that counts deadlines."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.governance.helpers import login, text

WWW = {"HTTP_HOST": "www.localhost"}


def _add_departments(count, start=0):
    """Departments with open letters, applications and findings; no schema (the 工作台 reads the
    public tables only, never a department's schema)."""
    from portal.models import PluginSetting

    from plugins.disclosure.models import Application
    from plugins.inspection.models import Finding
    from plugins.mailbox.models import Letter
    from tenants.models import Department

    connection.set_schema_to_public()  # a request before left its site's schema active
    today = timezone.localdate()
    for index in range(start, start + count):
        department = Department(schema_name=f"extra{index}", name=f"扩展单位{index}", host_prefix=f"extra{index}",
                                kind="bureau", organization_code=f"{7219000 + index:09d}")
        department.auto_create_schema = False
        department.save()
        # 征集调查 keeps its work in each department's schema, which these departments lack.
        PluginSetting.objects.create(department=department, plugin="consultation", enabled=False)
        Letter.objects.create(subject=f"扩展来信{index}", content="请答复", name="张三", department=department,
                              status=Letter.Status.FORWARDED, due_date=today + timedelta(days=index % 7 - 3))
        Application.objects.create(department=department, applicant_type="person", name="李四", id_number="x",
                                   phone="1", description=f"扩展申请{index}", delivery="email",
                                   received_on=today - timedelta(days=30), due_date=today + timedelta(days=index % 5))
        Finding.objects.create(department=department, item="broken_link", key="link:1", title=f"扩展链接不可用{index}",
                               severity="serious")


def _queries(client, path="/admin/"):
    client.get(path, **WWW)  # warm: the first request also fills process-wide caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **WWW)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def test_centre_workbench_queries_do_not_grow_with_departments(client, departments):
    login(client, "center_admin")
    _add_departments(1)
    _, few = _queries(client)
    _add_departments(20, start=1)
    response, many = _queries(client)
    assert "扩展单位20" in text(response)  # the new ones are shown
    assert len(many) == len(few), f"{len(few)} 个单位时 {len(few)} 条查询，增加 20 个单位后 {len(many)} 条"


def test_a_central_role_is_read_once_per_request(client, departments):
    """A 信箱管理员 (not a 系统管理员): every menu, permission check and panel asks about central
    roles; they come from one query."""
    from portal.accounts.models import User
    from portal.accounts.roles import grant_central_role

    person = User.objects.create_user(username="mail_centre", full_name="区信箱管理员", password="Test-passw0rd!")
    grant_central_role(person, "mailbox_admin")
    login(client, person)
    response, queries = _queries(client)
    assert "待办来信" in text(response)
    role_reads = [sql for sql in queries if 'FROM "accounts_centralroleassignment"' in sql]
    assert len(role_reads) == 1, role_reads


def test_a_role_granted_is_seen_by_the_same_person_object(departments):
    """Remembering the roles must not hide a grant or a revocation made through the same object."""
    from portal.accounts.models import User
    from portal.accounts.roles import grant_central_role, revoke_central_role

    person = User.objects.create_user(username="theme_centre", full_name="区主题管理员", password="Test-passw0rd!")
    assert not person.has_central_role("theme_admin")
    grant_central_role(person, "theme_admin")
    assert person.has_central_role("theme_admin")
    revoke_central_role(person, "theme_admin")
    assert not person.has_central_role("theme_admin")


def test_departments_and_the_calendar_are_read_once(client, departments):
    login(client, "center_admin")
    _add_departments(3)
    response, queries = _queries(client)
    page = text(response)
    assert "个工作日" in page  # letters and applications both show their deadlines
    department_lists = [sql for sql in queries if sql.startswith('SELECT') and 'FROM "tenants_department"' in sql]
    calendars = [sql for sql in queries if 'FROM "workcalendar_calendarday"' in sql]
    assert len(department_lists) == 1, department_lists
    assert len(calendars) == 1, calendars


@pytest.mark.parametrize("chosen", ["", "?department=extra1"])
def test_district_summary_rows_link_to_each_department(client, departments, chosen):
    login(client, "center_admin")
    _add_departments(2)
    page = text(client.get(f"/admin/{chosen}", **WWW))
    summary = page.split(">全区概况", 1)[1].split("</section>", 1)[0]
    row = summary.split('<a href="?department=extra1">扩展单位1</a></th>', 1)[1].split("</tr>", 1)[0]
    # 健康分 95 (one serious finding), 1 open finding, and the letter and application not yet overdue.
    assert "<td>95</td>" in row and "<td>1</td>" in row
    assert ('href="?department=extra0"' in summary) == (chosen == "")
