"""The central catalogue's projection (`CatalogueItem`) follows publishing, like `PublishedItem`.

Wagtail's publish, unpublish, move and delete signals fire inside the publishing transaction,
so an entry is never live without its catalogue row or the other way round. Private entries
(view restrictions) stay out of the catalogue; making a page private (or public again) fires no
publish signal, so view restrictions are followed here too, as `portal.projection` does.
Reading the catalogue (`catalogue_items`) is one query on the public schema, whichever departments it spans.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import CatalogueItem, Genre, Validity
from .topics import topic_and_subtopics


def _department():
    from tenants.middleware import current_department

    department = current_department()
    return department if department is not None and department.is_site else None


def project_entry(page) -> CatalogueItem | None:
    """Write (or remove) the catalogue row of one entry, as it is now."""
    department = _department()
    if department is None:
        return None
    url_parts = page.get_url_parts() if page.live else None
    # Not live, private, unnumbered, or outside every site (the 回收站): not in the catalogue.
    if url_parts is None or page.get_view_restrictions().exists() or not page.index_number:
        remove_entry(page.pk)
        return None
    replacement = page.replacement
    replacement_url = ""
    if replacement is not None:
        replacement_parts = replacement.get_url_parts()
        replacement_url = department.base_url + replacement_parts[2] if replacement_parts else ""
    item, _ = CatalogueItem.objects.update_or_create(
        department=department,
        page_id=page.pk,
        defaults={
            "index_number": page.index_number,
            "title": page.title,
            "summary": page.summary,
            "publisher": page.publisher or department.name,
            "document_date": page.document_date,
            "publish_time": page.publish_time,
            "year": timezone.localtime(page.publish_time).year,
            "document_number": page.document_number,
            "topic": page.topic,
            "genre": page.genre,
            "validity": page.validity,
            "validity_date": page.validity_date,
            "replaced_by_title": replacement.title if replacement is not None else "",
            "replaced_by_url": replacement_url,
            "keywords": page.keywords,
            "url": department.base_url + url_parts[2],
        },
    )
    return item


def remove_entry(page_id: int) -> None:
    department = _department()
    if department is not None:
        CatalogueItem.objects.filter(department=department, page_id=page_id).delete()


def reproject_below(page) -> None:
    from .entries.models import CatalogueEntryPage

    for entry in CatalogueEntryPage.objects.descendant_of(page, inclusive=True).live():
        project_entry(entry)


@receiver(page_published, dispatch_uid="disclosure.published")
def on_published(sender, instance, **kwargs):
    from .entries.models import CatalogueEntryPage

    if isinstance(instance, CatalogueEntryPage):
        project_entry(instance)


@receiver(page_unpublished, dispatch_uid="disclosure.unpublished")
def on_unpublished(sender, instance, **kwargs):
    from .entries.models import CatalogueEntryPage

    for entry_id in CatalogueEntryPage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True):
        remove_entry(entry_id)


@receiver(post_page_move, dispatch_uid="disclosure.moved")
def on_moved(sender, instance, **kwargs):
    reproject_below(instance)


@receiver(post_delete, dispatch_uid="disclosure.deleted")
def on_deleted(sender, instance, **kwargs):
    from .entries.models import CatalogueEntryPage

    if isinstance(instance, CatalogueEntryPage):
        remove_entry(instance.pk)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="disclosure.restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="disclosure.restriction_deleted")
def on_view_restriction_changed(sender, instance, **kwargs):
    """A page (and everything below it) was made private or public again."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        reproject_below(page)


# ----------------------------------------------------------------------------------------------
# Reading the catalogue
# ----------------------------------------------------------------------------------------------

FILTERS = ("department", "topic", "genre", "year", "validity", "q")


def catalogue_items(filters: dict, department=None):
    """Live entries, newest first, narrowed by the visitor's filters; `department` limits the list
    to one department (a department's own site), otherwise it spans all of them (the portal)."""
    from tenants.models import Department

    # The active departments' ids as a list: counting then needs no join with the departments.
    active = Department.objects.filter(status="active")
    if department is not None:
        active = active.filter(pk=department.pk)
    elif filters.get("department"):
        active = active.filter(host_prefix=filters["department"])
    items = CatalogueItem.objects.select_related("department").filter(
        department_id__in=list(active.values_list("pk", flat=True)))
    if filters.get("topic"):
        items = items.filter(topic__in=topic_and_subtopics(filters["topic"]))
    if filters.get("genre") in Genre.values:
        items = items.filter(genre=filters["genre"])
    if filters.get("validity") in Validity.values:
        items = items.filter(validity=filters["validity"])
    year = str(filters.get("year") or "")
    if year.isascii() and year.isdigit() and len(year) == 4:  # not "²", not beyond the column's range
        items = items.filter(year=int(year))
    query = (filters.get("q") or "").strip()
    if query:
        items = items.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(document_number__icontains=query)
            | Q(keywords__icontains=query) | Q(index_number__icontains=query) | Q(publisher__icontains=query)
        )
    return items.order_by("-publish_time", "-id")
