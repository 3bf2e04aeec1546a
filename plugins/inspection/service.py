"""The inspection's service functions: run, store, fix, ignore, re-check, score, probe, digest.

Views, the management command and the scheduled jobs all call these; none keeps its own copy.
A finding is matched across runs by (department, item, key). A run that covered a finding's
source and no longer finds it closes it as fixed (with `fixed_at`); a person marking a finding
fixed only asks for that re-check, which runs at once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context
from portal.hookspecs import INSPECTION_ITEMS

from . import checks
from .crawler import Crawler, LinkResult
from .models import (
    AvailabilityProbe,
    Finding,
    FindingEvent,
    IgnoreRule,
    InspectionRun,
    LinkCheck,
    TrustedInternalHost,
)

logger = logging.getLogger(__name__)

EXTERNAL_CACHE = timedelta(days=1)
SEVERITY_WEIGHTS = {"veto": 20, "serious": 5, "normal": 1}
VETO_CAP = 59
PROBE_TIMEOUT = 15.0


class InspectionError(Exception):
    """A refusal a person can act on; the message is in Chinese."""


def crawler_options() -> dict:
    """Concurrency and politeness, from settings so an operator can tune them."""
    options = {"concurrency": 4, "host_interval": 0.02, "external_interval": 1.0, "timeout": 15.0, "max_pages": 5000}
    options.update(getattr(settings, "INSPECTION_CRAWLER", {}))
    return options


def site_departments():
    from tenants.models import Department

    sites = Department.sites().filter(status="active")
    return sites.order_by("sort_order", "id")


def public_page_ids(department) -> dict[str, tuple[int, str]]:
    """Public path → (page id, kind) of every live page, for edit links (inside the schema)."""
    from portal.pages.models import ArticlePage, ColumnPage, HomePage
    from wagtail.models import Page

    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        return {}
    kinds = {}
    for model, kind in ((ArticlePage, "article"), (ColumnPage, "column"), (HomePage, "home")):
        ids = model.objects.descendant_of(home, inclusive=True).values_list("pk", flat=True)
        kinds.update(dict.fromkeys(ids, kind))
    prefix = len(home.url_path) - 1
    return {
        url_path[prefix:]: (pk, kinds.get(pk, "other"))
        for pk, url_path in Page.objects.descendant_of(home, inclusive=True).live().values_list("pk", "url_path")
    }


def trusted_internal_hosts() -> list[str]:
    return list(TrustedInternalHost.objects.values_list("host", flat=True))


def known_external_answers() -> dict[str, LinkResult]:
    fresh = LinkCheck.objects.filter(checked_at__gte=timezone.now() - EXTERNAL_CACHE)
    return {row.url: LinkResult(row.url, row.status, row.error) for row in fresh}


def remember_external(result) -> None:
    now = timezone.now()
    for url in result.checked_external:
        answer = result.links[url]
        LinkCheck.objects.update_or_create(
            url=url[:1000], defaults={"status": answer.status, "error": answer.error[:300], "checked_at": now}
        )


def hook_findings(department) -> list[dict]:
    """Findings of every enabled plugin's checks (this plugin's data checks among them)."""
    from portal.plugins import inspection_checks

    findings = []
    with tenant_context(department):
        for check in inspection_checks(department):
            try:
                found = check(department) or []
            except Exception:  # noqa: BLE001 - one broken plugin check must not stop the inspection
                logger.exception("inspection check %r failed for %s", check, department.host_prefix)
                continue
            for finding in found:
                if finding.get("item") not in INSPECTION_ITEMS or not finding.get("key"):
                    logger.warning("inspection check %r returned a finding without a known item or a key: %r",
                                   check, finding)
                    continue
                findings.append({**finding, "source": Finding.Source.CHECK})
    return findings


def crawl_department(department, *, start_url: str | None = None, pages: list[str] | None = None,
                     progress=None) -> tuple[list[dict], bool]:
    """(findings, complete) of a crawl of the department's site, or of just `pages` (a re-check)."""
    from portal.governance.scanning import Terms

    with tenant_context(department):
        page_ids = public_page_ids(department)
    rules = list(IgnoreRule.objects.all())
    # A re-check asks again; a full crawl reuses the day's answers of other sites.
    crawler = Crawler(
        **crawler_options(), known_external=known_external_answers() if pages is None else {}, progress=progress,
        skip_url=lambda url: checks.skipped_by_rules(rules, url), own_suffix=settings.DOMAIN_SUFFIX,
        own_ports=[settings.PUBLIC_PORT], allowed_hosts=trusted_internal_hosts(),
    )
    start = start_url or department.base_url + "/"
    result = crawler.crawl(start) if pages is None else crawler.check_pages(pages)
    remember_external(result)
    findings = checks.crawl_findings(result, department, page_ids, rules, Terms.load())
    for finding in findings:
        finding["source"] = Finding.Source.CRAWL
    return findings, result.homepage_ok


def inspect_department(department, run: InspectionRun | None = None, *, crawl: bool = True,
                       start_url: str | None = None, progress=None) -> list[Finding]:
    """Run every check of one department and store what it found; returns its open findings."""
    found = hook_findings(department)
    covered = {Finding.Source.CHECK}
    if crawl:
        crawled, complete = crawl_department(department, start_url=start_url, progress=progress)
        found.extend(crawled)
        if complete:
            covered.add(Finding.Source.CRAWL)
    checks.apply_vetoes(found)
    store_findings(department, found, covered, run)
    return list(Finding.objects.filter(department=department, status=Finding.Status.OPEN))


@transaction.atomic
def store_findings(department, found: list[dict], covered: set[str], run=None, only_keys=None) -> None:
    """Match found problems to stored findings; close those a covering check no longer finds.

    `only_keys` limits closing to the given (item, key) pairs (a re-check of a few findings).
    """
    now = timezone.now()
    seen = set()
    existing = {(f.item, f.key): f for f in Finding.objects.select_for_update().filter(department=department)}
    for data in found:
        item, key = data["item"], str(data["key"])[:500]
        if (item, key) in seen:
            continue
        seen.add((item, key))
        fields = {
            "title": str(data.get("title", ""))[:500], "severity": data.get("severity") or "normal",
            "url": data.get("url", "")[:1000], "edit_url": data.get("edit_url", "")[:1000],
            "evidence": data.get("evidence") or {}, "source": data.get("source", Finding.Source.CHECK),
            "last_seen": now, "last_run": run,
        }
        finding = existing.get((item, key))
        if finding is None:
            finding = Finding.objects.create(department=department, item=item, key=key, first_seen=now, **fields)
            FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.FOUND, note=finding.title[:500])
            continue
        for name, value in fields.items():
            setattr(finding, name, value)
        if finding.status == Finding.Status.FIXED:
            finding.status, finding.fixed_at = Finding.Status.OPEN, None
            FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.REOPENED, note="问题再次出现")
        elif finding.status == Finding.Status.OPEN and finding.fix_claimed_at:
            FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.STILL_PRESENT,
                                        note="复查时问题仍然存在，请继续整改")
            finding.fix_claimed_at = None
        finding.save()
    for (item, key), finding in existing.items():
        if (item, key) in seen or finding.status != Finding.Status.OPEN or finding.source not in covered:
            continue
        if only_keys is not None and (item, key) not in only_keys:
            continue
        finding.status, finding.fixed_at, finding.fix_claimed_at = Finding.Status.FIXED, now, None
        finding.save(update_fields=["status", "fixed_at", "fix_claimed_at"])
        FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.FIXED, note="复查未再发现该问题")


def start_run(department=None, user=None) -> InspectionRun:
    return InspectionRun.objects.create(department=department, triggered_by=user)


def execute_run(run: InspectionRun, *, start_urls: dict | None = None, on_progress=None) -> InspectionRun:
    """Inspect the run's department (or every site) and keep its progress figures current.

    One department's failure is logged and named in the run's message; the others still run.
    """
    departments = [run.department] if run.department_id else list(site_departments())
    InspectionRun.objects.filter(pk=run.pk).update(status=InspectionRun.Status.RUNNING, started_at=timezone.now())
    done_before, failed = 0, []
    for department in departments:
        def progress(done, seen, base=done_before, current=department):
            InspectionRun.objects.filter(pk=run.pk).update(pages_done=base + done, pages_seen=base + seen)
            if on_progress:
                on_progress(current, done, seen)

        try:
            inspect_department(department, run, start_url=(start_urls or {}).get(department.host_prefix),
                               progress=progress)
        except Exception as error:  # noqa: BLE001 - reported on the run, the other departments go on
            logger.exception("inspection of %s failed", department.host_prefix)
            failed.append(f"{department.name}：{error}")
        run.refresh_from_db()
        done_before = run.pages_done
    InspectionRun.objects.filter(pk=run.pk).update(
        status=InspectionRun.Status.FAILED if failed and len(failed) == len(departments) else InspectionRun.Status.DONE,
        finished_at=timezone.now(), message=("巡检失败：" + "；".join(failed))[:500] if failed else "",
        findings_found=Finding.objects.filter(last_run=run, status=Finding.Status.OPEN).count(),
    )
    run.refresh_from_db()
    return run


def record_audit(event, request=None, user=None, finding=None, department=None, details=None):
    from portal.audit.log import record

    record(event, request=request, user=user, target=(finding.title if finding else "")[:255],
           department=department or (finding.department if finding else None), details=details or {})


def recheck(finding: Finding, user=None) -> Finding:
    """Look for exactly this problem again; closes the finding when it is gone."""
    department = finding.department
    if finding.source == Finding.Source.CRAWL:
        pages = [finding.url] + [page for page in finding.evidence.get("pages", []) if page != finding.url]
        found, complete = crawl_department(department, pages=[page for page in pages if page])
        covered = {Finding.Source.CRAWL} if complete or finding.item != "site_unavailable" else set()
    else:
        found, covered = hook_findings(department), {Finding.Source.CHECK}
    checks.apply_vetoes(found)
    same = [data for data in found if (data["item"], str(data["key"])) == (finding.item, finding.key)]
    store_findings(department, same, covered, only_keys={(finding.item, finding.key)})
    finding.refresh_from_db()
    return finding


def mark_fixed(finding: Finding, user, request=None) -> Finding:
    """A person says it is fixed: recorded, then re-checked at once."""
    if finding.status != Finding.Status.OPEN:
        raise InspectionError("只有待整改的问题可以报告已整改")
    finding.fix_claimed_at = timezone.now()
    finding.save(update_fields=["fix_claimed_at"])
    FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.CLAIMED, user=user)
    finding = recheck(finding, user)
    record_audit("inspection_fix", request=request, user=user, finding=finding,
                 details={"confirmed": finding.status == Finding.Status.FIXED, "item": finding.item})
    return finding


def ignore(finding: Finding, reason: str, user, request=None) -> Finding:
    reason = (reason or "").strip()
    if not reason:
        raise InspectionError("请填写忽略原因")
    if finding.status == Finding.Status.IGNORED:
        raise InspectionError("该问题已被忽略")
    finding.status, finding.ignored_reason, finding.fix_claimed_at = Finding.Status.IGNORED, reason[:500], None
    finding.save(update_fields=["status", "ignored_reason", "fix_claimed_at"])
    FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.IGNORED, user=user, note=reason[:500])
    record_audit("inspection_ignore", request=request, user=user, finding=finding, details={"reason": reason})
    return finding


def unignore(finding: Finding, user, request=None) -> Finding:
    if finding.status != Finding.Status.IGNORED:
        raise InspectionError("该问题未被忽略")
    finding.status, finding.ignored_reason = Finding.Status.OPEN, ""
    finding.save(update_fields=["status", "ignored_reason"])
    FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.UNIGNORED, user=user)
    record_audit("inspection_unignore", request=request, user=user, finding=finding)
    return finding


def health_score(open_findings) -> int:
    """100 minus 20 per open 单项否决 finding, 5 per serious, 1 per normal (never below 0);
    any open 单项否决 caps the score at 59 (不合格)."""
    severities = [finding.severity for finding in open_findings]
    score = max(0, 100 - sum(SEVERITY_WEIGHTS.get(severity, 1) for severity in severities))
    return min(score, VETO_CAP) if "veto" in severities else score


def league_table(departments=None) -> list[dict]:
    """One row per site: score, open findings by severity, vetoes; best first."""
    departments = list(departments if departments is not None else site_departments())
    open_by_department = {}
    for finding in Finding.objects.filter(status=Finding.Status.OPEN, department__in=departments).only(
        "department_id", "severity", "item"
    ):
        open_by_department.setdefault(finding.department_id, []).append(finding)
    rows = []
    for department in departments:
        findings = open_by_department.get(department.pk, [])
        rows.append({
            "department": department, "score": health_score(findings), "open": len(findings),
            "veto": sum(f.severity == "veto" for f in findings),
            "serious": sum(f.severity == "serious" for f in findings),
            "veto_items": sorted({f.item_label for f in findings if f.severity == "veto"}),
        })
    rows.sort(key=lambda row: (-row["score"], row["open"], row["department"].sort_order, row["department"].pk))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def load_homepage(url: str) -> tuple[bool, int | None, float, str]:
    """(ok, HTTP status, seconds, error) of one load of a homepage; a failure is an error, an
    HTTP error or more than 15 s."""
    import time

    import httpx

    from .crawler import SyncLoopbackTransport, describe_error

    started = time.perf_counter()
    status, error = None, ""
    try:
        with httpx.Client(transport=SyncLoopbackTransport(), timeout=PROBE_TIMEOUT, follow_redirects=True) as client:
            status = client.get(url).status_code
    except httpx.TimeoutException:
        error = f"超过 {PROBE_TIMEOUT:g} 秒未加载完成"
    except httpx.HTTPError as problem:
        error = describe_error(problem)
    seconds = time.perf_counter() - started
    if not error and status is not None and status >= 400:
        error = f"HTTP {status}"
    ok = not error and status is not None and seconds <= PROBE_TIMEOUT
    return ok, status, seconds, error


def probe(department, url: str | None = None) -> AvailabilityProbe:
    """The hourly probe that the 站点无法访问 veto counts: load the homepage once and keep the result."""
    ok, status, seconds, error = load_homepage(url or department.base_url + "/")
    return AvailabilityProbe.objects.create(department=department, ok=ok, status=status, seconds=seconds,
                                            error=error[:300])


def probe_all() -> list[AvailabilityProbe]:
    return [probe(department) for department in site_departments()]


def watch_interval() -> timedelta:
    """How often the watch probes every homepage (`AVAILABILITY_WATCH_MINUTES`, default 5)."""
    return timedelta(minutes=int(getattr(settings, "AVAILABILITY_WATCH_MINUTES", 5)))


def watch_all(urls: dict | None = None) -> dict[str, bool]:
    """The watch: load every homepage now; `AVAILABILITY_WATCH_FAILURES` (default 2) failures in a
    row raise a 网站无法访问 incident for the centre's duty officer, a success resolves it.

    These loads are not `AvailabilityProbe` rows: the veto counts the hourly probes only, and the
    watch keeps just the streak of failures (in the core's incident service). Homepages are
    loaded in parallel so that a platform-wide outage (every load waiting 15 s) is still seen
    within one interval. `urls` replaces some departments' addresses ({host prefix: url})."""
    from concurrent.futures import ThreadPoolExecutor

    from portal.operations.incidents import report_check

    departments = list(site_departments())
    targets = [(urls or {}).get(department.host_prefix) or department.base_url + "/" for department in departments]
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(targets)))) as pool:
        results = list(pool.map(load_homepage, targets))
    threshold = int(getattr(settings, "AVAILABILITY_WATCH_FAILURES", 2))
    states = {}
    for department, url, (ok, _status, seconds, error) in zip(departments, targets, results, strict=True):
        report_check(
            f"site_down:{department.schema_name}", ok, kind="site_down", department=department,
            threshold=threshold, title=f"{department.name}网站无法访问",
            details=f"首页 {url} 加载失败：{error}（{seconds:.1f} 秒）",
        )
        states[department.host_prefix] = ok
    return states


def security_check_counts(start, end) -> dict[str, int]:
    """For the yearly 安全检测评估次数: finished inspection runs (one run may cover every site),
    and days on which the hourly availability probes ran."""
    from django.db.models.functions import TruncDate

    runs = InspectionRun.objects.filter(status=InspectionRun.Status.DONE,
                                        started_at__date__range=(start, end)).count()
    days = (AvailabilityProbe.objects.filter(time__date__range=(start, end))
            .annotate(day=TruncDate("time")).values("day").distinct().count())
    return {"网站巡检（次）": runs, "可用性监测（天）": days}


def central_recipients() -> list[str]:
    from portal.accounts.models import CentralRoleAssignment

    return sorted({
        assignment.user.email for assignment in CentralRoleAssignment.objects.filter(
            role="system_admin", user__is_active=True).select_related("user") if assignment.user.email
    })


def send_digest(since=None) -> int:
    """E-mail the centre the 单项否决 and serious findings first seen since `since` (default: a day)."""
    from django.core.mail import send_mail

    since = since or timezone.now() - timedelta(days=1)
    new = list(
        Finding.objects.filter(first_seen__gte=since, status=Finding.Status.OPEN, severity__in=["veto", "serious"])
        .select_related("department").order_by("department__sort_order", "item")
    )
    recipients = central_recipients()
    if not new or not recipients:
        return 0
    lines = [f"{timezone.localtime(since):%Y-%m-%d %H:%M} 以来新发现严重问题 {len(new)} 个：", ""]
    for finding in new:
        lines.append(f"【{finding.department.name}】{finding.get_severity_display()}·{finding.item_label}：{finding.title}")
        if finding.url:
            lines.append(f"    页面：{finding.url}")
    send_mail(f"网站巡检日报：新发现严重问题 {len(new)} 个", "\n".join(lines), None, recipients)
    return len(new)


def daily_inspection() -> InspectionRun:
    """The scheduled run over every site (the same work as `manage.py inspect --all`)."""
    return execute_run(start_run())
