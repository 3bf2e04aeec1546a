"""The query log the 区信息中心 reviews (no address, no user), and the popular searches it yields."""

from django.utils import timezone


def log_query(outcome) -> None:
    """Record a first-page search (what was typed, and how many results the visitor got)."""
    from .models import QueryLog

    if not outcome.params.q or outcome.params.page != 1:
        return
    QueryLog.objects.create(
        query=outcome.params.q[:100], department=outcome.params.department[:30], total=outcome.total,
        backend=outcome.backend,
    )


def popular_queries(limit: int = 8, days: int = 30) -> list[str]:
    from datetime import timedelta

    from django.db.models import Count

    from .models import QueryLog

    since = timezone.now() - timedelta(days=days)
    rows = (
        QueryLog.objects.filter(created_at__gte=since, total__gt=0).values("query")
        .annotate(n=Count("id")).order_by("-n", "query")[:limit]
    )
    return [row["query"] for row in rows]
