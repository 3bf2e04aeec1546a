"""Demo interviews: for the portal and every bureau, one archived interview with its transcript,
and on the portal one announced interview that already has questions waiting for moderation."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from .models import Interview, Question

EXCHANGES = [
    ("办理业务需要跑几次？", "绝大多数事项已实现“最多跑一次”，其中一半以上可以全程网上办理。"),
    ("周末能办理业务吗？", "政务服务中心每周六上午开放综合窗口，节假日安排以公告为准。"),
    ("今年有哪些惠民实事？", "今年共安排十项民生实事，进展情况每季度在网站公开。"),
    ("意见建议从哪里提？", "欢迎通过政务邮箱来信，我们将在 5 个工作日内答复。"),
]
NICKNAMES = ["热心市民", "老街坊", "上班族小陈", "退休教师", "新市民"]


def _at(days_ago: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(hour)))


def create_demo_interviews(department, rng) -> None:
    if department.kind not in ("portal", "bureau") or Interview.objects.filter(department=department).exists():
        return
    unit = department.short_name or department.name
    head = "区长" if department.is_portal else "局长"
    name = rng.choice("王李张刘陈") + rng.choice(["建国", "海燕", "志强", "丽华"])
    guests = [{"name": name, "title": f"{unit}{head}"}]
    days_ago = rng.randrange(20, 120)
    archived = Interview.objects.create(
        department=department, title=f"{unit}负责人谈{timezone.localdate().year}年重点工作", guests=guests,
        starts_at=_at(days_ago, 10), ends_at=_at(days_ago, 11), status=Interview.Status.ENDED,
        introduction=f"{unit}负责人做客在线访谈，介绍今年重点工作，并回答网友关心的问题。",
    )
    answerer = f"{guests[0]['title']}{guests[0]['name']}"
    for minute, (question, answer) in enumerate(rng.sample(EXCHANGES, 3)):
        Question.objects.create(
            interview=archived, nickname=rng.choice(NICKNAMES), text=question, answer=answer,
            answered_by=answerer, status=Question.Status.PUBLISHED,
            submitted_at=_at(days_ago + 1, 15), published_at=_at(days_ago, 10) + timedelta(minutes=5 + 10 * minute),
        )
    if department.is_portal:
        upcoming = Interview.objects.create(
            department=department, title="优化营商环境 服务企业发展", guests=guests,
            starts_at=_at(-7, 10), ends_at=_at(-7, 11), status=Interview.Status.UPCOMING,
            introduction="区政府负责人将在线回答企业和群众关于营商环境的提问，欢迎提前留言。",
        )
        Question.objects.create(interview=upcoming, nickname=rng.choice(NICKNAMES),
                                text="小微企业办理开办手续需要多长时间？")
