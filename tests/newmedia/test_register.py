"""The 政务新媒体 register: the centre's screens, the spreadsheet import, the portal's 政务新媒体矩阵,
the quarter check and the yearly figures the 年度报表 reads, on the committed district of conftest."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from PIL import Image
from portal.accounts.models import User
from portal.newmedia.checks import accounts_without_figures
from portal.newmedia.figures import yearly_accounts
from portal.newmedia.models import Account, MonthlyFigure

from tests.conftest import host

pytestmark = pytest.mark.django_db


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def account(departments, name, platform="wechat", prefix="jyj", opened=date(2020, 1, 1), closed=None, **extra):
    return Account.objects.create(
        platform=platform, name=name, department=departments[prefix], opened_on=opened, closed_on=closed,
        status=Account.Status.CLOSED if closed else Account.Status.OPERATING, **extra,
    )


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "black").save(buffer, "PNG")
    return buffer.getvalue()


# -- yearly figures ---------------------------------------------------------------------------------------
def test_yearly_accounts_are_the_accounts_open_in_the_year_with_their_posts_and_last_followers(departments):
    wechat = account(departments, "源城教育", "wechat")
    weibo = account(departments, "健康源城", "weibo", prefix="wjj", closed=date(2025, 6, 30))
    account(departments, "旧教育号", "weibo", closed=date(2024, 12, 31))  # closed before the year
    account(departments, "新开号", "other", opened=date(2026, 2, 1), platform_name="抖音")  # opened after
    for month, posts, followers in [(date(2024, 12, 1), 99, 900), (date(2025, 1, 1), 10, 1000),
                                    (date(2025, 6, 1), 20, 1100), (date(2025, 12, 1), 5, 1200),
                                    (date(2026, 1, 1), 77, 1300)]:
        MonthlyFigure.objects.create(account=wechat, month=month, posts=posts, followers=followers)
    MonthlyFigure.objects.create(account=weibo, month=date(2025, 3, 1), posts=40, followers=300)

    figures = yearly_accounts(date(2025, 1, 1), date(2025, 12, 31))

    assert list(figures) == ["weibo", "wechat", "other"]
    assert figures["wechat"]["label"] == "微信"
    assert figures["wechat"]["accounts"] == [{"name": "源城教育", "platform_label": "微信", "department": "区教育局",
                                              "posts": 35, "followers": 1200}]
    assert [a["name"] for a in figures["weibo"]["accounts"]] == ["健康源城"]  # closed mid-year still counts
    assert (figures["weibo"]["posts"], figures["weibo"]["followers"]) == (40, 300)
    assert figures["other"] == {"label": "其他", "accounts": [], "posts": 0, "followers": 0}


# -- the quarter check ------------------------------------------------------------------------------------
def test_operating_accounts_without_figures_for_the_last_quarter_are_flagged(departments):
    complete = account(departments, "源城教育")
    partial = account(departments, "教育发布", "weibo")
    account(departments, "已关停号", closed=date(2026, 5, 1))
    account(departments, "卫健号", prefix="wjj")  # another department's account
    for month in (7, 8, 9):
        MonthlyFigure.objects.create(account=complete, month=date(2026, month, 1), posts=3, followers=10)
    MonthlyFigure.objects.create(account=partial, month=date(2026, 7, 1), posts=3, followers=10)

    findings = accounts_without_figures(departments["jyj"], today=date(2026, 12, 3))

    assert [f["title"] for f in findings] == ["政务新媒体账号“教育发布”（微博）缺少2026年第3季度的月度数据"]
    assert "2026年8月、2026年9月" in findings[0]["evidence"]
    assert findings[0]["key"] == f"newmedia:{partial.pk}:2026-07"
    # In January the last quarter is the previous year's fourth.
    january = accounts_without_figures(departments["jyj"], today=date(2027, 1, 5))
    assert january and all(f["title"].endswith("缺少2026年第4季度的月度数据") for f in january)


def test_the_daily_inspection_records_the_quarter_check_as_a_finding(departments):
    """The check reaches the inspection through the `inspection_checks` hook, like a plugin's."""
    from plugins.inspection.service import hook_findings

    account(departments, "源城教育")  # operating since 2020, no figures at all

    found = [f for f in hook_findings(departments["jyj"]) if f["item"] == "newmedia"]

    assert [f["title"].split("缺少")[0] for f in found] == ["政务新媒体账号“源城教育”（微信）"]
    assert not [f for f in hook_findings(departments["wjj"]) if f["item"] == "newmedia"]


# -- import -----------------------------------------------------------------------------------------------
def test_import_keeps_valid_rows_and_names_each_refused_row_in_chinese(departments):
    wechat = account(departments, "源城教育")
    account(departments, "源城抖音", "other", platform_name="抖音")
    MonthlyFigure.objects.create(account=wechat, month=date(2026, 1, 1), posts=1, followers=1)
    data = workbook([
        ["平台", "账号名称", "月份", "发布量", "关注量"],
        ["微信", "源城教育", "2026-01", 30, 5000],          # replaces the figures entered by hand
        ["微信", "源城教育", date(2026, 2, 1), 25, 5100],
        ["抖音", "源城抖音", "2026年2月", "12", "800"],
        ["微信", "不存在的号", "2026-02", 1, 1],
        ["微信", "源城教育", "2026-13", 1, 1],
        ["微信", "源城教育", "2026-03", -4, 1],
    ])
    response = login("center_admin").post(
        "/admin/newmedia/figures/import/", {"file": SimpleUploadedFile("数据.xlsx", data)}, HTTP_HOST=host("www"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "已保存 3 行，3 行未导入" in page
    assert "第 5 行" in page and "未登记的账号“不存在的号”" in page
    assert "第 6 行" in page and "月份“2026-13”不存在" in page
    assert "第 7 行" in page and "发布量“-4”不是非负整数" in page
    saved = {(f.account.name, f"{f.month:%Y-%m}"): (f.posts, f.followers) for f in MonthlyFigure.objects.all()}
    assert saved == {("源城教育", "2026-01"): (30, 5000), ("源城教育", "2026-02"): (25, 5100),
                     ("源城抖音", "2026-02"): (12, 800)}


def test_import_refuses_a_file_that_is_not_a_workbook_or_lacks_columns(departments):
    client = login("center_admin")
    response = client.post("/admin/newmedia/figures/import/",
                           {"file": SimpleUploadedFile("数据.xlsx", b"not a workbook")}, HTTP_HOST=host("www"))
    assert response.status_code == 400 and "请上传 Excel 工作簿（.xlsx）" in response.content.decode()
    response = client.post("/admin/newmedia/figures/import/",
                           {"file": SimpleUploadedFile("数据.xlsx", workbook([["平台", "账号名称"]]))},
                           HTTP_HOST=host("www"))
    assert response.status_code == 400 and "表头缺少以下列：月份、发布量、关注量" in response.content.decode()


# -- the centre's screens ---------------------------------------------------------------------------------
def test_only_the_centre_keeps_the_register(departments):
    for url in ("/admin/newmedia/accounts/", "/admin/newmedia/figures/", "/admin/newmedia/figures/import/"):
        assert login("jyj_editor").get(url, HTTP_HOST=host("jyj")).status_code == 403
        assert login("center_admin").get(url, HTTP_HOST=host("www")).status_code == 200


def test_the_centre_registers_an_account_with_its_qr_picture_and_gets_chinese_errors(departments):
    client = login("center_admin")
    form = {"platform": "wechat", "platform_name": "", "name": "源城教育", "department": departments["jyj"].pk,
            "status": "closed", "url": "https://mp.weixin.qq.com/yuancheng", "opened_on": "2024-01-01",
            "closed_on": ""}
    refused = client.post("/admin/newmedia/accounts/new/", form, HTTP_HOST=host("www"))
    assert refused.status_code == 400 and "状态为关停时请填写关停日期" in refused.content.decode()
    assert "源城教育" in refused.content.decode()  # what was typed is kept

    not_a_picture = client.post("/admin/newmedia/accounts/new/", {
        **form, "status": "operating", "qr_upload": SimpleUploadedFile("qr.png", b"text")}, HTTP_HOST=host("www"))
    assert not_a_picture.status_code == 400 and "无法识别该图片" in not_a_picture.content.decode()

    created = client.post("/admin/newmedia/accounts/new/", {
        **form, "status": "operating", "qr_upload": SimpleUploadedFile("qr.png", png())}, HTTP_HOST=host("www"))
    assert created.status_code == 302
    saved = Account.objects.get(name="源城教育")
    assert bytes(saved.qr_image) == png() and saved.qr_content_type == "image/png"


# -- the public 政务新媒体矩阵 ------------------------------------------------------------------------------
def test_the_portal_shows_the_operating_accounts_and_follows_changes(departments):
    account(departments, "源城教育", url="https://mp.weixin.qq.com/yuancheng", qr_image=png(),
            qr_content_type="image/png")
    account(departments, "旧教育号", "weibo", closed=date(2024, 12, 31))
    visitor = Client()

    page = visitor.get("/newmedia/", HTTP_HOST=host("www"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "政务新媒体矩阵" in text and "源城教育" in text and "主办单位：区教育局" in text
    assert 'alt="“源城教育”二维码"' in text and "data:image/png;base64," in text
    assert "旧教育号" not in text  # closed accounts are not on the matrix

    account(departments, "健康源城", "weibo", prefix="wjj")
    assert "健康源城" in visitor.get("/newmedia/", HTTP_HOST=host("www")).content.decode()
    assert visitor.get("/newmedia/", HTTP_HOST=host("jyj")).status_code == 404
