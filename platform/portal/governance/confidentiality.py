"""The confidentiality gate: content with a classification mark or personal data does not go out.

`check_publishable()` is called wherever an article is submitted or made live (the workflow's
submission, the admin's publish actions, `ArticlePage.publish()` and, as the last line, the
save that makes an article live). A blocking hit stops the action with `ConfidentialityBlocked`
unless a 安全管理员 has recorded a 保密审查 that agrees to publish exactly this content (the same
content hash). The middleware turns the exception into a message on the page's edit screen with
a link to the review; `record_decision()` is the one way to record a review.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .scanning import ScanResult, Segment, content_hash, scan_page, scan_segments

ACTION_LABELS = {"submit": "提交审核", "publish": "发布", "approve": "审核通过"}
HELD_CONTENT = "内容含涉密标识、个人信息或无法自动检查的附件"


class PublishingBlocked(ValidationError):
    """A publishing rule stopped an action; the message says why, in Chinese."""

    def __init__(self, message: str, *, page=None, user=None):
        super().__init__(message)
        self.text = message
        self.page = page
        self.user = user

    def message_html(self):
        return format_html("{}", self.text)

    def record(self, request=None):
        """Leave a trace once the failed transaction is over (called by whoever handles it)."""


class ConfidentialityBlocked(PublishingBlocked):
    """Blocking hits and no 保密审查 that agrees to publish this content."""

    target = ""  # what was blocked, for the audit log, when it is not a page

    def __init__(self, page, result: ScanResult, action: str, *, decision=None, user=None):
        self.result = result
        self.action = action
        self.decision = decision
        hits = result.blocking
        if decision is not None:
            lead = f"保密审查不同意发布本内容（理由：{decision.reason}），不能{ACTION_LABELS.get(action, action)}"
        else:
            lead = f"{HELD_CONTENT}，须经保密审查同意后才能{ACTION_LABELS.get(action, action)}"
        text = f"{lead}：" + "；".join(hit.message for hit in hits)
        super().__init__(text, page=page, user=user)

    @property
    def review_url(self) -> str | None:
        if self.page is None or self.page.pk is None:
            return None
        return reverse("governance:confidentiality_review", args=[self.page.pk])

    def message_html(self):
        items = format_html_join("", "<li>{}</li>", ((hit.message,) for hit in self.result.blocking))
        if self.decision is not None:
            lead = format_html(
                "保密审查不同意发布本内容（理由：{}），不能{}。请修改后重新提交：",
                self.decision.reason, ACTION_LABELS.get(self.action, self.action),
            )
        else:
            lead = format_html(
                "{}，须经保密审查同意后才能{}。请删除下列内容（无法检查的附件可换成 PDF、DOCX 或 TXT），"
                "或请安全管理员进行保密审查：", HELD_CONTENT, ACTION_LABELS.get(self.action, self.action),
            )
        link = format_html(' <a href="{}">保密审查</a>', self.review_url) if self.review_url else ""
        return format_html("{}<ul>{}</ul>{}", lead, items, link)

    def record(self, request=None):
        from portal.audit.log import record as audit_record

        department = current_site_department()
        if department is None:
            return
        user = self.user or (getattr(request, "user", None) if request is not None else None)
        if user is not None and not user.is_authenticated:
            user = None
        if self.page is not None and self.page.pk is not None:
            from .models import ConfidentialityHold

            latest = self.page.get_latest_revision() if hasattr(self.page, "get_latest_revision") else None
            ConfidentialityHold.objects.update_or_create(
                department=department, page_id=self.page.pk, content_hash=self.result.content_hash,
                defaults={
                    "page_title": self.page.title[:255], "revision_id": getattr(latest, "pk", None),
                    "hits": [hit.as_record() for hit in self.result.blocking], "action": self.action,
                    "requested_by": user, "review": None,
                },
            )
        audit_record(
            "confidentiality_block", request=request, user=user, success=False, department=department,
            target=_target(self.page) or getattr(self, "target", ""),
            details={"action": self.action, "hits": [hit.message for hit in self.result.blocking],
                     "content_hash": self.result.content_hash},
        )


def _target(page) -> str:
    if page is None:
        return ""
    return f"{page.title} (#{page.pk})" if page.pk else page.title


def current_site_department():
    from tenants.middleware import current_department

    department = current_department()
    return department if department is not None and department.is_site else None


def latest_decision(department, content_hash: str):
    from .models import ConfidentialityReview

    if department is None:
        return None
    return (
        ConfidentialityReview.objects.filter(department=department, content_hash=content_hash)
        .order_by("-created_at", "-id").first()
    )


def check_publishable(page, action: str, *, user=None) -> ScanResult:
    """Scan the article; raise `ConfidentialityBlocked` unless it may be submitted or published."""
    result = scan_page(page)
    if not result.blocking:
        return result
    decision = latest_decision(current_site_department(), result.content_hash)
    if decision is not None and decision.approved:
        return result
    raise ConfidentialityBlocked(page, result, action, decision=decision, user=user)


def check_text_publishable(texts: list[tuple[str, str]], action: str, *, department, user=None,
                           target: str = "") -> ScanResult:
    """The same gate for content that is not an article (a plugin's report, say): `texts` are
    (where, text) pairs named as the person's form names them. Raises `ConfidentialityBlocked`
    (without a page) unless nothing blocks or a 保密审查 agreed to exactly this content."""
    segments = [Segment(place, text or "") for place, text in texts]
    result = ScanResult(segments=segments, hits=scan_segments(segments), content_hash=content_hash(segments))
    if not result.blocking:
        return result
    decision = latest_decision(department, result.content_hash)
    if decision is not None and decision.approved:
        return result
    blocked = ConfidentialityBlocked(None, result, action, decision=decision, user=user)
    blocked.target = target
    raise blocked


def can_review(user) -> bool:
    """保密审查 is the 安全管理员's duty (等保 三员分立): a system administrator does not hold it."""
    return bool(
        user is not None and user.is_authenticated and user.is_active
        and "security_admin" in user.central_role_names()
    )


class ReviewError(Exception):
    """A review that cannot be recorded; the message says why, in Chinese."""


@transaction.atomic
def record_decision(page, *, decision: str, reason: str, reviewer, expected_hash: str | None = None, request=None):
    """Record a 保密审查 of the page's latest content; returns the `ConfidentialityReview`."""
    from portal.audit.log import record as audit_record

    from .models import ConfidentialityHold, ConfidentialityReview

    if not can_review(reviewer):
        raise ReviewError("只有安全管理员可以进行保密审查")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("请填写审查理由")
    if decision not in ConfidentialityReview.Decision.values:
        raise ReviewError("请选择审查结论")
    department = current_site_department()
    if department is None:
        raise ReviewError("只能在单位网站的后台进行保密审查")
    content = page.get_latest_revision_as_object()
    result = scan_page(content)
    if expected_hash and expected_hash != result.content_hash:
        raise ReviewError("审查期间内容已被修改，请重新查看后再审查")
    revision = page.get_latest_revision()
    review = ConfidentialityReview.objects.create(
        department=department, page_id=page.pk, page_title=content.title[:255],
        revision_id=getattr(revision, "pk", None), content_hash=result.content_hash,
        hits=[hit.as_record() for hit in result.blocking], decision=decision, reason=reason,
        reviewer=reviewer, reviewer_name=reviewer.get_full_name(),
    )
    ConfidentialityHold.objects.filter(department=department, content_hash=result.content_hash).update(review=review)
    audit_record(
        "confidentiality_decision", request=request, user=reviewer, department=department,
        target=f"{content.title} (#{page.pk})",
        details={"decision": review.get_decision_display(), "reason": reason, "content_hash": result.content_hash,
                 "revision_id": review.revision_id, "hits": [hit.message for hit in result.blocking]},
    )
    return review
