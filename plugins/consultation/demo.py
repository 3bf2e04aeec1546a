"""Demo consultations of a department: one open 意见征集 and a 问卷调查 with its 结果反馈."""

from datetime import timedelta

from django.utils import timezone

from .models import Consultation, Question, Submission


def create_demo_consultations(department, rng):
    if not department.is_site or Consultation.objects.exists():
        return
    now = timezone.now()
    opinion = Consultation.objects.create(
        kind=Consultation.Kind.OPINION, title=f"关于《{department.name}便民服务规范（征求意见稿）》公开征求意见",
        purpose="为提高便民服务质量，广泛听取社会各界意见。",
        draft="第一条 为规范便民服务，制定本规范。\n第二条 本规范适用于本单位对外服务窗口。",
        usage="收到的意见将逐条研究，征集结束后 30 日内公布采纳情况及理由。",
        starts_at=now - timedelta(days=rng.randint(1, 5)), ends_at=now + timedelta(days=rng.randint(10, 25)),
        published_at=now - timedelta(days=5),
    )
    for text in ("建议延长周末服务时间。", "希望增加线上预约渠道。"):
        Submission.objects.create(consultation=opinion, content=text, status=Submission.Status.APPROVED,
                                  moderated_at=now, moderated_by="演示审核人")
    survey = Consultation.objects.create(
        kind=Consultation.Kind.SURVEY, title=f"{department.name}政务服务满意度问卷调查",
        purpose="了解群众对政务服务的满意程度。", draft="本问卷匿名填写，约需 2 分钟。",
        usage="调查结果用于改进服务，并在调查结束后公布。",
        starts_at=now - timedelta(days=60), ends_at=now - timedelta(days=30), published_at=now - timedelta(days=60),
    )
    Question.objects.create(consultation=survey, kind=Question.Kind.SINGLE, text="您对服务是否满意？",
                            options="满意\n基本满意\n不满意", order=1)
    Question.objects.create(consultation=survey, kind=Question.Kind.TEXT, text="您的建议", required=False, order=2)
    questions = list(survey.questions.all())
    for _ in range(rng.randint(3, 6)):
        Submission.objects.create(consultation=survey, status=Submission.Status.APPROVED, moderated_at=now,
                                  answers={str(questions[0].pk): rng.randint(0, 2), str(questions[1].pk): ""})
    survey.result_received = survey.submissions.count()
    survey.result_adopted = 0
    survey.result_reasons = "多数群众对服务表示满意，将继续改进窗口服务。"
    survey.result_published_at = now - timedelta(days=20)
    survey.save()
