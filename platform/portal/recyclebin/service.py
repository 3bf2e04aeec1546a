"""Deleting to the bin, restoring, deleting for good and the 30-day purge: the one place for each.

Every route that deletes a page in the admin (the delete view, the listing's bulk delete) calls
`move_to_bin`. It goes through Wagtail's own actions so that everything that follows publishing
follows the bin too: each live page of the tree is unpublished (`page_unpublished`: the
projection, the search outbox, the catalogue, feeds and cached pages drop it in this
transaction), then the tree is moved under the bin root (`post_page_move`). Restoring moves it
back (`post_page_move`) and republishes what was live through `revision.publish()`, so the
保密 gate, the projection, search and the 索引号 (kept, never given again) run as for any publish.

`page.delete()` in code stays a permanent delete (purging uses it); code that wants the bin calls
`move_to_bin`.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, Revision, WorkflowState

from portal.audit.log import record as audit_record

from .models import RecycleBinPage, RecycledPage

logger = logging.getLogger(__name__)
RETENTION = timedelta(days=30)
BIN_SLUG = "recycle-bin"


class RecycleBinError(Exception):
    """What stops a bin operation, in Chinese, saying what to do."""

    def __init__(self, message: str, *, suggested_slug: str = "", needs_parent: bool = False):
        super().__init__(message)
        self.message = message
        self.suggested_slug = suggested_slug
        self.needs_parent = needs_parent


# ----------------------------------------------------------------------------------------------
# Where the bin is
# ----------------------------------------------------------------------------------------------


def bin_root(create: bool = False) -> RecycleBinPage | None:
    """The bin root of the current schema (created on first use, beside the home page)."""
    root = RecycleBinPage.objects.first()
    if root is None and create:
        tree_root = Page.get_first_root_node()
        # Two first deletions at once must not create two roots.
        Page.objects.select_for_update().filter(pk=tree_root.pk).first()
        root = RecycleBinPage.objects.first()
        if root is None:
            root = tree_root.add_child(instance=RecycleBinPage(title="回收站", slug=BIN_SLUG, live=False))
    return root


def in_bin(page) -> bool:
    """Whether the page is the bin root or anywhere below it (read from the database)."""
    root = RecycleBinPage.objects.only("path").first()
    if root is None or page is None:
        return False
    path = Page.objects.filter(pk=page.pk).values_list("path", flat=True).first() or page.path
    return path.startswith(root.path)


def _display(page) -> str:
    return f"{page.title} (#{page.pk})"


def public_path(url_path: str) -> str:
    """'/home/news/x/' as visitors saw it: '/news/x/' (each site's root is its home page)."""
    return "/" + (url_path or "").lstrip("/").partition("/")[2]


# ----------------------------------------------------------------------------------------------
# Deleting to the bin
# ----------------------------------------------------------------------------------------------


def _stop_pending_publishing(page_ids: list[int], user) -> None:
    """Nothing in the bin may go live by itself: no scheduled publish, no review waiting to be approved."""
    object_ids = [str(pk) for pk in page_ids]
    Revision.page_revisions.filter(object_id__in=object_ids).exclude(approved_go_live_at=None).update(
        approved_go_live_at=None
    )
    for state in WorkflowState.objects.active().filter(
        base_content_type__app_label="wagtailcore", base_content_type__model="page", object_id__in=object_ids
    ):
        state.cancel(user=user)


@transaction.atomic
def move_to_bin(page, user=None) -> RecycledPage:
    """Unpublish the page and its subtree and move them into the bin, remembering where they were.

    Permissions are the caller's: the admin routes let Wagtail decide who may delete (its delete
    rules: a 业务员 only drafts of their own without live pages below).
    """
    page = Page.objects.select_for_update().get(pk=page.pk).specific
    if in_bin(page):
        raise RecycleBinError(f"“{page.title}”已在回收站中")
    if page.depth <= 2:
        raise RecycleBinError("网站首页不能删除")
    root = bin_root(create=True)
    parent = page.get_parent()
    subtree = Page.objects.descendant_of(page, inclusive=True).order_by("path")
    page_ids = list(subtree.values_list("pk", flat=True))
    live_pages = [[pk, revision_id] for pk, revision_id in subtree.live().values_list("pk", "live_revision_id")]
    next_sibling = page.get_next_sibling()
    entry = RecycledPage.objects.create(
        page=page, title=page.title[:255], original_parent=parent, next_sibling=next_sibling,
        original_slug=page.slug, original_url_path=page.url_path, live_pages=live_pages,
        page_count=len(page_ids), deleted_by=user if user is not None and user.is_authenticated else None,
        deleted_by_name=(getattr(user, "full_name", "") or user.get_username()) if user is not None else "",
    )
    _stop_pending_publishing(page_ids, user)
    # Top down, one page at a time, each with Wagtail's own unpublish (and its signal).
    for live_page in Page.objects.filter(pk__in=[pk for pk, _ in live_pages]).order_by("path").specific():
        UnpublishPageAction(live_page, user=user).execute(skip_permission_checks=True)
    # A slug of its own in the bin: two deleted pages called "notice-1" must both fit there.
    Page.objects.filter(pk=page.pk).update(slug=f"recycled-{page.pk}")
    MovePageAction(Page.objects.get(pk=page.pk), root, pos="last-child", user=user).execute(
        skip_permission_checks=True
    )
    audit_record(
        "recycle", user=user, target=_display(page),
        details={"pages": len(page_ids), "live": len(live_pages), "url": public_path(entry.original_url_path)},
    )
    return entry


# ----------------------------------------------------------------------------------------------
# Restoring
# ----------------------------------------------------------------------------------------------

SLUG_PATTERN = re.compile(r"^[-\w]+\Z")


def suggest_slug(parent, slug: str) -> str:
    taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def restore_parent_choices(entry: RecycledPage) -> list[Page]:
    """Pages of the site under which the deleted page may be put back (not in the bin)."""
    from portal.pages.models import HomePage

    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        return []
    page_class = entry.page.specific_class
    candidates = Page.objects.descendant_of(home, inclusive=True).order_by("path").specific()
    return [candidate for candidate in candidates if page_class.can_exist_under(candidate)]


def check_restore(entry: RecycledPage, parent=None, slug: str | None = None) -> tuple[Page, str]:
    """Where and under which slug the page would go back; RecycleBinError says what is in the way."""
    parent = parent or entry.original_parent
    if parent is None or in_bin(parent):
        raise RecycleBinError("原上级页面已不存在（或也在回收站中），请选择恢复到的位置", needs_parent=True)
    parent = Page.objects.get(pk=parent.pk)
    page_class = entry.page.specific_class
    if not page_class.can_exist_under(parent):
        raise RecycleBinError(
            f"“{parent.title}”下不能放置{page_class._meta.verbose_name}，请选择其他位置", needs_parent=True
        )
    slug = (slug or entry.original_slug).strip()
    if not SLUG_PATTERN.match(slug):
        raise RecycleBinError("网址名只能包含字母、数字、汉字、下划线和连字符", suggested_slug=entry.original_slug)
    if Page.objects.child_of(parent).filter(slug=slug).exclude(pk=entry.page_id).exists():
        suggestion = suggest_slug(parent, slug)
        raise RecycleBinError(
            f"“{parent.title}”下已有网址名为“{slug}”的页面，原网址已被占用。可改用新的网址名（如“{suggestion}”）后恢复",
            suggested_slug=suggestion,
        )
    return parent, slug


def _republish(page_id: int, revision_id: int | None, user, slug: str | None) -> None:
    page = Page.objects.get(pk=page_id).specific
    revision = Revision.page_revisions.filter(pk=revision_id, object_id=str(page_id)).first() if revision_id else None
    revision = revision or page.get_latest_revision()
    if revision is None:
        return
    if slug is not None and revision.content.get("slug") != slug:
        # The page goes back under another slug than its revisions carry: publish that content
        # as a new revision with the new slug (publishing the old one would bring the old slug back).
        content_page = revision.as_object()
        content_page.slug = slug
        revision = content_page.save_revision(user=user, log_action=False, clean=False)
    revision.publish(user=user, skip_permission_checks=True)


@transaction.atomic
def restore(entry: RecycledPage, user=None, parent=None, slug: str | None = None) -> Page:
    """Put the tree back (original parent and place, or `parent`), republish what was live."""
    entry = RecycledPage.objects.select_for_update().get(pk=entry.pk)
    parent, slug = check_restore(entry, parent, slug)
    page = Page.objects.get(pk=entry.page_id)
    Page.objects.filter(pk=page.pk).update(slug=slug)
    next_sibling = entry.next_sibling
    if next_sibling is not None and parent.pk == entry.original_parent_id and next_sibling.get_parent().pk == parent.pk:
        action = MovePageAction(Page.objects.get(pk=page.pk), next_sibling, pos="left", user=user)
    else:
        action = MovePageAction(Page.objects.get(pk=page.pk), parent, pos="last-child", user=user)
    action.execute(skip_permission_checks=True)
    # Parents before children (tree order), each through the normal publish path.
    for page_id, revision_id in entry.live_pages:
        if Page.objects.filter(pk=page_id).exists():
            _republish(page_id, revision_id, user, slug if page_id == page.pk else None)
    page = Page.objects.get(pk=page.pk)
    audit_record(
        "recycle_restore", user=user, target=_display(page),
        details={"pages": entry.page_count, "republished": len(entry.live_pages), "url": public_path(page.url_path),
                 "original_url": public_path(entry.original_url_path)},
    )
    entry.delete()
    return page


# ----------------------------------------------------------------------------------------------
# Deleting for good
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def delete_permanently(entry: RecycledPage, user=None, *, event: str = "recycle_delete") -> None:
    """The page, its subtree, revisions and attachment links go; 索引号 given out stay given."""
    entry = RecycledPage.objects.select_for_update().get(pk=entry.pk)
    page = Page.objects.get(pk=entry.page_id).specific
    target = _display(page)
    details = {"pages": entry.page_count, "url": public_path(entry.original_url_path),
               "deleted_at": timezone.localtime(entry.deleted_at).strftime("%Y-%m-%d %H:%M")}
    DeletePageAction(page, user=user).execute(skip_permission_checks=True)
    RecycledPage.objects.filter(pk=entry.pk).delete()
    audit_record(event, user=user, target=target, details=details)


def purge_expired(now=None) -> tuple[int, list[str]]:
    """In the current schema: delete for good what has been in the bin for 30 days. One entry that
    cannot go (a page still referenced elsewhere) is reported and does not hold up the others."""
    now = now or timezone.now()
    count, failures = 0, []
    for entry in RecycledPage.objects.filter(deleted_at__lte=now - RETENTION).order_by("deleted_at"):
        try:
            delete_permanently(entry, None, event="recycle_purge")
        except (ProtectedError, RestrictedError) as error:
            logger.exception("回收站到期清除失败：%s", entry.title)
            failures.append(f"{entry.title}：{error.__class__.__name__}")
        else:
            count += 1
    return count, failures


def purge_all_departments(now=None) -> int:
    """The scheduled job: every department's bin, one schema after the other."""
    from django_tenants.utils import tenant_context

    from tenants.models import Department

    count, failures = 0, []
    for department in Department.objects.filter(
        kind__in=[Department.Kind.PORTAL, Department.Kind.BUREAU, Department.Kind.TOWN]
    ).order_by("pk"):
        with tenant_context(department):
            purged, failed = purge_expired(now)
        count += purged
        failures.extend(f"{department.name} {failure}" for failure in failed)
    if failures:
        # Recorded as the job's error (ScheduledRun.last_error) for the centre to see.
        raise RuntimeError("回收站到期清除未完成：" + "；".join(failures))
    return count
