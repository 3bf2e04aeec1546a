"""Work that follows a commit once, however many changes in the transaction asked for it."""

from django.db import connection, transaction


def on_commit_once(callback) -> None:
    """`transaction.on_commit(callback)` unless this transaction already has it waiting."""
    pending = getattr(connection, "run_on_commit", None) or []
    if any(waiting is callback for _, waiting, *_ in pending):
        return
    transaction.on_commit(callback)
