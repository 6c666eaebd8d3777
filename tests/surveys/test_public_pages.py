"""The public survey pages: no login, a clear message for every code that cannot be used, nothing lost on an
error, one answer per code, limits in the cache, no IP address anywhere, and a phone in a real browser."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from django.urls import reverse

from tests.browser import PHONE, SHOTS, console_errors, log_in
from tests.world import answers_for, issue, logged_text, make_survey, stored_text
from xuncha.core.dates import today
from xuncha.surveys import services
from xuncha.surveys.models import QuestionKind, Response, Survey, Token
from xuncha.surveys.tokens import code_display, code_split


def _token_url(code: str) -> str:
    return reverse("survey:token", kwargs={"code": code})


def _post(client, survey, code, **overrides):
    """The answer form as a browser sends it: field q<id> per question, a list for multiple choice."""
    data: dict[str, object] = {"code": code}
    for key, value in answers_for(survey, text="希望巡察组多听基层声音。").items():
        data[f"q{key}"] = value
    data.update(overrides)
    return client.post(reverse("survey:answer"), data)


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_a_code_opens_the_form_without_a_login_and_answers_once(client, world):
    survey = make_survey(world, unit=world.township_a)
    code = issue(survey, 2)[0]
    form = client.get(_token_url(code))
    assert form.status_code == 200 and form["Cache-Control"] == "no-store"
    page = _page(form)
    assert survey.title in page and "对领导班子的评价" in page and "较好" in page
    assert "<script>" not in page and "style=" not in page and 'class="mainnav"' not in page
    first = _post(client, survey, code)
    assert first.status_code == 302 and first["Location"] == reverse("survey:done")
    thanks = client.get(first["Location"])
    assert "答卷已收到" in _page(thanks)
    again = _post(client, survey, code)
    assert again.status_code == 409 and "已经使用" in _page(again)
    assert Response.objects.count() == 1
    reopened = client.get(_token_url(code))
    assert "已经使用" in _page(reopened) and 'name="code"' not in _page(reopened)


@pytest.mark.django_db
def test_typing_the_code_in_any_case_with_or_without_dashes(client, world):
    survey = make_survey(world)
    code = issue(survey, 1)[0]
    start = client.get(reverse("survey:start"))
    assert start.status_code == 200 and "测评码" in _page(start)
    typed = client.post(reverse("survey:start"), {"code": " " + code_display(code).lower() + " "})
    assert typed.status_code == 302 and typed["Location"] == _token_url(code)
    wrong = client.post(reverse("survey:start"), {"code": "ABCD-EFGH-JKMN"})
    assert wrong.status_code == 404 and "测评码不正确" in _page(wrong)
    assert 'value="ABCD-EFGH-JKMN"' in _page(wrong)  # what was typed stays in the field
    dashed = client.get(_token_url(code_display(code)))
    assert dashed.status_code == 302 and dashed["Location"] == _token_url(code)


@pytest.mark.django_db
def test_each_code_that_cannot_be_used_gets_its_own_message(client, world):
    actor = world.user("inspector_a2")
    survey = make_survey(world)
    used, void_code, spare = issue(survey, 1)[0], issue(survey, 1)[0], issue(survey, 1)[0]
    services.response_submit(code=used, answers=answers_for(survey))
    services.batch_void(actor=actor, survey=survey, number=2)
    draft = make_survey(world, purpose="questionnaire", open_it=False)
    not_yet = issue(draft, 1)[0]
    later = make_survey(world, purpose="questionnaire", open_it=False)
    later = services.survey_update(actor=actor, survey=later, expected_version=later.version,
                                   opens_on=today() + datetime.timedelta(days=3))
    later = services.survey_open(actor=actor, survey=later, expected_version=later.version)
    scheduled = issue(later, 1)[0]
    closed_survey = make_survey(world)
    ended = issue(closed_survey, 1)[0]
    services.survey_close(actor=actor, survey=closed_survey, expected_version=closed_survey.version)
    unknown = spare[:5] + ("2222222" if spare[5:] != "2222222" else "3333333")
    expected = {
        used: "已经使用", void_code: "已作废", not_yet: "尚未开始", ended: "已结束", unknown: "测评码不正确",
        scheduled: f"{later.opens_on.month}月{later.opens_on.day}日",
    }
    for code, words in expected.items():
        page = client.get(_token_url(code))
        text = _page(page)
        assert words in text, (code, text[:3000])
        assert 'name="code"' not in text  # no form to fill in
        assert page.status_code == (404 if code == unknown else 200)
    unknown_page = _page(client.get(_token_url(unknown)))
    assert survey.title not in unknown_page  # a wrong code says nothing of any survey
    posted = _post(client, closed_survey, ended)
    assert posted.status_code == 410 and "已结束" in _page(posted)
    assert Response.objects.count() == 1 and Token.objects.filter(used=True).count() == 1


@pytest.mark.django_db
def test_a_validation_error_keeps_every_answer_given(client, world):
    survey = make_survey(world, purpose="questionnaire")
    code = issue(survey, 1)[0]
    questions = list(survey.questions.order_by("order"))
    first = questions[0]
    multiple = next(q for q in questions if q.kind == QuestionKind.MULTIPLE)
    text = next(q for q in questions if q.kind == QuestionKind.TEXT)
    response = _post(client, survey, code, **{f"q{first.pk}": "", f"q{multiple.pk}": ["1", "3"],
                                              f"q{text.pk}": "食堂账目不公开，希望查一查。"})
    assert response.status_code == 400
    page = _page(response)
    assert "请回答本题" in page and page.count("请回答本题") == 1
    assert "食堂账目不公开，希望查一查。" in page
    assert re.search(rf'name="q{multiple.pk}" value="1" checked', page)
    assert re.search(rf'name="q{multiple.pk}" value="3" checked', page)
    assert not re.search(rf'name="q{multiple.pk}" value="0" checked', page)
    assert f'value="{code}"' in page  # the code travels on, for the corrected form
    assert not Token.objects.get().used and not Response.objects.exists()
    fixed = _post(client, survey, code, **{f"q{multiple.pk}": ["1", "3"]})
    assert fixed.status_code == 302
    answers = Response.objects.get().answers
    assert answers[str(multiple.pk)] == [1, 3]


@pytest.mark.django_db
def test_wrong_codes_are_limited_per_browser_and_per_lookup(client, world, settings):
    settings.SURVEY_WRONG_CODES_PER_BROWSER = 3
    settings.SURVEY_WRONG_SECRETS_PER_LOOKUP = 4
    survey = make_survey(world)
    code = issue(survey, 1)[0]
    lookup = code_split(code)[0]
    guesses = [lookup + secret for secret in ("2222222", "3333333", "4444444", "5555555", "6666666")]
    guesses = [g for g in guesses if g != code]
    client.get(reverse("survey:start"))  # the first visit sets the browser's random cookie
    statuses = [client.post(reverse("survey:start"), {"code": g}).status_code for g in guesses[:4]]
    assert statuses == [404, 404, 404, 429]
    assert client.get(_token_url(code)).status_code == 429  # this browser waits, even with the right code
    other = client.__class__()
    assert other.post(reverse("survey:start"), {"code": guesses[3]}).status_code == 404  # a 4th wrong secret
    third = client.__class__()
    page = third.get(_token_url(code))
    assert page.status_code == 429 and "尝试次数过多" in _page(page)  # the lookup is locked for the window
    fresh = make_survey(world, purpose="questionnaire")
    other_code = issue(fresh, 1)[0]
    assert third.get(_token_url(other_code)).status_code == 200  # other slips are not affected


@pytest.mark.django_db
def test_public_pages_need_no_login_and_reveal_nothing_of_other_surveys(client, world):
    mine = make_survey(world, unit=world.township_a, title="城关镇民主测评（甲）")
    other = make_survey(world, purpose="questionnaire", title="东关村问卷（乙）")
    other_b = make_survey(world, purpose="evaluation", inspection=world.inspection_b1,
                          actor=world.user("office_b"), open_it=False, title="乙县财政局巡察后评估")
    code = issue(mine, 1)[0]
    other_codes = issue(other, 2)
    services.response_submit(code=other_codes[0], answers=answers_for(other, text="东关村的秘密意见"))
    pages = [client.get(reverse("survey:start")), client.get(_token_url(code)), client.get(reverse("survey:done")),
             client.post(reverse("survey:start"), {"code": "nothing"})]
    for response in pages:
        assert response.status_code in (200, 404)
        page = _page(response)
        for secret in (other.title, other_b.title, "东关村的秘密意见", other_codes[1], code_display(other_codes[1])):
            assert secret not in page
        assert "/login/" not in response.get("Location", "")
    assert mine.title in _page(pages[1])
    for name in ("start", "done"):
        assert client.get(reverse(f"survey:{name}")).status_code == 200
    # The staff pages of the same surveys are not public.
    assert client.get(reverse("web:survey_results", args=[mine.pk])).status_code == 302


@pytest.mark.django_db
def test_no_ip_address_in_the_database_or_the_logs(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    survey = make_survey(world)
    codes = issue(survey, 3)
    meta = {"REMOTE_ADDR": "203.0.113.77", "HTTP_X_FORWARDED_FOR": "198.51.100.23", "HTTP_X_REAL_IP": "192.0.2.9"}
    client.get(reverse("survey:start"), **meta)
    client.post(reverse("survey:start"), {"code": codes[0]}, **meta)
    client.get(_token_url(codes[0]), **meta)
    data = {"code": codes[0], **{f"q{k}": v for k, v in answers_for(survey, text="意见").items()}}
    client.post(reverse("survey:answer"), data, **meta)
    client.post(reverse("survey:answer"), data, **meta)  # a second time: refused
    client.post(reverse("survey:answer"), {"code": codes[1]}, **meta)  # an empty sheet: refused
    client.get(_token_url("ZZZZZZZZZZZZ"), **meta)
    assert Response.objects.count() == 1

    logged = logged_text(caplog)
    everything = logged + stored_text()
    for address in ("203.0.113.77", "198.51.100.23", "192.0.2.9"):
        assert address not in everything
    # Nor the still unused codes: an answer form's errors log only /survey/answer/.
    assert codes[1] not in logged and codes[2] not in logged


@pytest.mark.django_db
def test_the_staff_build_open_and_read_the_results_in_the_pages(client, world):
    client.force_login(world.user("inspector_a2"))
    inspection = world.inspection_a2
    new = client.get(reverse("web:survey_create", args=[inspection.pk]) + "?purpose=appraisal")
    assert new.status_code == 200 and "民主测评" in _page(new)
    created = client.post(reverse("web:survey_create", args=[inspection.pk]), {
        "purpose": "appraisal", "start_from": "template", "title": "", "unit": world.township_a.pk,
        "opens_on": today().isoformat(), "closes_on": (today() + datetime.timedelta(days=5)).isoformat(),
        "intro": ""})
    assert created.status_code == 302
    survey = Survey.objects.get()
    detail = client.get(created["Location"])
    assert detail.status_code == 200 and "城关镇领导班子和主要负责人民主测评表" in _page(detail)
    added = client.post(reverse("web:survey_question", args=[survey.pk]), {
        "section": "", "text": "你对本单位落实巡察整改的评价", "kind": "rating", "scale": "quality", "choices": "",
        "required": "on", "version": survey.version})
    assert added.status_code == 302
    survey.refresh_from_db()
    last = survey.questions.order_by("-order").first()
    assert last.text == "你对本单位落实巡察整改的评价" and last.scale == "quality"
    moved = client.post(reverse("web:survey_question_move", args=[survey.pk]),
                        {"question": last.pk, "direction": "up", "version": survey.version})
    assert moved.status_code == 302
    survey.refresh_from_db()
    assert survey.questions.order_by("-order").first() != last
    stale = client.post(reverse("web:survey_question", args=[survey.pk]), {
        "text": "过期", "kind": "text", "version": survey.version - 1})
    assert stale.status_code == 409
    opened = client.post(reverse("web:survey_open", args=[survey.pk]), {"version": survey.version})
    assert opened.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    detail = _page(client.get(reverse("web:survey_detail", args=[survey.pk])))
    assert 'name="closes_on"' in detail and 'name="title"' not in detail  # open: only the words and the last day
    later = today() + datetime.timedelta(days=9)
    edited = client.post(reverse("web:survey_edit", args=[survey.pk]), {
        "closes_on": later.isoformat(), "intro": "请在动员会后当场填写。", "version": survey.version})
    assert edited.status_code == 302
    survey.refresh_from_db()
    assert survey.closes_on == later and survey.intro == "请在动员会后当场填写。"
    codes = issue(survey, 4)
    for n, code in enumerate(codes[:3]):
        services.response_submit(code=code, answers=answers_for(survey, choice=n, text=f"意见{n}"))
    results = client.get(reverse("web:survey_results", args=[survey.pk]))
    page = _page(results)
    assert results.status_code == 200
    assert 'id="survey-chart-data"' in page and "<script>" not in page.replace('<script id="survey-chart-data"', "")
    assert re.search(r'id="figure-responses">3<', page) and re.search(r'id="figure-response-rate">75\.00%<', page)
    # Three sheets: all 好, all 较好, all 一般 → 2 favourable of 3 on each rated question → 66.67%.
    assert re.search(r'id="figure-satisfaction">66\.67%<', page)
    assert "意见0" in page and "意见2" in page
    listing = _page(client.get(reverse("web:survey_list") + f"?inspection={inspection.pk}"))
    assert survey.title in listing and "3 / 4" in listing
    inspection_page = _page(client.get(reverse("web:inspection_detail", args=[inspection.pk])))
    assert reverse("web:survey_list") + f"?inspection={inspection.pk}" in inspection_page
    assert 'href="/surveys/"' in inspection_page or ">测评问卷<" in inspection_page


# --- on a phone (390×844), in a real browser -------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_cadre_answers_by_qr_code_on_a_phone_and_the_office_reads_the_charts(browser, live_server, world):
    survey = make_survey(world, unit=world.township_a)
    codes = issue(survey, 12)
    for n, code in enumerate(codes[:8]):
        services.response_submit(code=code, answers=answers_for(survey, choice=[0, 0, 0, 1, 1, 0, 2, 3][n],
                                                                 text="建议加强村级财务公开。" if n % 3 == 0 else ""))
    rated = survey.questions.filter(kind=QuestionKind.RATING).count()
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    errors = console_errors(page)
    page.goto(live_server.url + _token_url(codes[8]))  # what the slip's QR code opens
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.is_visible("text=对领导班子的评价")
    page.click("#submit-answers")  # nothing chosen: every required question says so, nothing is lost
    page.wait_for_selector("#form-error")
    assert page.locator(".sv-error").count() == rated
    errors.clear()  # the browser reports the answer's status 400 as a console error
    for question in page.locator("fieldset.sv-question").all():
        options = question.locator("label.sv-option")
        if options.count():
            options.nth(1).click()  # 较好
    page.fill("textarea", "希望巡察组对整改情况加强跟踪。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "survey-form-phone.png"), full_page=True)
    page.click("#submit-answers")
    page.wait_for_selector("#thanks")
    assert "答卷已收到" in page.inner_text("#thanks")
    page.screenshot(path=str(SHOTS / "survey-thanks-phone.png"), full_page=True)
    page.goto(live_server.url + _token_url(codes[8]))
    assert "已经使用" in page.inner_text("#refusal")
    assert not errors, errors

    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff = log_in(office, live_server.url, world.user("office_a").username)
    staff.goto(live_server.url + reverse("web:survey_results", args=[survey.pk]))
    staff.wait_for_selector("[data-survey-chart][data-chart-ready]")
    assert staff.locator("[data-survey-chart][data-chart-ready]").count() == 1
    assert staff.inner_text("#figure-responses") == "9"
    assert staff.inner_text("#figure-response-rate") == "75.00%"
    staff.wait_for_timeout(300)
    staff.screenshot(path=str(SHOTS / "survey-results.png"), full_page=True)
    assert Response.objects.filter(survey=survey).count() == 9
