"""The yearly 通报 as a workflow, and the 整改 it asks of the departments it criticises.

第十七–十八条: the 区信息中心 drafts the 通报 from the performance report and submits it; the
区政府办公室 (办公室管理员) approves it or returns it with comments; on approval it is published on
the portal, in 通知公告, with the PDF attached, through the portal's normal publishing path (the
保密 gate, the projection, search). Every department named for a criticism then files its 整改
(what was fixed, evidence) within `RECTIFICATION_DAYS` calendar days of publication. A missing or
late 整改 is an inspection finding of that department (item 通报整改超期) and is mailed to the centre
and the office; in March both are reminded if last year's 通报 is still not published.

Views, the scheduled jobs and scripts all call these functions; each refuses what the person may
not do with a Chinese message (`BulletinError`), and every step is in the 审计日志.
"""

from __future__ import annotations

import html
import logging
import mimetypes
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .exports import RECTIFICATION_DAYS, pdf_report, report_body
from .models import Bulletin, BulletinEvent, BulletinReminder, Finding, Rectification
from .report import ISSUING_OFFICE, build_report

logger = logging.getLogger(__name__)

FINDING_ITEM = "bulletin_rectification"
PORTAL_COLUMN = "notices"  # the portal's 通知公告
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".zip", ".ofd", ".xlsx", ".txt")
REMINDER_MONTH = 3


class BulletinError(Exception):
    """A step that is refused; the message says why and what to do, in Chinese."""


def _audit(event, user, bulletin, request=None, department=None, details=None):
    from portal.audit.log import record

    record(event, request=request, user=user, target=bulletin.title[:255], department=department,
           details={"year": bulletin.year, **(details or {})})


def is_centre(user) -> bool:
    from .admin_views import is_centre as centre

    return centre(user)


def is_office(user) -> bool:
    from portal.accounts.roles import is_office_admin

    return is_office_admin(user)


def _event(bulletin, action, user=None, comment=""):
    return BulletinEvent.objects.create(bulletin=bulletin, action=action, user=user, comment=comment)


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _render(bulletin: Bulletin, report=None) -> None:
    """The PDF from the stored text and the year's tables."""
    report = report or build_report(*year_period(bulletin.year))
    bulletin.pdf = pdf_report(report, paragraphs=bulletin.paragraphs)


@transaction.atomic
def draft(year: int, user, request=None) -> Bulletin:
    """The centre drafts (or redrafts, while it is not with the office or published) the year's
    通报 from the performance report; the criticised departments come from the report."""
    if not is_centre(user):
        raise BulletinError("只有区信息中心（系统管理员）可以起草年度通报")
    if year < 2000 or year >= timezone.localdate().year:
        raise BulletinError("只能起草已结束年度的通报，请填写去年或更早的年份")
    bulletin = Bulletin.objects.select_for_update().filter(year=year).first()
    if bulletin is not None and bulletin.status in (Bulletin.Status.PENDING, Bulletin.Status.PUBLISHED):
        raise BulletinError(f"{year}年度通报{bulletin.get_status_display()}，不能重新起草")
    report = build_report(*year_period(year))
    bulletin = bulletin or Bulletin(year=year)
    bulletin.title = report.title
    bulletin.body = "\n".join(report_body(report))
    bulletin.drafted_by, bulletin.drafted_at = user, timezone.now()
    if bulletin.status != Bulletin.Status.RETURNED:
        bulletin.status = Bulletin.Status.DRAFT
    _render(bulletin, report)
    bulletin.save()
    bulletin.rectifications.all().delete()
    Rectification.objects.bulk_create([
        Rectification(bulletin=bulletin, department=row.department,
                      criticisms=[{"condition": condition, "evidence": evidence}
                                  for condition, evidence in row.criticisms])
        for row in report.criticised
    ])
    _event(bulletin, BulletinEvent.Action.DRAFTED, user, f"批评 {len(report.criticised)} 个单位")
    _audit("bulletin_draft", user, bulletin, request, details={"criticised": len(report.criticised)})
    return bulletin


@transaction.atomic
def edit(bulletin: Bulletin, body: str, user, request=None) -> Bulletin:
    if not is_centre(user):
        raise BulletinError("只有区信息中心（系统管理员）可以修改通报正文")
    if bulletin.status not in (Bulletin.Status.DRAFT, Bulletin.Status.RETURNED):
        raise BulletinError(f"通报{bulletin.get_status_display()}，不能修改正文")
    body = "\n".join(line.strip() for line in (body or "").splitlines() if line.strip())
    if not body:
        raise BulletinError("请填写通报正文，每段一行")
    bulletin.body = body
    _render(bulletin)
    bulletin.save(update_fields=["body", "pdf"])
    _event(bulletin, BulletinEvent.Action.EDITED, user)
    _audit("bulletin_edit", user, bulletin, request)
    return bulletin


@transaction.atomic
def submit(bulletin: Bulletin, user, request=None) -> Bulletin:
    if not is_centre(user):
        raise BulletinError("只有区信息中心（系统管理员）可以报送通报")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status not in (Bulletin.Status.DRAFT, Bulletin.Status.RETURNED):
        raise BulletinError(f"通报{bulletin.get_status_display()}，不能报送")
    bulletin.status, bulletin.submitted_by, bulletin.submitted_at = Bulletin.Status.PENDING, user, timezone.now()
    bulletin.save(update_fields=["status", "submitted_by", "submitted_at"])
    _event(bulletin, BulletinEvent.Action.SUBMITTED, user)
    _audit("bulletin_submit", user, bulletin, request)
    return bulletin


def _check_office(bulletin: Bulletin, user) -> None:
    if not is_office(user):
        raise BulletinError("只有区政府办公室（办公室管理员）可以审批通报")
    if bulletin.status != Bulletin.Status.PENDING:
        raise BulletinError(f"通报{bulletin.get_status_display()}，不在待审批状态")
    if user.pk in (bulletin.submitted_by_id, bulletin.drafted_by_id):
        raise BulletinError("起草或报送通报的人不能审批同一份通报")


@transaction.atomic
def return_for_changes(bulletin: Bulletin, user, comment: str, request=None) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _check_office(bulletin, user)
    comment = (comment or "").strip()
    if not comment:
        raise BulletinError("退回时请填写意见，说明需要修改什么")
    bulletin.status, bulletin.decided_by, bulletin.decided_at = Bulletin.Status.RETURNED, user, timezone.now()
    bulletin.save(update_fields=["status", "decided_by", "decided_at"])
    _event(bulletin, BulletinEvent.Action.RETURNED, user, comment)
    _audit("bulletin_return", user, bulletin, request, details={"comment": comment})
    return bulletin


def approve(bulletin: Bulletin, user, comment: str = "", request=None) -> Bulletin:
    """The office approves: the 通报 is published on the portal and the 整改 clocks start.

    The page is first kept as a draft on the portal (with the PDF attached); a publish held by
    the 保密 gate leaves the 通报 待审批 and that draft where a 安全管理员 reviews it; approving
    again then publishes the same page.
    """
    from django_tenants.utils import tenant_context
    from portal.governance.confidentiality import ConfidentialityBlocked

    bulletin = Bulletin.objects.get(pk=bulletin.pk)
    _check_office(bulletin, user)
    comment = (comment or "").strip()
    portal = portal_department()
    with tenant_context(portal), transaction.atomic():
        page = _draft_page(bulletin)
    try:
        with transaction.atomic():
            locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
            _check_office(locked, user)
            with tenant_context(portal):
                page = publish_on_portal(page)
                url = page.full_url or page.url or ""
            now = timezone.now()
            locked.status, locked.decided_by, locked.decided_at = Bulletin.Status.PUBLISHED, user, now
            locked.published_at, locked.page_url = now, url
            locked.save(update_fields=["status", "decided_by", "decided_at", "published_at", "page_url"])
            due = timezone.localdate(now) + timedelta(days=RECTIFICATION_DAYS)
            locked.rectifications.update(due_date=due)
            _event(locked, BulletinEvent.Action.APPROVED, user, comment)
            _event(locked, BulletinEvent.Action.PUBLISHED, user, locked.page_url)
            _audit("bulletin_approve", user, locked, request,
                   details={"comment": comment, "url": locked.page_url, "due": str(due)})
    except ConfidentialityBlocked as blocked:
        with tenant_context(portal):
            blocked.page, blocked.user = page, user
            blocked.record(request)
        _event(bulletin, BulletinEvent.Action.HELD, user, blocked.text[:2000])
        raise BulletinError(f"{blocked.text}。请安全管理员在门户网站后台对页面“{bulletin.title}”进行保密审查，"
                            "同意后再次批准发布") from None
    bulletin.refresh_from_db()
    return bulletin


def portal_department():
    from tenants.models import Department

    portal = Department.objects.filter(kind=Department.Kind.PORTAL, status="active").order_by("id").first()
    if portal is None:
        raise BulletinError("没有可用的门户网站，无法发布通报")
    return portal


def _draft_page(bulletin: Bulletin):
    """Inside the portal's schema: the 通报's article in 通知公告, created once as a draft with the
    PDF attached."""
    from hashlib import sha1

    from django.core.files.base import ContentFile
    from portal.pages.models import ArticleAttachment, ArticlePage, ColumnPage
    from wagtail.documents import get_document_model

    page = ArticlePage.objects.filter(pk=bulletin.page_id).first() if bulletin.page_id else None
    if page is not None:
        return page
    column = ColumnPage.objects.filter(depth=3, slug=PORTAL_COLUMN).first()
    if column is None:
        raise BulletinError("门户网站没有“通知公告”栏目，无法发布通报")
    data = bytes(bulletin.pdf)
    document = get_document_model()(
        title=bulletin.title[:255], file=ContentFile(data, name=f"bulletin-{bulletin.year}.pdf"),
        file_size=len(data), file_hash=sha1(data).hexdigest(),
    )
    document.save()
    paragraphs = bulletin.paragraphs
    body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    slug, number = f"bulletin-{bulletin.year}", 2
    while ArticlePage.objects.child_of(column).filter(slug=slug).exists():
        slug, number = f"bulletin-{bulletin.year}-{number}", number + 1
    page = ArticlePage(
        title=bulletin.title[:255], slug=slug, source=ISSUING_OFFICE, author=ISSUING_OFFICE,
        summary=(paragraphs[1] if len(paragraphs) > 1 else bulletin.title)[:500],
        keywords="绩效评估,通报", information_date=timezone.localdate(), body=[("text", body)],
        attachments=[ArticleAttachment(document=document, title=bulletin.filename)], live=False,
    )
    column.add_child(instance=page)
    page.save_revision(clean=False)
    Bulletin.objects.filter(pk=bulletin.pk).update(page_id=page.pk)
    bulletin.page_id = page.pk
    return page


def publish_on_portal(page):
    """Inside the portal's schema: publish the 通报's page through the normal publish path.

    It runs like scheduled publishing does, as the system (no person's page permissions on the
    portal are needed: the office's approval is the review); the 保密 gate scans the text and the
    PDF, and the projection and search follow the publish. The draft's own revision is published,
    so a 保密审查 of that draft covers exactly what goes live.
    """
    page.get_latest_revision().publish(skip_permission_checks=True)
    page.refresh_from_db()
    return page


# --- 整改 -----------------------------------------------------------------------------------

def _clean_evidence(upload) -> tuple[bytes, str, str]:
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(EVIDENCE_EXTENSIONS):
        raise BulletinError("佐证材料只能是 " + "、".join(ext.lstrip(".").upper() for ext in EVIDENCE_EXTENSIONS)
                            + " 文件")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise BulletinError(f"佐证材料 {upload.size / 1024 / 1024:.1f} MB，超过 {MAX_EVIDENCE_BYTES // 1024 // 1024} MB"
                            " 的上限，请压缩或拆分后上传")
    data = upload.read()
    if not data:
        raise BulletinError("佐证材料是空文件，请重新选择")
    # The type follows the checked extension, never what the browser claimed.
    return data, name, mimetypes.guess_type(name)[0] or "application/octet-stream"


def may_file(user, rectification: Rectification) -> bool:
    from portal.accounts.models import DepartmentRole

    return bool(user.is_authenticated and user.is_active and DepartmentRole.objects.filter(
        user=user, department_id=rectification.department_id).exists())


@transaction.atomic
def file_rectification(rectification: Rectification, user, text: str, evidence, request=None) -> Rectification:
    """The department files its 整改: what was fixed and the evidence. Late filing is accepted and
    stays marked late; the overdue finding it had is closed with the days it was late."""
    rectification = Rectification.objects.select_for_update().select_related("bulletin", "department").get(
        pk=rectification.pk)
    if not may_file(user, rectification):
        raise BulletinError("只有被通报单位的业务员或负责人可以提交整改情况")
    if rectification.bulletin.status != Bulletin.Status.PUBLISHED:
        raise BulletinError("通报尚未发布，还不能提交整改情况")
    if rectification.filed_at:
        raise BulletinError("整改情况已经提交，不能重复提交")
    text = (text or "").strip()
    if not text:
        raise BulletinError("请填写整改情况：针对通报指出的问题做了哪些整改")
    if evidence is None:
        raise BulletinError("请上传佐证材料（整改后的页面截图、制度文件等）")
    data, name, content_type = _clean_evidence(evidence)
    rectification.text, rectification.evidence = text[:5000], data
    rectification.evidence_name, rectification.evidence_type = name, content_type[:100]
    rectification.filed_at, rectification.filed_by = timezone.now(), user
    rectification.save()
    late = rectification.days_late()
    if late:
        # Late filing is an inspection finding even if no check ran while it was missing.
        _store_finding(rectification, _finding_data(rectification))
        _close_finding(rectification, user, f"已提交整改情况，超期 {late} 天")
    _audit("bulletin_rectification", user, rectification.bulletin, request, department=rectification.department,
           details={"late_days": late, "evidence": name})
    return rectification


def _finding_data(rectification: Rectification, today=None) -> dict:
    late = rectification.days_late(today)
    year = rectification.bulletin.year
    if rectification.filed_at:
        title = f"{year}年度通报整改超期 {late} 天提交（期限 {rectification.due_date:%Y-%m-%d}）"
    else:
        title = f"{year}年度通报要求的整改已超期 {late} 天未提交（期限 {rectification.due_date:%Y-%m-%d}）"
    return {
        "item": FINDING_ITEM, "key": f"bulletin:{year}", "severity": "serious", "title": title,
        "url": rectification.bulletin.page_url, "source": Finding.Source.CHECK,
        "edit_url": f"{rectification.department.base_url}/admin/plugins/inspection/rectifications/{rectification.pk}/",
        "evidence": {"year": year, "due": str(rectification.due_date), "days_late": late},
    }


def _store_finding(rectification, data):
    from .service import store_findings

    store_findings(rectification.department, [data], {Finding.Source.CHECK},
                   only_keys={(data["item"], data["key"])})


def _close_finding(rectification, user, note):
    from .models import FindingEvent

    finding = Finding.objects.filter(department=rectification.department, item=FINDING_ITEM,
                                     key=f"bulletin:{rectification.bulletin.year}", status=Finding.Status.OPEN).first()
    if finding is None:
        return
    finding.status, finding.fixed_at, finding.fix_claimed_at = Finding.Status.FIXED, timezone.now(), None
    finding.save(update_fields=["status", "fixed_at", "fix_claimed_at"])
    FindingEvent.objects.create(finding=finding, action=FindingEvent.Action.FIXED, user=user, note=note[:500])


def overdue_rectifications(today=None):
    today = today or timezone.localdate()
    return (Rectification.objects.filter(bulletin__status=Bulletin.Status.PUBLISHED, filed_at__isnull=True,
                                         due_date__lt=today)
            .select_related("bulletin", "department").order_by("due_date", "department__sort_order"))


def rectification_check(department) -> list[dict]:
    """The `inspection_checks` check: a 整改 past its deadline and not filed is a finding of the
    department (it closes once the 整改 is filed)."""
    return [_finding_data(rectification) for rectification in overdue_rectifications().filter(department=department)]


def flag_overdue(today=None) -> int:
    """Daily: every 整改 that became overdue is stored as a finding at once (not only at the next
    night's inspection) and the centre and the office are mailed the new ones."""
    from django.core.mail import send_mail

    today = today or timezone.localdate()
    fresh = []
    for rectification in overdue_rectifications(today):
        data = _finding_data(rectification, today)
        known = Finding.objects.filter(department=rectification.department, item=data["item"], key=data["key"],
                                       status=Finding.Status.OPEN).exists()
        _store_finding(rectification, data)
        if not known:
            fresh.append(rectification)
    recipients = bulletin_recipients()
    if fresh and recipients:
        lines = [f"以下 {len(fresh)} 个单位未在期限内提交通报要求的整改情况，已列入网站巡检问题：", ""]
        lines += [f"· {r.department.name}：{r.bulletin.year}年度通报，期限 {r.due_date:%Y-%m-%d}" for r in fresh]
        lines += ["", "请在网站管理后台“网站巡检 › 整改情况”查看。"]
        send_mail(f"【年度通报】{len(fresh)} 个单位整改超期未提交", "\n".join(lines), None, recipients)
    return len(fresh)


# --- the March reminder -----------------------------------------------------------------------

def bulletin_recipients() -> list[str]:
    """The centre (系统管理员) and the 区政府办公室 (办公室管理员)."""
    from portal.accounts.models import User

    people = User.objects.filter(is_active=True, central_roles__role__in=["system_admin", "office_admin"])
    return sorted(set(people.exclude(email="").values_list("email", flat=True)))


def march_reminder(today=None) -> bool:
    """In March, once: remind the centre and the office that last year's 通报 is not published."""
    from django.core.mail import send_mail

    today = today or timezone.localdate()
    year = today.year - 1
    if today.month != REMINDER_MONTH or BulletinReminder.objects.filter(year=year).exists():
        return False
    bulletin = Bulletin.objects.filter(year=year).first()
    if bulletin is not None and bulletin.status == Bulletin.Status.PUBLISHED:
        return False
    recipients = bulletin_recipients()
    if not recipients:
        return False
    state = f"目前状态：{bulletin.get_status_display()}" if bulletin else "目前尚未起草"
    body = "\n".join([
        f"{year}年度政府网站绩效评估通报应于 {today.year} 年 3 月由区政府办公室发布，{state}。",
        "",
        "区信息中心：请在网站管理后台“网站巡检 › 年度通报”起草并报送；",
        "区政府办公室：请审批报送的通报，批准后通报即在门户网站通知公告栏目发布。",
    ])
    send_mail(f"【年度通报】{year}年度通报尚未发布", body, None, recipients)
    BulletinReminder.objects.create(year=year, recipients=recipients)
    return True


def daily_jobs() -> None:
    """The scheduled job: overdue 整改 and, in March, the reminder."""
    flag_overdue()
    march_reminder()
