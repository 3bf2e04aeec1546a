"""The yearly report's 专栏专题 figures for the site whose schema is active.

维护数量: live 专题 that ran on any day of the period (started on or before its end, not ended
before its start). 新开设数量: live 专题 that started within the period.
"""

from datetime import date

from django.db.models import Q

from .models import TopicColumnPage


def topic_counts(start: date, end: date) -> dict:
    """`{"maintained": n, "opened": n}` for the dates `start`..`end` (inclusive)."""
    live = TopicColumnPage.objects.live()
    maintained = live.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    return {
        "maintained": maintained.count(),
        "opened": live.filter(start_date__gte=start, start_date__lte=end).count(),
    }
