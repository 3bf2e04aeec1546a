"""References follow their original: edits change them, removal takes them down.

The projection row of the original (`PublishedItem`, public schema) is written in the
publishing transaction of the original, so listening to it catches every route that changes
what the public sees (edit and publish, move, rename, make private, unpublish, delete, the
回收站, a scheduled expiry). Each reference is then saved or unpublished in its own department's
schema; those writes invalidate the receiving site's cached pages like any other change there.
"""

from django.db.models.signals import post_delete, post_save
from django_tenants.utils import tenant_context

from portal.models import PublishedItem

from .models import Submission

FOLLOWED_FIELDS = ("title", "draft_title", "publish_time", "source", "summary", "information_date")


def _references(item):
    """Accepted submissions of this original, grouped by receiving department."""
    by_department = {}
    for submission in (Submission.objects.filter(source_department_id=item.department_id,
                                                 source_page_id=item.object_id, status=Submission.Status.ACCEPTED)
                       .exclude(reference_page_id=None).select_related("target_department")):
        by_department.setdefault(submission.target_department, []).append(submission)
    return by_department


def on_original_changed(sender, instance, **kwargs):
    if instance.kind != "article":
        return
    from .references.models import SharedItemPage

    wanted = {"title": instance.title, "draft_title": instance.title, "publish_time": instance.publish_time,
              "source": instance.source or instance.department.name, "summary": instance.summary,
              "information_date": instance.information_date}
    for department, submissions in _references(instance).items():
        with tenant_context(department):
            for page in SharedItemPage.objects.filter(pk__in=[s.reference_page_id for s in submissions]):
                changed = [name for name in FOLLOWED_FIELDS if getattr(page, name) != wanted[name]]
                if changed:
                    for name in changed:
                        setattr(page, name, wanted[name])
                    page.save(update_fields=changed, clean=False)
        Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(title=instance.title, url=instance.url)


def on_original_removed(sender, instance, **kwargs):
    if instance.kind != "article":
        return
    from .references.models import SharedItemPage

    for department, submissions in _references(instance).items():
        with tenant_context(department):
            for page in SharedItemPage.objects.live().filter(pk__in=[s.reference_page_id for s in submissions]):
                page.unpublish(log_action=False)
        Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(status=Submission.Status.WITHDRAWN)


post_save.connect(on_original_changed, sender=PublishedItem, dispatch_uid="sharing.original_changed")
post_delete.connect(on_original_removed, sender=PublishedItem, dispatch_uid="sharing.original_removed")
