"""The demo county's surveys, written through the services like real work.

* The inspector's group in 进驻 held a 民主测评 at its 动员会: 80 codes handed out, 62 answer sheets, closed.
* The same group's 调查问卷 is still open: 40 codes, 26 answers so far, with written opinions.
* An inspection whose feedback was given a month or more ago ran its 巡察后评估: 120 codes, 113 answers, a 满意率
  near the seed's 99.82 %, and the suggestions collected; it is closed.

The services date every answer today; the story then moves the dates of each survey (its window, its batches,
its used codes and its answers, all to the same day) to when it took place. Everything else is as the services left
it. A fixed seed chooses the answers, so each build gives the same figures.
"""

from __future__ import annotations

import datetime
import random

from xuncha.core.dates import today
from xuncha.org.models import User
from xuncha.rounds.models import GroupMembership, GroupRole, Inspection, Stage
from xuncha.surveys import services
from xuncha.surveys.models import QuestionKind, Response, Survey, Token, TokenBatch

SEED = "qingyu-demo-surveys"
APPRAISAL_OPINIONS = [
    "希望班子成员多深入基层一线，少开会多办事。",
    "建议进一步规范“三重一大”事项集体决策程序，会议记录要完整。",
    "干部选拔任用要更加公开透明，多听取群众意见。",
    "村级财务公开不及时，希望加强监督。",
    "主要负责人工作作风扎实，希望继续保持。",
    "部分干部存在“慢作为”问题，建议加强考核。",
]
QUESTIONNAIRE_OPINIONS = [
    "惠民资金发放情况应在村务公开栏及时公示。",
    "希望巡察组多到村里走访，听听老百姓的声音。",
    "建议清理规范村集体资产出租合同。",
    "希望对上一轮巡察整改情况开展“回头看”。",
]
EVALUATION_SUGGESTIONS = [
    "巡察组工作作风严谨，建议整改阶段加强跟踪指导。",
    "建议反馈问题时同步提供整改参考案例。",
    "希望巡察前加强与被巡察单位的沟通，提高资料调阅效率。",
    "巡察组纪律严明、保守秘密，群众认可度高。",
    "建议对共性问题开展专题培训，推动以案促改。",
    "希望巡察发现的制度漏洞及时推动建章立制。",
    "个别谈话安排紧凑，建议适当延长谈话时间。",
    "巡察反馈意见针对性强，对我们改进工作帮助很大。",
]


def _sheet(survey: Survey, rng: random.Random, weights: dict[int, list[int]], opinions: list[str],
           opinion_share: float) -> dict[str, object]:
    """One answer sheet: a level of each rating (weights by the scale's length), options of the choice questions,
    and now and then a written opinion."""
    answers: dict[str, object] = {}
    for question in survey.questions.order_by("order"):
        options = question.options
        if question.kind == QuestionKind.RATING:
            answers[str(question.pk)] = rng.choices(range(len(options)), weights=weights[len(options)])[0]
        elif question.kind == QuestionKind.SINGLE:
            answers[str(question.pk)] = rng.choices(range(len(options)), weights=[6, 3, 1, 1][:len(options)]
                                                    + [1] * max(0, len(options) - 4))[0]
        elif question.kind == QuestionKind.MULTIPLE:
            picked = sorted(rng.sample(range(len(options) - 2), k=rng.randint(1, 3)))
            answers[str(question.pk)] = [str(p) for p in picked]
        elif rng.random() < opinion_share:
            answers[str(question.pk)] = rng.choice(opinions)
    return answers


def _answer(survey: Survey, codes: list[str], count: int, rng: random.Random, *, weights: dict[int, list[int]],
            opinions: list[str], opinion_share: float) -> int:
    for code in codes[:count]:
        services.response_submit(code=code, answers=_sheet(survey, rng, weights, opinions, opinion_share))
    return count


def _move_to(survey: Survey, *, opens_on: datetime.date, closes_on: datetime.date, answered_on: datetime.date,
             closed: bool) -> None:
    """Put a survey's dates where the story has them (the services wrote today's)."""
    Survey.objects.filter(pk=survey.pk).update(opens_on=opens_on, closes_on=closes_on, opened_on=opens_on,
                                               closed_on=closes_on if closed else None)
    TokenBatch.objects.filter(survey=survey).update(issued_on=min(opens_on, today()))
    Token.objects.filter(survey=survey, used=True).update(used_on=answered_on)
    Response.objects.filter(survey=survey).update(submitted_on=answered_on)


def _leader(inspection: Inspection, office: User) -> User:
    membership = (GroupMembership.objects.filter(group=inspection.group, role=GroupRole.LEADER)
                  .select_related("user").first())
    return membership.user if membership else office


def tell_survey_story(*, county, office: User) -> dict:
    rng = random.Random(SEED)
    on = today()
    counts: dict[str, int] = {}
    fieldwork = Inspection.objects.filter(round__committee=county, stage=Stage.FIELDWORK)
    inspection = (fieldwork.filter(group__memberships__user__username="inspector").order_by("entry_on", "id").first()
                  or fieldwork.order_by("entry_on", "id").first())
    quality = {4: [52, 33, 11, 4], 3: [80, 17, 3]}
    if inspection is not None:
        leader = _leader(inspection, office)
        unit = inspection.units.order_by("id").first()
        entry = inspection.entry_on or on
        # 民主测评 at the 动员会: printed codes handed out in the hall, answered there on phones, closed.
        appraisal = services.survey_create(actor=leader, inspection=inspection, purpose="appraisal", unit=unit,
                                           opens_on=on, closes_on=on)
        appraisal = services.survey_open(actor=leader, survey=appraisal, expected_version=appraisal.version)
        _batch, codes = services.tokens_issue(actor=leader, survey=appraisal, count=80)
        counts["appraisal_responses"] = _answer(appraisal, codes, 62, rng, weights=quality,
                                                opinions=APPRAISAL_OPINIONS, opinion_share=0.2)
        appraisal = services.survey_close(actor=leader, survey=appraisal, expected_version=appraisal.version)
        _move_to(appraisal, opens_on=entry, closes_on=entry, answered_on=entry, closed=True)
        # 调查问卷 still open until five days before the group leaves.
        ends = max(on, (inspection.fieldwork_ends_on or on) - datetime.timedelta(days=5))
        questionnaire = services.survey_create(actor=leader, inspection=inspection, purpose="questionnaire",
                                               opens_on=on, closes_on=ends)
        questionnaire = services.survey_open(actor=leader, survey=questionnaire,
                                             expected_version=questionnaire.version)
        _batch, codes = services.tokens_issue(actor=leader, survey=questionnaire, count=40)
        counts["questionnaire_responses"] = _answer(questionnaire, codes, 26, rng, weights=quality,
                                                    opinions=QUESTIONNAIRE_OPINIONS, opinion_share=0.3)
        start = min(on, entry + datetime.timedelta(days=1))
        _move_to(questionnaire, opens_on=start, closes_on=ends, answered_on=on, closed=False)
    past = (Inspection.objects.filter(round__committee=county, stage__in=[Stage.RECTIFY, Stage.FOLLOW_UP],
                                      feedback_on__lte=on - datetime.timedelta(days=30))
            .order_by("-feedback_on", "id").first())
    if past is not None:
        # 巡察后评估 a week after the feedback: the unit's cadres rate the group; 满意 / 基本满意 / 不满意.
        evaluation = services.survey_create(actor=office, inspection=past, purpose="evaluation", opens_on=on,
                                            closes_on=on)
        evaluation = services.survey_open(actor=office, survey=evaluation, expected_version=evaluation.version)
        _batch, codes = services.tokens_issue(actor=office, survey=evaluation, count=120)
        counts["evaluation_responses"] = _answer(evaluation, codes, 113, rng, weights={3: [90, 9.6, 0.4]},
                                                 opinions=EVALUATION_SUGGESTIONS, opinion_share=0.07)
        evaluation = services.survey_close(actor=office, survey=evaluation, expected_version=evaluation.version)
        held = past.feedback_on + datetime.timedelta(days=7)
        _move_to(evaluation, opens_on=held, closes_on=held + datetime.timedelta(days=3), answered_on=held,
                 closed=True)
    counts["surveys"] = Survey.objects.filter(inspection__round__committee=county).count()
    return counts
