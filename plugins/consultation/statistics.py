"""Figures about consultations, the same for the public statistics page and the yearly statement:
征集调查期数 (periods opened), 收到意见数量 (opinions received, those refused in moderation left
out) and 公布调查结果期数 (results published), each counted on its own date. Runs inside the
department's schema."""

from datetime import date

from .models import Consultation, Submission


def figures(start: date, end: date) -> dict:
    consultations = Consultation.objects.filter(published_at__isnull=False)
    return {
        "periods": consultations.filter(starts_at__date__gte=start, starts_at__date__lte=end).count(),
        "opinions_received": Submission.objects.filter(
            consultation__published_at__isnull=False, submitted_at__date__gte=start, submitted_at__date__lte=end,
        ).exclude(status=Submission.Status.REJECTED).count(),
        "results_published": consultations.filter(
            result_published_at__date__gte=start, result_published_at__date__lte=end).count(),
    }


def figures_for(department, start: date, end: date) -> dict:
    """`figures` of `department`, from wherever the caller is."""
    from django_tenants.utils import tenant_context

    with tenant_context(department):
        return figures(start, end)


LABELS = {"periods": "征集调查期数", "opinions_received": "收到意见数量", "results_published": "公布调查结果期数"}
