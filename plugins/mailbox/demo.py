"""Demo letters for each department: answered on time and late, published, open, overdue and,
in the departments that already have stale columns, one letter unanswered for over 3 months
(互动回应差) for the inspection to find."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from portal.demo import STALE_NEWS_DEPARTMENTS
from portal.workcalendar.service import CalendarMissing, add_working_days

from . import service
from .models import Letter, LetterEvent, Reply

REPLY_TEXT = ("您好！来信收悉。经研究，现答复如下：我单位已按有关规定办理，如有疑问请在工作时间致电咨询。"
              "感谢您对我们工作的关心和支持！")
SURNAMES = "王李张刘陈杨黄赵周吴"
TOPICS = [
    ("consult", "关于{unit}办事指南的咨询", "请问在{unit}办理相关业务需要准备哪些材料？办理时限是多久？"),
    ("suggest", "建议{unit}延长周末办事时间", "上班族平时没有时间，建议{unit}窗口周六上午也能办理业务。"),
    ("complaint", "反映{unit}窗口服务态度问题", "上周到{unit}窗口咨询，工作人员答复不耐烦，希望改进。"),
    ("help", "请求{unit}协助解决实际困难", "家中老人行动不便，希望{unit}提供上门办理服务。"),
    ("consult", "咨询{unit}政策文件的适用范围", "{unit}近期发布的政策文件是否适用于个体工商户？"),
]


def _received(rng, days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60))))


def _letter(department, rng, days_ago: int, topic: int) -> Letter:
    kind, subject, content = TOPICS[topic % len(TOPICS)]
    unit = department.short_name or department.name
    name = rng.choice(SURNAMES) + rng.choice(["先生", "女士"])
    return service.submit(
        kind=kind, subject=subject.format(unit=unit), content=content.format(unit=unit), name=name,
        phone=f"139{rng.randrange(10**8):08d}", email="", may_publish=rng.random() < 0.8,
        token=None, ip=None, received_at=_received(rng, days_ago),
    )


def _forward(letter, department):
    letter.department, letter.status = department, Letter.Status.FORWARDED
    letter.save()
    LetterEvent.objects.create(letter=letter, time=letter.received_at + timedelta(hours=2),
                               action=LetterEvent.Action.FORWARD, to_department=department)


def _reply(letter, department, working_days: int, publish: bool):
    try:
        replied_on = add_working_days(timezone.localdate(letter.received_at), working_days)
    except CalendarMissing:
        return
    approved = timezone.make_aware(datetime.combine(replied_on, time(16, 0)))
    if approved > timezone.now():
        return
    Reply.objects.create(letter=letter, department=department, text=REPLY_TEXT,
                         drafted_at=approved - timedelta(hours=3), approved_at=approved)
    letter.status = Letter.Status.PUBLISHED if publish and letter.may_publish else Letter.Status.REPLIED
    letter.save()


def create_demo_letters(department, rng) -> int:
    if department.kind not in ("bureau", "town"):
        return 0
    count = 0
    for number in range(rng.randrange(4, 9)):
        letter = _letter(department, rng, days_ago=rng.randrange(8, 330), topic=number)
        _forward(letter, department)
        _reply(letter, department, working_days=rng.choice([1, 2, 3, 4, 5, 5, 7]), publish=rng.random() < 0.7)
        count += 1
    # Still within the deadline, and past it.
    _forward(_letter(department, rng, days_ago=1, topic=count), department)
    _forward(_letter(department, rng, days_ago=12, topic=count + 1), department)
    count += 2
    if department.host_prefix in STALE_NEWS_DEPARTMENTS:  # the units the demo also lets columns go stale
        _forward(_letter(department, rng, days_ago=100, topic=count), department)
        count += 1
    return count
