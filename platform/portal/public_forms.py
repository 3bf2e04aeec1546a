"""Guards of the forms the public submits (mailbox letters, disclosure applications).

- A captcha shown as a picture of digits, with a text question as the alternative for people
  who cannot see the picture; the page offers to read that question aloud with the browser's
  own speech synthesis, so it works without any network service.
- A one-time submit token: a double click or a retried POST creates one record (the caller
  stores the token on the record under a unique constraint and looks it up again).
- Rate limits per IP and per contact (phone numbers and e-mail addresses normalised first),
  checked and counted in one atomic step in PostgreSQL, so every server process sees the same
  counts and a burst of simultaneous submissions cannot slip past the limit together.
"""

import io
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone

from .audit.log import client_ip

MAX_TOKENS = 20
IMAGE_DIGITS = 4
# First key of the rate limit's advisory locks, so they never collide with other advisory locks.
LOCK_NAMESPACE = 4_171_001


def normalise_contact(field: str, value) -> str:
    """One spelling per contact, so that `138 0013 8000`, `+86-13800138000` and `13800138000` are
    one phone and `A@Example.com` is `a@example.com`: the limit counts people, not spellings."""
    value = "".join(str(value or "").split()).lower()
    if not value:
        return ""
    if "@" in value:
        return f"email:{value}"
    if field == "phone" or re.fullmatch(r"[+\d\-().（）]+", value):
        digits = re.sub(r"[\-().（）]", "", value)
        for prefix in ("+86", "0086"):
            if digits.startswith(prefix):
                national = digits[len(prefix):]
                # A landline's area code loses its 0 after the country code: +86 762 → 0762.
                digits = national if national.startswith("1") else "0" + national
                break
        else:
            if len(digits) == 13 and digits.startswith("861"):  # 86 before a mobile, without the +
                digits = digits[2:]
        return f"phone:{digits}"
    return f"{field}:{value}"


@dataclass(frozen=True)
class Captcha:
    kind: str  # "image" or "text"
    question: str  # what the text alternative asks; for a picture, what to do with it
    image_url: str = ""


class PublicFormGuard:
    """Captcha, one-time token and rate limit of one public form, named by `scope`."""

    def __init__(self, request, scope: str, limit: int = 5, window: timedelta = timedelta(hours=1)):
        self.request, self.scope, self.limit, self.window = request, scope, limit, window
        self._admitted: list[int] = []

    # -- one-time submit token ------------------------------------------------------------------
    @property
    def _tokens_key(self):
        return f"{self.scope}_tokens"

    def issue_token(self) -> str:
        token = secrets.token_urlsafe(24)
        tokens = self.request.session.get(self._tokens_key, [])[-(MAX_TOKENS - 1):]
        self.request.session[self._tokens_key] = [*tokens, token]
        return token

    def token_issued(self, token: str) -> bool:
        return bool(token) and token in self.request.session.get(self._tokens_key, [])

    # -- captcha ----------------------------------------------------------------------------------
    @property
    def _captcha_key(self):
        return f"{self.scope}_captcha"

    def new_captcha(self, text: bool = False) -> Captcha:
        """A fresh challenge; the previous one stops being valid."""
        if text:
            a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
            answer, question = str(a + b), f"{a} 加 {b} 等于几？请填写数字。"
            image_url = ""
        else:
            answer = "".join(secrets.choice("23456789") for _ in range(IMAGE_DIGITS))
            question = f"请填写图片中的 {IMAGE_DIGITS} 位数字"
            image_url = f"/captcha/{self.scope}.png?v={secrets.token_hex(4)}"
        self.request.session[self._captcha_key] = {"kind": "text" if text else "image", "answer": answer}
        return Captcha(kind="text" if text else "image", question=question, image_url=image_url)

    def check_captcha(self, answer: str) -> bool:
        """One try per challenge: the expected answer is dropped whatever the result."""
        expected = self.request.session.pop(self._captcha_key, None)
        return expected is not None and (answer or "").strip() == expected["answer"]

    # -- rate limits ------------------------------------------------------------------------------
    def _keys(self, contacts) -> list[str]:
        keys = {f"ip:{client_ip(self.request)}"}
        for field, value in contacts:
            normalised = normalise_contact(field, value)
            if normalised:
                keys.add(f"contact:{normalised}")
        return sorted(keys)

    def admit(self, contacts=()) -> bool:
        """Check the limits and count this submission in one atomic step: True if it may be saved.

        `contacts` are (field name, value) pairs. Each key (the address, every contact) is locked
        with a transaction-scoped PostgreSQL advisory lock, in sorted order so that two submissions
        sharing keys cannot deadlock; only then are the recent submissions counted and this one
        added, so a burst of simultaneous submissions can never slip past the limit together."""
        from .models import FormSubmission

        keys = self._keys(contacts)
        with transaction.atomic():
            with connection.cursor() as cursor:
                for key in keys:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                                   [LOCK_NAMESPACE, f"{self.scope}:{key}"])
            since = timezone.now() - self.window
            ours = FormSubmission.objects.filter(scope=self.scope, key__in=keys)
            counts = ours.filter(created_at__gte=since).values("key").annotate(n=Count("id"))
            if any(row["n"] >= self.limit for row in counts):
                return False
            ours.filter(created_at__lt=since).delete()
            created = FormSubmission.objects.bulk_create([FormSubmission(scope=self.scope, key=key) for key in keys])
        self._admitted = [row.pk for row in created]
        return True

    def withdraw(self) -> None:
        """Uncount the submission `admit` counted, when it turned out to be a repeat of one already
        saved (the same form sent twice at once): a double click is one submission."""
        from .models import FormSubmission

        FormSubmission.objects.filter(pk__in=getattr(self, "_admitted", [])).delete()
        self._admitted = []

    def refusal(self, form, token: str, contact_fields=()) -> tuple[int, str] | None:
        """Screen a posted form in order: a token this visitor was given, valid data, the
        captcha, the rate limit (per IP and per value of the `contact_fields`: phone, e-mail …).
        On a refusal the error is added to `form` and the answer is (HTTP status, token for the
        form shown again); None means the submission is counted and may be saved (if saving finds
        it a repeat of one already saved, `withdraw()` it)."""
        if not self.token_issued(token):
            form.add_error(None, "表单已过期，请检查内容后重新提交")
            return 400, self.issue_token()
        captcha_ok = self.check_captcha(self.request.POST.get("captcha", ""))
        if not form.is_valid():
            return 400, token
        if not captcha_ok:
            form.add_error("captcha", "验证码不正确，请按新的验证码重新填写")
            return 400, token
        contacts = [(field, form.cleaned_data.get(field)) for field in contact_fields]
        if not self.admit(contacts):
            form.add_error(None, self.limit_message)
            return 429, token
        return None

    @property
    def limit_message(self) -> str:
        hours = int(self.window.total_seconds() // 3600) or 1
        return f"提交过于频繁：同一网络或同一联系方式每 {hours} 小时最多提交 {self.limit} 次，请稍后再试"


def captcha_image(request, scope: str):
    """The picture of the current image challenge of `scope` in this visitor's session."""
    challenge = request.session.get(f"{scope}_captcha")
    if not challenge or challenge.get("kind") != "image":
        raise Http404("验证码已失效，请刷新页面")
    response = HttpResponse(_draw_digits(challenge["answer"]), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


def _draw_digits(digits: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    rng = secrets.SystemRandom()
    image = Image.new("RGB", (150, 50), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line([(rng.randint(0, 150), rng.randint(0, 50)), (rng.randint(0, 150), rng.randint(0, 50))],
                  fill=(170, 170, 170), width=1)
    font = ImageFont.load_default(size=32)
    for index, digit in enumerate(digits):
        draw.text((12 + index * 34 + rng.randint(-3, 3), 6 + rng.randint(-4, 4)), digit, fill=(30, 30, 30), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
