"""Keeps `PublishedItem` (the public-schema projection) in step with the live pages.

Called from Wagtail's publish/unpublish signals, which fire inside the publishing transaction,
so a page is never live without its projection row or the other way round. Making a page private
(or public again) fires no publish signal, so view restrictions are followed here too.
"""

import re

from django.db import connection
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction

from search import outbox as search_outbox

from .models import PublishedItem

# Keywords are written with any of the separators people use: 、 ， , ; ； and spaces.
KEYWORD_SEPARATORS = re.compile(r"[,，、;；\s]+")


def topics_of(keywords: str) -> list[str]:
    """An item's keywords as topics (专题标签), in order, each once, at most 50 characters."""
    return list(dict.fromkeys(word[:50] for word in KEYWORD_SEPARATORS.split(keywords or "") if word))


def _department():
    from tenants.middleware import current_department

    return current_department()


def project_article(page) -> PublishedItem | None:
    """Write (or remove) the projection row of one article page."""
    department = _department()
    if department is None or not department.is_site:
        return None
    if not getattr(page.specific_class or type(page), "projected", True):
        # A reference to content kept elsewhere (信息报送): the original is the one projected.
        return None
    if not (page.live and page.get_view_restrictions().count() == 0):
        remove_page(page)
        return None
    url_parts = page.get_url_parts()
    if url_parts is None:
        # Outside every site (the 回收站, a tree being moved): nothing a visitor could open.
        remove_page(page)
        return None
    column = page.get_parent().specific
    # The page's own class says what it is beyond an article: its 体裁, whether it is still valid.
    specific = page.specific
    item, _ = PublishedItem.objects.update_or_create(
        department=department,
        kind="article",
        object_id=page.pk,
        defaults={
            "title": page.title,
            "url": department.base_url + url_parts[2],
            "column_title": column.title,
            "column_type": getattr(column, "column_type", ""),
            "publish_time": page.publish_time,
            "source": page.source or department.name,
            "summary": page.summary or page.body_text()[:200],
            "body_text": page.body_text(),
            "information_date": page.information_date,
            "topics": topics_of(page.keywords),
            "genre": specific.genre_label() if hasattr(specific, "genre_label") else "",
        },
    )
    # Same transaction: the search projection and its outbox entry (pushed to Elasticsearch after commit).
    validity = specific.search_validity() if hasattr(specific, "search_validity") else "valid"
    search_outbox.article_changed(item, department, validity)
    return item


def remove_page(page) -> None:
    department = _department()
    if department is None:
        return
    PublishedItem.objects.filter(department=department, kind="article", object_id=page.pk).delete()
    search_outbox.article_removed(department, [page.pk])


def reproject_subtree(page) -> int:
    """After a move or a column rename, rewrite the rows of every live article below `page`."""
    from portal.pages.models import ArticlePage

    count = 0
    for article in ArticlePage.objects.descendant_of(page, inclusive=True).live():
        project_article(article)
        count += 1
    return count


def schema_name() -> str:
    return connection.schema_name


def on_view_restriction_changed(sender, instance, **kwargs):
    """A page (and everything below it) was made private or public again: private articles leave
    the projection, so the portal and the API never list them; public ones come back."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        reproject_subtree(page)


for _signal in (post_save, post_delete):
    _signal.connect(
        on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="projection.restriction"
    )
