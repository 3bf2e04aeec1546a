"""The inspection over real servers: planted problems are found, a clean site has none, and a
finding marked fixed is closed only when the re-check no longer finds it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from plugins.inspection import service
from plugins.inspection.models import Finding, FindingEvent, IgnoreRule, InspectionRun, LinkCheck

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]


def run_for(department, url):
    run = service.start_run(department)
    return service.execute_run(run, start_urls={department.host_prefix: url})


def findings_of(department):
    return {(f.item, f.key): f for f in Finding.objects.filter(department=department)}


def test_clean_site_has_no_findings(planted, offline_footer_links):
    run = run_for(planted["clean"], planted["clean_url"] + "/")
    assert run.status == InspectionRun.Status.DONE
    assert run.pages_done >= 10  # homepage, 8 columns and their articles
    assert list(Finding.objects.filter(department=planted["clean"]).values_list("title", flat=True)) == []
    row = service.league_table([planted["clean"]])[0]
    assert row["score"] == 100


def test_planted_problems_are_found(planted, offline_footer_links):
    dirty, pages, base = planted["dirty"], planted["pages"], planted["dirty_url"]
    run = run_for(dirty, base + "/")
    found = findings_of(dirty)
    external = planted["external"]

    stale = found[("column_stale", f"column:{pages['news']}")]
    assert "部门动态" in stale.title and "30 天未更新" in stale.title
    assert stale.edit_url.endswith(f"/admin/pages/{pages['news']}/")
    blank = found[("blank_column", f"column:{pages['interpretations']}")]
    assert "政策解读" in blank.title
    # The forged future date is reported, and does not count as an update of its column.
    future = found[("future_date", "future:/policies/" + _slug(dirty, pages["future"]) + "/")]
    assert future.url == f"{base}/policies/{_slug(dirty, pages['future'])}/"
    assert future.edit_url.endswith(f"/admin/pages/{pages['future']}/edit/")
    assert "没有发布日期有效的信息" in found[("column_stale", f"column:{pages['policies']}")].title
    assert ("homepage_stale", "homepage") not in found  # its newest real item is 3 days old

    notice_url = f"{base}/notices/{_slug(dirty, pages['broken'])}/"
    internal = found[("broken_link", f"link:{base}/no-such-page/")]
    assert internal.url == notice_url and "HTTP 404" in internal.title
    assert internal.edit_url.endswith(f"/admin/pages/{pages['broken']}/edit/")
    assert ("broken_link", f"link:{external}/gone") in found
    assert ("broken_link", f"link:{external}/ok/fine") not in found
    attachment = found[("broken_link", f"link:{base}/documents/987654/missing.pdf")]
    assert "附件不存在" in attachment.title

    assert found[("footer_missing", "footer:police")].title == "页脚缺少公安机关备案号"
    mark = found[("classified_mark", f"mark:/disclosure/{_slug(dirty, pages['marked'])}/:内部资料")]
    assert mark.severity == "serious" and mark.url.endswith(f"/disclosure/{_slug(dirty, pages['marked'])}/")

    assert all(f.department == dirty for f in found.values())
    assert run.findings_found == Finding.objects.filter(department=dirty, status="open").count()
    assert service.league_table([dirty])[0]["score"] <= 59


def _slug(department, page_id):
    from wagtail.models import Page

    with tenant_context(department):
        return Page.objects.get(pk=page_id).slug
