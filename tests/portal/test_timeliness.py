"""主动公开: items published more than 20 working days after the information date are shown."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django_tenants.utils import tenant_context
from portal.accounts.models import User
from portal.pages.models import ArticlePage, ColumnPage

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _publish(department, title, information_date, publish_time):
    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug="policies")
        article = ArticlePage(title=title, slug=title, information_date=information_date, publish_time=publish_time,
                              body=[("text", "<p>正文</p>")])
        column.add_child(instance=article)
        article.save_revision().publish()


def test_late_items_are_listed_with_the_working_day_count(client, departments):
    # 2025-09-30 + 20 working days (National Day holiday in between) = 2025-11-04.
    _publish(departments["jyj"], "按时公开的文件", date(2025, 9, 30), datetime(2025, 11, 4, 10, tzinfo=SHANGHAI))
    _publish(departments["jyj"], "超期公开的文件", date(2025, 9, 30), datetime(2025, 11, 5, 10, tzinfo=SHANGHAI))
    _publish(departments["wjj"], "卫健局超期文件", date(2025, 6, 3), datetime(2025, 8, 1, 10, tzinfo=SHANGHAI))
    client.force_login(User.objects.get(username="jyj_head"))
    html = client.get("/admin/timeliness/", HTTP_HOST="jyj.localhost").content.decode()
    assert "超期公开的文件" in html and "2025-11-04" in html and "<td>21</td>" in html
    assert "按时公开的文件" not in html
    assert "卫健局超期文件" not in html  # another department's items stay out of sight
    center = type(client)()
    center.force_login(User.objects.get(username="center_admin"))
    html = center.get("/admin/timeliness/", HTTP_HOST="www.localhost").content.decode()
    assert "超期公开的文件" in html and "卫健局超期文件" in html and "区卫生健康局" in html
