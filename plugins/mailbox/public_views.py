"""The public side on the portal: write a letter, look it up with the query code."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from portal.audit.log import client_ip
from portal.delivery import cacheable
from portal.public_forms import PublicFormGuard

from . import service
from .forms import LetterForm, QueryForm, StatisticsForm
from .models import Letter
from .statistics import year_table

SCOPE = "mailbox"


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


def _render_form(request, guard, form, token, status=200):
    """The form with a fresh captcha: the picture, or the text question when the visitor asked for it."""
    text = request.GET.get("captcha") == "text" or request.POST.get("captcha_kind") == "text"
    return TemplateResponse(
        request, "mailbox/write.html",
        {"form": form, "token": token, "captcha": guard.new_captcha(text=text)}, status=status,
    )


def _done(request, letter):
    return TemplateResponse(request, "mailbox/written.html", {"letter": letter})


@portal_only
def write(request):
    guard = PublicFormGuard(request, SCOPE)
    if request.method != "POST":
        return _render_form(request, guard, LetterForm(), guard.issue_token())
    token = request.POST.get("token", "")
    if guard.token_issued(token):
        # A second click on the same form: show the letter the first click created.
        existing = Letter.objects.filter(submit_token=token).first()
        if existing is not None:
            return _done(request, existing)
    form = LetterForm(request.POST)
    refused = guard.refusal(form, token, contact_fields=("phone", "email"))
    if refused:
        status, token = refused
        return _render_form(request, guard, form, token, status=status)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            letter = service.submit(
                kind=data["kind"], subject=data["subject"], content=data["content"], name=data["name"],
                phone=data["phone"], email=data["email"], may_publish=data["may_publish"],
                token=token, ip=client_ip(request),
            )
    except IntegrityError:  # the same form sent twice at once: one letter, counted once
        guard.withdraw()
        letter = Letter.objects.get(submit_token=token)
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


def _published_letters():
    return Letter.objects.filter(status=Letter.Status.PUBLISHED).select_related("department")


# The same for every visitor; stale when a letter or a reply changes.
PUBLISHED_TAGS = ("model:mailbox.letter", "model:mailbox.reply")


@cacheable(tags=PUBLISHED_TAGS)
@portal_only
def published(request):
    """Published letters and their replies, without the writer's name or contact."""
    return TemplateResponse(request, "mailbox/published.html", {"letters": _published_letters()[:50]})


@cacheable(tags=PUBLISHED_TAGS)
@portal_only
def published_letter(request, pk):
    letter = get_object_or_404(_published_letters(), pk=pk)
    return TemplateResponse(request, "mailbox/published_letter.html", {"letter": letter})


@portal_only
def statistics(request):
    """Public statistics per department and month: received, replied, on time, average time."""
    today = timezone.localdate()
    form = StatisticsForm(request.GET or None, initial={"year": today.year})
    year, month, department = today.year, None, None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or today.year
        month = int(form.cleaned_data["month"]) if form.cleaned_data["month"] else None
        department = form.cleaned_data["department"]
    by_department, by_month = year_table(year, month, department.pk if department else None)
    return TemplateResponse(request, "mailbox/statistics.html", {
        "form": form, "year": year, "month": month, "department": department,
        "by_department": by_department, "by_month": by_month,
    }, status=400 if form.is_bound and not form.is_valid() else 200)
