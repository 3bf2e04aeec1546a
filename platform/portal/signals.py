"""Signal receivers of the core: the projection follows publish, unpublish, move and delete."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import projection
from .audit.log import record as audit_record


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    from portal.pages.models import ArticlePage, ColumnPage

    if isinstance(instance, ArticlePage):
        projection.project_article(instance)
    elif isinstance(instance, ColumnPage):
        projection.reproject_subtree(instance)
    revision = kwargs.get("revision")
    audit_record("publish", user=getattr(revision, "user", None), target=f"{instance.title} (#{instance.pk})")


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    from portal.pages.models import ArticlePage

    for article in ArticlePage.objects.descendant_of(instance, inclusive=True):
        projection.remove_page(article)
    audit_record("unpublish", user=kwargs.get("user"), target=f"{instance.title} (#{instance.pk})")


@receiver(post_page_move)
def on_page_moved(sender, instance, **kwargs):
    projection.reproject_subtree(instance)


@receiver(post_delete)
def on_page_deleted(sender, instance, **kwargs):
    from portal.pages.models import ArticlePage

    if isinstance(instance, ArticlePage):
        projection.remove_page(instance)
        audit_record("delete", target=f"{instance.title} (#{instance.pk})")
