"""Private pages, private collections and the files in them, on a platform of many departments.

Wagtail assumes one site per session; here one session serves every department (and
`SESSION_COOKIE_DOMAIN` shares it between their hosts in production). Left alone, Wagtail would
let any account of any department read a 登录可见 page, and would remember an unlocked password
by the restriction's id, which repeats in every department's schema. Wagtail decides every
restriction in `BaseViewRestriction.accept_request` and remembers a password in `mark_as_passed`,
whatever the route (page serving, document serving, both password forms, the API); `install()`
replaces those two methods once at start-up, so that every route obeys the same rules:

- 登录可见 (LOGIN) admits a person with a role in this department, or a central role that may
  enter every department's admin (`roles.can_enter_admin`); an account of another department
  gets the login page.
- 密码 (PASSWORD) is remembered per department: the session key carries the schema.
- 指定用户组 (GROUPS) already reads the groups of this schema only (`portal.access`).

A central account that has given its password but not its second factor is a visitor outside the
admin (`middleware.SecondFactorGateMiddleware`), so it passes none of these.

Files follow the same rules (`file_restriction_response`): a document or image is private when
its collection is, and when every page that uses it is private; the document view
(`/documents/…`) and the media view (`/media/<schema>/…`, originals and renditions) both ask.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail.models import BaseViewRestriction, Page, ReferenceIndex

from .roles import can_enter_admin


def _schema(request) -> str:
    tenant = getattr(request, "tenant", None)
    return tenant.schema_name if tenant is not None else connection.schema_name


def passed_session_key(restriction, request) -> str:
    """Where the session keeps the unlocked restrictions of this kind in this department."""
    return f"{restriction.passed_view_restrictions_session_key}:{_schema(request)}"


def is_member_here(request) -> bool:
    """Whether the person counts as "logged in" for this department's private content."""
    tenant = getattr(request, "tenant", None)
    return tenant is not None and can_enter_admin(request.user, tenant)


def accept_request(self, request) -> bool:
    if self.restriction_type == BaseViewRestriction.PASSWORD:
        return self.id in request.session.get(passed_session_key(self, request), [])
    if self.restriction_type == BaseViewRestriction.LOGIN:
        return is_member_here(request)
    if self.restriction_type == BaseViewRestriction.GROUPS:
        user = request.user
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        # `user.groups` runs through this schema's membership table: other departments' groups never match.
        return self.groups.filter(pk__in=user.groups.values("pk")).exists()
    return True


def mark_as_passed(self, request) -> None:
    has_existing_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    key = passed_session_key(self, request)
    passed = request.session.get(key, [])
    if self.id not in passed:
        request.session[key] = [*passed, self.id]
    if not has_existing_session:
        # As Wagtail does: a session created by unlocking ends with the browser.
        request.session.set_expiry(0)


def install() -> None:
    """Puts the department-aware checks in place of Wagtail's own (once, at start-up)."""
    BaseViewRestriction.accept_request = accept_request
    BaseViewRestriction.mark_as_passed = mark_as_passed


# --- files ------------------------------------------------------------------------------------

def _restriction_response(request, restriction, page=None):
    """What Wagtail answers for an unmet restriction: the password form, or the login page."""
    from wagtail.forms import PasswordViewRestrictionForm
    from wagtail.wagtail_hooks import require_wagtail_login

    if restriction.restriction_type != BaseViewRestriction.PASSWORD:
        return require_wagtail_login(next=request.get_full_path())
    form = PasswordViewRestrictionForm(instance=restriction, initial={"return_url": request.get_full_path()})
    if page is not None:
        action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
        response = page.specific.serve_password_required_response(request, form, action_url)
    else:
        from django.template.response import TemplateResponse

        action_url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.id])
        template = getattr(settings, "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE", "wagtaildocs/password_required.html")
        response = TemplateResponse(request, template, {"form": form, "action_url": action_url})
    add_never_cache_headers(response)
    return response


def _first_unmet(restrictions, request):
    return next((restriction for restriction in restrictions if not restriction.accept_request(request)), None)


def file_restriction_response(request, obj):
    """None if the request may have this document or image; otherwise the response to give.

    Its collection's restrictions come first (as in Wagtail). Then the pages that use it (Wagtail's
    reference index: attachments, chooser blocks, rich-text links and embeds): a file used only on
    private pages is as private as they are, and one page the request may see is enough. A file
    that no page uses, or that something other than a page uses, is not private by use.
    """
    collection = getattr(obj, "collection", None)
    if collection is not None:
        unmet = _first_unmet(collection.get_view_restrictions(), request)
        if unmet is not None:
            return _restriction_response(request, unmet)

    page_type = ContentType.objects.get_for_model(Page)
    sources = set(ReferenceIndex.get_references_to(obj).values_list("base_content_type_id", "object_id"))
    if not sources or any(content_type != page_type.pk for content_type, _ in sources):
        return None
    refusal = None
    for page in Page.objects.filter(pk__in=[int(object_id) for _, object_id in sources]).order_by("path"):
        unmet = _first_unmet(page.get_view_restrictions(), request)
        if unmet is None:
            return None
        refusal = refusal or (unmet, page)
    if refusal is None:  # the index names pages that are gone
        return None
    return _restriction_response(request, *refusal)


def media_owner(name: str):
    """The document, image or image of the rendition stored under `name` (relative to the
    department's media folder); None for a file of theirs no row owns, False for other files."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    image_model = get_image_model()
    if name.startswith("documents/"):
        return get_document_model().objects.filter(file=name).select_related("collection").first()
    if name.startswith("original_images/"):
        return image_model.objects.filter(file=name).select_related("collection").first()
    if name.startswith("images/"):
        rendition = (
            image_model.get_rendition_model().objects.filter(file=name).select_related("image__collection").first()
        )
        return rendition.image if rendition is not None else None
    return False
