"""The catalogue: 索引号 on publishing, the projection, the department and central catalogues."""

import re
import threading
from datetime import date, datetime

import pytest
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from plugins.disclosure.models import CatalogueItem, IndexCounter, IndexNumber
from plugins.disclosure.numbering import INDEX_NUMBER_PATTERN

from .helpers import SHANGHAI, make_entry

WWW = "www.localhost"


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]

JYJ = "jyj.localhost"
WJJ = "wjj.localhost"


def test_publishing_gives_an_index_number_and_republishing_keeps_it(db, departments):
    jyj = departments["jyj"]
    first = make_entry(jyj, "源城区教育局关于2026年春季学期开学工作的通知", document_number="源教〔2026〕3号")
    second = make_entry(jyj, "源城区教育局关于中小学课后服务的实施意见", genre="opinion")
    assert INDEX_NUMBER_PATTERN.match(first.index_number)
    assert first.index_number.startswith("007218384/2026-")
    first_sequence = int(first.index_number[-5:])
    assert int(second.index_number[-5:]) == first_sequence + 1

    with tenant_context(jyj):
        first.title = "源城区教育局关于2026年春季学期开学工作的通知（修订）"
        first.save_revision().publish()
        first.refresh_from_db()
    assert int(first.index_number[-5:]) == first_sequence  # re-publishing does not renumber
    item = CatalogueItem.objects.get(department=jyj, page_id=first.pk)
    assert item.index_number == first.index_number and item.title.endswith("（修订）")

    # Unpublished and published again: still the same number.
    with tenant_context(jyj):
        first.unpublish()
        assert not CatalogueItem.objects.filter(department=jyj, page_id=first.pk).exists()
        first.save_revision().publish()
        first.refresh_from_db()
    assert int(first.index_number[-5:]) == first_sequence


def test_an_entry_made_private_leaves_the_central_catalogue_and_returns_when_public(db, departments, client):
    from wagtail.models import PageViewRestriction

    jyj = departments["jyj"]
    entry = make_entry(jyj, "源城区教育局内部工作安排（仅限内部）")
    assert CatalogueItem.objects.filter(department=jyj, page_id=entry.pk).exists()
    with tenant_context(jyj):
        restriction = PageViewRestriction.objects.create(page=entry, restriction_type="password", password="secret")
    assert not CatalogueItem.objects.filter(department=jyj, page_id=entry.pk).exists()
    assert "源城区教育局内部工作安排" not in client.get("/catalogue/", HTTP_HOST=WWW).content.decode()
    with tenant_context(jyj):
        restriction.delete()
    assert CatalogueItem.objects.filter(department=jyj, page_id=entry.pk).exists()
    assert "源城区教育局内部工作安排" in client.get("/catalogue/", HTTP_HOST=WWW).content.decode()


def test_drafts_have_no_number_and_are_not_listed(db, departments, client):
    draft = make_entry(departments["jyj"], "尚未审核的草稿条目", publish=False)
    assert draft.index_number == ""
    assert not IndexNumber.objects.filter(department=departments["jyj"], page_id=draft.pk).exists()
    response = client.get("/catalogue/", HTTP_HOST=JYJ)
    assert "尚未审核的草稿条目" not in response.content.decode()


def test_a_rolled_back_publish_leaves_no_gap(db, departments):
    jyj = departments["jyj"]
    when = datetime(2027, 3, 2, 9, 0, tzinfo=SHANGHAI)
    doomed = make_entry(jyj, "发布失败的条目", publish=False, when=when)
    with pytest.raises(RuntimeError), transaction.atomic(), tenant_context(jyj):
        doomed.get_latest_revision().publish()
        assert doomed.__class__.objects.get(pk=doomed.pk).index_number.endswith("2027-00001")
        raise RuntimeError("publishing failed after numbering")
    kept = make_entry(jyj, "发布成功的条目", when=when)
    assert kept.index_number == "007218384/2027-00001"


def test_a_repealed_entry_keeps_its_number_and_is_marked(db, departments, client):
    jyj = departments["jyj"]
    old = make_entry(jyj, "源城区中小学学籍管理办法（2019年）", genre="measures", topic="10-02")
    new = make_entry(jyj, "源城区中小学学籍管理办法（2026年）", genre="measures", topic="10-02")
    number = old.index_number
    with tenant_context(jyj):
        old.validity = "repealed"
        old.validity_date = date(2026, 11, 1)
        old.replaced_by = new
        old.save_revision().publish()
        old.refresh_from_db()
    assert old.index_number == number
    item = CatalogueItem.objects.get(department=jyj, page_id=old.pk)
    assert item.validity == "repealed" and item.replaced_by_title == new.title

    detail = client.get(path_of(item.url), HTTP_HOST=JYJ).content.decode()
    assert "本文件已废止" in detail and "2026年11月1日" in detail and new.title in detail
    assert number in detail
    listing = client.get("/catalogue/", {"validity": "repealed"}, HTTP_HOST=JYJ).content.decode()
    assert old.title in listing and new.title not in listing
    assert re.search(r'validity-repealed">.*?废止', listing, re.S)


def test_validity_dates_are_required_when_an_entry_expires(db, departments):
    from django.core.exceptions import ValidationError

    entry = make_entry(departments["jyj"], "需要填写废止日期的条目")
    with tenant_context(departments["jyj"]):
        entry.validity = "repealed"
        with pytest.raises(ValidationError) as problem:
            entry.full_clean()
    assert "请填写失效/废止日期" in str(problem.value)


def _publish_in_thread(department, page_ids, numbers, errors, start):
    from plugins.disclosure.entries.models import CatalogueEntryPage

    try:
        start.wait(10)
        with tenant_context(department):
            for page_id in page_ids:
                CatalogueEntryPage.objects.get(pk=page_id).get_latest_revision().publish()
                numbers.append(CatalogueEntryPage.objects.get(pk=page_id).index_number)
    except Exception as error:  # noqa: BLE001 - reported by the test below
        errors.append(error)
    finally:
        connection.close()


@pytest.fixture
def committed_drafts(django_db_setup, django_db_blocker):
    """Twelve committed drafts per department (the publishing threads must see them); deleted
    afterwards (their numbers stay used: numbers are never reused)."""
    from plugins.disclosure.entries.models import CatalogueEntryPage
    from tenants.models import Department

    when = datetime(2031, 5, 6, 9, 0, tzinfo=SHANGHAI)
    with django_db_blocker.unblock():
        batches = {}
        for department in Department.objects.filter(host_prefix__in=["jyj", "wjj"]):
            before = IndexCounter.objects.filter(department=department, year=2031).values_list(
                "last_sequence", flat=True).first() or 0
            ids = [make_entry(department, f"并发发布测试{department.host_prefix}{n}", publish=False, when=when).pk
                   for n in range(12)]
            batches[department.host_prefix] = (department, before, ids)
        connection.set_schema_to_public()
    yield batches
    with django_db_blocker.unblock():
        for department, _before, ids in batches.values():
            with tenant_context(department):
                for page in CatalogueEntryPage.objects.filter(pk__in=ids):
                    page.delete()
        connection.set_schema_to_public()
        assert not CatalogueItem.objects.filter(title__startswith="并发发布测试").exists()


def test_concurrent_publishing_in_two_departments_gives_unique_gapless_numbers(committed_drafts, db):
    """Four threads (two per department), each with its own database connection, publish at once."""
    start = threading.Event()
    results = {prefix: [] for prefix in committed_drafts}
    errors = []
    threads = []
    for prefix, (department, _before, ids) in committed_drafts.items():
        for half in (ids[0::2], ids[1::2]):
            threads.append(threading.Thread(
                target=_publish_in_thread, args=(department, half, results[prefix], errors, start)))
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    for prefix, (department, before, ids) in committed_drafts.items():
        numbers = results[prefix]
        assert len(numbers) == len(ids) == len(set(numbers))
        assert all(INDEX_NUMBER_PATTERN.match(number) for number in numbers)
        assert all(number.startswith(f"{department.organization_code}/2031-") for number in numbers)
        sequences = sorted(int(number[-5:]) for number in numbers)
        assert sequences == list(range(before + 1, before + len(ids) + 1))  # no gaps, no repeats
        # The central catalogue lists every one of them, under its own number.
        listed = set(CatalogueItem.objects.filter(department=department, page_id__in=ids)
                     .values_list("index_number", flat=True))
        assert listed == set(numbers)


def test_central_catalogue_spans_departments_and_filters(db, departments, client):
    jyj, wjj = departments["jyj"], departments["wjj"]
    school = make_entry(jyj, "源城区义务教育学校招生工作方案", topic="10-02", genre="notice",
                        document_number="源教〔2026〕8号", keywords="招生 入学")
    clinic = make_entry(wjj, "源城区基层医疗卫生机构服务规范", topic="12-01", genre="provisions")
    old = make_entry(wjj, "源城区卫生应急预案（2020年版）", topic="01-02", genre="other",
                     when=datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI))

    def titles(host, **params):
        html = client.get("/catalogue/", params, HTTP_HOST=host).content.decode()
        return {title for title in (school.title, clinic.title, old.title) if title in html}

    assert titles(WWW) == {school.title, clinic.title, old.title}
    assert titles(WWW, department="jyj") == {school.title}
    assert titles(WWW, topic="10") == {school.title}  # a topic includes its sub-topics
    assert titles(WWW, topic="12-01") == {clinic.title}
    assert titles(WWW, genre="provisions") == {clinic.title}
    assert titles(WWW, year="2025") == {old.title}
    assert titles(WWW, q="8号") == {school.title}
    assert titles(WWW, q=school.index_number) == {school.title}
    # A department's own catalogue shows only its entries, whatever the query asks for.
    assert titles(JYJ) == {school.title}
    assert titles(JYJ, department="wjj") == {school.title}
    assert titles(WJJ) == {clinic.title, old.title}


def test_entry_page_shows_its_metadata_table(db, departments, client):
    entry = make_entry(departments["jyj"], "源城区教育局2026年部门预算公开", topic="03-01", genre="report",
                       document_number="源教〔2026〕1号", keywords="预算 公开", attachment_title="2026年部门预算表")
    item = CatalogueItem.objects.get(department=departments["jyj"], page_id=entry.pk)
    html = client.get(path_of(item.url), HTTP_HOST=JYJ).content.decode()
    table = html[html.index('class="catalogue-metadata"'):html.index("</table>")]
    expected = [
        ("索引号", entry.index_number), ("主题分类", "财政、金融、审计 / 财政"), ("发布机构", "区教育局"),
        ("体裁", "报告"), ("成文日期", "2026-11-01"), ("发布日期", "2026-11-18"), ("文号", "源教〔2026〕1号"),
        ("有效性", "有效"), ("主题词", "预算 公开"),
    ]
    for label, value in expected:
        assert re.search(f"<th[^>]*>{label}</th><td[^>]*>{re.escape(value)}</td>", table), label
    assert "2026年部门预算表" in html and "/documents/" in html


def test_entries_are_found_by_the_site_search_projection(db, departments):
    """Entries are articles for the search projection, with 索引号 and 文号 in their text."""
    from search.models import SearchDocument

    entry = make_entry(departments["jyj"], "源城区学前教育资助实施细则", document_number="源教〔2026〕21号")
    document = SearchDocument.objects.get(department_id=departments["jyj"].pk, object_id=entry.pk)
    assert document.type == "disclosure" and document.title == entry.title
    assert entry.index_number in document.body and "源教〔2026〕21号" in document.body
    with tenant_context(departments["jyj"]):
        entry.unpublish()
    assert not SearchDocument.objects.filter(department_id=departments["jyj"].pk, object_id=entry.pk).exists()


def test_entries_go_through_review_and_the_confidentiality_gate(db, departments):
    from portal.accounts.models import User
    from portal.governance.confidentiality import ConfidentialityBlocked
    from wagtail.actions.publish_page_revision import PublishPagePermissionError

    jyj = departments["jyj"]
    draft = make_entry(jyj, "业务员起草的目录条目", publish=False)
    editor, head = User.objects.get(username="jyj_editor"), User.objects.get(username="jyj_head")
    with tenant_context(jyj):
        assert not draft.permissions_for_user(editor).can_publish()
        with pytest.raises(PublishPagePermissionError):
            draft.get_latest_revision().publish(user=editor)
        draft.refresh_from_db()
        assert not draft.live and draft.index_number == ""
        draft.get_latest_revision().publish(user=head)
        draft.refresh_from_db()
        assert draft.live and INDEX_NUMBER_PATTERN.match(draft.index_number)

    leaking = make_entry(jyj, "含有身份证号的条目", publish=False)
    with tenant_context(jyj):
        leaking.body = [("text", "<p>申请人身份证号 440102199001011234，联系电话 13800138000。</p>")]
        revision = leaking.save_revision()
        with pytest.raises(ConfidentialityBlocked):
            revision.publish(user=head)
        leaking.refresh_from_db()
    assert not leaking.live and leaking.index_number == ""
    assert not CatalogueItem.objects.filter(department=jyj, page_id=leaking.pk).exists()


def test_editors_write_entries_in_the_disclosure_column_only(db, departments):
    from django.test import Client
    from portal.accounts.models import User
    from portal.pages.models import ColumnPage

    from plugins.disclosure.entries.models import CatalogueEntryPage

    with tenant_context(departments["jyj"]):
        statutory = ColumnPage.objects.get(depth=4, slug="statutory")
        news = ColumnPage.objects.get(depth=3, slug="news")
        assert CatalogueEntryPage.can_create_at(statutory)
        assert not CatalogueEntryPage.can_create_at(news)
    editor = Client()
    editor.force_login(User.objects.get(username="jyj_editor"))
    add = f"/admin/pages/add/disclosure_entries/catalogueentrypage/{statutory.pk}/"
    form = editor.get(add, HTTP_HOST=JYJ)
    assert form.status_code == 200
    html = form.content.decode()
    for label in ("发布机构", "文号", "成文日期", "主题分类", "体裁", "有效性", "失效/废止日期", "替代文件",
                  "内容概述"):
        assert label in html, label
    # Wagtail refuses the form in a column that is not 信息公开 (back to the dashboard).
    refused = editor.get(f"/admin/pages/add/disclosure_entries/catalogueentrypage/{news.pk}/", HTTP_HOST=JYJ)
    assert refused.status_code in (302, 403, 404) and "add" not in refused.get("Location", "")


def test_a_department_without_an_organisation_code_cannot_number_entries(db, departments):
    from plugins.disclosure.numbering import NumberingError

    jyj = departments["jyj"]
    draft = make_entry(jyj, "缺少机构代码时的条目", publish=False)
    type(jyj).objects.filter(pk=jyj.pk).update(organization_code="")
    jyj.refresh_from_db()
    with tenant_context(jyj), pytest.raises(NumberingError, match="尚未设置有效的机构代码"):
        draft.get_latest_revision().publish()
