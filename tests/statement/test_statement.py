"""The 政府网站工作年度报表: every computed field equals what the data of a fixture year says
(2019, which no other test touches), the hand-entered fields are marked and checked, the centre
drafts and the 区政府办公室 reviews and publishes it on the portal's homepage as a page, a PDF and a
spreadsheet, a function no site uses is 未开展, and the inspection flags a missing statement from
1 February."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django_tenants.utils import tenant_context
from portal.accounts.models import User
from portal.statement.checks import statement_missing
from portal.statement.exports import sections
from portal.statement.models import Statement

from tests.conftest import host

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
YEAR = 2019
WWW = host("www")
MANUAL = {
    "interpretation_products": "4", "media_commentaries": "3", "hot_responses": "6", "service_catalogue": "1",
    "registered_users": "52000", "service_items": "1200", "online_service_items": "900", "cases_total": "30000",
    "cases_natural": "25000", "cases_legal": "5000", "smart_qa": "0", "emergency_drill": "1", "multilingual": "0",
    "personalised": "0", "innovation_other": "",
}


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=BEIJING)


def login(user) -> Client:
    client = Client()
    client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return client


@pytest.fixture
def office(departments):
    from portal.accounts.roles import grant_central_role

    person = User.objects.create_user("statement_office", full_name="区政府办公室管理员", password="Test-passw0rd!")
    grant_central_role(person, "office_admin", granted_by=User.objects.get(username="center_admin"))
    return person


def _items(departments):
    from portal.models import PublishedItem

    rows = [("jyj", "news", at(2019, 1, 1, 0, 10)), ("jyj", "news", at(2019, 3, 5, 9)),
            ("wjj", "news", at(2019, 12, 31, 23, 30)), ("jyj", "notice", at(2019, 4, 1, 9)),
            ("www", "notice", at(2019, 5, 1, 9)), ("jyj", "about", at(2019, 2, 1, 9)),
            ("jyj", "disclosure", at(2019, 6, 1, 9)), ("wjj", "disclosure", at(2019, 7, 1, 9)),
            ("jyj", "interpretation", at(2019, 8, 1, 9)), ("www", "interpretation", at(2019, 9, 1, 9)),
            ("wjj", "policy", at(2019, 10, 1, 9)),
            # Outside the year (Beijing time): not counted.
            ("jyj", "news", at(2018, 12, 31, 23, 50)), ("jyj", "news", at(2020, 1, 1, 0, 5))]
    for number, (prefix, column_type, published) in enumerate(rows):
        PublishedItem.objects.create(department=departments[prefix], kind="article", object_id=900000 + number,
                                     title=f"{YEAR}年信息{number}", url=f"/statement-test/{number}/",
                                     column_type=column_type, publish_time=published)


def _topics(departments):
    from portal.pages.models import HomePage

    from tests.topics.test_topics import add_topic

    with tenant_context(departments["jyj"]):
        home = HomePage.objects.get(depth=2)
        add_topic(home, "topic-2019", date(2019, 3, 1), date(2019, 12, 31))  # maintained and opened
        add_topic(home, "topic-2018", date(2018, 5, 1))  # still running: maintained
        add_topic(home, "topic-2020", date(2020, 1, 1))  # later
        add_topic(home, "topic-draft", date(2019, 6, 1), publish=False)  # not live


def _visits(departments):
    from portal.visits.models import SiteVisits

    SiteVisits.objects.create(department=departments["jyj"], day=date(2019, 3, 1), page_views=100, unique_visitors=40)
    SiteVisits.objects.create(department=departments["www"], day=date(2019, 12, 31), page_views=50,
                              unique_visitors=20)
    SiteVisits.objects.create(department=departments["jyj"], day=date(2020, 1, 1), page_views=999,
                              unique_visitors=99)


def _letters(departments):
    from portal.workcalendar.service import working_days_between

    from plugins.mailbox.models import Letter, Reply

    def letter(prefix, received, status, replied=None):
        made = Letter.objects.create(subject="来信", content="内容", name="市民", department=departments[prefix],
                                     received_at=received, due_date=received.date() + timedelta(days=20),
                                     status=status)
        if replied:
            Reply.objects.create(letter=made, department=departments[prefix], text="答复", approved_at=replied)
        return made

    letter("jyj", at(2019, 3, 4, 9), Letter.Status.PUBLISHED, at(2019, 3, 8, 16))
    letter("wjj", at(2019, 6, 3, 9), Letter.Status.REPLIED, at(2019, 6, 12, 16))
    letter("jyj", at(2019, 11, 4, 9), Letter.Status.FORWARDED)
    letter("jyj", at(2020, 1, 6, 9), Letter.Status.FORWARDED)  # next year
    letter("jyj", at(2019, 5, 6, 9), Letter.Status.CLOSED)  # invalid: not counted
    days = [working_days_between(date(2019, 3, 4), date(2019, 3, 8)),
            working_days_between(date(2019, 6, 3), date(2019, 6, 12))]
    return round(sum(days) / 2, 1)


def _consultations(departments):
    from plugins.consultation.models import Consultation, Submission

    def consultation(prefix, starts, result=None):
        with tenant_context(departments[prefix]):
            return Consultation.objects.create(
                title="征求意见", draft="征求意见稿", purpose="目的", usage="采纳方式", starts_at=starts,
                ends_at=starts + timedelta(days=30), published_at=starts, result_published_at=result)

    opinion = consultation("jyj", at(2019, 4, 1, 9), result=at(2019, 5, 10, 9))
    consultation("wjj", at(2019, 11, 20, 9))
    consultation("jyj", at(2018, 11, 1, 9), result=at(2019, 1, 10, 9))  # opened last year, result this year
    with tenant_context(departments["jyj"]):
        for status in (Submission.Status.APPROVED, Submission.Status.PENDING, Submission.Status.REJECTED):
            Submission.objects.create(consultation=opinion, content="意见", status=status,
                                      submitted_at=at(2019, 4, 2, 9))


def _interviews(departments):
    from plugins.interviews.models import Interview, Question

    held = Interview.objects.create(department=departments["jyj"], title="访谈", starts_at=at(2019, 7, 1, 10),
                                    ends_at=at(2019, 7, 1, 11), status=Interview.Status.ENDED)
    Interview.objects.create(department=departments["wjj"], title="未发布的访谈", starts_at=at(2019, 8, 1, 10),
                             ends_at=at(2019, 8, 1, 11), status=Interview.Status.DRAFT)
    for number, status in enumerate([Question.Status.PUBLISHED, Question.Status.PUBLISHED, Question.Status.PENDING]):
        Question.objects.create(interview=held, nickname="网友", text=f"问题{number}", submitted_at=at(2019, 7, 1, 10),
                                status=status, answer="答复" if status == Question.Status.PUBLISHED else "",
                                published_at=at(2019, 7, 1, 10, 30) if status == Question.Status.PUBLISHED else None)


def _security(departments):
    from portal.operations.models import Incident

    from plugins.inspection.models import AvailabilityProbe, InspectionRun

    for started, status in [(at(2019, 2, 1, 2), "done"), (at(2019, 9, 1, 2), "done"), (at(2019, 10, 1, 2), "failed")]:
        InspectionRun.objects.create(started_at=started, status=status)
    for moment in (at(2019, 3, 1, 8), at(2019, 3, 1, 9), at(2019, 3, 2, 8)):
        AvailabilityProbe.objects.create(department=departments["jyj"], time=moment, ok=True)
    Incident.objects.create(kind="site_down", key="statement-test-1", title="网站无法访问",
                            detected_at=at(2019, 5, 1, 9), resolved_at=at(2019, 5, 2, 9))
    Incident.objects.create(kind="tamper", key="statement-test-2", title="网页被篡改", detected_at=at(2019, 12, 30, 9))
    Incident.objects.create(kind="backup_failure", key="statement-test-3", title="备份失败",
                            detected_at=at(2018, 12, 30, 9), resolved_at=at(2019, 1, 2, 9))


def _newmedia(departments):
    from portal.newmedia.models import Account, MonthlyFigure

    wechat = Account.objects.create(platform="wechat", name="源城教育", department=departments["jyj"],
                                    opened_on=date(2018, 1, 1))
    for month, posts, followers in [(date(2019, 1, 1), 10, 1000), (date(2019, 12, 1), 5, 1200),
                                    (date(2020, 1, 1), 77, 1300)]:
        MonthlyFigure.objects.create(account=wechat, month=month, posts=posts, followers=followers)


@pytest.fixture
def fixture_year(departments):
    _items(departments)
    _topics(departments)
    _visits(departments)
    _consultations(departments)
    _interviews(departments)
    _security(departments)
    _newmedia(departments)
    return {"letters_avg_days": _letters(departments)}


def _values(statement) -> dict[str, str]:
    return {row["key"]: row["value"] for section in sections(statement) for row in section["rows"]}


def test_every_computed_field_is_what_the_fixture_year_says(fixture_year, departments):
    from portal.statement.service import generate

    from themes.services import live_theme

    security = User.objects.create_user("statement_security", password="Test-passw0rd!")
    statement = generate(YEAR, user=User.objects.get(username="center_admin"))
    theme = live_theme()
    values = _values(statement)
    assert {key: values[key] for key in (
        "site_name", "homepage_url", "sponsor", "site_code", "icp_number", "police_number")} == {
        "site_name": theme.site_name, "homepage_url": f"{departments['www'].base_url}/", "sponsor": theme.sponsor,
        "site_code": theme.site_code, "icp_number": theme.icp_number, "police_number": theme.police_number}
    assert statement.title == f"{theme.site_name}2019年政府网站工作年度报表"
    expected = {
        "unique_visitors": "60", "page_views": "150",
        "items_total": "11", "items_about": "1", "items_news": "5", "items_disclosure": "2",
        "topics_maintained": "2", "topics_opened": "1",
        # 解读材料 from the data; the total adds the hand-entered parts (none entered yet).
        "interpretation_materials": "2", "interpretation_total": "2", "interpretation_products": "未填写",
        "unified_platform": "是", "letters_received": "3", "letters_closed": "2", "letters_published": "1",
        "letters_avg_days": str(fixture_year["letters_avg_days"]),
        "consultation_periods": "2", "consultation_opinions": "2", "consultation_results": "2",
        "interviews": "1", "interview_questions": "3", "interview_answers": "2",
        "security_checks": "4", "problems_found": "2", "problems_fixed": "2", "monitoring": "是",
        "security_officer": "否",  # nobody holds 安全管理员 in the test district yet
        "has_newmedia": "是", "wechat": "源城教育（发布 15 条，关注 1200）", "weibo": "无", "other": "无",
        "search_service": "是", "accessibility": "是", "emergency_drill": "未填写",
    }
    assert {key: values[key] for key in expected} == expected

    # Each row says where it comes from and how it was computed.
    rows = {row["key"]: row for section in sections(statement) for row in section["rows"]}
    assert rows["page_views"]["source"] == "平台统计" and "爬虫" in rows["page_views"]["how"]
    assert rows["cases_total"]["source"] == "人工填写"
    assert [section["title"] for section in sections(statement)] == [
        "基本信息", "信息发布", "专栏专题", "解读回应", "办事服务", "互动交流", "安全防护", "移动新媒体", "创新发展"]

    # The data changes and the draft is recounted: what was entered by hand stays.
    from portal.accounts.models import CentralRoleAssignment

    from plugins.mailbox.models import Letter

    statement.data["manual"] = {"interpretation_products": 4}
    statement.save()
    CentralRoleAssignment.objects.create(user=security, role="security_admin")  # as after dual approval
    Letter.objects.create(subject="来信", content="内容", name="市民", department=departments["wjj"],
                          received_at=at(2019, 12, 2, 9))
    values = _values(generate(YEAR, user=User.objects.get(username="center_admin")))
    assert values["security_officer"] == "是" and values["letters_received"] == "4"
    assert values["interpretation_products"] == "4" and values["interpretation_total"] == "6"


def test_a_function_no_site_uses_is_not_run_rather_than_zero(fixture_year, departments):
    from portal.plugins import set_enabled
    from portal.statement.service import generate

    from tenants.models import Department

    sites = [department for department in Department.objects.all() if department.is_site]
    for department in sites:
        set_enabled(department, "interviews", False)
    set_enabled(departments["jyj"], "consultation", False)  # the other sites still use it
    values = _values(generate(YEAR, user=User.objects.get(username="center_admin")))
    assert [values[key] for key in ("interviews", "interview_questions", "interview_answers")] == ["未开展"] * 3
    assert values["consultation_periods"] == "1" and values["consultation_results"] == "0"
    for department in sites:
        set_enabled(department, "mailbox", False)
    values = _values(generate(YEAR, user=User.objects.get(username="center_admin")))
    assert values["unified_platform"] == "否" and values["letters_received"] == "未开展"


def test_the_centre_drafts_the_office_publishes_on_the_portal_homepage(fixture_year, departments, office):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    centre = login("center_admin")
    assert login("jyj_editor").get("/admin/statement/", HTTP_HOST=host("jyj")).status_code == 404
    page = centre.get("/admin/statement/", HTTP_HOST=WWW)
    assert page.status_code == 200 and "生成或重新统计" in page.content.decode()
    refused = centre.post("/admin/statement/", {"year": "二〇一九"}, HTTP_HOST=WWW)
    assert refused.status_code == 400 and "年度应为四位数字" in refused.content.decode()
    refused = centre.post("/admin/statement/", {"year": "2999"}, HTTP_HOST=WWW)
    assert refused.status_code == 400 and "还没有开始" in refused.content.decode()
    response = centre.post("/admin/statement/", {"year": str(YEAR)}, HTTP_HOST=WWW)
    assert response.status_code == 302 and response["Location"].endswith(f"/admin/statement/{YEAR}/")

    # Hand entries: what is wrong is refused in Chinese, what was right stays in the form.
    wrong = {**MANUAL, "registered_users": "很多", "cases_total": "100"}
    page = centre.post(f"/admin/statement/{YEAR}/", wrong, HTTP_HOST=WWW)
    text = page.content.decode()
    assert page.status_code == 400
    assert "“注册用户数（单位：个）”应为不小于 0 的整数" in text and "办件量总数不能小于" in text
    assert 'value="1200"' in text and Statement.objects.get(year=YEAR).data["manual"] == {}

    partial = {**MANUAL, "emergency_drill": "", "cases_total": ""}
    assert centre.post(f"/admin/statement/{YEAR}/", partial, HTTP_HOST=WWW).status_code == 302
    # The centre may not publish; the office may not before everything is entered.
    centre.post(f"/admin/statement/{YEAR}/publish/", HTTP_HOST=WWW)
    assert Statement.objects.get(year=YEAR).status == "draft"
    office_client = login(office)
    page = office_client.post(f"/admin/statement/{YEAR}/publish/", HTTP_HOST=WWW, follow=True).content.decode()
    assert "不能发布" in page and "是否开展应急演练" in page and "办件量总数" in page
    assert Statement.objects.get(year=YEAR).status == "draft"
    assert centre.get("/statement/", HTTP_HOST=WWW).content.decode().count(f"/statement/{YEAR}/") == 0

    office_client.post(f"/admin/statement/{YEAR}/", MANUAL, HTTP_HOST=WWW)
    office_client.post(f"/admin/statement/{YEAR}/publish/", HTTP_HOST=WWW)
    statement = Statement.objects.get(year=YEAR)
    assert statement.status == "published" and statement.published_by == office
    values = _values(statement)
    assert values["interpretation_total"] == "9" and values["registered_users"] == "52000"
    assert values["emergency_drill"] == "是" and values["smart_qa"] == "否" and values["innovation_other"] == "无"

    # Published: on the portal's homepage, as a page, a PDF and a spreadsheet; nothing changes it.
    visitor = Client()
    home = visitor.get("/", HTTP_HOST=WWW).content.decode()
    assert f'<a href="/statement/{YEAR}/">{statement.title}</a>' in home
    page = visitor.get(f"/statement/{YEAR}/", HTTP_HOST=WWW).content.decode()
    assert statement.title in page and '<td class="value">150</td>' in page and "人工填写" in page
    pdf = visitor.get(f"/statement/{YEAR}.pdf", HTTP_HOST=WWW)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "".join(statement.title.split()) in "".join(text.split()) and "52000" in text
    sheet = load_workbook(io.BytesIO(visitor.get(f"/statement/{YEAR}.xlsx", HTTP_HOST=WWW).content)).active
    rows = {row[1]: row[2] for row in sheet.iter_rows(values_only=True)}
    assert rows["网站总访问量（单位：次）"] == "150" and rows["办件量总数（单位：件）"] == "30000"
    assert visitor.get(f"/statement/{YEAR}/", HTTP_HOST=host("jyj")).status_code == 404
    centre.post(f"/admin/statement/{YEAR}/regenerate/", HTTP_HOST=WWW)
    office_client.post(f"/admin/statement/{YEAR}/", {**MANUAL, "registered_users": "1"}, HTTP_HOST=WWW)
    assert _values(Statement.objects.get(year=YEAR)) == values

    from portal.audit.models import AuditEvent

    assert set(AuditEvent.objects.filter(target=f"statement:{YEAR}").values_list("event", flat=True)) == {
        "statement_generate", "statement_edit", "statement_publish"}


def test_the_inspection_flags_a_missing_statement_from_the_first_of_february(departments, office):
    from portal.statement import service

    portal = departments["www"]
    assert statement_missing(portal, today=date(2020, 1, 31)) == []
    [finding] = statement_missing(portal, today=date(2020, 2, 1))
    assert finding["item"] == "annual_statement" and "2019年政府网站工作年度报表" in finding["title"]
    assert statement_missing(departments["jyj"], today=date(2020, 2, 1)) == []  # the portal's duty
    statement = service.generate(YEAR, user=User.objects.get(username="center_admin"))
    service.enter(statement, {key: (1 if key != "innovation_other" else None) for key in MANUAL}, user=office)
    service.publish(statement, user=office)
    assert statement_missing(portal, today=date(2020, 2, 1)) == []
    # The check reaches the inspection through the plugin hooks.
    from portal.plugins import inspection_checks

    assert statement_missing in inspection_checks(portal)
