"""The demo district: deterministic for a seed, spread over two years, with its deliberate defects."""

import io
from datetime import date, timedelta
from io import StringIO

import pypdf
from django.core.management import call_command
from django.db import transaction
from django_tenants.utils import tenant_context
from portal.demo import EMPTY_INTERPRETATION_DEPARTMENTS, STALE_NEWS_DEPARTMENTS
from portal.demo.build import build_demo
from portal.demo.catalog import DEPARTMENTS_BY_PREFIX
from portal.demo.text import plan_department

TODAY = date(2026, 11, 26)
SEED = 7
ITEMS = 8
# One department of each deliberate defect, neither of them among the session's departments.
PREFIXES = [STALE_NEWS_DEPARTMENTS[0], EMPTY_INTERPRETATION_DEPARTMENTS[0]]


class _Rollback(Exception):
    pass


def _titles(prefixes):
    from portal.pages.models import ArticlePage

    from tenants.models import Department

    titles = {}
    for department in Department.objects.filter(host_prefix__in=prefixes):
        with tenant_context(department):
            # The core's articles sit directly in the top-level columns; plugins' demo pages (the
            # disclosure catalogue's entries and guide) live deeper, in the 信息公开 parts.
            live = ArticlePage.objects.live().filter(depth=4)
            titles[department.host_prefix] = sorted(live.values_list("title", flat=True))
    return titles


def _cleanup_files(prefixes):
    from wagtail.documents import get_document_model

    from tenants.models import Department

    for department in Department.objects.filter(host_prefix__in=prefixes):
        with tenant_context(department):
            for document in get_document_model().objects.all():
                document.file.storage.delete(document.file.name)


def _build_and_roll_back(seed):
    """Build the two departments, note their titles, and undo everything."""
    from tenants.models import Department

    try:
        with transaction.atomic():
            result = build_demo(seed=seed, items=ITEMS, prefixes=PREFIXES, today=TODAY)
            titles = _titles(PREFIXES)
            _cleanup_files(PREFIXES)
            raise _Rollback
    except _Rollback:
        pass
    assert not Department.objects.filter(host_prefix__in=PREFIXES).exists()
    return result, titles


def test_demo_builder_is_deterministic_and_realistic(db):
    from portal.accounts.models import DepartmentRole
    from portal.models import PublishedItem
    from portal.pages.models import ArticleAttachment, ArticlePage, ColumnPage
    from wagtail.documents import get_document_model

    from tenants.models import Department

    first, first_titles = _build_and_roll_back(SEED)
    _, other_titles = _build_and_roll_back(SEED + 1)
    try:
        result = build_demo(seed=SEED, items=ITEMS, prefixes=PREFIXES, today=TODAY)
        assert result.created == PREFIXES and result.articles == first.articles >= 2 * ITEMS
        assert _titles(PREFIXES) == first_titles
        for prefix in PREFIXES:
            assert other_titles[prefix] != first_titles[prefix]
            planned = plan_department(DEPARTMENTS_BY_PREFIX[prefix], seed=SEED, items=ITEMS, today=TODAY)
            assert sorted(plan.title for plan in planned) == first_titles[prefix]

        stale, blank = (Department.objects.get(host_prefix=prefix) for prefix in PREFIXES)
        for department in (stale, blank):
            items = PublishedItem.objects.filter(department=department).exclude(column_type="disclosure")
            assert items.count() == len(first_titles[department.host_prefix])
            times = sorted(item.publish_time.date() for item in items)
            assert times[0] < TODAY - timedelta(days=365) and times[-1] > TODAY - timedelta(days=45)
            assert all(TODAY - timedelta(days=735) <= day < TODAY for day in times)
            roles = DepartmentRole.objects.filter(department=department)
            assert sorted(roles.values_list("user__username", "role")) == [
                (f"{department.host_prefix}_editor", "editor"), (f"{department.host_prefix}_head", "head")
            ]

            with tenant_context(department):
                columns = {column.slug: column for column in ColumnPage.objects.filter(depth=3)}
                news = ArticlePage.objects.child_of(columns["news"]).live()
                newest_news = news.order_by("-publish_time").first()
                interpretations = ArticlePage.objects.child_of(columns["interpretations"]).count()
                for slug in ("news", "notices", "policies", "about", "services"):
                    assert ArticlePage.objects.child_of(columns[slug]).live().exists(), slug
                article = ArticlePage.objects.child_of(columns["news"]).live().first()
                blocks = [block.block_type for block in article.body]
                assert blocks[0] == "text" and article.source and article.author and article.summary
                assert article.keywords and article.information_date

                attachment = (
                    ArticleAttachment.objects.filter(document__file__endswith=".pdf").select_related("document")
                    .first()
                )
                with attachment.document.open_file() as handle:
                    text = pypdf.PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
                assert attachment.document.title[:6] in text
                assert get_document_model().objects.count() >= 1
            age = (TODAY - newest_news.publish_time.date()).days
            if department.host_prefix in STALE_NEWS_DEPARTMENTS:
                assert age > 21
            else:
                assert age <= 14
            assert (interpretations == 0) == (department.host_prefix in EMPTY_INTERPRETATION_DEPARTMENTS)
            # Mailbox letters: answered, open, overdue, and in a neglectful unit one over 3 months old.
            from plugins.mailbox.hooks import unanswered_letters
            from plugins.mailbox.models import Letter

            letters = Letter.objects.filter(department=department)
            assert letters.filter(status__in=["replied", "published"]).exists()
            assert any(letter.is_overdue for letter in letters)
            assert bool(unanswered_letters(department)) == (department.host_prefix in STALE_NEWS_DEPARTMENTS)

        # A second run loads nothing and says so.
        again = build_demo(seed=SEED, items=ITEMS, prefixes=PREFIXES, today=TODAY)
        assert again.created == [] and again.skipped == PREFIXES and again.articles == 0
        out = StringIO()
        call_command("load_demo", "--only", *PREFIXES, stdout=out)
        assert "演示数据已存在" in out.getvalue()
    finally:
        _cleanup_files(PREFIXES)
