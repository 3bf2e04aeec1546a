"""The second factor of central administrators: a time-based one-time code (TOTP, RFC 6238).

Anyone who holds a central role, and every superuser, proves a code from an authenticator app
(e.g. 微信小程序“腾讯身份验证器”, Google Authenticator) after the password before any admin page
works; department staff are not asked. A session counts as verified when it carries the id of the
person's current device under `SESSION_KEY`, so resetting a device (a lost phone) unverifies
every session at once.

Secrets are kept encrypted at rest (`encryption`): in the device row, and in the session while an
enrolment waits for its first code.
"""

import pyotp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from pyotp.utils import strings_equal

from . import encryption
from .models import TOTPDevice, User

SESSION_KEY = "portal_second_factor_device"
PENDING_SECRET_KEY = "portal_second_factor_pending_secret"
ISSUER = "源城区政府网站平台"
# One code either side of now is accepted: phones' clocks drift by some seconds.
VALID_WINDOW = 1


def requires_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user.central_role_names())


def device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).first()


def session_is_verified(session, user) -> bool:
    device_id = session.get(SESSION_KEY)
    return device_id is not None and TOTPDevice.objects.filter(pk=device_id, user=user).exists()


def mark_verified(session, device: TOTPDevice) -> None:
    session[SESSION_KEY] = device.pk
    session.pop(PENDING_SECRET_KEY, None)


def new_secret() -> str:
    return pyotp.random_base32()


def pending_secret(session) -> str:
    """The secret shown for enrolment until a code proves the app has it (made on first use).

    Sessions are rows in the database too, so the secret waits there encrypted."""
    stored = session.get(PENDING_SECRET_KEY)
    if stored:
        try:
            return encryption.decrypt(stored)
        except encryption.SecretDecryptionError:
            pass  # nothing is bound yet: a new secret (and QR code) costs the person nothing
    secret = new_secret()
    session[PENDING_SECRET_KEY] = encryption.encrypt(secret)
    return secret


def _time_step(secret: str, code: str) -> int | None:
    """The time step the code belongs to, or None if it is wrong (a code is six digits)."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now().timestamp()
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if strings_equal(code, totp.generate_otp(current + offset)):
            return current + offset
    return None


def verify(device: TOTPDevice, code: str) -> bool:
    """Whether the code is right and not used before; a good code is used up."""
    step = _time_step(device.secret, code)
    if step is None:
        return False
    with transaction.atomic():
        # Another request may be checking the same code at this moment: only one may win.
        updated = TOTPDevice.objects.filter(pk=device.pk, last_time_step__lt=step).update(last_time_step=step)
    return updated == 1


def enrol(user: User, secret: str, code: str) -> TOTPDevice | None:
    """Binds the authenticator that shows `code` for `secret`; None if the code is wrong."""
    step = _time_step(secret, code)
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, secret=secret, last_time_step=step, confirmed_at=timezone.now())


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def qr_code_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG: no image file, nothing sent to a third party."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
