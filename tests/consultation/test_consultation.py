"""The 征集调查 plugin through HTTP: a department opens an 意见征集 or a 问卷调查, the public takes
part through the shared form guard, the department moderates and publishes the 结果反馈; the
site, the 互动交流 column, the 工作台, the inspection and the yearly figures follow."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from portal.accounts.models import User
from portal.plugins import inspection_checks, performance_figures, search_documents, set_enabled

from plugins.consultation.models import Consultation, Submission

JYJ = "jyj.localhost"
WJJ = "wjj.localhost"
ADMIN = "/admin/plugins/consultation/"


def login(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def consultation_data(**overrides):
    now = timezone.now()
    data = {
        "kind": "opinion", "title": "关于《校外培训机构管理办法（征求意见稿）》公开征求意见",
        "purpose": "规范校外培训，听取家长和社会意见。", "draft": "第一条 为规范校外培训机构管理，制定本办法。",
        "usage": "意见将逐条研究，征集结束后公布采纳情况。",
        "starts_at": local(now - timedelta(hours=1)), "ends_at": local(now + timedelta(days=10)),
    }
    data.update(overrides)
    return data


def open_consultation(editor, **overrides) -> Consultation:
    """Created and published through the department's screens."""
    response = editor.post(f"{ADMIN}new/", consultation_data(**overrides), HTTP_HOST=JYJ)
    assert response.status_code == 302, response.content.decode()
    pk = int(re.search(r"/(\d+)/$", response["Location"]).group(1))
    return Consultation.objects.get(pk=pk)


def publish(editor, consultation):
    response = editor.post(f"{ADMIN}{consultation.pk}/publish/", HTTP_HOST=JYJ)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.published_at is not None


def open_form(client, consultation):
    response = client.get(f"/consultations/{consultation.pk}/take-part/?captcha=text", HTTP_HOST=JYJ)
    assert response.status_code == 200, response.content.decode()
    html = response.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    a, b = map(int, re.search(r'class="captcha-question">(\d+) 加 (\d+) 等于几', html).groups())
    return token, str(a + b)


def take_part(client, consultation, **fields):
    token, answer = open_form(client, consultation)
    return client.post(f"/consultations/{consultation.pk}/take-part/",
                       {"token": token, "captcha": answer, "captcha_kind": "text", **fields}, HTTP_HOST=JYJ)


def end_now(consultation, days_ago=1):
    """The consultation ended `days_ago` days ago (started a while before)."""
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now - timedelta(days=days_ago + 20), ends_at=now - timedelta(days=days_ago))
    consultation.refresh_from_db()


def test_an_opinion_consultation_from_opening_to_result(db, departments):
    from portal.audit.models import AuditEvent

    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    visitor = Client()
    # Not on the site before it is published.
    assert visitor.get(f"/consultations/{consultation.pk}/", HTTP_HOST=JYJ).status_code == 404
    publish(editor, consultation)

    listing = visitor.get("/consultations/", HTTP_HOST=JYJ).content.decode()
    assert consultation.title in listing.split("已结束")[0]  # under 正在征集
    column = visitor.get("/interaction/", HTTP_HOST=JYJ).content.decode()
    assert "征集调查" in column and f'href="/consultations/{consultation.pk}/"' in column and "正在征集" in column
    page = visitor.get(f"/consultations/{consultation.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "第一条 为规范校外培训机构管理" in page and "我要提意见" in page and "意见将逐条研究" in page

    response = take_part(visitor, consultation, content="<script>alert(1)</script>建议放宽时间，联系 13800138000",
                         name="李四", contact="13800138000")
    assert response.status_code == 200 and "提交成功" in response.content.decode()
    submission = Submission.objects.get(consultation=consultation)
    assert submission.status == Submission.Status.PENDING and submission.ip

    # The 工作台 shows the opinion waiting for moderation.
    home = editor.get("/admin/", HTTP_HOST=JYJ).content.decode()
    assert "征集调查" in home and "待审核意见 1 条" in home

    response = editor.post(f"{ADMIN}{consultation.pk}/submissions/{submission.pk}/",
                           {f"s{submission.pk}-decision": "approve", f"s{submission.pk}-note": ""}, HTTP_HOST=JYJ)
    assert response.status_code == 302
    # A result before the end is refused with a reason.
    response = editor.post(f"{ADMIN}{consultation.pk}/result/", {"adopted": "1", "reasons": "采纳"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "征集结束后才能发布结果反馈" in response.content.decode()

    end_now(consultation)
    home = editor.get("/admin/", HTTP_HOST=JYJ).content.decode()
    assert "待发布结果，已结束 1 天" in home
    assert "征集已结束" in visitor.get(f"/consultations/{consultation.pk}/", HTTP_HOST=JYJ).content.decode()
    response = editor.post(f"{ADMIN}{consultation.pk}/result/", {"adopted": "2", "reasons": "采纳"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "采纳意见数不能超过收到的意见数（1 条）" in response.content.decode()
    response = editor.post(f"{ADMIN}{consultation.pk}/result/",
                           {"adopted": "1", "reasons": "关于放宽时间的意见已采纳，第三条作相应修改。"}, HTTP_HOST=JYJ)
    assert response.status_code == 302

    page = visitor.get(f"/consultations/{consultation.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "结果反馈" in page and "共收到意见 <strong>1</strong> 条，采纳 <strong>1</strong> 条" in page
    assert "第三条作相应修改" in page
    # What the public wrote is shown escaped and without the writer's name or number.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;建议放宽时间" in page and "<script>alert(1)" not in page
    assert "13800138000" not in page and "李四" not in page
    listing = visitor.get("/consultations/", HTTP_HOST=JYJ).content.decode()
    assert consultation.title in listing.split("结果反馈")[-1]
    assert "待审核意见" not in editor.get("/admin/", HTTP_HOST=JYJ).content.decode()
    events = set(AuditEvent.objects.filter(target=f"consultation:{consultation.pk}").values_list("event", flat=True))
    assert {"consultation_publish", "consultation_moderate", "consultation_result"} <= events


def test_a_survey_with_single_multiple_and_text_questions(db, departments):
    editor = login("jyj_editor")
    consultation = open_consultation(editor, kind="survey", title="课后服务满意度问卷调查")
    response = editor.post(f"{ADMIN}{consultation.pk}/publish/", HTTP_HOST=JYJ, follow=True)
    assert "问卷还没有题目，请先添加题目再发布" in response.content.decode()
    questions = [
        {"kind": "single", "text": "您对课后服务是否满意？", "options": "满意\n一般\n不满意", "required": "on"},
        {"kind": "multiple", "text": "您希望增加哪些活动？", "options": "体育\n艺术\n阅读", "required": "on"},
        {"kind": "text", "text": "其他建议", "options": ""},
    ]
    response = editor.post(f"{ADMIN}{consultation.pk}/questions/", {"kind": "single", "text": "只有一个选项",
                                                                   "options": "是"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "至少需要两个选项" in response.content.decode()
    for question in questions:
        assert editor.post(f"{ADMIN}{consultation.pk}/questions/", question, HTTP_HOST=JYJ).status_code == 302
    publish(editor, consultation)
    single, multiple, text = consultation.questions.all()

    visitor = Client()
    form = visitor.get(f"/consultations/{consultation.pk}/take-part/", HTTP_HOST=JYJ).content.decode()
    assert "<fieldset" in form and "<legend>1. 您对课后服务是否满意？（单选题）" in form
    # A required question left out: refused in Chinese, the answers given are kept.
    response = take_part(visitor, consultation, **{f"q{single.pk}": "0", f"q{text.pk}": "多开<b>篮球</b>课"})
    html = response.content.decode()
    assert response.status_code == 400 and "请至少选择一项" in html
    assert re.search(rf'name="q{single.pk}" value="0"[^>]*checked', html)
    assert "多开&lt;b&gt;篮球&lt;/b&gt;课" in html
    response = take_part(visitor, consultation, **{f"q{single.pk}": "7", f"q{multiple.pk}": "0"})
    assert response.status_code == 400 and "请选择列表中的选项" in response.content.decode()
    for answers in ({f"q{single.pk}": "0", f"q{multiple.pk}": ["0", "2"], f"q{text.pk}": "多开<b>篮球</b>课"},
                    {f"q{single.pk}": "1", f"q{multiple.pk}": ["0"]}):
        response = take_part(Client(), consultation, **answers)
        assert response.status_code == 200, response.content.decode()
    first, second = Submission.objects.filter(consultation=consultation).order_by("id")
    assert first.answers == {str(single.pk): 0, str(multiple.pk): [0, 2], str(text.pk): "多开<b>篮球</b>课"}
    moderation = editor.get(f"{ADMIN}{consultation.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "您希望增加哪些活动？：体育、阅读" in moderation and "多开&lt;b&gt;篮球&lt;/b&gt;课" in moderation
    for submission in (first, second):
        editor.post(f"{ADMIN}{consultation.pk}/submissions/{submission.pk}/",
                    {f"s{submission.pk}-decision": "approve"}, HTTP_HOST=JYJ)
    # Questions cannot change once answers exist.
    response = editor.post(f"{ADMIN}{consultation.pk}/questions/{text.pk}/delete/", HTTP_HOST=JYJ, follow=True)
    assert "已有人提交答卷，不能再修改题目" in response.content.decode()
    end_now(consultation)
    assert editor.post(f"{ADMIN}{consultation.pk}/result/", {"adopted": "0", "reasons": "满意度较高。"},
                       HTTP_HOST=JYJ).status_code == 302
    page = visitor.get(f"/consultations/{consultation.pk}/", HTTP_HOST=JYJ).content.decode()
    assert "有效答卷 2 份" in page
    assert re.search(r"<td>体育</td><td>2</td><td>100%</td>", page)
    assert re.search(r"<td>阅读</td><td>1</td><td>50%</td>", page)
    assert "多开&lt;b&gt;篮球&lt;/b&gt;课" in page and "<b>篮球" not in page


def test_taking_part_outside_the_period_is_refused(db, departments):
    editor = login("jyj_editor")
    now = timezone.now()
    upcoming = open_consultation(editor, starts_at=local(now + timedelta(days=2)),
                                 ends_at=local(now + timedelta(days=9)))
    publish(editor, upcoming)
    visitor = Client()
    page = visitor.get(f"/consultations/{upcoming.pk}/take-part/", HTTP_HOST=JYJ).content.decode()
    assert "征集尚未开始" in page and 'name="token"' not in page
    closed = open_consultation(editor, title="已结束的征集")
    publish(editor, closed)
    token, answer = open_form(visitor, closed)
    end_now(closed)
    response = visitor.post(f"/consultations/{closed.pk}/take-part/",
                            {"token": token, "captcha": answer, "captcha_kind": "text", "content": "迟到的意见"},
                            HTTP_HOST=JYJ)
    assert response.status_code == 400 and "征集已于" in response.content.decode()
    assert not Submission.objects.filter(consultation=closed).exists()


def test_the_public_form_guard_protects_the_form(db, departments):
    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    publish(editor, consultation)
    visitor = Client()
    # A token this visitor was not given, then a wrong captcha: refused, the opinion kept.
    response = visitor.post(f"/consultations/{consultation.pk}/take-part/",
                            {"token": "forged", "captcha": "1", "content": "意见"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "表单已过期" in response.content.decode()
    token, answer = open_form(visitor, consultation)
    response = visitor.post(f"/consultations/{consultation.pk}/take-part/",
                            {"token": token, "captcha": "999", "captcha_kind": "text", "content": "保留的意见"},
                            HTTP_HOST=JYJ)
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert "保留的意见" in response.content.decode()
    # A double click is one opinion.
    token, answer = open_form(visitor, consultation)
    data = {"token": token, "captcha": answer, "captcha_kind": "text", "content": "只算一次"}
    first = visitor.post(f"/consultations/{consultation.pk}/take-part/", data, HTTP_HOST=JYJ)
    second = visitor.post(f"/consultations/{consultation.pk}/take-part/", data, HTTP_HOST=JYJ)
    assert first.status_code == second.status_code == 200
    assert Submission.objects.filter(consultation=consultation, content="只算一次").count() == 1
    # Five an hour from one address, then 429 in Chinese.
    for _ in range(4):
        assert take_part(visitor, consultation, content="再提一条").status_code == 200
    response = take_part(visitor, consultation, content="第六条")
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    # Control characters are refused by the site before the plugin sees them.
    response = visitor.post(f"/consultations/{consultation.pk}/take-part/", {"content": "坏\x00字符"}, HTTP_HOST=JYJ)
    assert response.status_code == 400


def test_invalid_department_input_is_refused_in_chinese_and_kept(db, departments):
    editor = login("jyj_editor")
    now = timezone.now()
    response = editor.post(f"{ADMIN}new/", consultation_data(
        title="时间填反了的征集", starts_at=local(now + timedelta(days=3)), ends_at=local(now)), HTTP_HOST=JYJ)
    html = response.content.decode()
    assert response.status_code == 400 and "结束时间须晚于开始时间" in html and "时间填反了的征集" in html
    response = editor.post(f"{ADMIN}new/", consultation_data(starts_at="明天"), HTTP_HOST=JYJ)
    assert response.status_code == 400 and "请按“年-月-日 时:分”填写开始时间" in response.content.decode()
    consultation = open_consultation(editor)
    publish(editor, consultation)
    submission = Submission.objects.create(consultation=consultation, content="广告")
    response = editor.post(f"{ADMIN}{consultation.pk}/submissions/{submission.pk}/",
                           {f"s{submission.pk}-decision": "reject"}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "不予通过须填写原因" in response.content.decode()
    response = editor.post(f"{ADMIN}{consultation.pk}/result/", {"adopted": "-1", "reasons": ""}, HTTP_HOST=JYJ)
    assert response.status_code == 400 and "采纳意见数不能小于 0" in response.content.decode()
    response = Client().get("/consultations/statistics/?year=abc", HTTP_HOST=JYJ)
    assert response.status_code == 400 and "请填写正确的年份" in response.content.decode()


def test_only_the_departments_people_manage_its_consultations(db, departments):
    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    assert Client().get(ADMIN, HTTP_HOST=JYJ).status_code in (302, 403)
    other = login("wjj_editor")
    assert other.get(ADMIN, HTTP_HOST=JYJ).status_code in (302, 403)
    assert other.get(f"{ADMIN}{consultation.pk}/", HTTP_HOST=JYJ).status_code in (302, 403, 404)
    # On its own site the other department does not see the education bureau's consultations.
    assert consultation.title not in other.get(ADMIN, HTTP_HOST=WJJ).content.decode()


def test_a_closed_consultation_without_result_for_30_days_is_an_inspection_finding(db, departments):
    jyj = departments["jyj"]
    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    publish(editor, consultation)

    def findings():
        with tenant_context(jyj):
            return [f for check in inspection_checks(jyj) for f in check(jyj)
                    if f["key"] == f"consultation:{consultation.pk}"]

    end_now(consultation, days_ago=29)
    assert findings() == []
    end_now(consultation, days_ago=31)
    [finding] = findings()
    assert finding["item"] == "interaction_poor" and "结束 31 天仍未公布结果反馈" in finding["title"]
    assert finding["edit_url"].endswith(f"{ADMIN}{consultation.pk}/")
    editor.post(f"{ADMIN}{consultation.pk}/result/", {"adopted": "0", "reasons": "未收到意见。"}, HTTP_HOST=JYJ)
    assert findings() == []


def test_performance_figures_count_periods_opinions_and_results(db, departments):
    jyj = departments["jyj"]
    today = timezone.localdate()
    year = (date(today.year, 1, 1), date(today.year, 12, 31))
    before = performance_figures(jyj, *year)["consultation"]
    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    open_consultation(editor, title="未发布的不计入")
    publish(editor, consultation)
    take_part(Client(), consultation, content="意见一")
    take_part(Client(), consultation, content="意见二")
    spam = Submission.objects.get(consultation=consultation, content="意见二")
    editor.post(f"{ADMIN}{consultation.pk}/submissions/{spam.pk}/",
                {f"s{spam.pk}-decision": "reject", f"s{spam.pk}-note": "广告"}, HTTP_HOST=JYJ)
    approved = Submission.objects.get(consultation=consultation, content="意见一")
    editor.post(f"{ADMIN}{consultation.pk}/submissions/{approved.pk}/", {f"s{approved.pk}-decision": "approve"},
                HTTP_HOST=JYJ)
    Consultation.objects.filter(pk=consultation.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    editor.post(f"{ADMIN}{consultation.pk}/result/", {"adopted": "1", "reasons": "已采纳。"}, HTTP_HOST=JYJ)
    after = performance_figures(jyj, *year)["consultation"]
    assert after == {"periods": before["periods"] + 1, "opinions_received": before["opinions_received"] + 1,
                     "results_published": before["results_published"] + 1}
    page = Client().get(f"/consultations/statistics/?year={today.year}", HTTP_HOST=JYJ).content.decode()
    assert f"<th scope=\"row\">征集调查期数</th><td>{after['periods']}</td>" in page
    last_year = performance_figures(jyj, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))["consultation"]
    assert last_year == {"periods": 0, "opinions_received": 0, "results_published": 0}


def test_search_documents_carry_the_draft_and_the_result(db, departments):
    jyj = departments["jyj"]
    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    with tenant_context(jyj):
        assert [d for d in search_documents(jyj) if d["kind"] == "consultation"] == []  # unpublished
    publish(editor, consultation)
    end_now(consultation)
    editor.post(f"{ADMIN}{consultation.pk}/result/", {"adopted": "0", "reasons": "未收到意见，按原稿执行。"},
                HTTP_HOST=JYJ)
    with tenant_context(jyj):
        [document] = [d for d in search_documents(jyj) if d["kind"] == "consultation"]
    assert document["title"] == consultation.title and document["type_label"] == "意见征集"
    assert document["url"] == f"{jyj.base_url}/consultations/{consultation.pk}/"
    assert "第一条 为规范校外培训机构管理" in document["body_text"] and "按原稿执行" in document["body_text"]


def test_disabling_the_plugin_removes_it_from_site_column_inspection_and_statement(db, departments):
    jyj = departments["jyj"]
    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    publish(editor, consultation)
    end_now(consultation, days_ago=40)
    set_enabled(jyj, "consultation", False)
    visitor = Client()
    assert visitor.get("/consultations/", HTTP_HOST=JYJ).status_code == 404
    assert visitor.get(f"/consultations/{consultation.pk}/", HTTP_HOST=JYJ).status_code == 404
    assert editor.get(ADMIN, HTTP_HOST=JYJ).status_code == 404
    column = visitor.get("/interaction/", HTTP_HOST=JYJ).content.decode()
    assert "/consultations/" not in column and "/consultations/" not in visitor.get("/", HTTP_HOST=JYJ).content.decode()
    with tenant_context(jyj):
        assert not [f for check in inspection_checks(jyj) for f in check(jyj) if f["key"].startswith("consultation:")]
        assert not [d for d in search_documents(jyj) if d["kind"] == "consultation"]
    today = timezone.localdate()
    # The statement shows the section as 未开展: it is absent, not zeros.
    assert "consultation" not in performance_figures(jyj, date(today.year, 1, 1), date(today.year, 12, 31))
    assert "征集调查" not in editor.get("/admin/", HTTP_HOST=JYJ).content.decode()
    # Another department keeps it.
    assert visitor.get("/consultations/", HTTP_HOST=WJJ).status_code == 200


def test_the_phase_job_makes_cached_pages_follow_the_clock(db, departments):
    """A cached page said 正在征集; once the end passes, the scheduled job saves the consultation
    and the next visitor sees 已结束 (the form itself always checks the real time)."""
    from portal.plugins import hooks_for

    editor = login("jyj_editor")
    consultation = open_consultation(editor)
    publish(editor, consultation)
    path = f"/consultations/{consultation.pk}/"
    Client().get(path, HTTP_HOST=JYJ)
    cached = Client().get(path, HTTP_HOST=JYJ)
    assert cached["X-Page-Cache"] == "HIT" and "正在征集" in cached.content.decode()
    Consultation.objects.filter(pk=consultation.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    [job] = [job for jobs in hooks_for(departments["jyj"]).scheduled_jobs() for job in jobs
             if job.name == "consultation.phases"]
    assert job.run() >= 1
    fresh = Client().get(path, HTTP_HOST=JYJ)
    assert fresh["X-Page-Cache"] != "HIT" and "已结束" in fresh.content.decode()
    assert "正在征集" not in fresh.content.decode()


@pytest.fixture
def committed_consultation(django_db_blocker):
    """A published consultation committed in the education bureau's schema (so the push after the
    commit reaches Elasticsearch); removed, with its documents, afterwards."""
    from portal.models import PluginSetting

    from plugins.consultation import service
    from search import rebuild
    from tenants.models import Department

    with django_db_blocker.unblock():
        jyj = Department.objects.get(host_prefix="jyj")
        with tenant_context(jyj):
            consultation = Consultation.objects.create(
                title="关于石斛种植补贴办法公开征求意见", purpose="听取种植户意见。", draft="石斛种植补贴标准。",
                usage="逐条研究。", starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=5))
            service.publish(consultation)
        yield jyj, consultation
        set_enabled(jyj, "consultation", True)
        PluginSetting.objects.filter(plugin="consultation").delete()
        with tenant_context(jyj):
            Consultation.objects.filter(pk=consultation.pk).delete()
        rebuild.sync_plugins()


def test_published_consultations_are_found_in_search_and_leave_when_disabled(committed_consultation):
    from search import service
    from tests.search.conftest import refresh_index

    jyj, consultation = committed_consultation
    refresh_index()
    [hit] = [hit for hit in service.search(service.Params(q="石斛种植补贴")).hits if hit.department_prefix == "jyj"]
    assert hit.url == f"{jyj.base_url}/consultations/{consultation.pk}/" and hit.type == "consultation"
    set_enabled(jyj, "consultation", False)
    refresh_index()
    hits = service.search(service.Params(q="石斛种植补贴")).hits
    assert [hit for hit in hits if hit.department_prefix == "jyj"] == []


def test_public_pages_are_valid_html(db, departments, tmp_path):
    from tests.nu import nu_errors

    editor = login("jyj_editor")
    survey = open_consultation(editor, kind="survey", title="问卷")
    editor.post(f"{ADMIN}{survey.pk}/questions/", {"kind": "single", "text": "甲", "options": "是\n否",
                                                  "required": "on"}, HTTP_HOST=JYJ)
    editor.post(f"{ADMIN}{survey.pk}/questions/", {"kind": "multiple", "text": "乙", "options": "一\n二"},
                HTTP_HOST=JYJ)
    editor.post(f"{ADMIN}{survey.pk}/questions/", {"kind": "text", "text": "丙"}, HTTP_HOST=JYJ)
    publish(editor, survey)
    opinion = open_consultation(editor)
    publish(editor, opinion)
    visitor = Client()
    pages = {path: visitor.get(path, HTTP_HOST=JYJ) for path in (
        "/consultations/", f"/consultations/{survey.pk}/", f"/consultations/{opinion.pk}/",
        f"/consultations/{survey.pk}/take-part/", f"/consultations/{opinion.pk}/take-part/?captcha=text",
        "/consultations/statistics/", "/consultations/statistics/?year=1", "/interaction/")}
    pages["survey with errors"] = take_part(visitor, survey, **{f"q{survey.questions.first().pk}": "9"})
    pages["opinion with errors"] = take_part(visitor, opinion, content="")
    pages["done"] = take_part(visitor, opinion, content="<i>意见</i>")
    for submission in Submission.objects.filter(consultation__in=[survey, opinion]):
        editor.post(f"{ADMIN}{submission.consultation_id}/submissions/{submission.pk}/",
                    {f"s{submission.pk}-decision": "approve"}, HTTP_HOST=JYJ)
    take_part(Client(), survey, **{f"q{q.pk}": "0" for q in survey.questions.all()})
    end_now(opinion)
    editor.post(f"{ADMIN}{opinion.pk}/result/", {"adopted": "1", "reasons": "采纳。"}, HTTP_HOST=JYJ)
    pages["result"] = visitor.get(f"/consultations/{opinion.pk}/", HTTP_HOST=JYJ)
    pages["closed form"] = visitor.get(f"/consultations/{opinion.pk}/take-part/", HTTP_HOST=JYJ)
    for name, response in pages.items():
        assert 'lang="zh' in response.content.decode(), name
    errors = nu_errors({name: response.content.decode() for name, response in pages.items()}, tmp_path)
    assert not errors, "\n".join(errors)


def test_the_central_workbench_shows_every_departments_consultation_work(db, departments):
    editor = login("jyj_editor")
    consultation = open_consultation(editor, title="教育局待审核的征集")
    publish(editor, consultation)
    take_part(Client(), consultation, content="一条意见")
    home = login("center_admin").get("/admin/", HTTP_HOST="www.localhost").content.decode()
    assert "区教育局 · 教育局待审核的征集" in home
    assert f'{departments["jyj"].base_url}{ADMIN}{consultation.pk}/' in home
    # One query over every department's schema, however many there are.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        login("center_admin").get("/admin/", HTTP_HOST="www.localhost")
    assert len([q for q in queries if "consultation_consultation" in q["sql"]]) == 1


def test_demo_content_gives_an_open_consultation_and_a_survey_with_its_result(db, departments):
    import random

    from portal.plugins import hooks_for

    wjj = departments["wjj"]
    with tenant_context(wjj):
        hooks_for(wjj).demo_content(department=wjj, rng=random.Random(7))
        survey = Consultation.objects.get(kind="survey")
    listing = Client().get("/consultations/", HTTP_HOST=WJJ).content.decode()
    assert "便民服务规范（征求意见稿）" in listing.split("已结束")[0]
    page = Client().get(f"/consultations/{survey.pk}/", HTTP_HOST=WJJ).content.decode()
    assert "结果反馈" in page and "您对服务是否满意？" in page
