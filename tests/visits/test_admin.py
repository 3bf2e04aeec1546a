"""The 访问统计 screen: the centre sees every site with charts, top pages and search terms; a
department's people see their own site only; a wrong period is a Chinese 400, never a 500."""

from datetime import date

from django.utils import timezone
from portal.accounts.models import User
from portal.visits.models import ColumnVisits, PageVisits, SiteVisits

from search.models import QueryLog

JYJ, WWW = "jyj.localhost", "www.localhost"


def _counters(departments):
    day = timezone.localdate()
    for prefix, views, path, title in (("jyj", 120, "/news/sample-1/", "教育局招生通知"),
                                       ("wjj", 45, "/notices/sample-2/", "卫健局疫苗接种公告")):
        department = departments[prefix]
        SiteVisits.objects.create(department=department, day=day, page_views=views, unique_visitors=views // 3)
        PageVisits.objects.create(department=department, day=day, path=path, title=title,
                                  column_path="/" + path.split("/")[1] + "/", page_views=views,
                                  unique_visitors=views // 3)
        ColumnVisits.objects.create(department=department, day=day, column_path="/" + path.split("/")[1] + "/",
                                    column_title=f"{department.name}栏目", page_views=views,
                                    unique_visitors=views // 3)
    for word, times, scope in (("学位申请", 3, "jyj"), ("核酸检测", 2, "wjj")):
        for _ in range(times):
            QueryLog.objects.create(query=word, department=scope, total=1, backend="elasticsearch")


def test_the_centre_sees_every_site(client, departments):
    _counters(departments)
    client.force_login(User.objects.get(username="center_admin"))
    response = client.get("/admin/visits/", HTTP_HOST=WWW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "访问统计" in html and "网站总访问量" in html and "<td>165</td>" in html  # 120 + 45
    assert "区教育局" in html and "区卫生健康局" in html and "各网站访问量" in html
    assert "教育局招生通知" in html and "卫健局疫苗接种公告" in html
    assert "学位申请" in html and "核酸检测" in html
    assert html.count("<svg") >= 3  # per day (views, visitors) and per site

    one_site = client.get("/admin/visits/", {"department": "wjj"}, HTTP_HOST=WWW).content.decode()
    assert "卫健局疫苗接种公告" in one_site and "教育局招生通知" not in one_site and "学位申请" not in one_site


def test_a_department_sees_only_its_own_site(client, departments):
    _counters(departments)
    client.force_login(User.objects.get(username="jyj_editor"))
    menu = client.get("/admin/", HTTP_HOST=JYJ).content.decode()
    assert "/admin/visits/" in menu and ("访问统计" in menu or "\\u8bbf\\u95ee\\u7edf\\u8ba1" in menu)
    for query in ({}, {"department": "wjj"}):  # asking for another site changes nothing
        html = client.get("/admin/visits/", query, HTTP_HOST=JYJ).content.decode()
        assert "教育局招生通知" in html and "<td>120</td>" in html and "学位申请" in html
        assert "卫健局疫苗接种公告" not in html and "区卫生健康局" not in html and "核酸检测" not in html


def test_a_wrong_period_is_a_chinese_400(client, departments):
    client.force_login(User.objects.get(username="jyj_head"))
    response = client.get("/admin/visits/", {"start": "2026-13-40"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "开始日期格式应为" in response.content.decode()
    response = client.get("/admin/visits/", {"start": "2026-03-01", "end": "2026-02-01"}, HTTP_HOST=JYJ)
    html = response.content.decode()
    assert response.status_code == 400 and "开始日期不能晚于结束日期" in html and 'value="2026-03-01"' in html


def test_a_long_period_is_drawn_month_by_month(client, departments):
    SiteVisits.objects.create(department=departments["jyj"], day=date(2025, 3, 5), page_views=77, unique_visitors=7)
    client.force_login(User.objects.get(username="jyj_head"))
    html = client.get("/admin/visits/", {"start": "2025-01-01", "end": "2025-12-31"}, HTTP_HOST=JYJ).content.decode()
    assert "每月访问量" in html and "2025-03" in html and "<td>77</td>" in html
