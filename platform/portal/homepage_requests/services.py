"""Submitting and deciding homepage requests, and what the portal homepage shows."""

from django.utils import timezone

from portal.audit.log import record

from .models import HomepageRequest


def submit(form, *, department, applicant, request=None) -> HomepageRequest:
    homepage_request = form.save(commit=False)
    homepage_request.department = department
    homepage_request.applicant = applicant
    homepage_request.title = homepage_request.item.title
    homepage_request.url = homepage_request.item.url
    homepage_request.save()
    record("homepage_application", request=request, target=homepage_request.title, department=department)
    return homepage_request


def decide(homepage_request: HomepageRequest, *, decision: str, reason: str, user, request=None) -> HomepageRequest:
    homepage_request.status = decision
    homepage_request.decision_reason = reason
    homepage_request.decided_by = user
    homepage_request.decided_at = timezone.now()
    homepage_request.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    record("homepage_application_decision", request=request, user=user, department=homepage_request.department,
           target=homepage_request.title, details={"decision": decision, "reason": reason})
    return homepage_request


def featured(column: str, today=None) -> list[HomepageRequest]:
    """Approved requests showing today in a homepage column, newest approval first."""
    return featured_by_column([column], today).get(column, [])


def featured_by_column(columns, today=None) -> dict[str, list[HomepageRequest]]:
    """`featured` for several columns at once (one query), by column."""
    today = today or timezone.localdate()
    by_column = {}
    for homepage_request in HomepageRequest.objects.filter(
        status=HomepageRequest.Status.APPROVED, column__in=list(columns), start_date__lte=today,
        end_date__gte=today, department__status="active",
    ).select_related("item__department").order_by("-decided_at"):
        by_column.setdefault(homepage_request.column, []).append(homepage_request)
    return by_column
