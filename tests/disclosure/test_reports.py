"""The annual report on a fixture year with known counts: tables, balance check, page and PDF."""

import io
import re
from datetime import date, datetime

import pytest
from django.test import Client
from portal.accounts.models import User

from plugins.disclosure import applications
from plugins.disclosure.models import AnnualReport

from .helpers import SHANGHAI, make_entry
from .test_applications import applicant_data

JYJ = "jyj.localhost"
WWW = "www.localhost"
ADMIN = "/admin/plugins/disclosure/reports/"


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def handled(department, received, applicant_type="person", decision=None, answered=None, head=None):
    application = applications.submit(department=department, data=applicant_data(applicant_type=applicant_type,
                                                                                   contact_person="联系人"),
                                      received_on=received)
    if decision:
        applications.decide(application, decision=decision, reason="依据条例相关规定", answer="答复内容",
                            user=head, on=answered)
    return application


@pytest.fixture
def fixture_year(departments):
    """区教育局's 2025: 5 new applications, 2 carried over from 2024, 5 handled, 2 carried forward;
    3 catalogue entries published in 2025 (2 notices, 1 report)."""
    jyj, wjj = departments["jyj"], departments["wjj"]
    head = User.objects.get(username="jyj_head")
    handled(jyj, date(2024, 3, 1), decision="disclose", answered=date(2024, 3, 20), head=head)  # all in 2024
    handled(jyj, date(2024, 12, 20), decision="disclose", answered=date(2025, 1, 10), head=head)
    handled(jyj, date(2024, 12, 25), "business", decision="refuse", answered=date(2025, 1, 15), head=head)
    handled(jyj, date(2025, 2, 10), decision="disclose", answered=date(2025, 3, 1), head=head)
    handled(jyj, date(2025, 4, 1), decision="partial", answered=date(2025, 4, 20), head=head)
    handled(jyj, date(2025, 12, 1))  # still open at the end of the year
    handled(jyj, date(2025, 6, 3), "research", decision="unavailable", answered=date(2025, 6, 20), head=head)
    handled(jyj, date(2025, 12, 29), "legal_service", decision="disclose", answered=date(2026, 1, 5), head=head)
    handled(wjj, date(2025, 5, 5), decision="disclose", answered=date(2025, 5, 20),
            head=User.objects.get(username="center_admin"))  # 区卫生健康局 has no 负责人 here
    when = datetime(2025, 6, 1, 9, 0, tzinfo=SHANGHAI)
    make_entry(jyj, "2025年招生工作通知", genre="notice", when=when)
    make_entry(jyj, "2025年教师招聘通知", genre="notice", when=when)
    make_entry(jyj, "2024年部门决算报告", genre="report", when=when)
    make_entry(jyj, "2026年春季开学通知", genre="notice", when=datetime(2026, 2, 1, 9, 0, tzinfo=SHANGHAI))
    return jyj


def table_rows(html, table_id):
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        label = re.search(r"<th[^>]*>(.*?)</th>", row)
        if label and label.group(1):
            rows[label.group(1)] = [int(cell) for cell in re.findall(r"<td[^>]*>(\d+)</td>", row)]
    return rows


def generate(client, host, year=2025):
    response = client.post(ADMIN, {"year": year}, HTTP_HOST=host)
    assert response.status_code == 302, response.content.decode()
    return AnnualReport.objects.get(pk=int(re.search(r"/reports/(\d+)/", response["Location"]).group(1)))


def form_values(html):
    """Every input of the report form as the page shows it (what the person would submit)."""
    values = dict(re.findall(r'<input type="number" name="([^"]+)" value="(\d+)"', html))
    values.update(overview="本年度依法做好政府信息公开工作。", problems="部分答复说理不够充分。")
    return values


def test_report_tables_from_the_fixture_year(db, fixture_year):
    from plugins.disclosure.reports import imbalances

    head = login("jyj_head")
    report = generate(head, JYJ)
    assert report.department == fixture_year and report.status == AnnualReport.Status.DRAFT
    requests = report.data["requests"]
    assert requests["new"] == {"person": 3, "business": 0, "research": 1, "public_interest": 0,
                               "legal_service": 1, "other_organisation": 0}
    assert requests["carried_over"]["person"] == 1 and requests["carried_over"]["business"] == 1
    assert requests["result_disclose"]["person"] == 2 and requests["result_partial"]["person"] == 1
    assert requests["result_refuse"]["business"] == 1 and requests["result_unavailable"]["research"] == 1
    assert requests["carried_forward"]["person"] == 1 and requests["carried_forward"]["legal_service"] == 1
    assert report.data["proactive"]["by_genre"]["notice"] == 2 and report.data["proactive"]["total"] == 3
    assert imbalances(report.data) == []

    page = head.get(f"{ADMIN}{report.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "申请情况表不平衡" not in page
    assert 'name="requests__new__person" value="3"' in page


def test_an_unbalanced_report_is_refused_then_published_as_page_and_pdf(db, fixture_year):
    from pypdf import PdfReader

    head = login("jyj_head")
    report = generate(head, JYJ)
    values = form_values(head.get(f"{ADMIN}{report.pk}/", HTTP_HOST=JYJ).content.decode())
    values["review__review__upheld"] = "1"  # entered by hand
    values["requests__carried_forward__person"] = "0"  # someone forgot the open application
    assert head.post(f"{ADMIN}{report.pk}/", values, HTTP_HOST=JYJ).status_code == 302
    page = head.get(f"{ADMIN}{report.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "申请情况表不平衡" in page and "自然人：新收 3 + 上年结转 1 = 4，但办理结果 3 + 结转下年 0 = 3" in page

    response = head.post(f"{ADMIN}{report.pk}/publish/", HTTP_HOST=JYJ, follow=True)
    assert "不能发布" in response.content.decode()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT
    assert Client().get(f"/catalogue/reports/{report.pk}/", HTTP_HOST=JYJ).status_code == 404

    bad = dict(values, requests__new__person="-1")
    refused = head.post(f"{ADMIN}{report.pk}/", bad, HTTP_HOST=JYJ)
    assert refused.status_code == 400 and "不能为负数" in refused.content.decode()

    values["requests__carried_forward__person"] = "1"
    head.post(f"{ADMIN}{report.pk}/", values, HTTP_HOST=JYJ)
    head.post(f"{ADMIN}{report.pk}/publish/", HTTP_HOST=JYJ)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED and report.published_by.username == "jyj_head"
    assert head.post(f"{ADMIN}{report.pk}/", values, HTTP_HOST=JYJ).status_code == 400  # published: frozen

    public = Client().get(f"/catalogue/reports/{report.pk}/", HTTP_HOST=JYJ).content.decode()
    rows = table_rows(public, "request-table")
    assert rows["一、本年新收政府信息公开申请数量"] == [3, 0, 1, 0, 1, 0, 5]
    assert rows["二、上年结转政府信息公开申请数量"] == [1, 1, 0, 0, 0, 0, 2]
    assert rows["三、本年度办理结果：合计"] == [3, 1, 1, 0, 0, 0, 5]
    assert rows["四、结转下年度继续办理"] == [1, 0, 0, 0, 1, 0, 2]
    assert table_rows(public, "review-table")["行政复议"] == [1, 0, 0, 0, 1]
    assert "部分答复说理不够充分" in public
    # The portal lists every department's published reports; another department's site does not.
    assert report.title in Client().get("/catalogue/reports/", HTTP_HOST=WWW).content.decode()
    assert Client().get(f"/catalogue/reports/{report.pk}/", HTTP_HOST="wjj.localhost").status_code == 404

    pdf = Client().get(f"/catalogue/reports/{report.pk}/pdf/", HTTP_HOST=JYJ)
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "区教育局2025年政府信息公开工作年度报告" in text
    assert "本年新收政府信息公开申请数量" in text and "结转下年度继续办理" in text
    assert "部分答复说理不够充分" in text


def test_district_report_counts_every_department(db, fixture_year):
    centre = login("center_admin")
    report = generate(centre, WWW)
    assert report.department is None and report.title.startswith("源城区人民政府2025年")
    assert sum(report.data["requests"]["new"].values()) == 6  # 5 of 区教育局 + 1 of 区卫生健康局
    # A department cannot open the district's report, nor another department's.
    assert login("jyj_head").get(f"{ADMIN}{report.pk}/", HTTP_HOST=JYJ).status_code == 404
    department_report = generate(login("jyj_head"), JYJ)
    assert login("wjj_editor").get(f"{ADMIN}{department_report.pk}/",
                                   HTTP_HOST="wjj.localhost").status_code == 404


def test_only_the_head_publishes_and_the_report_meets_the_confidentiality_gate(db, fixture_year):
    from pypdf import PdfReader

    head, editor = login("jyj_head"), login("jyj_editor")
    report = generate(head, JYJ)
    values = form_values(head.get(f"{ADMIN}{report.pk}/", HTTP_HOST=JYJ).content.decode())
    values["overview"] = '经办人身份证号码 110105198001011238，联系电话见附件。<img src="/etc/passwd"> a<b'
    assert editor.post(f"{ADMIN}{report.pk}/", values, HTTP_HOST=JYJ).status_code == 302  # drafting is shared

    # The editor may draft, not publish: refused, nothing changes.
    assert "年报须由本单位负责人发布" in editor.get(f"{ADMIN}{report.pk}/", HTTP_HOST=JYJ).content.decode()
    refused = editor.post(f"{ADMIN}{report.pk}/publish/", HTTP_HOST=JYJ)
    assert refused.status_code == 403 and "只有本单位负责人或区信息中心可以发布信息公开年报" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT

    # The head's publish meets the 保密 scan: the ID number in the text stops it.
    response = head.post(f"{ADMIN}{report.pk}/publish/", HTTP_HOST=JYJ, follow=True).content.decode()
    assert "须经保密审查同意后才能发布" in response and "身份证号码 1101**********1238" in response
    assert "年报“总体情况”" in response
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT
    assert Client().get(f"/catalogue/reports/{report.pk}/", HTTP_HOST=JYJ).status_code == 404

    values["overview"] = '经办人信息已删除。<img src="/etc/passwd"> a<b'
    head.post(f"{ADMIN}{report.pk}/", values, HTTP_HOST=JYJ)
    head.post(f"{ADMIN}{report.pk}/publish/", HTTP_HOST=JYJ)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED and report.published_by.username == "jyj_head"
    # What the head typed is shown as text in the PDF, never read as markup.
    pdf = Client().get(f"/catalogue/reports/{report.pk}/pdf/", HTTP_HOST=JYJ)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert '<img src="/etc/passwd">' in text and "a<b" in text
