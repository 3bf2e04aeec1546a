"""Work that follows a commit once, however many changes in the transaction asked for it."""

from django.db import connection, transaction


def on_commit_once(callback) -> None:
    """`transaction.on_commit(callback)` unless this transaction already has it waiting."""
    pending = getattr(connection, "run_on_commit", None) or []
    if any(waiting is callback for _, waiting, *_ in pending):
        return
    transaction.on_commit(callback)


def publish_in_one_transaction() -> None:
    """Make Wagtail's publish and unpublish actions atomic, whoever runs them.

    Wagtail saves the page as live, writes its log entries and sends `page_published` (whose
    receivers write the projection and the search outbox) as separate statements, committed one
    by one outside a transaction: a database that goes away in between (a restart, a killed
    process) would leave a live page that neither the portal nor search knows of. The admin's
    edit view, `revision.publish()`, scheduled publishing and the admin API all run these two
    action classes, so wrapping their `execute` here covers every route; after-commit work (search
    pushes, cache invalidation) then runs once the whole publish is durable.
    """
    from wagtail.actions.publish_revision import PublishRevisionAction
    from wagtail.actions.unpublish import UnpublishAction
    from wagtail.actions.unpublish_page import UnpublishPageAction

    for action in (PublishRevisionAction, UnpublishAction, UnpublishPageAction):
        execute = action.__dict__["execute"]
        if not getattr(execute, "_one_transaction", False):
            wrapped = transaction.atomic(execute)
            wrapped._one_transaction = True
            action.execute = wrapped
