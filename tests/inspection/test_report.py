"""The performance report on a fixture year (2025) with known counts: the figures, the ranking,
the 第十八条 criticisms with their evidence, the screen with its charts, the Excel workbook
(opened with openpyxl) and the PDF 通报 (text extracted with pypdf)."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from portal.accounts.models import User

from plugins.inspection.report import build_report

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
ADMIN = "/admin/plugins/inspection/"
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def at(day: date, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def item(department, number, column, column_type, day):
    from portal.models import PublishedItem

    PublishedItem.objects.create(
        department=department, object_id=90000 + number, title=f"{department.name}{column}{number}",
        url=f"/{column_type}/{number}/", column_title=column, column_type=column_type, publish_time=at(day))


@pytest.fixture
def year(departments):
    """区教育局: news every 10 days except a 40-day gap (26 days overdue), two notices, three
    letters (on time, late, unanswered), three unreviewed items (two by a person), two findings
    fixed in 2 and 4 days (one a classification mark). 区卫生健康局: two news items only, a
    虚假信息 flag."""
    from portal.governance.models import UnreviewedPublication
    from portal.workcalendar.service import add_working_days

    from plugins.inspection.models import FalseInformationFlag, Finding
    from plugins.mailbox.models import Letter, Reply

    jyj, wjj = departments["jyj"], departments["wjj"]
    for k in range(37):
        if k not in (15, 16, 17):  # 2025-05-31, 06-10, 06-20 missing: 05-21 → 06-30 is a 40-day gap
            item(jyj, k, "部门动态", "news", date(2025, 1, 1) + timedelta(days=10 * k))
    item(jyj, 100, "通知公告", "notice", date(2025, 3, 1))
    item(jyj, 101, "通知公告", "notice", date(2025, 8, 1))
    item(wjj, 200, "部门动态", "news", date(2025, 1, 10))
    item(wjj, 201, "部门动态", "news", date(2025, 2, 28))

    def letter(received, replied=None):
        row = Letter.objects.create(subject="关于招生的咨询", content="请问招生范围？", name="王五", department=jyj,
                                    status=Letter.Status.REPLIED if replied else Letter.Status.FORWARDED,
                                    received_at=at(received), due_date=add_working_days(received, 5))
        if replied:
            Reply.objects.create(letter=row, department=jyj, text="已答复。", approved_at=at(replied, 16))
        return row

    letter(date(2025, 3, 3), date(2025, 3, 5))
    letter(date(2025, 4, 1), date(2025, 5, 6))
    letter(date(2025, 6, 2))
    head = User.objects.get(username="jyj_head")
    publications = [("未审核的通知", "direct", head), ("未审核的动态", "direct", head), ("导入的旧文", "system", None)]
    for title, route, user in publications:
        publication = UnreviewedPublication.objects.create(department=jyj, page_id=1, title=title, route=route,
                                                           user=user, username=user.username if user else "")
        UnreviewedPublication.objects.filter(pk=publication.pk).update(time=at(date(2025, 5, 8)))
    Finding.objects.create(department=jyj, item="classified_mark", key="mark:/a/:机密", severity="serious",
                           title="公开页面出现涉密标识“机密”", url="http://jyj.localhost/a/", status="fixed",
                           first_seen=at(date(2025, 6, 10)), fixed_at=at(date(2025, 6, 12)))
    Finding.objects.create(department=jyj, item="broken_link", key="link:x", severity="normal", title="站内链接不可用",
                           status="fixed", first_seen=at(date(2025, 7, 1)), fixed_at=at(date(2025, 7, 5)))
    FalseInformationFlag.objects.create(department=wjj, title="某医院停诊的不实消息", date=date(2025, 9, 1),
                                        evidence="经核实该医院当日正常接诊",
                                        flagged_by=User.objects.get(username="center_admin"))
    return jyj, wjj


def rows_by_prefix(report):
    return {row.department.host_prefix: row for row in report.departments}


def test_figures_of_the_year(year):
    jyj, wjj = year
    report = build_report(date(2025, 1, 1), date(2025, 12, 31))
    rows = rows_by_prefix(report)
    education, health = rows["jyj"], rows["wjj"]

    assert report.title == "源城区人民政府办公室关于2025年度政府网站绩效评估情况的通报"
    assert len(report.months) == 12
    assert education.items_total == 36 and sum(education.items_by_column["部门动态"]) == 34
    assert education.items_by_column["部门动态"][0] == 4  # 01-01, 01-11, 01-21, 01-31
    assert education.items_by_column["通知公告"] == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert report.items_by_month[0] == 4 + 1  # and 区卫生健康局's 01-10

    assert [(b.column, b.overdue_days, b.longest_gap_days) for b in education.column_breaks] == [("部门动态", 26, 40)]
    news = next(b for b in health.column_breaks if b.column == "部门动态")
    assert news.overdue_days == 35 + 292 and news.long_term  # 01-24→02-28 and 03-14→12-31

    assert len(education.unreviewed) == 3
    assert education.mailbox["received"] == 3 and education.mailbox["replied"] == 2
    assert education.mailbox["replied_on_time"] == 1 and education.mailbox["overdue"] == 2
    assert education.mailbox["unanswered_3_months"] == 1 and education.on_time_rate == 50.0
    assert education.mailbox["avg_working_days"] is not None
    assert health.mailbox["received"] == 0 and health.on_time_rate is None
    # No 依申请公开 request in the fixture year: the disclosure plugin's section is all zeros.
    assert education.disclosure_enabled
    assert education.disclosure == {"received": 0, "answered": 0, "answered_on_time": 0, "overdue": 0,
                                    "avg_working_days": None}

    assert education.findings_total == 2 and education.findings_fixed == 2 and education.avg_fix_days == 3.0
    assert education.findings_by_item == {"classified_mark": 1, "broken_link": 1}

    # 100 − 5 (one column) − 2×3 (unreviewed) − 5×2 (overdue letters) − 3 − 1 (findings) = 75
    assert education.score == 75
    assert health.score == 100 - 5 * len(health.column_breaks)
    assert report.ranking[-1].department == jyj

    conditions = {row.department.host_prefix: dict(row.criticisms) for row in report.criticised}
    assert any("未审核的通知" in line and "jyj_head" in line
               for line in conditions["jyj"]["未履行审核程序擅自发布信息（第十八条第二项）"])
    assert "涉密标识“机密”" in conditions["jyj"]["公开页面出现涉密信息（第十八条第四项）"][0]
    assert "长期不及时更新责任栏目（第十八条第一项）" not in conditions["jyj"]  # 26 days: not long-term
    assert "经核实该医院当日正常接诊" in conditions["wjj"]["发布虚假信息（第十八条第三项）"][0]
    assert any("部门动态" in line for line in conditions["wjj"]["长期不及时更新责任栏目（第十八条第一项）"])


def test_disabled_plugin_gives_an_empty_section(year):
    from portal.plugins import set_enabled

    jyj, _ = year
    set_enabled(jyj, "mailbox", False)
    set_enabled(jyj, "disclosure", False)
    row = rows_by_prefix(build_report(date(2025, 1, 1), date(2025, 12, 31)))["jyj"]
    assert not row.mailbox_enabled and row.mailbox["received"] == 0 and row.on_time_rate is None
    assert not row.disclosure_enabled and row.disclosure["received"] == 0


def test_account_leak_is_listed(departments):
    from portal.audit.log import record

    record("user_lock", user=User.objects.get(username="center_admin"), target="wjj_editor",
           department=departments["www"], details={"sessions": 1})
    today = date.today()
    report = build_report(date(today.year, 1, 1), date(today.year, 12, 31))
    conditions = {row.department.host_prefix: dict(row.criticisms) for row in report.criticised}
    lines = conditions["wjj"]["账号密码泄露被强制下线或锁定（第十八条第五项）"]
    assert "本期账号被锁定 1 次、被强制下线 0 次，涉及 1 个账号" in lines[0]
    # 三员分立: the report's readers see counts, never the audit rows (who, by whom, when).
    assert "wjj_editor" not in " ".join(lines) and "center_admin" not in " ".join(lines)
    assert "账号密码泄露被强制下线或锁定（第十八条第五项）" not in conditions.get("jyj", {})


def login(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_report_screen_and_exports(year):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    centre = login("center_admin")
    page = centre.get(f"{ADMIN}report/", YEAR, HTTP_HOST="www.localhost")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2025年度政府网站绩效评估情况的通报" in html
    assert html.count('<svg class="chart"') == 3 and "每月发布信息数（全区）" in html and "政务邮箱按时答复率" in html
    assert "某医院停诊的不实消息" in html

    workbook = load_workbook(io.BytesIO(centre.get(f"{ADMIN}report.xlsx", YEAR, HTTP_HOST="www.localhost").content))
    assert workbook.sheetnames == ["绩效排名", "栏目发布", "栏目更新", "未审核发布", "政务邮箱", "依申请公开",
                                   "信息报送", "巡检问题", "通报批评"]
    ranking = list(workbook["绩效排名"].iter_rows(values_only=True))
    assert ranking[0][:3] == ("名次", "单位", "绩效得分")
    education = next(row for row in ranking if row[1] == "区教育局")
    assert education[2] == 75 and education[3] == 36 and education[7] == "50.0%"
    mailbox = {row[0]: row for row in workbook["政务邮箱"].iter_rows(values_only=True)}
    assert mailbox["区教育局"][2:7] == (3, 2, 1, 2, 1)
    columns = {(row[0], row[1]): row for row in workbook["栏目发布"].iter_rows(values_only=True)}
    assert columns[("区教育局", "部门动态")][1 + 1] == 4 and columns[("区教育局", "部门动态")][-1] == 34
    requests = {row[0]: row for row in workbook["依申请公开"].iter_rows(min_row=2, values_only=True)}
    assert requests["区教育局"][1:4] == ("启用", 0, 0)

    response = centre.get(f"{ADMIN}report.pdf", YEAR, HTTP_HOST="www.localhost")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = "".join(text.split())
    assert "源城区人民政府办公室关于2025年度政府网站绩效评估情况的通报" in compact
    assert "各镇人民政府（街道办事处），区直各单位：" in compact
    assert "附表1绩效排名" in compact and "区教育局" in compact and "发布虚假信息（第十八条第三项）" in compact

    from portal.audit.models import AuditEvent

    exports = AuditEvent.objects.filter(event="inspection_report_export", details__start="2025-01-01")
    assert sorted(event.details["format"] for event in exports) == ["pdf", "xlsx"]


def test_report_refuses_bad_periods_and_outsiders(year):
    centre = login("center_admin")
    response = centre.get(f"{ADMIN}report/", {"start": "2025-12-31", "end": "2025-01-01"}, HTTP_HOST="www.localhost")
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    assert 'value="2025-12-31"' in response.content.decode()
    response = centre.get(f"{ADMIN}report/", {"start": "2025-13-01", "end": "2025-12-31"}, HTTP_HOST="www.localhost")
    assert "开始日期格式应为 YYYY-MM-DD" in response.content.decode()
    editor = login("jyj_head")
    for url in ("report/", "report.xlsx", "report.pdf"):
        assert editor.get(f"{ADMIN}{url}", YEAR, HTTP_HOST="jyj.localhost").status_code == 404


def test_a_column_gap_counts_from_the_last_item_before_the_period(year):
    # 区卫生健康局's news: 01-10 (before the period), then 02-28. The gap from 01-10 is overdue
    # from 01-24, so the whole of February up to 02-28 counts (27 days), then 03-14 → 03-31 (17).
    report = build_report(date(2025, 2, 1), date(2025, 3, 31))
    news = next(b for b in rows_by_prefix(report)["wjj"].column_breaks if b.column == "部门动态")
    assert news.overdue_days == 27 + 17
    assert news.periods == [(date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 3, 14), date(2025, 3, 31))]


EVIL_TITLES = ['=HYPERLINK("http://evil/","x")', '<img src="/etc/passwd">', "a<b"]


def test_exports_show_what_people_typed_as_text(year):
    """Titles typed by people land in the workbook as text cells and in the PDF literally: no
    formula runs in the spreadsheet and no markup (an embedded local file) in the PDF."""
    from openpyxl import load_workbook
    from portal.governance.models import UnreviewedPublication
    from pypdf import PdfReader

    jyj, _ = year
    for title in EVIL_TITLES:
        publication = UnreviewedPublication.objects.create(department=jyj, page_id=1, title=title, route="direct",
                                                           username="jyj_head")
        UnreviewedPublication.objects.filter(pk=publication.pk).update(time=at(date(2025, 5, 9)))
    centre = login("center_admin")
    workbook = load_workbook(io.BytesIO(centre.get(f"{ADMIN}report.xlsx", YEAR, HTTP_HOST="www.localhost").content))
    cells = {cell.value: cell for row in workbook["未审核发布"].iter_rows() for cell in row}
    for title in EVIL_TITLES:
        assert cells[title].data_type == "s"

    response = centre.get(f"{ADMIN}report.pdf", YEAR, HTTP_HOST="www.localhost")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = "".join(text.split())
    for title in EVIL_TITLES:
        assert "".join(title.split()) in compact
