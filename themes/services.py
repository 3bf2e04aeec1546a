"""The one way to read and change the central theme and the scheduled modes.

Every page reads the live theme and the mode schedule, so both are cached. The default cache
puts the current schema in front of each key; the theme is the same for every site, so it uses
the `shared` cache (same store, keys without a schema): one deletion on save reaches every site.
Each change writes the audit log.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from portal.audit.log import record

from .models import DEFAULT_MAIN_COLOUR, ModeSchedule, ThemeSettings, darker

CACHE_SECONDS = 300
LIVE_THEME_KEY = "theme:live"
SCHEDULE_KEY = "theme:mode-schedule"
# Modes only read rows that have not yet ended; rows further than this in the future wait.
SCHEDULE_HORIZON_SECONDS = CACHE_SECONDS


@dataclass
class Theme:
    """What templates need of the theme; built from a ThemeSettings row or the defaults."""

    site_name: str
    sponsor: str
    operator: str
    address: str
    contact_phone: str
    contact_email: str
    site_code: str
    icp_number: str
    police_number: str
    main_colour: str = DEFAULT_MAIN_COLOUR
    party_mark_url: str = "https://bszs.conac.cn/"
    logo_url: str = ""
    homepage_notice: str = ""
    quick_links: list = field(default_factory=list)
    is_preview: bool = False

    @property
    def main_colour_dark(self) -> str:
        return darker(self.main_colour)

    def as_identity(self) -> dict:
        """The dictionary older templates and plugins read as `identity`."""
        return {
            "site_name": self.site_name, "sponsor": self.sponsor, "operator": self.operator,
            "site_code": self.site_code, "icp_number": self.icp_number, "police_number": self.police_number,
            "contact_phone": self.contact_phone, "contact_email": self.contact_email, "address": self.address,
            "party_mark_url": self.party_mark_url, "main_colour": self.main_colour,
        }


def default_theme() -> Theme:
    identity = settings.SITE_IDENTITY
    return Theme(**{name: identity[name] for name in (
        "site_name", "sponsor", "operator", "address", "contact_phone", "contact_email",
        "site_code", "icp_number", "police_number",
    )})


def theme_from(row: ThemeSettings, is_preview: bool = False) -> Theme:
    return Theme(
        site_name=row.site_name, sponsor=row.sponsor, operator=row.operator, address=row.address,
        contact_phone=row.contact_phone, contact_email=row.contact_email, site_code=row.site_code,
        icp_number=row.icp_number, police_number=row.police_number, main_colour=row.main_colour,
        party_mark_url=row.party_mark_url,
        logo_url=f"/theme/logo/{row.logo_digest}/" if row.logo_digest else "",
        homepage_notice=row.homepage_notice, quick_links=row.parsed_quick_links(), is_preview=is_preview,
    )


def _cached(key, build):
    cache = caches["shared"]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def forget_theme_cache() -> None:
    caches["shared"].delete_many([LIVE_THEME_KEY, SCHEDULE_KEY])


def _forget_after_change() -> None:
    """Drop the cached copies now (this process sees the change at once) and again after the
    commit (a request that refilled the cache in between would otherwise keep the old data)."""
    forget_theme_cache()
    transaction.on_commit(forget_theme_cache)


def live_theme() -> Theme:
    def build():
        row = published_version()
        return theme_from(row) if row else default_theme()

    return _cached(LIVE_THEME_KEY, build)


def can_edit_theme(user) -> bool:
    """Theme administrators and system administrators; department accounts never."""
    return bool(
        user is not None and user.is_authenticated and user.is_active
        and user.has_central_role("theme_admin", "system_admin")
    )


def preview_theme() -> Theme | None:
    row = current_draft()
    return theme_from(row, is_preview=True) if row else None


PREVIEW_SESSION_KEY = "theme_preview"


def wants_preview(request) -> bool:
    session = getattr(request, "session", None)
    return bool(request.GET.get("theme_preview") or (session is not None and session.get(PREVIEW_SESSION_KEY)))


def theme_for(request) -> Theme:
    """The live theme, or the draft while a theme administrator previews it (`?theme_preview=1`
    for one page, or the whole site after 预览草稿 in the admin, until 结束预览)."""
    if request is not None and wants_preview(request) and can_edit_theme(getattr(request, "user", None)):
        draft = preview_theme()
        if draft is not None:
            return draft
    return live_theme()


# --- draft, preview, publish ----------------------------------------------------------------

def current_draft() -> ThemeSettings | None:
    return ThemeSettings.objects.filter(status=ThemeSettings.Status.DRAFT).first()


def published_version() -> ThemeSettings | None:
    """The live row (at most one, by constraint); None until a theme is first published."""
    return ThemeSettings.objects.filter(status=ThemeSettings.Status.PUBLISHED).first()


def draft_initial() -> dict:
    """Field values to start a new draft from: the live version, else the settings' defaults."""
    live = published_version()
    if live is not None:
        values = {name: getattr(live, name) for name in ThemeSettings.EDITABLE_FIELDS}
        values.update(logo=live.logo, logo_content_type=live.logo_content_type, logo_digest=live.logo_digest)
        return values
    identity = settings.SITE_IDENTITY
    return {name: identity[name] for name in ThemeSettings.EDITABLE_FIELDS if name in identity}


@transaction.atomic
def save_draft(values: dict, user, request=None, logo: bytes | None = None, logo_content_type: str = "",
               remove_logo: bool = False) -> ThemeSettings:
    draft = current_draft()
    if draft is None:
        draft = ThemeSettings(status=ThemeSettings.Status.DRAFT, **draft_initial())
    changed = sorted(name for name in ThemeSettings.EDITABLE_FIELDS if getattr(draft, name, None) != values.get(name))
    for name in ThemeSettings.EDITABLE_FIELDS:
        setattr(draft, name, values[name])
    if logo:
        draft.logo, draft.logo_content_type = logo, logo_content_type
        draft.logo_digest = hashlib.sha256(logo).hexdigest()[:16]
        changed.append("logo")
    elif remove_logo:
        draft.logo, draft.logo_content_type, draft.logo_digest = None, "", ""
        changed.append("logo")
    draft.updated_by = user
    draft.save()
    record("theme_draft_save", request=request, user=user, target=f"主题草稿 #{draft.pk}", details={"changed": changed})
    return draft


@transaction.atomic
def publish_draft(user, request=None) -> ThemeSettings:
    draft = ThemeSettings.objects.select_for_update().filter(status=ThemeSettings.Status.DRAFT).first()
    if draft is None:
        raise ValueError("没有待发布的主题草稿，请先保存草稿。")
    ThemeSettings.objects.filter(status=ThemeSettings.Status.PUBLISHED).update(status=ThemeSettings.Status.ARCHIVED)
    draft.status = ThemeSettings.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = user
    draft.save()
    _forget_after_change()
    record("theme_publish", request=request, user=user, target=f"主题版本 #{draft.pk}",
           details={"main_colour": draft.main_colour, "site_code": draft.site_code})
    return draft


@transaction.atomic
def discard_draft(user, request=None) -> None:
    deleted, _ = ThemeSettings.objects.filter(status=ThemeSettings.Status.DRAFT).delete()
    if deleted:
        record("theme_draft_discard", request=request, user=user, target="主题草稿")


def logo_of(digest: str) -> ThemeSettings | None:
    """The live or draft row whose logo has this digest (old digests of archived rows too)."""
    return ThemeSettings.objects.filter(logo_digest=digest).exclude(logo=None).only(
        "logo", "logo_content_type"
    ).first()


# --- modes ------------------------------------------------------------------------------------

def _upcoming_schedule() -> list[tuple[str, datetime, datetime]]:
    """Rows that have not ended and start within the cache's lifetime: the cached copy can
    then decide any moment until it expires."""
    now = timezone.now()
    horizon = now + timezone.timedelta(seconds=SCHEDULE_HORIZON_SECONDS)
    return list(
        ModeSchedule.objects.filter(ends_at__gt=now, starts_at__lte=horizon).values_list("mode", "starts_at", "ends_at")
    )


def active_modes(now: datetime | None = None) -> set[str]:
    """The centrally scheduled modes on at this moment, decided from the clock on every request."""
    now = now or timezone.now()
    rows = _cached(SCHEDULE_KEY, _upcoming_schedule)
    return {mode for mode, starts_at, ends_at in rows if starts_at <= now < ends_at}


@transaction.atomic
def schedule_mode(
    mode: str, starts_at: datetime, ends_at: datetime, user, request=None, reason: str = ""
) -> ModeSchedule:
    if ends_at <= starts_at:
        raise ValueError("结束时间必须晚于开始时间。")
    schedule = ModeSchedule.objects.create(
        mode=mode, starts_at=starts_at, ends_at=ends_at, reason=reason, created_by=user
    )
    _forget_after_change()
    record("theme_mode_schedule", request=request, user=user, target=str(schedule),
           details={"mode": mode, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "reason": reason})
    return schedule


@transaction.atomic
def end_mode_now(schedule: ModeSchedule, user, request=None) -> ModeSchedule:
    now = timezone.now()
    if schedule.ends_at > now:
        schedule.ends_at = max(now, schedule.starts_at)
        schedule.save(update_fields=["ends_at"])
    _forget_after_change()
    record("theme_mode_end", request=request, user=user, target=str(schedule), details={"mode": schedule.mode})
    return schedule
