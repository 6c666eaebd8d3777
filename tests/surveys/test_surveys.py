"""Surveys: built from a template, opened, answered once per code, tallied as a person would count, anonymous."""

from __future__ import annotations

import datetime
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.db import models

from tests.office import compact, docx_qr_codes, pdf_text
from tests.world import answers_for, issue, make_survey
from xuncha.core.dates import today
from xuncha.core.errors import StaleWrite, TransitionRefused, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.surveys import selectors, services
from xuncha.surveys.builtin import APPRAISAL, EVALUATION, QUESTIONNAIRE
from xuncha.surveys.documents import token_sheet_docx
from xuncha.surveys.models import (
    Question,
    QuestionKind,
    RatingScale,
    Response,
    Survey,
    SurveyStatus,
    Token,
    TokenBatch,
)
from xuncha.surveys.tally import tally
from xuncha.surveys.tokens import code_display, code_split

pytestmark = pytest.mark.django_db


# --- building ---------------------------------------------------------------------------------------------------

def test_the_appraisal_template_rates_the_leadership_and_the_head_and_asks_for_suggestions(world):
    survey = make_survey(world, open_it=False, unit=world.township_a)
    questions = list(survey.questions.order_by("order"))
    assert survey.status == SurveyStatus.DRAFT and survey.title == "城关镇领导班子和主要负责人民主测评表"
    assert len(questions) == len(APPRAISAL.questions)
    sections = [q.section for q in questions]
    assert "对领导班子的评价" in sections and "对主要负责人（一把手）的评价" in sections
    texts = "".join(q.text for q in questions)
    for item in ("政治建设", "落实全面从严治党主体责任", "选人用人", "作风建设", "廉洁自律", "总体评价"):
        assert item in texts
    rated = [q for q in questions if q.kind == QuestionKind.RATING]
    assert rated and all(q.options == ["好", "较好", "一般", "差"] for q in rated)
    assert questions[-1].kind == QuestionKind.TEXT and not questions[-1].required
    assert [q.order for q in questions] == list(range(1, len(questions) + 1))
    event = AuditEvent.objects.get(action="survey.create", object_id=str(survey.pk))
    assert event.after["template"] == "appraisal" and event.after["questions"] == len(questions)


def test_the_questionnaire_and_evaluation_templates(world):
    questionnaire = make_survey(world, purpose="questionnaire", open_it=False)
    kinds = {q.kind for q in questionnaire.questions.all()}
    assert kinds >= {QuestionKind.MULTIPLE, QuestionKind.SINGLE, QuestionKind.TEXT}
    assert questionnaire.questions.count() == len(QUESTIONNAIRE.questions)
    evaluation = make_survey(world, purpose="evaluation", inspection=world.inspection_a1,
                             actor=world.user("inspector_a"), open_it=False)
    rated = evaluation.questions.filter(kind=QuestionKind.RATING)
    assert rated.count() == len(EVALUATION.questions) - 1
    assert all(q.options == ["满意", "基本满意", "不满意"] for q in rated)
    assert evaluation.questions.filter(kind=QuestionKind.TEXT).exists()  # the suggestions


def test_a_blank_survey_is_built_question_by_question_while_a_draft(world):
    actor = world.user("inspector_a2")
    survey = make_survey(world, purpose="questionnaire", open_it=False, from_template=False, title="专项问卷")
    assert survey.questions.count() == 0
    v = survey.version
    first = services.question_save(actor=actor, survey=survey, expected_version=v, text="村务是否公开？",
                                   kind="single", choices=["公开", "部分公开", "", "公开", "不公开"])
    assert first.choices == ["公开", "部分公开", "不公开"]  # blanks and repeats dropped
    survey.refresh_from_db()
    second = services.question_save(actor=actor, survey=survey, expected_version=survey.version,
                                    text="对村干部作风的评价", kind="rating", scale="satisfaction")
    survey.refresh_from_db()
    third = services.question_save(actor=actor, survey=survey, expected_version=survey.version, text="其他意见",
                                   kind="text", required=False)
    survey.refresh_from_db()
    with pytest.raises(StaleWrite):
        services.question_save(actor=actor, survey=survey, expected_version=v, text="过期的表单", kind="text")
    with pytest.raises(ValidationFailed) as one_option:
        services.question_save(actor=actor, survey=survey, expected_version=survey.version, text="单选",
                               kind="single", choices=["只有一个"])
    assert one_option.value.field == "choices"
    services.question_move(actor=actor, survey=survey, expected_version=survey.version, question=third, offset=-1)
    survey.refresh_from_db()
    assert list(survey.questions.order_by("order").values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    services.question_save(actor=actor, survey=survey, expected_version=survey.version, question=first,
                           text="村务、财务是否公开？", kind="single", choices=["公开", "不公开"])
    survey.refresh_from_db()
    services.question_remove(actor=actor, survey=survey, expected_version=survey.version, question=third)
    survey.refresh_from_db()
    rows = list(survey.questions.order_by("order").values_list("text", "order"))
    assert rows == [("村务、财务是否公开？", 1), ("对村干部作风的评价", 2)]
    actions = list(AuditEvent.objects.filter(object_id=str(survey.pk), action__startswith="survey.question")
                   .values_list("action", flat=True))
    assert sorted(actions) == sorted(["survey.question_add"] * 3 + ["survey.question_move", "survey.question_edit",
                                                                     "survey.question_remove"])
    survey = services.survey_open(actor=actor, survey=survey, expected_version=survey.version)
    with pytest.raises(TransitionRefused):
        services.question_save(actor=actor, survey=survey, expected_version=survey.version, text="开启后加题",
                               kind="text")


def test_opening_follows_the_stage_and_the_transition_table(world):
    office = world.user("office_a")
    # 巡察后评估 is for after feedback; 民主测评 for fieldwork.
    evaluation = make_survey(world, purpose="evaluation", open_it=False)
    with pytest.raises(TransitionRefused, match="反馈"):
        services.survey_open(actor=office, survey=evaluation, expected_version=evaluation.version)
    appraisal = make_survey(world, inspection=world.inspection_a1, actor=office, open_it=False)
    with pytest.raises(TransitionRefused, match="进驻"):
        services.survey_open(actor=office, survey=appraisal, expected_version=appraisal.version)
    empty = make_survey(world, open_it=False, from_template=False)
    with pytest.raises(TransitionRefused):
        services.survey_open(actor=office, survey=empty, expected_version=empty.version)
    survey = make_survey(world)
    assert survey.status == SurveyStatus.OPEN and survey.opened_on == today()
    with pytest.raises(TransitionRefused):
        services.survey_open(actor=office, survey=survey, expected_version=survey.version)
    survey = services.survey_close(actor=office, survey=survey, expected_version=survey.version)
    assert survey.status == SurveyStatus.CLOSED and survey.closed_on == today()
    for move in (services.survey_open, services.survey_close):
        with pytest.raises(TransitionRefused):
            move(actor=office, survey=survey, expected_version=survey.version)
    assert services.SURVEY_TRANSITIONS == {"draft": {"open"}, "open": {"closed"}, "closed": set()}


def test_an_open_survey_changes_only_its_words_and_last_day(world):
    survey = make_survey(world)
    actor = world.user("inspector_a2")
    later = today() + datetime.timedelta(days=20)
    survey = services.survey_update(actor=actor, survey=survey, expected_version=survey.version, closes_on=later,
                                    intro="请于本周内完成测评。")
    assert survey.closes_on == later and survey.intro == "请于本周内完成测评。"
    with pytest.raises(TransitionRefused):
        services.survey_update(actor=actor, survey=survey, expected_version=survey.version, title="改名")
    with pytest.raises(ValidationFailed):
        services.survey_update(actor=actor, survey=survey, expected_version=survey.version,
                               closes_on=today() - datetime.timedelta(days=1))


def test_only_the_group_and_the_office_manage_surveys(world):
    for name in ("inspector_a", "leader_a", "unit_a2", "office_b"):
        with pytest.raises(ValidationFailed):
            make_survey(world, actor=world.user(name), open_it=False)
    survey = make_survey(world)
    with pytest.raises(ValidationFailed):
        services.tokens_issue(actor=world.user("inspector_a"), survey=survey, count=5)
    assert not Token.objects.exists()


# --- tokens and answers -----------------------------------------------------------------------------------------

def test_tokens_keep_only_a_lookup_and_a_keyed_hash(world):
    survey = make_survey(world)
    codes = issue(survey, 20)
    assert len(set(codes)) == 20 and all(code_split(c) for c in codes)
    tokens = {t.lookup: t for t in Token.objects.filter(survey=survey)}
    assert len(tokens) == 20
    for code in codes:
        lookup, secret = code_split(code)
        token = tokens[lookup]
        assert secret not in token.secret_hash and len(token.secret_hash) == 64 and not token.used
    stored = json.dumps(list(Token.objects.values()), default=str) + json.dumps(
        list(AuditEvent.objects.values("before", "after")), default=str)
    assert not any(code_split(c)[1] in stored for c in codes)
    batch = TokenBatch.objects.get(survey=survey)
    assert batch.number == 1 and batch.size == 20 and batch.issued_on == today()
    assert services.token_find(code_display(codes[0]).lower()) == tokens[code_split(codes[0])[0]]
    wrong = codes[0][:5] + ("2222222" if codes[0][5:] != "2222222" else "3333333")
    assert services.token_find(wrong) is None and services.token_find("ABC") is None


def test_a_code_answers_once_and_the_response_keeps_no_link_to_it(world):
    survey = make_survey(world, unit=world.township_a)
    code = issue(survey, 3)[0]
    events = AuditEvent.objects.count()
    response = services.response_submit(code=code, answers=answers_for(survey, choice=1, text="希望加强干部作风建设。"))
    # No event of the audit trail (which keeps the time of day) records the answer or the use of the code.
    assert AuditEvent.objects.count() == events
    token = Token.objects.get(lookup=code_split(code)[0])
    assert token.used and token.used_on == today()
    assert response.submitted_on == today() and isinstance(response.pk, uuid.UUID) and response.pk.version == 4
    with pytest.raises(services.CodeRefused) as again:
        services.response_submit(code=code, answers=answers_for(survey))
    assert again.value.reason == "used" and "已经使用" in again.value.message
    assert Response.objects.count() == 1


def test_the_schema_cannot_link_a_response_to_its_token_or_to_a_time():
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert set(fields) == {"id", "survey", "submitted_on", "answers"}
    assert isinstance(fields["submitted_on"], models.DateField) and not isinstance(
        fields["submitted_on"], models.DateTimeField)
    assert isinstance(fields["id"], models.UUIDField)
    token_fields = {f.name: f for f in Token._meta.get_fields()}
    assert not any(getattr(f, "related_model", None) is Response for f in token_fields.values())
    assert not any(isinstance(f, models.DateTimeField) for f in token_fields.values())
    assert isinstance(token_fields["used_on"], models.DateField)


def test_a_double_submit_never_counts_twice_even_past_the_first_check(world, monkeypatch):
    survey = make_survey(world)
    code = issue(survey, 1)[0]
    services.response_submit(code=code, answers=answers_for(survey))
    # A second request that got past the check before the first one committed: the conditional update stops it.
    monkeypatch.setattr(services, "code_refusal", lambda token: None)
    with pytest.raises(services.CodeRefused) as second:
        services.response_submit(code=code, answers=answers_for(survey))
    assert second.value.reason == "used"
    assert Response.objects.filter(survey=survey).count() == 1


def test_closed_not_yet_open_and_voided_codes_are_refused(world):
    actor = world.user("inspector_a2")
    survey = make_survey(world)
    first, second = issue(survey, 2)
    survey = services.survey_close(actor=actor, survey=survey, expected_version=survey.version)
    with pytest.raises(services.CodeRefused) as closed:
        services.response_submit(code=first, answers=answers_for(survey))
    assert closed.value.reason == "closed" and "已结束" in closed.value.message
    assert not Token.objects.filter(used=True).exists() and not Response.objects.exists()
    with pytest.raises(TransitionRefused):
        services.tokens_issue(actor=actor, survey=survey, count=5)
    with pytest.raises(TransitionRefused):  # voiding unused codes now would only raise the response rate
        services.batch_void(actor=actor, survey=survey, number=1)

    later = make_survey(world, purpose="questionnaire", open_it=False)
    later = services.survey_update(actor=actor, survey=later, expected_version=later.version,
                                   opens_on=today() + datetime.timedelta(days=2))
    later = services.survey_open(actor=actor, survey=later, expected_version=later.version)
    code = issue(later, 1)[0]
    with pytest.raises(services.CodeRefused) as early:
        services.response_submit(code=code, answers=answers_for(later))
    assert early.value.reason == "not_open" and f"{later.opens_on.month}月{later.opens_on.day}日" in early.value.message

    draft = make_survey(world, open_it=False)
    code = issue(draft, 1)[0]  # printed before the 动员会, opened there
    with pytest.raises(services.CodeRefused) as not_open:
        services.response_submit(code=code, answers=answers_for(draft))
    assert not_open.value.reason == "not_open"

    survey = make_survey(world)
    kept, lost = issue(survey, 3), issue(survey, 4)
    services.response_submit(code=lost[0], answers=answers_for(survey))
    services.batch_void(actor=actor, survey=survey, number=2)
    with pytest.raises(services.CodeRefused) as void:
        services.response_submit(code=lost[1], answers=answers_for(survey))
    assert void.value.reason == "void"
    services.response_submit(code=kept[0], answers=answers_for(survey))
    # Issued: batch 1's three, and the one code of batch 2 that was used before the batch was voided.
    assert selectors.tokens_issued(survey) == 4
    assert selectors.survey_tally(survey).response_rate == Decimal("50.00")


def test_a_required_question_unanswered_or_a_forged_option_is_refused_and_the_code_stays_unused(world):
    survey = make_survey(world)
    code = issue(survey, 1)[0]
    questions = list(survey.questions.order_by("order"))
    raw = answers_for(survey)
    del raw[str(questions[0].pk)]
    raw[str(questions[1].pk)] = "9"
    with pytest.raises(services.AnswersInvalid) as invalid:
        services.response_submit(code=code, answers=raw)
    assert set(invalid.value.errors) == {str(questions[0].pk), str(questions[1].pk)}
    assert not Token.objects.get().used and not Response.objects.exists()


# --- counting ---------------------------------------------------------------------------------------------------

def _sheet(survey, *values):
    """An answer sheet from positional values, one per question in order (None: not answered)."""
    questions = list(survey.questions.order_by("order"))
    return {str(q.pk): v for q, v in zip(questions, values, strict=True) if v is not None}


def test_the_tally_counts_as_a_person_would(world):
    actor = world.user("inspector_a2")
    survey = make_survey(world, purpose="questionnaire", open_it=False, from_template=False)
    for text, kind, extra in (("班子总体评价", "rating", {"scale": "quality"}),
                              ("存在哪些问题（可多选）", "multiple",
                               {"choices": ["形式主义", "四风", "选人用人"], "required": False}),
                              ("干部选拔是否公正", "single", {"choices": ["公正", "不公正", "不了解"]}),
                              ("意见建议", "text", {"required": False})):
        survey.refresh_from_db()
        services.question_save(actor=actor, survey=survey, expected_version=survey.version, text=text, kind=kind,
                               **extra)
    survey.refresh_from_db()
    survey = services.survey_open(actor=actor, survey=survey, expected_version=survey.version)
    codes = issue(survey, 10)
    # Seven answer sheets, as they would be laid out on a table:
    #   rating: 好 好 好 较好 较好 一般 差      → 好 3, 较好 2, 一般 1, 差 1; 满意率 5/7 = 71.43%
    #   multiple: {形式主义,四风} {形式主义} {} {四风,选人用人} {形式主义} {四风} {形式主义,四风,选人用人}
    #             → 6 answered; 形式主义 4 (66.67%), 四风 4 (66.67%), 选人用人 2 (33.33%)
    #   single (required): 公正 ×4, 不公正 ×2, 不了解 ×1 → 57.14%, 28.57%, 14.29%
    #   text (optional): three sheets say something; a blank or spaces-only answer is not a suggestion
    sheets = [
        (0, ["0", "1"], "0", "希望多开展谈心谈话。"),
        (0, ["0"], "0", ""),
        (0, None, "0", "  "),
        (1, ["1", "2"], "1", "干部提拔要公开。"),
        (1, ["0"], "0", ""),
        (2, ["1"], "2", ""),
        (3, ["0", "1", "2"], "1", "加强财务管理"),
    ]
    for code, values in zip(codes, sheets, strict=False):
        raw = _sheet(survey, *values)
        services.response_submit(code=code, answers=raw)
    figures = selectors.survey_tally(survey)
    assert figures.responses == 7 and figures.tokens_issued == 10 and figures.response_rate == Decimal("70.00")
    rating, multiple, single, text = figures.questions
    assert [(c.label, c.count, c.percent) for c in rating.choices] == [
        ("好", 3, Decimal("42.86")), ("较好", 2, Decimal("28.57")), ("一般", 1, Decimal("14.29")),
        ("差", 1, Decimal("14.29"))]
    assert rating.satisfaction == Decimal("71.43") and figures.satisfaction == Decimal("71.43")
    assert multiple.answered == 6
    assert [(c.count, c.percent) for c in multiple.choices] == [
        (4, Decimal("66.67")), (4, Decimal("66.67")), (2, Decimal("33.33"))]
    assert [(c.count, c.percent) for c in single.choices] == [
        (4, Decimal("57.14")), (2, Decimal("28.57")), (1, Decimal("14.29"))]
    assert single.satisfaction is None  # a single-choice question is not a rating
    assert text.answered == 3 and text.texts == sorted(["希望多开展谈心谈话。", "干部提拔要公开。", "加强财务管理"])
    assert figures.suggestions == 3


def test_the_satisfaction_rate_of_seed_001(world):
    """Seed 001: 872 cadres rated the groups, 满意率 99.82%. Seven satisfaction items each, 6104 rated answers,
    of which 11 不满意: 6093 / 6104 = 99.8198…% → 99.82%."""
    survey = make_survey(world, purpose="evaluation", inspection=world.inspection_a1,
                         actor=world.user("inspector_a"), open_it=False)
    questions = list(survey.questions.order_by("order"))
    rated = [q for q in questions if q.kind == QuestionKind.RATING]
    assert len(rated) == 7
    sheets = []
    dissatisfied = 11
    for n in range(872):
        sheet = {str(q.pk): (1 if n % 3 == 0 else 0) for q in rated}  # 满意 or 基本满意: both favourable
        if n < dissatisfied:
            sheet[str(rated[n % 7].pk)] = 2
        if n < 47:
            sheet[str(questions[-1].pk)] = f"建议{n}：巡察反馈后加强跟踪督导。"
        sheets.append(sheet)
    figures = tally(questions, sheets, tokens_issued=900)
    assert figures.rated_answers == 872 * 7 and figures.favourable_answers == 872 * 7 - 11
    assert figures.satisfaction == Decimal("99.82")
    assert figures.suggestions == 47
    assert figures.response_rate == Decimal("96.89")
    assert tally(questions, [], tokens_issued=0).satisfaction is None  # nothing to count: "—"


def test_an_answer_sheet_never_seen_before_does_not_break_the_tally(world):
    survey = make_survey(world, open_it=False)
    questions = list(survey.questions.order_by("order"))
    figures = tally(questions, [{"999999": 0, str(questions[0].pk): 7}, {str(questions[0].pk): True}, {}],
                    tokens_issued=3)
    assert figures.responses == 3 and figures.questions[0].answered == 0


# --- scoping ----------------------------------------------------------------------------------------------------

def test_surveys_are_read_by_the_group_the_office_and_admin_only(world):
    mine = make_survey(world)
    other = make_survey(world, inspection=world.inspection_b1, actor=world.user("office_b"), purpose="evaluation",
                        open_it=False)
    visible = {name: set(selectors.survey_list(viewer=world.user(name)).values_list("pk", flat=True))
               for name in ("admin", "office_a", "office_city", "inspector_a2", "inspector_a", "leader_a",
                            "unit_a2", "receiver_a", "office_b")}
    assert visible["admin"] == visible["office_city"] == {mine.pk, other.pk}
    assert visible["office_a"] == visible["inspector_a2"] == {mine.pk}
    assert visible["office_b"] == {other.pk}
    assert visible["inspector_a"] == visible["leader_a"] == visible["unit_a2"] == visible["receiver_a"] == set()


def test_survey_pages_404_outside_the_scope(world, client):
    from django.urls import reverse

    survey = make_survey(world)
    for name in ("inspector_a", "leader_a", "unit_a2", "receiver_a", "office_b"):
        client.force_login(world.user(name))
        for page in ("web:survey_detail", "web:survey_results", "web:survey_export", "web:survey_question"):
            assert client.get(reverse(page, args=[survey.pk])).status_code == 404, (name, page)
        assert client.post(reverse("web:survey_tokens", args=[survey.pk]), {"count": 5}).status_code == 404
        assert client.post(reverse("web:survey_close", args=[survey.pk]), {"version": survey.version}).status_code \
            == 404
    assert not Token.objects.exists() and Survey.objects.get().status == SurveyStatus.OPEN


# --- documents --------------------------------------------------------------------------------------------------

def test_the_sheet_of_codes_prints_each_code_with_a_qr_code_that_opens_it(world):
    survey = make_survey(world, unit=world.township_a)
    batch, codes = services.tokens_issue(actor=world.user("inspector_a2"), survey=survey, count=7)
    base = "https://xuncha.example.gov.cn"
    content = token_sheet_docx(survey=survey, batch=batch, codes=codes, url_for=lambda c: f"{base}/survey/t/{c}/",
                               start_url=f"{base}/survey/")
    text = compact(pdf_text(content, ".docx"))
    assert survey.title in text and "第1批" in text and "随机发放" in text
    for code in codes:
        assert code_display(code) in text
    assert "xuncha.example.gov.cn/survey/" in text
    assert sorted(docx_qr_codes(content)) == sorted(f"{base}/survey/t/{c}/" for c in codes)


def test_the_staff_issue_codes_as_a_download_and_the_codes_work(world, client):
    survey = make_survey(world)
    client.force_login(world.user("inspector_a2"))
    response = client.post(f"/surveys/{survey.pk}/codes/", {"count": "4"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    urls = docx_qr_codes(response.content)
    assert len(urls) == 4 and all(u.startswith("http://testserver/survey/t/") for u in urls)
    code = urls[0].rstrip("/").rsplit("/", 1)[-1]
    services.response_submit(code=code, answers=answers_for(survey))
    assert Response.objects.count() == 1
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert "第 1 批" in page or "第1批" in page
    assert client.post(f"/surveys/{survey.pk}/codes/", {"count": "0"}).status_code == 400


def test_the_results_export_has_the_counts_the_written_answers_and_the_sheets(world, client):
    import openpyxl

    survey = make_survey(world, purpose="evaluation", inspection=world.inspection_a1,
                         actor=world.user("inspector_a"), open_it=False)
    Survey.objects.filter(pk=survey.pk).update(status="open", opened_on=today())
    codes = issue(survey, 3)
    for code, choice, text in zip(codes, (0, 1, 2), ("建议一", "建议二", ""), strict=True):
        services.response_submit(code=code, answers=answers_for(survey, choice=choice, text=text))
    client.force_login(world.user("office_a"))
    response = client.get(f"/surveys/{survey.pk}/results.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    summary, texts, sheets = book.worksheets
    cells = [[c for c in row if c is not None] for row in summary.iter_rows(values_only=True)]
    flat = json.dumps(cells, ensure_ascii=False)
    assert survey.title in flat and "满意率" in flat
    # 7 items × 3 sheets: 14 favourable (满意, 基本满意) of 21 → 66.67%.
    assert "66.67%" in flat and "14" in flat
    written = [row[2] for row in texts.iter_rows(min_row=2, values_only=True)]
    assert written == ["建议一", "建议二"]
    assert sheets.max_row == 4  # header and three answer sheets, no dates
    assert not any(isinstance(c, datetime.date) for row in sheets.iter_rows(values_only=True) for c in row)


def test_rating_scales_and_question_kinds_have_chinese_labels():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert [str(k.label) for k in QuestionKind] == ["单选题", "多选题", "评价题", "文字题"]
        assert [str(x) for x in Question(kind="rating", scale=RatingScale.SATISFACTION).options] == [
            "满意", "基本满意", "不满意"]
