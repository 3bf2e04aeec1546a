"""A live interview in a real Chromium against a real server: the 区教育局's moderator sets it up
and starts it, a visitor keeps the page open, another visitor asks (trying to inject a script),
the moderator publishes the answer, and the open page shows it within seconds without reloading,
as text. Ending the interview turns the open page into the archive's status. What the server
committed is removed afterwards."""

import re

import pytest

from tests.mailbox.test_browser import log_in
from tests.mailbox.test_concurrency import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
TITLE = "浏览器测试：教育局长谈课后服务"
HOSTILE = '<script>document.title="被注入"</script>课后服务几点结束？'


@pytest.fixture
def cleanup():
    yield
    from search import index

    interviews = [pk for (pk,) in committed("SELECT id FROM interviews_interview WHERE title = %s", [TITLE]) or []]
    # The rows first: later tests count interviews and questions, and the rate limit counts asks.
    committed("DELETE FROM portal_formsubmission WHERE scope = 'interviews'")
    for pk in interviews:
        committed("DELETE FROM search_searchdocument WHERE kind = 'interview' AND object_id = %s", [pk])
        committed("DELETE FROM interviews_question WHERE interview_id = %s", [pk])
        committed("DELETE FROM interviews_interview WHERE id = %s", [pk])
    for pk in interviews:
        index.client().options(ignore_status=404, request_timeout=60).delete(
            index=index.alias(), id=f"jyj:interview:{pk}", refresh=True)


def test_live_transcript_updates_on_the_open_page(live_server_url, browser, cleanup):
    jyj = live_server_url.format(prefix="jyj")

    moderator = log_in(browser, jyj, "jyj_editor")
    moderator.goto(jyj + "/admin/plugins/interviews/new/")
    moderator.fill("#id_title", TITLE)
    moderator.fill("#id_guests", "张建国，区教育局局长")
    moderator.fill("#id_starts_at", "2026-12-10T10:00")
    moderator.fill("#id_ends_at", "2026-12-10T11:00")
    moderator.fill("#id_introduction", "介绍课后服务安排。")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="保存").click()
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="开始访谈").click()
    pk = int(re.search(r"/interviews/(\d+)/", moderator.url).group(1))

    viewer = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    dialogs = []
    viewer.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    viewer.goto(f"{jyj}/interviews/{pk}/")
    assert viewer.locator("#interview-status-label").inner_text() == "正在直播"
    assert viewer.get_by_role("link", name="刷新").count() == 1  # without JavaScript, a link does it
    viewer.evaluate("window.stillTheSamePage = true")

    citizen = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    citizen.goto(f"{jyj}/interviews/{pk}/ask/?captcha=text")
    citizen.fill("#id_nickname", "家长小王")
    citizen.fill("#id_text", HOSTILE)
    a, b = map(int, re.search(r"(\d+) 加 (\d+)", citizen.locator(".captcha-question").inner_text()).groups())
    citizen.fill("#id_captcha", str(a + b))
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="提交提问").click()
    assert "提问已提交" in citizen.locator("h1").inner_text()

    moderator.reload()
    pending = moderator.locator("section.pending-question").filter(has_text="课后服务几点结束")
    pending.locator("select").select_option(label="区教育局局长张建国")
    pending.locator("textarea").fill("课后服务一般到 17:30 结束。")
    with moderator.expect_navigation():
        pending.get_by_role("button", name="发布问答").click()

    entry = viewer.locator(".transcript-entry").filter(has_text="17:30 结束")
    entry.wait_for(timeout=10_000)
    assert viewer.evaluate("window.stillTheSamePage") is True  # no reload: the page polled
    assert HOSTILE in entry.locator(".transcript-question .text").inner_text()  # shown as text
    assert viewer.title() != "被注入" and not dialogs
    assert viewer.locator("#transcript-empty").is_hidden()

    with moderator.expect_navigation():
        moderator.get_by_role("button", name="结束访谈").click()
    viewer.wait_for_function("document.getElementById('interview-status-label').textContent === '已结束'",
                             timeout=10_000)
    archive = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    archive.goto(f"{jyj}/interviews/{pk}/")
    assert "访谈实录" in archive.content() and archive.get_by_role("link", name="我要提问").count() == 0
