"""What visitors and their software read is valid: every main public page type, on the portal and
on a department site and in its usual states, passes the W3C Nu checker with no error (one Java
start for all of them); every column feed parses cleanly in feedparser with the expected items."""

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from portal.accounts.models import User
from wagtail.models import Page

from tests.conftest import host
from tests.consultation.test_consultation import open_consultation
from tests.consultation.test_consultation import publish as consultation_publish
from tests.disclosure.helpers import make_entry
from tests.interviews.test_html import interview_pages
from tests.interviews.test_interviews import make_interview
from tests.mailbox.test_mailbox import letter_data, open_form, write_letter
from tests.nu import nu_errors

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
WWW, JYJ = host("www"), host("jyj")
# Not pages: files, feeds, mode switches (redirects) and the admin.
SKIPPED_LINKS = ("/static/", "/media/", "/documents/", "/theme/", "/admin/", "/feeds/", "/captcha/")


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def rich_article(department, column_slug="news"):
    """An article with an image in its body and a PDF attachment, in a column paged two by two."""
    from django.core.files.base import ContentFile
    from portal.pages.models import ArticleAttachment, ArticlePage, ColumnPage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from tests.disclosure.helpers import pdf_bytes

    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug=column_slug)
        column.page_size = 2
        column.save_revision().publish()
        image = get_image_model().objects.create(title="校园示意图", file=get_test_image_file())
        article = ArticlePage(
            title="带图片和附件的样例文章", slug="with-attachments", summary="有图片，有附件。",
            publish_time=datetime(2026, 11, 25, 9, 0, 30, 123456, tzinfo=SHANGHAI),
            body=json.dumps([
                {"type": "text", "value": "<h2>一、概况</h2><p>正文<b>加粗</b>。</p><ul><li>一项</li></ul>"},
                {"type": "image", "value": {"image": image.pk, "alt_text": "校园示意图", "decorative": False}},
                {"type": "table", "value": {"data": [["项目", "数量"], ["学校", "12"]],
                                            "first_row_is_table_header": True, "first_col_is_header": False}},
            ]),
        )
        column.add_child(instance=article)
        document = get_document_model().objects.create(
            title="附件一", file=ContentFile(pdf_bytes("附件一"), name="attachment.pdf"))
        article.attachments.add(ArticleAttachment(document=document, title="附件一"))
        article.save_revision().publish()
        return article.url_path.split("/", 2)[2].rstrip("/"), article.pk


def published_letter(departments) -> int:
    from plugins.mailbox import service
    from plugins.mailbox.models import Letter

    letter = Letter.objects.create(subject="关于校车的建议", content="希望增加校车班次。", name="王五",
                                   phone="13800000002", may_publish=True)
    service.forward(letter, departments["jyj"], User.objects.get(username="center_admin"))
    service.draft_reply(letter, "已增加班次。\n谢谢。", User.objects.get(username="jyj_editor"))
    service.approve(letter, User.objects.get(username="jyj_head"))
    service.publish(letter, User.objects.get(username="center_admin"))
    return letter.pk


def annual_report(department) -> int:
    from plugins.disclosure.models import AnnualReport

    head = login("jyj_head")
    response = head.post("/admin/plugins/disclosure/reports/", {"year": 2025}, HTTP_HOST=JYJ)
    assert response.status_code == 302, response.content.decode()
    report = AnnualReport.objects.get(pk=int(re.search(r"/reports/(\d+)/", response["Location"]).group(1)))
    head.post(f"/admin/plugins/disclosure/reports/{report.pk}/publish/", HTTP_HOST=JYJ)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
    return report.pk


def topic_column(department) -> str:
    from portal.pages.models import HomePage
    from portal.topics.models import TopicColumnPage

    with tenant_context(department):
        topic = TopicColumnPage(title="学习贯彻专题", slug="study-topic", start_date=date(2026, 1, 1))
        HomePage.objects.get(depth=2).add_child(instance=topic)
        topic.save_revision().publish()
    return "/study-topic/"


def newmedia_account(departments):
    from portal.newmedia.models import Account

    Account.objects.create(platform="wechat", name="源城教育", department=departments["jyj"],
                           opened_on=date(2020, 1, 1), status=Account.Status.OPERATING)


def published_statement() -> int:
    """Last year's 政府网站工作年度报表, drafted by the centre and published by the 区政府办公室."""
    from portal.accounts.models import CentralRoleAssignment
    from portal.statement import service
    from portal.statement.fields import MANUAL_FIELDS

    office = User.objects.create_user("validity_office", password="Test-passw0rd!")
    CentralRoleAssignment.objects.create(user=office, role="office_admin")
    year = timezone.localdate().year - 1
    statement = service.generate(year, user=User.objects.get(username="center_admin"))
    service.enter(statement, {field.key: 1 for field in MANUAL_FIELDS}, user=office)
    service.publish(statement, user=office)
    return year


def test_main_public_pages_are_valid_html(departments, tmp_path, settings):
    from search import rebuild
    from search.service import forget_es_state
    from tests.search.conftest import refresh_index
    from themes.services import schedule_mode

    pages = {}

    def get(name, prefix, url, client=None, status=200, **extra):
        """The page as a visitor gets it; `status=None`: any answer but a server error."""
        response = (client or Client()).get(url, HTTP_HOST=host(prefix), **extra)
        expected = response.status_code < 500 if status is None else response.status_code == status
        assert expected, f"{name}: {prefix}{url} 答复 {response.status_code}"
        pages[name] = response.content.decode()
        return pages[name]

    articles = {prefix: rich_article(departments[prefix]) for prefix in ("www", "jyj")}
    # The index is shared with later tests and outlives this test's transaction: what is indexed
    # from it here is taken out again below, before anything else is created.
    rebuild.rebuild()
    refresh_index()
    try:
        # Search lives on the portal (a department's search box leads there with its chip set).
        assert "带图片和附件的" in get("search results", "www", "/search/?q=样例")
        get("search nothing", "www", "/search/?q=zzqqxx不存在的词")
        get("search correction", "www", "/search/?q=样列")
        get("search department", "www", "/search/?q=样例&department=jyj")
        get("search by date page 2", "www", "/search/?q=样例&sort=date&page=2")
        get("search invalid", "www", "/search/?q=样例&year=abc&page=-1", status=None)
        # An aggregated column: the portal's 政策解读 gathering every department's news.
        from tests.aggregation.test_aggregated_columns import aggregate

        aggregate(departments["www"], "interpretations", aggregate_column_type="news")
        assert "区教育局" in get("www aggregated column", "www", "/interpretations/")
        elderly = Client()
        for prefix in ("www", "jyj"):
            get(f"{prefix} home", prefix, "/")
            get(f"{prefix} home plain", prefix, "/?plain=1")
            elderly.get("/theme/mode/elderly/on/?next=/", HTTP_HOST=host(prefix))
            assert "mode-elderly" in get(f"{prefix} home elderly", prefix, "/", client=elderly)
            get(f"{prefix} column", prefix, "/news/")
            get(f"{prefix} column page 2", prefix, "/news/?page=2")
            article = get(f"{prefix} article", prefix, f"/{articles[prefix][0]}/")
            assert "附件一" in article and "<img" in article and "<table" in article
            get(f"{prefix} article plain", prefix, f"/{articles[prefix][0]}/?plain=1")
            get(f"{prefix} article elderly", prefix, f"/{articles[prefix][0]}/", client=elderly)
            get(f"{prefix} site map", prefix, "/sitemap/")
            get(f"{prefix} about", prefix, "/about-site/")
            get(f"{prefix} 404", prefix, "/no-such-page/", status=404)
            # Beyond the named types: every page of its own site the homepage links to.
            for link in sorted(set(re.findall(r'href="(/[^"#]*)"', pages[f"{prefix} home"]))):
                if not link.startswith(SKIPPED_LINKS):
                    response = Client().get(link.replace("&amp;", "&"), HTTP_HOST=host(prefix))
                    assert response.status_code < 500, f"{prefix}{link} 答复 {response.status_code}"
                    if response["Content-Type"].startswith("text/html") and not response.has_header("Location"):
                        pages[f"{prefix} linked {link}"] = response.content.decode()
    finally:
        for prefix, (_, pk) in articles.items():
            with tenant_context(departments[prefix]):
                Page.objects.get(pk=pk).delete()
        rebuild.rebuild()
        refresh_index()
    make_entry(departments["jyj"], "关于印发学校安全管理办法的通知", attachment_title="安全管理办法")
    entry = make_entry(departments["jyj"], "教育局2026年部门预算", attachment_title="预算表")
    report = annual_report(departments["jyj"])
    letter = published_letter(departments)
    topic = topic_column(departments["www"])
    newmedia_account(departments)

    get("www reports", "www", "/catalogue/reports/")
    get("jyj reports", "jyj", "/catalogue/reports/")
    get("www catalogue", "www", "/catalogue/")
    get("jyj catalogue", "jyj", "/catalogue/")
    get("jyj catalogue filtered", "jyj", "/catalogue/?q=预算&year=2026")
    get("jyj catalogue page 2", "jyj", "/catalogue/?page=2")
    get("www catalogue every filter", "www",
        "/catalogue/?department=jyj&topic=x&genre=y&year=2026&validity=valid&q=安全")
    assert "预算表" in get("jyj catalogue entry", "jyj", "/" + entry.url_path.split("/", 2)[2])
    get("jyj report", "jyj", f"/catalogue/reports/{report}/")
    get("jyj apply", "jyj", "/catalogue/apply/")
    get("jyj status", "jyj", "/catalogue/status/")
    get("jyj status unknown code", "jyj", "/catalogue/status/?code=NOPE0000", status=None)
    response = Client().post("/catalogue/apply/", {}, HTTP_HOST=JYJ)
    assert response.status_code == 400
    pages["jyj apply errors"] = response.content.decode()
    get("www mailbox", "www", "/mailbox/")
    get("www letter", "www", f"/mailbox/letters/{letter}/")
    get("www mailbox statistics", "www", "/mailbox/statistics/")
    get("www write", "www", "/mailbox/write/")
    get("www write text captcha", "www", "/mailbox/write/?captcha=text")
    writer = Client()
    token, answer = open_form(writer)
    response = writer.post("/mailbox/write/", letter_data(token, answer, subject="", phone="12"), HTTP_HOST=WWW)
    assert response.status_code == 400
    pages["www write errors"] = response.content.decode()
    code = write_letter(Client()).query_code
    get("www query", "www", "/mailbox/query/")
    get("www query result", "www", f"/mailbox/query/?code={code}")
    get("www query unknown code", "www", "/mailbox/query/?code=NOPE0000", status=None)
    get("www newmedia", "www", "/newmedia/")
    year = published_statement()
    get("www statements", "www", "/statement/")
    get("www statement", "www", f"/statement/{year}/")
    assert f"/statement/{year}/" in get("www home with statement", "www", "/")
    get("www topic", "www", topic)
    consultation = open_consultation(login("jyj_editor"), title="关于校服采购的意见征集")
    consultation_publish(login("jyj_editor"), consultation)
    get("jyj consultations", "jyj", "/consultations/")
    get("jyj consultation", "jyj", f"/consultations/{consultation.pk}/")
    get("jyj consultation form", "jyj", f"/consultations/{consultation.pk}/take-part/")
    # A start time to the microsecond, as one saved by code (not the admin form) has.
    exact = make_interview(departments["jyj"], title="精确到微秒的访谈",
                           starts_at=datetime(2026, 12, 11, 10, 0, 0, 654321, tzinfo=SHANGHAI))
    get("jyj interview exact time", "jyj", f"/interviews/{exact.pk}/")
    get("jyj interaction", "jyj", "/interaction/")
    pages.update({f"jyj {name}": html for name, html in interview_pages(departments).items()})
    schedule_mode("grey", timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(hours=1), user=None)
    for prefix in ("www", "jyj", "wjj"):
        assert "mode-grey" in get(f"{prefix} home grey", prefix, "/")
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    forget_es_state()
    assert "样例" in get("search without elasticsearch", "www", "/search/?q=样例")
    too_many_fields = "&".join(f"f{n}=1" for n in range(1100))  # Django refuses it as a bad request
    get("400", "www", f"/search/?{too_many_fields}", status=400)

    errors = nu_errors(pages, tmp_path)
    assert not errors, f"W3C Nu 检查器在 {len(pages)} 个页面中发现错误：\n" + "\n".join(errors)


@pytest.mark.parametrize("prefix", ["www", "jyj"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_column_feeds_parse_cleanly_with_their_articles(departments, prefix, kind):
    from portal.pages.models import ColumnPage

    department = departments[prefix]
    with tenant_context(department):
        column = ColumnPage.objects.get(depth=3, slug="news").title
    response = Client().get(f"/feeds/news/{kind}.xml", HTTP_HOST=host(prefix))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == f"{department.name} - {column}"
    samples = [entry.title for entry in feed.entries if "样例" in entry.title]
    assert samples == [f"{department.name}{column}样例{n}" for n in (1, 2, 3)]
    assert all(entry.link.startswith(f"http://{host(prefix)}/news/sample-") and entry.published_parsed
               for entry in feed.entries)


def test_sitemaps_follow_sitemaps_org(departments):
    """The portal's sitemap index and every file it names: well-formed XML in the sitemaps.org
    namespace, absolute URLs on the site's own host, W3C datetimes, at most 50,000 URLs a file."""
    import xml.etree.ElementTree as ElementTree
    from datetime import datetime
    from urllib.parse import urlsplit

    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    rich_article(departments["jyj"])
    index = Client().get("/sitemap.xml", HTTP_HOST=host("www"))
    assert index.status_code == 200 and index["Content-Type"].startswith(("application/xml", "text/xml"))
    root = ElementTree.fromstring(index.content)
    assert root.tag == f"{namespace}sitemapindex"
    files = [entry.findtext(f"{namespace}loc") for entry in root.findall(f"{namespace}sitemap")]
    assert {urlsplit(url).hostname.split(".")[0] for url in files} >= {"www", "jyj", "wjj"}
    urls = 0
    for url in files:
        parts = urlsplit(url)
        answer = Client().get(parts.path + (f"?{parts.query}" if parts.query else ""), HTTP_HOST=parts.netloc)
        assert answer.status_code == 200, url
        listing = ElementTree.fromstring(answer.content)
        assert listing.tag == f"{namespace}urlset", url
        entries = listing.findall(f"{namespace}url")
        assert len(entries) <= 50_000
        for entry in entries:
            loc = entry.findtext(f"{namespace}loc")
            assert urlsplit(loc).netloc == parts.netloc and urlsplit(loc).scheme in ("http", "https"), loc
            modified = entry.findtext(f"{namespace}lastmod")
            if modified:
                datetime.fromisoformat(modified)  # a W3C datetime with its offset
                assert "T" not in modified or modified[-6] in "+-" or modified.endswith("Z"), modified
        urls += len(entries)
    assert urls > 0
