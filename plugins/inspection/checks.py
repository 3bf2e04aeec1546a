"""What counts as a problem: the national items judged on data and on rendered pages.

Two kinds of checks produce findings in the shape of the `inspection_checks` hook (item, key,
title, severity, url, edit_url, evidence):

- data checks, run inside the department's schema like any plugin's hook check: 首页不更新,
  栏目不更新, 空白栏目 (from the columns' types and their live items) and 站点无法访问 (from the
  availability probes of the last seven days);
- page checks on what the crawler fetched: broken links and missing attachments, footer
  elements, page metadata, 错敏词 and classification marks (with the governance scanner and the
  central word list), and publish dates in the future.

Severity follows the national thresholds; `apply_vetoes` raises findings to 单项否决 when a
department's counts reach them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.utils import timezone
from lxml import html as lxml_html

HOMEPAGE_DAYS = 14
AVAILABILITY_DAYS = 7
AVAILABILITY_VETO_RATIO = 0.05
STALE_COLUMNS_VETO = 5  # 栏目不更新: ≥5 such columns
NOT_UPDATING_VETO = 10  # ≥10 columns that should update but do not (stale or blank)
BLANK_COLUMNS_VETO = 5
FUTURE_TOLERANCE = timedelta(minutes=10)
# Columns whose content is a form, a plugin or a fixed description rather than a list of items;
# the disclosure catalogue's parts are checked by the disclosure plugin's own check.
NO_LIST_COLUMN_TYPES = ("about", "service", "interaction", "disclosure")
BEIJING = ZoneInfo("Asia/Shanghai")


def admin_page_url(department, page_id: int, edit: bool = True) -> str:
    return f"{department.base_url}/admin/pages/{page_id}/{'edit/' if edit else ''}"


# --- data checks (inside the department's schema) --------------------------------------------

def column_checks(department) -> list[dict]:
    """首页不更新, 栏目不更新 and 空白栏目 from the columns and their live, public items.

    Only items published up to now count as updates: an item without a real publish date, or
    with one in the future, does not make a column current.
    """
    from portal.pages.columns import UPDATE_RULE_DAYS
    from portal.pages.models import ArticlePage, ColumnPage, HomePage
    from wagtail.models import Page

    now = timezone.now()
    findings = []
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        return findings
    columns = list(ColumnPage.objects.descendant_of(home).live().order_by("path"))
    # A 专题 past its end date is an archive: it keeps its items but no longer has to be updated.
    from portal.topics.models import TopicColumnPage

    ended = set(TopicColumnPage.objects.descendant_of(home).filter(end_date__lt=timezone.localdate())
                .values_list("pk", flat=True))
    # Two queries for the whole site rather than two per column: a page's parent is its
    # materialised path without the last step.
    parent_paths = {
        path[:-ColumnPage.steplen]
        for path in Page.objects.descendant_of(home).live().filter(depth__gt=home.depth + 1)
        .values_list("path", flat=True)
    }
    latest_by_parent = {}
    for path, published in (
        ArticlePage.objects.descendant_of(home).live().filter(publish_time__lte=now).values_list("path", "publish_time")
    ):
        parent = path[:-ColumnPage.steplen]
        if parent not in latest_by_parent or published > latest_by_parent[parent]:
            latest_by_parent[parent] = published
    for column in columns:
        latest = latest_by_parent.get(column.path)
        has_content = column.path in parent_paths
        url = department.base_url + column.url_path[len(home.url_path) - 1:]
        common = {"key": f"column:{column.pk}", "url": url, "edit_url": admin_page_url(department, column.pk, False)}
        rule = None if column.pk in ended else UPDATE_RULE_DAYS.get(column.column_type)
        if not has_content and column.column_type not in NO_LIST_COLUMN_TYPES:
            findings.append({
                **common, "item": "blank_column", "severity": "serious",
                "title": f"空白栏目：“{column.title}”自开设以来没有任何内容",
                "evidence": {"column": column.title, "column_type": column.column_type, "should_update": bool(rule)},
            })
        elif rule and (latest is None or now - latest > timedelta(days=rule)):
            days = (now - latest).days if latest else None
            since = f"已 {days} 天未更新" if latest else "没有发布日期有效的信息"
            findings.append({
                **common, "item": "column_stale", "severity": "serious",
                "title": f"栏目不更新：“{column.title}”{since}（要求 {rule} 天内更新）",
                "evidence": {
                    "column": column.title, "column_type": column.column_type, "rule_days": rule, "days": days,
                    "latest": timezone.localtime(latest, BEIJING).strftime("%Y-%m-%d %H:%M") if latest else None,
                },
            })
    latest_item = max(latest_by_parent.values(), default=None)
    if latest_item is None or now - latest_item > timedelta(days=HOMEPAGE_DAYS):
        days = (now - latest_item).days if latest_item else None
        since = f"已 {days} 天" if days is not None else "从未"
        findings.append({
            "item": "homepage_stale", "key": "homepage", "severity": "veto",
            "title": f"首页不更新：{since}没有新信息（要求 {HOMEPAGE_DAYS} 天内）",
            "url": department.base_url + "/", "edit_url": admin_page_url(department, home.pk, False),
            "evidence": {"days": days},
        })
    return findings


def availability_check(department) -> list[dict]:
    """站点无法访问: the share of failed homepage probes over the last seven days."""
    from .models import AvailabilityProbe

    probes = AvailabilityProbe.objects.filter(
        department=department, time__gte=timezone.now() - timedelta(days=AVAILABILITY_DAYS)
    )
    total = probes.count()
    failed = probes.filter(ok=False).count()
    if not total or failed / total < AVAILABILITY_VETO_RATIO:
        return []
    return [{
        "item": "site_unavailable", "key": "availability", "severity": "veto",
        "title": f"站点无法访问：近 {AVAILABILITY_DAYS} 天探测 {total} 次，失败 {failed} 次（{failed / total:.1%}）",
        "url": department.base_url + "/", "evidence": {"probes": total, "failed": failed},
    }]


# --- page checks (on crawled HTML) -----------------------------------------------------------

FOOTER_ELEMENTS = [
    ("sponsor", "主办单位", re.compile(r"主办单位[:：]\s*\S")),
    ("operator", "承办单位", re.compile(r"承办单位[:：]\s*\S")),
    ("contact", "联系方式", re.compile(r"(联系电话[:：]\s*[\d-]{7,}|电子邮箱[:：]\s*\S+@\S+)")),
    ("site_code", "网站标识码", re.compile(r"网站标识码[:：]\s*(\d{10}|bm\d{8})(?![\dA-Za-z])")),
    ("icp", "ICP备案编号", re.compile(r"[\u4e00-\u9fff]ICP备\d+号(-\d+)?")),
    ("police", "公安机关备案号", re.compile(r"[\u4e00-\u9fff]公网安备\s*\d{14}号")),
    ("party_mark", "党政机关网站标识", re.compile(r"党政机关网站标识")),
    ("sitemap", "网站地图", re.compile(r"网站地图")),
    ("about", "关于本网", re.compile(r"关于本网")),
]
SITE_META = ["SiteName", "SiteDomain", "SiteIDCode"]
PAGE_META = {
    "column": ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"],
    "article": ["ColumnName", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description", "Url"],
}
# Tags that must also carry a value; the others may be empty (an article without keywords).
NON_EMPTY_META = {"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "Url"}
PUBDATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def matches_rule(rule, url: str, status: int | None) -> bool:
    return fnmatchcase(url, rule.url_pattern) and (rule.status is None or rule.status == status)


def skipped_by_rules(rules, url: str) -> bool:
    """Rules without a status mean: do not check this URL at all."""
    return any(rule.status is None and fnmatchcase(url, rule.url_pattern) for rule in rules)


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content() or "").strip() if element is not None else ""


def page_findings(url: str, html: str, kind: str, page_id: int | None, department, terms) -> list[dict]:
    """Footer, metadata, date and wording problems of one rendered page."""
    from portal.governance.scanning import CLASSIFICATION, SENSITIVE, scan_text

    try:
        document = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    path = urlsplit(url).path or "/"
    edit_url = admin_page_url(department, page_id) if page_id and kind == "article" else (
        admin_page_url(department, page_id, False) if page_id else "")
    common = {"url": url, "edit_url": edit_url}
    findings = []

    # The site footer is the page's contentinfo landmark (an article may have a <footer> of its own).
    landmarks = document.xpath('//*[@role="contentinfo"]') or document.xpath("//footer")
    footer = landmarks[-1] if landmarks else None
    footer_text = _text(footer)
    for code, label, pattern in FOOTER_ELEMENTS:
        if not pattern.search(footer_text):
            findings.append({
                **common, "item": "footer_missing", "key": f"footer:{code}", "severity": "normal",
                "title": f"页脚缺少{label}", "evidence": {"element": label},
            })

    metas = {
        meta.get("name"): (meta.get("content") or "").strip() for meta in document.iter("meta") if meta.get("name")
    }
    wanted = SITE_META + PAGE_META.get(kind, [])
    missing = [name for name in wanted if name not in metas or (name in NON_EMPTY_META and not metas[name])]
    if "PubDate" in metas and metas["PubDate"] and not PUBDATE_FORMAT.match(metas["PubDate"]):
        missing.append("PubDate（格式应为 YYYY-MM-DD HH:MM）")
    if missing:
        findings.append({
            **common, "item": "metadata_missing", "key": f"meta:{path}", "severity": "normal",
            "title": f"页面元数据缺失：{'、'.join(missing)}", "evidence": {"missing": missing},
        })

    if kind == "article" and PUBDATE_FORMAT.match(metas.get("PubDate", "")):
        published = datetime.strptime(metas["PubDate"], "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
        if published > timezone.now() + FUTURE_TOLERANCE:
            findings.append({
                **common, "item": "future_date", "key": f"future:{path}", "severity": "serious",
                "title": f"发布日期异常：发布时间 {metas['PubDate']} 晚于当前时间",
                "evidence": {"pubdate": metas["PubDate"]},
            })

    main = document.find(".//main")
    for hit in scan_text(_text(main if main is not None else document.find(".//body")), "页面正文", terms):
        if hit.kind == CLASSIFICATION:
            findings.append({
                **common, "item": "classified_mark", "key": f"mark:{path}:{hit.quote}", "severity": "serious",
                "title": f"公开页面出现涉密标识“{hit.quote}”", "evidence": {"quote": hit.quote, "message": hit.message},
            })
        elif hit.kind == SENSITIVE:
            findings.append({
                **common, "item": "sensitive_word", "key": f"word:{path}:{hit.quote}", "severity": "normal",
                "title": f"错敏词“{hit.quote}”" + (f"，应为“{hit.suggestion}”" if hit.suggestion else ""),
                "evidence": {"quote": hit.quote, "suggestion": hit.suggestion, "message": hit.message},
            })
    return findings


def link_findings(result, department, page_ids: dict[str, tuple[int, str]], rules) -> list[dict]:
    """Broken links and missing attachments, one finding per target, naming the pages that link."""
    from .crawler import ATTACHMENT_PREFIXES

    site_host = urlsplit(result.start_url).netloc
    findings = []
    for target, answer in result.links.items():
        if answer.ok or target not in result.referrers:
            continue
        if any(matches_rule(rule, target, answer.status) for rule in rules):
            continue
        referrers = result.referrers[target]
        first = referrers[0]
        page_id, kind = page_ids.get(urlsplit(first).path, (None, ""))
        parts = urlsplit(target)
        internal = parts.netloc == site_host
        attachment = internal and parts.path.startswith(ATTACHMENT_PREFIXES)
        label = "附件不存在" if attachment else ("站内链接不可用" if internal else "外部链接不可用")
        findings.append({
            "item": "broken_link", "key": f"link:{target}", "severity": "normal",
            "title": f"{label}：{target}（{answer.problem}）",
            "url": first, "edit_url": admin_page_url(department, page_id) if page_id and kind == "article" else "",
            "evidence": {"target": target, "status": answer.status, "error": answer.error,
                         "pages": referrers[:20], "page_count": len(referrers), "internal": internal},
        })
    return findings


def crawl_findings(result, department, page_ids, rules, terms) -> list[dict]:
    """Every finding of a crawl; site-wide problems (the footer) are reported once per site."""
    findings = []
    footer_seen = {}
    for url, page in result.pages.items():
        if not page.html:
            continue
        page_id, kind = page_ids.get(urlsplit(url).path or "/", (None, "other"))
        for finding in page_findings(url, page.html, kind, page_id, department, terms):
            if finding["item"] == "footer_missing":
                known = footer_seen.get(finding["key"])
                if known:
                    known["evidence"]["page_count"] += 1
                    continue
                finding["evidence"]["page_count"] = 1
                footer_seen[finding["key"]] = finding
            findings.append(finding)
    if not result.homepage_ok:
        home = result.pages.get(result.start_url)
        problem = (home.error or f"HTTP {home.status}") if home else "无法访问"
        findings.append({
            "item": "site_unavailable", "key": "crawl", "severity": "serious",
            "title": f"巡检时首页无法访问（{problem}）", "url": result.start_url, "evidence": {"problem": problem},
        })
    findings.extend(link_findings(result, department, page_ids, rules))
    return findings


def apply_vetoes(findings: list[dict]) -> None:
    """Raise findings to 单项否决 where the department's counts reach the national thresholds."""
    stale = [f for f in findings if f["item"] == "column_stale"]
    blank = [f for f in findings if f["item"] == "blank_column"]
    should_update = stale + [f for f in blank if f.get("evidence", {}).get("should_update")]
    raised = []
    if len(stale) >= STALE_COLUMNS_VETO:
        raised += stale
    if len(should_update) >= NOT_UPDATING_VETO:
        raised += should_update
    if len(blank) >= BLANK_COLUMNS_VETO:
        raised += blank
    for finding in raised:
        finding["severity"] = "veto"
