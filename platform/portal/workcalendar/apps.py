from django.apps import AppConfig


def _calendar_changed(sender, **kwargs):
    """A year or a day was entered, corrected or removed: plugins recompute their deadlines once
    the change is committed (once per transaction, however many days changed)."""
    from portal.transactions import on_commit_once

    on_commit_once(_notify_plugins)


def _notify_plugins():
    from portal.plugins import get_manager

    get_manager().hook.calendar_changed()


class WorkCalendarConfig(AppConfig):
    name = "portal.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        for model in ("workcalendar.CalendarYear", "workcalendar.CalendarDay"):
            for signal in (post_save, post_delete):
                signal.connect(_calendar_changed, sender=model, dispatch_uid=f"calendar_changed.{model}.{signal}")
