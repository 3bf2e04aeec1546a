"""专题专栏: the 专题 page type under a department's homepage, shown to visitors as a column with its
banner and dates, and the yearly 维护数量 / 新开设数量 the 年度报表 reads."""

from datetime import date

import pytest
from django.test import Client
from django_tenants.utils import tenant_context
from portal.accounts.models import User
from portal.pages.models import ColumnPage, HomePage
from portal.topics.figures import topic_counts
from portal.topics.models import TopicColumnPage

from tests.conftest import host

pytestmark = pytest.mark.django_db


def add_topic(parent, slug, start, end=None, publish=True, **extra):
    topic = TopicColumnPage(title=f"专题{slug}", slug=slug, start_date=start, end_date=end, **extra)
    parent.add_child(instance=topic)
    if publish:
        topic.save_revision().publish()
    else:
        topic.unpublish()
    return topic


def test_topic_counts_are_the_live_topics_running_and_started_in_the_year(departments):
    with tenant_context(departments["jyj"]):
        home = HomePage.objects.get(depth=2)
        add_topic(home, "a", date(2024, 3, 1))                        # long-running: maintained
        add_topic(home, "b", date(2024, 3, 1), date(2025, 1, 1))      # ended on the first day: maintained
        add_topic(home, "c", date(2024, 3, 1), date(2024, 12, 31))    # ended before the year
        add_topic(home, "d", date(2025, 5, 1), date(2025, 10, 1))     # opened and ended in the year
        add_topic(home, "e", date(2025, 12, 31))                       # opened on the last day
        add_topic(home, "f", date(2026, 1, 1))                         # after the year
        add_topic(home, "g", date(2025, 6, 1), publish=False)          # a draft counts nowhere
        nested = ColumnPage.objects.get(depth=3, slug="news")
        add_topic(nested, "h", date(2025, 7, 1))                       # under a column: counts too

        assert topic_counts(date(2025, 1, 1), date(2025, 12, 31)) == {"maintained": 5, "opened": 3}

    with tenant_context(departments["wjj"]):  # another site's topics are its own
        assert topic_counts(date(2025, 1, 1), date(2025, 12, 31)) == {"maintained": 0, "opened": 0}


def test_an_editor_creates_a_topic_that_visitors_see_as_a_column(departments):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    with tenant_context(departments["jyj"]):
        home = HomePage.objects.get(depth=2)
        assert TopicColumnPage in home.specific.allowed_subpage_models()
        banner = get_image_model().objects.create(title="专题横幅", file=get_test_image_file("banner.png"))
        topic = add_topic(home, "education-month", date(2026, 9, 1), date(2026, 9, 30), banner=banner)
        home_id = home.pk

    editor = Client()
    editor.force_login(User.objects.get(username="jyj_editor"))
    add_form = editor.get(f"/admin/pages/{home_id}/add_subpage/", HTTP_HOST=host("jyj"))
    assert add_form.status_code == 200 and "专题" in add_form.content.decode()

    page = Client().get("/education-month/", HTTP_HOST=host("jyj"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "专题时间：2026年9月1日 至 2026年9月30日" in text and "（已结束）" in text
    assert 'class="topic-banner-image"' in text
    assert '<meta name="ColumnName" content="专题education-month">' in text
    # Counted as a column: the site map (which the inspection's column rules also read) lists it.
    assert topic.title in Client().get("/sitemap/", HTTP_HOST=host("jyj")).content.decode()


def test_an_ended_topic_no_longer_has_to_be_updated_but_a_running_one_does(departments):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone
    from portal.pages.models import ArticlePage

    from plugins.inspection.checks import column_checks

    today = timezone.localdate()
    with tenant_context(departments["jyj"]):
        home = HomePage.objects.get(depth=2)
        ended = add_topic(home, "ended-topic", today - timedelta(days=400), today - timedelta(days=100),
                          column_type="news")
        running = add_topic(home, "running-topic", today - timedelta(days=400), column_type="news")
        old = datetime.combine(today - timedelta(days=120), datetime.min.time(), ZoneInfo("Asia/Shanghai"))
        for topic in (ended, running):
            article = ArticlePage(title=f"{topic.title}的旧稿", slug=f"{topic.slug}-item", publish_time=old,
                                  body=[("text", "<p>正文</p>")])
            topic.add_child(instance=article)
            article.save_revision().publish()
        stale = {f["key"] for f in column_checks(departments["jyj"]) if f["item"] == "column_stale"}
    assert f"column:{running.pk}" in stale
    assert f"column:{ended.pk}" not in stale
