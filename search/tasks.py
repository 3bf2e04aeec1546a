"""The push task (django-tasks).

Queued after every publishing transaction that touched the search projection, it drains the
outbox. With the database backend a worker (`manage.py db_worker`) runs it within about a second;
the test settings run it immediately after the commit. When Elasticsearch refuses, the entries
keep their backoff and one retry run is scheduled for when the earliest is due (the
`PushSchedule` row makes sure failing runs do not each schedule their own). Backends without
deferred tasks, and operators who prefer a loop, use `manage.py search_push --loop` instead.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import pusher, vocabulary
from .models import PushSchedule


@task(backend="background")
def push_changes() -> dict:
    result = pusher.drain(max_seconds=60)
    if result.next_attempt_at is not None:
        schedule_retry(result.next_attempt_at)
    if result.pushed:
        # Corrections and degraded suggestions read the vocabulary: keep it near the index.
        vocabulary.refresh_soon()
    return result.as_dict()


def schedule_retry(when) -> bool:
    """Queue one deferred push for `when` unless one is already queued for no later."""
    backend = push_changes.get_backend()
    if not backend.supports_defer:
        return False
    when = max(when, timezone.now() + timedelta(seconds=1))
    with transaction.atomic():
        schedule, _ = PushSchedule.objects.select_for_update().get_or_create(pk=1)
        if schedule.retry_at is not None and timezone.now() < schedule.retry_at <= when:
            return False
        schedule.retry_at = when
        schedule.save(update_fields=["retry_at"])
        push_changes.using(run_after=when).enqueue()
    return True
