"""A small, complete world built through the services, shared by the tests.

Two counties under one city, so every test can check that nothing leaks sideways:

  province 测试省 → city 测试市 → county 甲县 (A) and 乙县 (B)

A: units 甲县财政局 (dept), 甲县城投公司 (SOE), 城关镇 (township) with village 东关村.
B: unit 乙县财政局.
Round A1 (2024 #1, approved): inspection_a1 by group 1 (inspector_a) over 甲县财政局, in 整改,
problems fed back, tasks, a clue handed to A's 纪委监委, suggestions; inspection_a2 by group 2
(inspector_a2) over 城关镇, in 进驻. Round B1: inspection_b1 over 乙县财政局, in 整改, with its own
problem, clue and task.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command

from xuncha.core.dates import today
from xuncha.findings import services as findings
from xuncha.findings.models import Clue, Problem, Suggestion
from xuncha.groupwork.services import pledge_sign
from xuncha.org import services as org
from xuncha.org.models import Committee, ReceivingOrgan, Unit, User
from xuncha.rectification import services as rectification
from xuncha.rectification.models import Task
from xuncha.rounds import services as rounds
from xuncha.rounds.models import Inspection, Round
from xuncha.surveys import services as surveys
from xuncha.surveys.models import QuestionKind, Survey

PASSWORD = "test-password-123"


@dataclass
class World:
    province: Committee
    city: Committee
    county_a: Committee
    county_b: Committee
    dept_a: Unit
    soe_a: Unit
    township_a: Unit
    village_a: Unit
    dept_b: Unit
    organ_a: ReceivingOrgan
    organ_b: ReceivingOrgan
    users: dict[str, User]
    round_a: Round
    round_b: Round
    inspection_a1: Inspection
    inspection_a2: Inspection
    inspection_b1: Inspection
    problem_a1: Problem
    problem_a2: Problem
    problem_a_field: Problem
    problem_b1: Problem
    task_a1: Task
    task_b1: Task
    clue_a1: Clue
    clue_b1: Clue
    suggestion_a1: Suggestion
    suggestion_b1: Suggestion

    def user(self, name: str) -> User:
        return self.users[name]


def sign_pledges(*groups) -> None:
    """Every member signs the confidentiality pledge, without which they read nothing of their group."""
    for group in groups:
        for membership in group.memberships.select_related("user"):
            if membership.pledge_signed_at is None:
                pledge_sign(actor=membership.user, membership=membership)


def _walk_to(inspection: Inspection, stage: str, start: datetime.date) -> Inspection:
    """Advance an inspection stage by stage up to `stage`, each move a few days apart."""
    from xuncha.rounds.models import STAGE_ORDER

    day = start
    if inspection.notice_sent_on is None:
        inspection = rounds.inspection_update_schedule(actor=None, inspection=inspection, expected_version=None,
                                                       notice_sent_on=day)
    while STAGE_ORDER.index(inspection.stage) < STAGE_ORDER.index(stage):
        day += datetime.timedelta(days=10)
        inspection = rounds.inspection_advance(actor=None, inspection=inspection,
                                               to_stage=rounds.next_stage(inspection), on_date=day)
    return inspection


def build_world() -> World:
    t = today()
    province = org.committee_create(actor=None, name="中共测试省委", region="测试省", level="province")
    city = org.committee_create(actor=None, name="中共测试市委", region="测试市", level="city", parent=province)
    a = org.committee_create(actor=None, name="中共甲县县委", region="甲县", level="county", parent=city)
    b = org.committee_create(actor=None, name="中共乙县县委", region="乙县", level="county", parent=city)
    dept_a = org.unit_create(actor=None, committee=a, name="甲县财政局", kind="department")
    soe_a = org.unit_create(actor=None, committee=a, name="甲县城投公司", kind="state_enterprise")
    township_a = org.unit_create(actor=None, committee=a, name="城关镇", kind="township")
    village_a = org.unit_create(actor=None, committee=a, name="东关村", kind="village", parent=township_a)
    dept_b = org.unit_create(actor=None, committee=b, name="乙县财政局", kind="department")
    org.cadre_add(actor=None, unit=dept_a, name="王建国", position="党组书记、局长", is_principal=True)
    org.cadre_add(actor=None, unit=dept_a, name="李红", position="副局长", manages_people_money_assets=True)
    organ_a = org.organ_create(actor=None, committee=a, kind="discipline", name="甲县纪委监委案件监督管理室")
    organ_b = org.organ_create(actor=None, committee=b, kind="discipline", name="乙县纪委监委案件监督管理室")

    users = {
        "admin": org.account_create(actor=None, username="t_admin", password=PASSWORD, role="admin"),
        "leader_a": org.account_create(actor=None, username="t_leader_a", password=PASSWORD, role="leader",
                                       committee=a),
        "office_a": org.account_create(actor=None, username="t_office_a", password=PASSWORD, role="office",
                                       committee=a),
        "office_b": org.account_create(actor=None, username="t_office_b", password=PASSWORD, role="office",
                                       committee=b),
        "office_city": org.account_create(actor=None, username="t_office_city", password=PASSWORD,
                                          role="office", committee=city),
        "inspector_a": org.account_create(actor=None, username="t_inspector_a", password=PASSWORD,
                                          role="inspector", committee=a),
        "inspector_a2": org.account_create(actor=None, username="t_inspector_a2", password=PASSWORD,
                                           role="inspector", committee=a),
        "inspector_b": org.account_create(actor=None, username="t_inspector_b", password=PASSWORD,
                                          role="inspector", committee=b),
        "unit_a": org.account_create(actor=None, username="t_unit_a", password=PASSWORD, role="unit", unit=dept_a),
        "unit_a2": org.account_create(actor=None, username="t_unit_a2", password=PASSWORD, role="unit",
                                      unit=township_a),
        "unit_b": org.account_create(actor=None, username="t_unit_b", password=PASSWORD, role="unit", unit=dept_b),
        "receiver_a": org.account_create(actor=None, username="t_receiver_a", password=PASSWORD, role="receiver",
                                         organ=organ_a),
        "receiver_b": org.account_create(actor=None, username="t_receiver_b", password=PASSWORD, role="receiver",
                                         organ=organ_b),
    }

    start = t - datetime.timedelta(days=120)
    plan_a = rounds.plan_create(actor=None, committee=a, title="甲县县委2022—2026年巡察工作规划",
                                start_year=2022, end_year=max(2026, t.year))
    round_a = rounds.round_create(actor=None, committee=a, year=t.year, number=1, kind="regular", plan=plan_a)
    rounds.round_record_approval(actor=None, round=round_a, approved_on=start, meeting="县委书记专题会议")
    group_1 = rounds.group_create(actor=None, round=round_a, name="第一巡察组",
                                  members=[(users["inspector_a"], "leader")])
    group_2 = rounds.group_create(actor=None, round=round_a, name="第二巡察组",
                                  members=[(users["inspector_a2"], "leader")])
    sign_pledges(group_1, group_2)
    inspection_a1 = rounds.inspection_create(actor=None, round=round_a, group=group_1, units=[dept_a],
                                             entry_on=start + datetime.timedelta(days=10),
                                             fieldwork_ends_on=start + datetime.timedelta(days=50))
    inspection_a2 = rounds.inspection_create(actor=None, round=round_a, group=group_2, units=[township_a, village_a],
                                             entry_on=start + datetime.timedelta(days=10),
                                             fieldwork_ends_on=t + datetime.timedelta(days=20))

    problem_a1 = findings.problem_record(actor=None, inspection=inspection_a1, unit=dept_a, found_on=start,
                                         description="落实全面从严治党主体责任不力，党组会议研究党风廉政建设仅1次。",
                                         category="strict_governance", key_person=True)
    problem_a2 = findings.problem_record(actor=None, inspection=inspection_a1, unit=dept_a, found_on=start,
                                         description="违规发放津补贴3.2万元。", category="eight_rules",
                                         disposal="clue")
    suggestion_a1 = findings.suggestion_make(actor=None, inspection=inspection_a1, unit=dept_a,
                                             text="建立健全财政资金拨付内控制度。")
    clue_a1 = findings.clue_hand_over(actor=None, inspection=inspection_a1, unit=dept_a,
                                      summary="某副局长违规发放津补贴问题线索", organ=organ_a,
                                      handed_over_on=start + datetime.timedelta(days=30), problem=problem_a2)
    # The organ signs for a clue before it records a disposal.
    clue_a1 = findings.clue_sign_for(actor=None, clue=clue_a1, on_date=clue_a1.handed_over_on)
    inspection_a1 = _walk_to(inspection_a1, "rectify", start)
    problem_a1.refresh_from_db()
    task_a1 = rectification.task_create(actor=None, problem=problem_a1,
                                        measure="制定党组理论学习和党风廉政建设年度计划",
                                        responsible_leader="王建国", responsible_department="办公室",
                                        responsible_person="张敏", deadline=t + datetime.timedelta(days=30),
                                        kind="time_limited")
    # The unit's plan answers every problem fed back; the office has accepted it, so the unit reports progress.
    rectification.plan_submit(actor=None, plan=task_a1.plan)
    rectification.plan_accept(actor=None, plan=task_a1.plan)
    task_a1.refresh_from_db()

    inspection_a2 = _walk_to(inspection_a2, "fieldwork", start)
    problem_a_field = findings.problem_record(actor=None, inspection=inspection_a2, unit=township_a,
                                              description="城关镇惠民资金公示不及时。", category="masses")

    plan_b = rounds.plan_create(actor=None, committee=b, title="乙县县委2022—2026年巡察工作规划",
                                start_year=2022, end_year=max(2026, t.year))
    round_b = rounds.round_create(actor=None, committee=b, year=t.year, number=1, kind="regular", plan=plan_b)
    rounds.round_record_approval(actor=None, round=round_b, approved_on=start, meeting="县委书记专题会议")
    group_b = rounds.group_create(actor=None, round=round_b, name="第一巡察组",
                                  members=[(users["inspector_b"], "leader")])
    sign_pledges(group_b)
    inspection_b1 = rounds.inspection_create(actor=None, round=round_b, group=group_b, units=[dept_b],
                                             entry_on=start + datetime.timedelta(days=10),
                                             fieldwork_ends_on=start + datetime.timedelta(days=50))
    problem_b1 = findings.problem_record(actor=None, inspection=inspection_b1, unit=dept_b, found_on=start,
                                         description="乙县财政局公务用车管理混乱。", category="eight_rules")
    suggestion_b1 = findings.suggestion_make(actor=None, inspection=inspection_b1, unit=dept_b,
                                             text="完善公务用车管理台账。")
    clue_b1 = findings.clue_hand_over(actor=None, inspection=inspection_b1, unit=dept_b,
                                      summary="乙县财政局某科长收受礼金问题线索", organ=organ_b,
                                      handed_over_on=start + datetime.timedelta(days=30))
    clue_b1 = findings.clue_sign_for(actor=None, clue=clue_b1, on_date=clue_b1.handed_over_on)
    inspection_b1 = _walk_to(inspection_b1, "rectify", start)
    problem_b1.refresh_from_db()
    task_b1 = rectification.task_create(actor=None, problem=problem_b1, measure="建立公务用车使用登记制度",
                                        responsible_leader="赵强", responsible_department="办公室",
                                        responsible_person="钱丽", deadline=t - datetime.timedelta(days=3),
                                        kind="time_limited")
    rectification.plan_submit(actor=None, plan=task_b1.plan)
    rectification.plan_accept(actor=None, plan=task_b1.plan)
    task_b1.refresh_from_db()
    for obj in (problem_a1, problem_a2, problem_b1):
        obj.refresh_from_db()
    return World(
        province=province, city=city, county_a=a, county_b=b, dept_a=dept_a, soe_a=soe_a, township_a=township_a,
        village_a=village_a, dept_b=dept_b, organ_a=organ_a, organ_b=organ_b, users=users, round_a=round_a,
        round_b=round_b, inspection_a1=inspection_a1, inspection_a2=inspection_a2, inspection_b1=inspection_b1,
        problem_a1=problem_a1, problem_a2=problem_a2, problem_a_field=problem_a_field, problem_b1=problem_b1,
        task_a1=task_a1, task_b1=task_b1, clue_a1=clue_a1, clue_b1=clue_b1, suggestion_a1=suggestion_a1,
        suggestion_b1=suggestion_b1,
    )


def hand_over_clue(world: World, *, days_ago: int = 10, persons: str = "", actor=None, **extra) -> Clue:
    """One more clue of inspection_a1 (甲县财政局), handed to A's 纪委监委 `days_ago` days ago."""
    return findings.clue_hand_over(actor=actor, inspection=world.inspection_a1, unit=world.dept_a,
                                   summary="某股长虚报冒领差旅费问题线索", organ=world.organ_a,
                                   handed_over_on=today() - datetime.timedelta(days=days_ago),
                                   persons_involved=persons, **extra)


def make_office_head(world: World) -> User:
    """office_a made the head of county A's office (巡察办主任): who approves a look at a reporter's identity."""
    head = world.user("office_a")
    head.heads_office = True
    head.save(update_fields=["heads_office"])
    return head


def logged_text(caplog) -> str:
    """All that was logged during the test: the formatted lines, and each record's message and arguments."""
    return caplog.text + "\n".join(repr(r.__dict__.get("args")) + str(r.msg) for r in caplog.records)


def stored_text() -> str:
    """All the database holds, as text: every row of every model, then a full dumpdata."""
    rows = []
    for model in apps.get_models():
        rows.extend(repr(values) for values in model.objects.all().values())
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    return "\n".join(rows) + dump.getvalue()


# ---------------------------------------------------------------- surveys

def make_survey(world, *, purpose: str = "appraisal", inspection=None, actor=None, open_it: bool = True,
                **kwargs) -> Survey:
    """A survey of inspection_a2 (group 2, in 进驻) by its leader inspector_a2, open for ten days from today."""
    inspection = inspection or world.inspection_a2
    actor = actor or world.user("inspector_a2")
    survey = surveys.survey_create(actor=actor, inspection=inspection, purpose=purpose, opens_on=today(),
                                   closes_on=today() + datetime.timedelta(days=10), **kwargs)
    if open_it:
        survey = surveys.survey_open(actor=actor, survey=survey, expected_version=survey.version)
    return survey


def issue(survey: Survey, count: int, actor=None) -> list[str]:
    """`count` fresh one-time codes of the survey."""
    _batch, codes = surveys.tokens_issue(actor=actor, survey=survey, count=count)
    return codes


def answers_for(survey: Survey, choice: int = 0, text: str = "") -> dict[str, object]:
    """Every question answered: option `choice` of each choice question (all of them for multiple choice up to
    it), `text` for the written ones."""
    raw: dict[str, object] = {}
    for question in survey.questions.order_by("order"):
        if question.kind == QuestionKind.TEXT:
            if text:
                raw[str(question.pk)] = text
        elif question.kind == QuestionKind.MULTIPLE:
            raw[str(question.pk)] = [str(i) for i in range(min(choice + 1, len(question.options)))]
        else:
            raw[str(question.pk)] = str(min(choice, len(question.options) - 1))
    return raw
