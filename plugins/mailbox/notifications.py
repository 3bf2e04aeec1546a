"""Who hears about letters that need attention: a daily overdue digest for each department and
for the 区信息中心, and an immediate alert to the centre when a deadline cannot be computed
because next year's holiday schedule has not been entered."""

from datetime import timedelta

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from .models import Letter

ESCALATION_DAYS = 90  # unanswered this long: 互动回应差, a finding of the daily inspection


def centre_recipients() -> list[str]:
    from portal.accounts.models import User

    people = User.objects.filter(is_active=True).exclude(email="").filter(
        Q(is_superuser=True) | Q(central_roles__role__in=["system_admin", "mailbox_admin"])
    )
    return sorted(set(people.values_list("email", flat=True)))


def department_recipients(department) -> list[str]:
    from portal.accounts.models import User

    people = User.objects.filter(is_active=True, department_roles__department=department).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def overdue_letters():
    """Every open letter past its due date, forwarded or still with the centre."""
    return Letter.objects.overdue().select_related("department").order_by("due_date", "id")


def _line(letter) -> str:
    days = (timezone.localdate() - timezone.localdate(letter.received_at)).days
    escalated = "【已超 3 个月，列入巡检严重问题】" if days > ESCALATION_DAYS else ""
    return (f"· {letter.subject}（{letter.holder_name}，期限 {letter.due_date:%Y-%m-%d}，"
            f"收信已 {days} 天）{escalated}")


def send_overdue_digest() -> int:
    """One message per department with overdue letters, and one to the centre with all of them
    and the letters whose deadline waits for a calendar. Returns the number of messages sent."""
    letters = list(overdue_letters())
    missing = list(Letter.objects.filter(calendar_missing_year__isnull=False,
                                         status__in=[Letter.Status.RECEIVED, Letter.Status.FORWARDED]))
    sent = 0
    by_department = {}
    for letter in letters:
        if letter.department is not None:  # the centre's own are in the centre's message below
            by_department.setdefault(letter.department, []).append(letter)
    for department, own in by_department.items():
        recipients = department_recipients(department)
        if recipients:
            body = "\n".join([f"{department.name}有 {len(own)} 封政务邮箱来信已超过答复期限：", *map(_line, own),
                              "", "请登录网站管理后台“政务邮箱”尽快答复。"])
            send_mail(f"【政务邮箱】{department.name}超期来信 {len(own)} 封", body, None, recipients)
            sent += 1
    recipients = centre_recipients()
    if recipients and (letters or missing):
        lines = [f"全区共有 {len(letters)} 封来信已超过答复期限：", *map(_line, letters)]
        if missing:
            years = sorted({letter.calendar_missing_year for letter in missing})
            lines += ["", f"{len(missing)} 封来信因缺少 {'、'.join(map(str, years))} 年节假日安排无法计算答复期限，"
                          "请在后台“工作日历”中录入。"]
        send_mail(f"【政务邮箱】每日超期汇总：超期 {len(letters)} 封", "\n".join(lines), None, recipients)
        sent += 1
    return sent


def calendar_missing_alert(letters) -> None:
    recipients = centre_recipients()
    if not recipients:
        return
    years = sorted({letter.calendar_missing_year for letter in letters})
    names = "、".join(map(str, years))
    body = (f"新来信的答复期限需要 {names} 年的节假日安排，系统中尚未录入，期限暂未计算（不会按周一至周五估算）。\n"
            f"请在网站管理后台“工作日历”中录入 {names} 年的放假和调休安排，录入后期限自动重新计算。")
    send_mail(f"【政务邮箱】缺少 {names} 年节假日安排", body, None, recipients)


def unanswered_since(cutoff_days: int = ESCALATION_DAYS, department=None):
    """Valid letters received within the last year and still unanswered after `cutoff_days`; for
    a department, those it holds (the centre's portal: also the ones never forwarded)."""
    now = timezone.now()
    letters = Letter.objects.open().filter(
        received_at__lt=now - timedelta(days=cutoff_days), received_at__gte=now - timedelta(days=365),
    )
    return letters if department is None else letters.held_by(department)
