"""The public side on the portal: write a letter, look it up with the query code."""

import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from portal.audit.log import client_ip

from .forms import LetterForm, QueryForm
from .models import Letter

RATE_LIMIT = 5  # letters per hour per IP and per contact
RATE_WINDOW = 3600
SESSION_CAPTCHA = "mailbox_captcha"
SESSION_TOKENS = "mailbox_tokens"
MAX_TOKENS = 20


def _portal():
    from tenants.models import Department

    return Department.objects.filter(kind="portal", status="active").first()


def portal_only(view):
    """Letters are written and looked up on the portal; department sites send people there."""

    def wrapped(request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and tenant.is_portal:
            return view(request, *args, **kwargs)
        portal = _portal()
        if portal is None:
            raise Http404("未找到门户网站")
        return redirect(f"{portal.base_url}{request.path}")

    wrapped.__name__ = view.__name__
    return wrapped


def _new_captcha(request) -> str:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[SESSION_CAPTCHA] = str(a + b)
    return f"{a} 加 {b} 等于几？"


def _captcha_question(request) -> str:
    question = _new_captcha(request)
    request.session["mailbox_captcha_question"] = question
    return question


def _issue_token(request) -> str:
    token = secrets.token_urlsafe(24)
    tokens = request.session.get(SESSION_TOKENS, [])[-(MAX_TOKENS - 1):]
    request.session[SESSION_TOKENS] = [*tokens, token]
    return token


def _rate_keys(request, data):
    keys = [f"mailbox:rate:ip:{client_ip(request)}"]
    for contact in (data.get("phone"), data.get("email")):
        if contact:
            keys.append(f"mailbox:rate:contact:{contact.strip().lower()}")
    return keys


def _over_limit(keys) -> bool:
    return any((cache.get(key) or 0) >= RATE_LIMIT for key in keys)


def _count(keys):
    for key in keys:
        if not cache.add(key, 1, RATE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, RATE_WINDOW)


def _render_form(request, form, token, status=200):
    return TemplateResponse(
        request, "mailbox/write.html",
        {"form": form, "token": token, "captcha_question": _captcha_question(request)}, status=status,
    )


def _done(request, letter):
    return TemplateResponse(request, "mailbox/written.html", {"letter": letter})


@portal_only
def write(request):
    if request.method != "POST":
        return _render_form(request, LetterForm(), _issue_token(request))
    token = request.POST.get("token", "")
    issued = request.session.get(SESSION_TOKENS, [])
    if token and token in issued:
        # A second click on the same form: show the letter the first click created.
        existing = Letter.objects.filter(submit_token=token).first()
        if existing is not None:
            return _done(request, existing)
    form = LetterForm(request.POST)
    if not token or token not in issued:
        form.add_error(None, "表单已过期，请检查内容后重新提交")
        return _render_form(request, form, _issue_token(request), status=400)
    expected = request.session.pop(SESSION_CAPTCHA, None)
    if not form.is_valid():
        return _render_form(request, form, token, status=400)
    if expected is None or form.cleaned_data["captcha"].strip() != expected:
        form.add_error("captcha", "验证码不正确，请重新计算后填写")
        return _render_form(request, form, token, status=400)
    keys = _rate_keys(request, form.cleaned_data)
    if _over_limit(keys):
        form.add_error(None, "提交过于频繁，每小时最多提交 5 封来信，请稍后再试")
        return _render_form(request, form, token, status=429)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                kind=data["kind"], subject=data["subject"], content=data["content"], name=data["name"],
                phone=data["phone"], email=data["email"], may_publish=data["may_publish"],
                submit_token=token, ip=client_ip(request),
            )
    except IntegrityError:
        letter = Letter.objects.get(submit_token=token)
    else:
        _count(keys)
    return _done(request, letter)


@portal_only
def query(request):
    form = QueryForm(request.GET if "code" in request.GET else None)
    letter = reply = None
    not_found = False
    if form.is_bound and form.is_valid():
        letter = Letter.objects.filter(query_code=form.cleaned_data["code"].strip().upper()).first()
        if letter is None:
            not_found = True
        elif letter.status in (Letter.Status.REPLIED, Letter.Status.PUBLISHED):
            reply = letter.published_reply()
    return TemplateResponse(
        request, "mailbox/query.html", {"form": form, "letter": letter, "reply": reply, "not_found": not_found}
    )


@portal_only
def published(request):
    """Published letters and their replies, without the writer's name or contact."""
    letters = (
        Letter.objects.filter(status=Letter.Status.PUBLISHED)
        .select_related("department")
        .only("kind", "subject", "content", "received_at", "department__name")[:50]
    )
    return TemplateResponse(request, "mailbox/published.html", {"letters": letters})
