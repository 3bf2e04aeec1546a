"""The publishing path of an article, guarded: permissions, the confidentiality gate, who publishes.

`ArticlePage.publish()` (every `revision.publish()`: the workflow's approval, bulk publish, the
create view, scheduled publishing, code) runs inside `guarded_publish`; `ArticlePage.save()`
calls `guard_going_live` so that whatever makes an article live without `publish()` — Wagtail's
edit view runs its publish action directly, a copy is kept live — meets the same gate.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from .confidentiality import ConfidentialityBlocked, check_publishable
from .workflow import is_reviewed_publish, publishing_user

logger = logging.getLogger(__name__)

# (page id, revision id) that `guarded_publish` has just checked, so the save it leads to does not
# scan the same content again.
_checked: ContextVar = ContextVar("governance_checked_revision", default=None)
SCHEDULED_LOG_ACTION = "wagtail.publish.scheduled"


@contextmanager
def guarded_publish(page, revision, *, user=None, skip_permission_checks=False, log_action=True):
    """Yields True when the revision may be published, False when a scheduled publish must wait."""
    from wagtail.actions.publish_page_revision import PublishPagePermissionError

    # Permissions first: an editor's attempt fails as Wagtail would fail it, before any scanning.
    if user is not None and not skip_permission_checks and not page.permissions_for_user(user).can_publish():
        raise PublishPagePermissionError("You do not have permission to publish this page.")
    content = revision.as_object()
    # The 负责人's approval publishes from inside the workflow: name it as what the person did.
    action = "approve" if is_reviewed_publish(page, revision) else "publish"
    try:
        check_publishable(content, action, user=user)
    except ConfidentialityBlocked as blocked:
        if log_action != SCHEDULED_LOG_ACTION:
            raise
        # `publish_scheduled` publishes many pages in one loop: this one stays scheduled (and is
        # tried again on the next run) while the others go ahead.
        blocked.record()
        logger.warning("Scheduled publish of page %s held back: %s", page.pk, blocked.text)
        yield False
        return
    user_token = publishing_user.set(user)
    checked_token = _checked.set((page.pk, revision.pk))
    try:
        yield True
    finally:
        _checked.reset(checked_token)
        publishing_user.reset(user_token)


def _going_live(page, update_fields) -> bool:
    from wagtail.models import Page

    if not page.live:
        return False
    if update_fields is not None and not {"live", "live_revision", "live_revision_id"} & set(update_fields):
        return False
    if page.pk is None or page._state.adding:
        return True
    before = Page.objects.filter(pk=page.pk).values_list("live", "live_revision_id").first()
    return before is None or not before[0] or before[1] != page.live_revision_id


def guard_going_live(page, update_fields=None):
    """Last line: an article whose saved state becomes live (again, or with new content) is scanned."""
    if not _going_live(page, update_fields):
        return
    if _checked.get() == (page.pk, page.live_revision_id) and page.pk is not None:
        return
    check_publishable(page, "publish", user=publishing_user.get())
