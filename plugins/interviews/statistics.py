"""The figures of 在线访谈 for the yearly statement and the public page: 访谈期数, 网民留言数量,
答复网民提问数量, counted the same way everywhere."""

from datetime import date

from .models import Interview, Question


def figures_for(department, start: date, end: date) -> dict:
    """Interviews held (started or ended) with a start date in `start`..`end`; questions the public
    sent in those dates; questions published with an answer in those dates."""
    held = Interview.objects.filter(
        department=department, status__in=[Interview.Status.LIVE, Interview.Status.ENDED],
        starts_at__date__gte=start, starts_at__date__lte=end,
    )
    questions = Question.objects.filter(interview__department=department)
    return {
        "interviews": held.count(),
        "questions_received": questions.filter(submitted_at__date__gte=start, submitted_at__date__lte=end).count(),
        "questions_answered": questions.filter(
            status=Question.Status.PUBLISHED, published_at__date__gte=start, published_at__date__lte=end,
        ).exclude(answer="").count(),
    }
