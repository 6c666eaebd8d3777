"""The demo county: what a visitor of `make demo` relies on.

The demo is built once for the tests/demo package (the `demo` and `county` fixtures in conftest.py), inside a
transaction that is rolled back afterwards, so the other test packages never see it.
"""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, F, Q

from tests.demo.demo_build import HASHERS, demo_counts, demo_digest
from xuncha.core.dates import today
from xuncha.core.models import AuditEvent
from xuncha.demo.builder import DEMO_ACCOUNTS, DEMO_PASSWORD, build_demo, demo_is_built
from xuncha.demo.rectification_story import FRESH_PROBLEMS, FRESH_ROUND_TOPIC
from xuncha.findings.models import Clue, Problem, ProblemStatus
from xuncha.findings.selectors import clue_list
from xuncha.org.models import Unit, User
from xuncha.rectification.models import Task, TaskStatus
from xuncha.rectification.selectors import plan_list, task_list
from xuncha.rounds.models import STAGE_ORDER, GroupRole, Inspection, Round, Stage, StageChange
from xuncha.rounds.selectors import inspection_deadlines, inspection_list, inspections_of_group_member
from xuncha.stats.selectors import coverage, metrics

STAGE_DATE = {Stage.FIELDWORK: "entry_on", Stage.REPORT: "fieldwork_ends_on", Stage.FEEDBACK: "report_heard_on",
              Stage.RECTIFY: "feedback_on", Stage.FOLLOW_UP: "rectify_report_received_on",
              Stage.ARCHIVED: "archived_on"}
LATER_DATES = ["report_heard_on", "feedback_on", "rectify_report_received_on", "archived_on"]


_counts, _digest = demo_counts, demo_digest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = HASHERS


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_every_demo_account_logs_in_and_opens_its_workbench(county, client):
    assert demo_is_built()
    for username, _description in DEMO_ACCOUNTS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        response = client.get("/")
        assert response.status_code == 200, username
        client.logout()


def test_finished_rounds_have_realistic_sizes_and_approvals(county):
    office = user("office")
    # (The 专项 round fed back five days ago, written through the services, is the unit's fresh plan.)
    finished = Round.objects.filter(committee=county).exclude(
        inspections__stage__in=[Stage.PREPARE, Stage.FIELDWORK]).exclude(topic=FRESH_ROUND_TOPIC).distinct()
    assert finished.count() == 8
    assert {r.kind for r in finished} >= {"regular", "special", "village", "look_back", "mobile"}
    for rnd in finished:
        assert rnd.approved_on and rnd.approval_meeting.startswith("县委书记专题会议"), rnd
        problems = Problem.objects.filter(inspection__round=rnd).count()
        assert 120 <= problems <= 320, (rnd, problems)
        groups = rnd.groups.annotate(n=Count("memberships"),
                                     leaders=Count("memberships", filter=Q(memberships__role=GroupRole.LEADER)))
        assert 3 <= groups.count() <= 6, rnd
        for group in groups:
            assert 5 <= group.n <= 7 and group.leaders == 1, (rnd, group)
        for inspection in Inspection.objects.filter(round=rnd).annotate(n=Count("units")):
            assert 1 <= inspection.n <= 4
        figures = metrics(viewer=office, round_id=rnd.pk)
        if not Inspection.objects.filter(round=rnd).exclude(stage=Stage.ARCHIVED).exists():
            assert 90 <= figures.rectification_rate <= 98, (rnd, figures.rectification_rate)
    cov = coverage(viewer=office, committee_id=county.pk)
    assert 85 <= cov.coverage_rate <= 92
    assert cov.units_managed > 200


def test_one_round_is_in_the_field_and_one_in_preparation_with_its_notice_due(county):
    on = today()
    fieldwork = Inspection.objects.filter(round__committee=county, stage=Stage.FIELDWORK)
    assert fieldwork.values("round").distinct().count() == 1
    assert all(i.entry_on <= on < i.fieldwork_ends_on for i in fieldwork)
    assert Problem.objects.filter(inspection__in=fieldwork, status=ProblemStatus.RECORDED).count() >= 40
    preparing = Inspection.objects.filter(round__committee=county, stage=Stage.PREPARE).select_related(
        "round__committee")
    assert preparing.values("round").distinct().count() == 1
    for inspection in preparing:
        assert inspection.notice_sent_on is None and inspection.entry_on > on
        notice = inspection_deadlines(inspection)[0]
        assert notice.key == "notice" and notice.state == "pending" and 0 <= notice.days_left <= 10


def test_the_office_has_overdue_tasks_and_tasks_due_this_week(county):
    office = user("office")
    assert task_list(viewer=office, overdue=True).count() >= 5
    assert task_list(viewer=office, due_within_days=7).exists()
    # Overdue work belongs to recent rounds: an archived inspection leaves only long-term measures running.
    assert not Task.objects.filter(problem__inspection__stage=Stage.ARCHIVED, deadline__lt=today()).exclude(
        status=TaskStatus.CLOSED).exists()


def test_the_inspector_leads_a_group_in_the_field(county):
    inspector = user("inspector")
    current = inspections_of_group_member(viewer=inspector).filter(stage=Stage.FIELDWORK)
    assert current.exists()
    group = current.first().group
    assert group.memberships.get(user=inspector).role == GroupRole.LEADER
    assert group.round.committee == county


def test_the_unit_account_has_work_in_rectification(county):
    unit_user = user("unit")
    assert unit_user.unit.name.endswith("医疗保障局")
    inspections = inspection_list(viewer=unit_user)
    assert [i.stage for i in inspections] == [Stage.RECTIFY, Stage.RECTIFY]
    # One plan accepted and under way; one fed back days ago, still a draft for the unit to build and submit.
    plans = {p.status: p for p in plan_list(viewer=unit_user)}
    assert set(plans) == {"accepted", "draft"}
    assert plans["draft"].inspection.round.topic == FRESH_ROUND_TOPIC and not plans["draft"].tasks.exists()
    tasks = task_list(viewer=unit_user)
    assert tasks.exclude(status=TaskStatus.CLOSED).exists()
    assert task_list(viewer=unit_user, overdue=True).exists()
    assert tasks.filter(status=TaskStatus.AWAITING_REVIEW).exists()
    assert task_list(viewer=unit_user, due_within_days=7).exists()


def test_the_receiver_has_one_clue_waiting_more_than_three_months(county):
    receiver = user("receiver")
    clues = clue_list(viewer=receiver)
    assert clues.count() >= 20
    waiting = clue_list(viewer=receiver, disposed=False)
    assert 0 < waiting.count() < clues.count() / 4
    assert waiting.filter(handed_over_on__lt=today() - datetime.timedelta(days=92)).exists()
    disposals = set(clues.exclude(disposal="").values_list("disposal", flat=True))
    assert disposals == {"talk_inquiry", "preliminary_check", "on_hold", "closed"}
    # Every disposed clue was signed for first; older ones carry the organ's final result.
    assert not clues.exclude(disposal="").filter(Q(signed_for_on__isnull=True)
                                                 | Q(signed_for_on__gt=F("disposed_on"))).exists()
    assert clues.exclude(result="").filter(result_on__gte=F("disposed_on")).count() == clues.exclude(result="").count()
    assert clues.exclude(result="").count() >= 5
    # The late clue has been pressed (督办) by the office, and the receiver sees it.
    assert clues.filter(disposal="", supervisions__isnull=False).exists()


def test_the_demo_group_talks_and_a_top_secret_clue(county):
    from xuncha.fieldwork.selectors import talk_list

    inspector, office, receiver = user("inspector"), user("office"), user("receiver")
    talks = talk_list(viewer=inspector)
    assert talks.filter(status="held").count() >= 4 and talks.filter(status="planned").exists()
    assert talks.exclude(findings="").exists()
    assert not talk_list(viewer=user("unit")).exists() and not talk_list(viewer=receiver).exists()
    secret = Clue.objects.get(top_secret=True)
    # 高密: the office that handed it over and the organ read it; the group leader, not named on it, does not.
    assert clue_list(viewer=office).filter(pk=secret.pk).exists()
    assert clue_list(viewer=receiver).filter(pk=secret.pk).exists()
    assert not clue_list(viewer=inspector).filter(pk=secret.pk).exists()


def test_the_group_in_the_field_sorts_its_daily_board(county):
    from xuncha.demo.fieldwork_story import demo_fieldwork_inspection
    from xuncha.fieldwork.selectors import triage_item_list, triage_overnight

    inspector = user("inspector")
    inspection = demo_fieldwork_inspection(county)
    items = triage_item_list(viewer=inspector, inspection_id=inspection.pk)
    assert 10 <= items.count() <= 14
    assert {"report", "talk", "records", "visit"} <= set(items.values_list("source", flat=True))
    assert set(items.exclude(outcome="").values_list("outcome", flat=True)) == {
        "immediate", "clue", "general", "forward", "archive"}
    waiting = list(items.filter(outcome=""))
    assert len(waiting) == 2 and sum(triage_overnight(i) for i in waiting) == 1
    immediate = items.filter(outcome="immediate")
    assert {i.task.status for i in immediate} >= {TaskStatus.CLOSED, TaskStatus.OPEN}
    assert all(i.notice_number for i in immediate)
    assert not Clue.objects.filter(triage_items__inspection=inspection, top_secret=True).exists()
    assert not triage_item_list(viewer=user("leader")).exists() and not triage_item_list(viewer=user("unit")).exists()


def test_rows_satisfy_what_the_services_enforce(county):
    # Problems: fed back with their inspection's feedback date, status following the tasks.
    bulk = Problem.objects.exclude(inspection__round__topic=FRESH_ROUND_TOPIC)
    for problem in bulk.prefetch_related("tasks").select_related("inspection"):
        statuses = {t.status for t in problem.tasks.all()}
        if problem.status == ProblemStatus.RECORDED:
            # Only a 立行立改 problem has tasks before it is fed back: set while the group is stationed (昼巡夜结).
            assert problem.fed_back_on is None
            assert not statuses or (problem.disposal == "immediate" and problem.inspection.stage == Stage.FIELDWORK)
            assert problem.inspection.stage in (Stage.FIELDWORK, Stage.REPORT, Stage.FEEDBACK)
            continue
        assert problem.fed_back_on == problem.inspection.feedback_on
        assert statuses, problem.pk
        if problem.status == ProblemStatus.RECTIFIED:
            assert statuses == {TaskStatus.CLOSED}
            assert problem.rectified_on == max(t.closed_on for t in problem.tasks.all())
        elif problem.status == ProblemStatus.RECTIFYING:
            assert statuses != {TaskStatus.CLOSED} and statuses != {TaskStatus.OPEN}
        else:
            assert statuses == {TaskStatus.OPEN}
    closed = Task.objects.filter(status=TaskStatus.CLOSED).select_related("problem")
    assert all(t.closed_by_id and (t.problem.fed_back_on or t.closed_on) <= t.closed_on <= today() for t in closed)
    assert all(t.problem.fed_back_on or t.kind == "immediate" for t in closed)  # put right during 进驻
    assert not Task.objects.exclude(status=TaskStatus.CLOSED).filter(Q(closed_on__isnull=False)
                                                                    | Q(closed_by__isnull=False)).exists()
    # Clues: a disposal always with its date, never before the hand-over nor after today.
    for clue in Clue.objects.all():
        assert bool(clue.disposal) == (clue.disposed_on is not None)
        assert clue.disposed_on is None or clue.handed_over_on <= clue.disposed_on <= today()
    # Inspections: one StageChange per move, the date of each stage passed, none of the stages ahead.
    changes = dict(StageChange.objects.values_list("inspection").annotate(n=Count("id")))
    for inspection in Inspection.objects.all():
        reached = STAGE_ORDER.index(inspection.stage)
        assert changes.get(inspection.pk, 0) == reached, inspection.pk
        passed = [getattr(inspection, STAGE_DATE[s]) for s in STAGE_ORDER[1: reached + 1]]
        assert all(passed) and passed == sorted(passed)
        ahead = [f for s, f in STAGE_DATE.items() if STAGE_ORDER.index(s) > reached and f in LATER_DATES]
        assert all(getattr(inspection, f) is None for f in ahead), inspection.pk
        if reached >= 1:
            assert inspection.notice_sent_on and inspection.notice_sent_on <= inspection.entry_on
    # Villages hang under a township of the same committee.
    villages = Unit.objects.filter(kind="village").select_related("parent")
    assert all(v.parent.kind == "township" and v.parent.committee_id == v.committee_id for v in villages)


def test_the_build_is_recorded_in_the_audit_trail(demo, db):
    events = AuditEvent.objects.filter(action="demo.build")
    kinds = {e.after["kind"]: e.after["count"] for e in events}
    recorded_by_services = AuditEvent.objects.filter(action="problem.record").count()
    from xuncha.fieldwork.models import TriageItem

    assert recorded_by_services == len(FRESH_PROBLEMS) + TriageItem.objects.exclude(problem=None).count()
    assert kinds["findings.problem"] == demo["counts"]["findings.Problem"] - recorded_by_services
    created_by_services = AuditEvent.objects.filter(action="task.create").count()  # the 立行立改 of the board
    assert kinds["rectification.task"] == demo["counts"]["rectification.Task"] - created_by_services
    assert len(kinds) == events.count() >= 14


def test_building_again_the_same_day_gives_the_same_data(demo, db):
    summary = build_demo(scale="county", reset=True)
    assert _counts() == demo["counts"]
    assert _digest() == demo["digest"]
    assert summary.splitlines()[1:] == demo["summary"].splitlines()[1:]
