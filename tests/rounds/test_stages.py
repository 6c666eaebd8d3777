"""An inspection moves through its stages by the transition table; deadlines follow the committee's rules."""

from __future__ import annotations

import datetime

import pytest

from tests.world import sign_pledges
from xuncha.core.dates import add_months, today
from xuncha.core.errors import StaleWrite, TransitionRefused, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.findings.models import ProblemStatus
from xuncha.org import services as org
from xuncha.rounds import services as rounds
from xuncha.rounds.models import Stage, StageChange
from xuncha.rounds.selectors import inspection_deadlines, overdue_inspections, stage_timeline


def _fresh_inspection(world, **dates):
    office = world.user("office_a")
    rnd = rounds.round_create(actor=office, committee=world.county_a, year=today().year, number=5,
                              kind="special", topic="乡村振兴领域")
    group = rounds.group_create(actor=office, round=rnd, name="第五巡察组",
                                members=[(world.user("inspector_a"), "leader")])
    sign_pledges(group)
    return rnd, rounds.inspection_create(actor=office, round=rnd, group=group, units=[world.soe_a], **dates)


def test_fieldwork_needs_an_approved_list_and_a_notice(world):
    office = world.user("office_a")
    rnd, inspection = _fresh_inspection(world)
    with pytest.raises(TransitionRefused, match="书记专题会"):
        rounds.inspection_advance(actor=office, inspection=inspection, to_stage=Stage.FIELDWORK)
    rounds.round_record_approval(actor=world.user("leader_a"), round=rnd, approved_on=today(),
                                 meeting="县委书记专题会议")
    with pytest.raises(TransitionRefused, match="巡察通知"):
        rounds.inspection_advance(actor=office, inspection=inspection, to_stage=Stage.FIELDWORK)
    inspection = rounds.inspection_update_schedule(actor=office, inspection=inspection,
                                                   expected_version=inspection.version, notice_sent_on=today())
    inspection = rounds.inspection_advance(actor=office, inspection=inspection, to_stage=Stage.FIELDWORK)
    assert inspection.stage == Stage.FIELDWORK and inspection.entry_on == today()
    change = StageChange.objects.get(inspection=inspection)
    assert (change.from_stage, change.to_stage, change.actor) == (Stage.PREPARE, Stage.FIELDWORK, office)


def test_stages_cannot_be_skipped_or_reversed(world):
    office = world.user("office_a")
    with pytest.raises(TransitionRefused):
        rounds.inspection_advance(actor=office, inspection=world.inspection_a2, to_stage=Stage.FEEDBACK)
    with pytest.raises(TransitionRefused):
        rounds.inspection_advance(actor=office, inspection=world.inspection_a1, to_stage=Stage.FEEDBACK)
    world.inspection_a2.refresh_from_db()
    assert world.inspection_a2.stage == Stage.FIELDWORK


def test_only_the_office_of_the_committee_moves_stages(world):
    for name in ("office_b", "inspector_a2", "unit_a2", "receiver_a", "leader_a"):
        with pytest.raises(ValidationFailed):
            rounds.inspection_advance(actor=world.user(name), inspection=world.inspection_a2, to_stage=Stage.REPORT)
    # The city office may act for the county below it.
    rounds.inspection_advance(actor=world.user("office_city"), inspection=world.inspection_a2, to_stage=Stage.REPORT)


def test_the_whole_lifecycle_is_audited_and_feedback_feeds_problems_back(world):
    office = world.user("office_a")
    inspection = world.inspection_a2
    start_events = AuditEvent.objects.filter(action="inspection.advance").count()
    for stage in (Stage.REPORT, Stage.FEEDBACK, Stage.RECTIFY):
        inspection = rounds.inspection_advance(actor=office, inspection=inspection, to_stage=stage)
    world.problem_a_field.refresh_from_db()
    assert world.problem_a_field.status == ProblemStatus.FED_BACK
    assert world.problem_a_field.fed_back_on == today()
    for stage in (Stage.FOLLOW_UP, Stage.ARCHIVED):
        inspection = rounds.inspection_advance(actor=office, inspection=inspection, to_stage=stage)
    assert AuditEvent.objects.filter(action="inspection.advance").count() == start_events + 5
    event = AuditEvent.objects.filter(action="inspection.advance").first()
    assert event.actor == office and event.before["stage"] == "follow_up" and event.after["stage"] == "archived"
    assert [row["state"] for row in stage_timeline(inspection)][-1] == "current"


def test_stale_stage_move_is_refused(world):
    office = world.user("office_a")
    stale = world.inspection_a2.version
    rounds.inspection_update_schedule(actor=office, inspection=world.inspection_a2, expected_version=stale,
                                      fieldwork_ends_on=today() + datetime.timedelta(days=30))
    with pytest.raises(StaleWrite):
        rounds.inspection_advance(actor=office, inspection=world.inspection_a2, to_stage=Stage.REPORT,
                                  expected_version=stale)


def test_deadlines_follow_the_committee_rules_and_go_overdue(world):
    t = today()
    _, inspection = _fresh_inspection(world, entry_on=t + datetime.timedelta(days=5),
                                      fieldwork_ends_on=t + datetime.timedelta(days=40))
    notice, report, _rectify = inspection_deadlines(inspection)
    # The report's planned deadline shows, but does not run before fieldwork has ended.
    assert report.due == add_months(t + datetime.timedelta(days=40), 1) and report.state == "pending"
    # 10 days before entry has passed and no notice was sent.
    assert notice.due == t - datetime.timedelta(days=5) and notice.state == "overdue"
    assert any(i.pk == inspection.pk for i, _ in overdue_inspections(viewer=world.user("office_a")))
    org.committee_update_deadline_rules(actor=world.user("office_a"), committee=world.county_a,
                                        expected_version=world.county_a.version, notice_days_before_entry=3,
                                        report_months_after_fieldwork=1, rectify_report_months_after_feedback=3)
    inspection.round.committee.refresh_from_db()
    notice = inspection_deadlines(inspection)[0]
    assert notice.due == t + datetime.timedelta(days=2) and notice.state == "pending"
    # The rectification report is due 3 months (this committee's rule) after feedback.
    rect = inspection_deadlines(world.inspection_a1)[2]
    world.inspection_a1.round.committee.refresh_from_db()
    rect = inspection_deadlines(world.inspection_a1)[2]
    assert rect.due == add_months(world.inspection_a1.feedback_on, 3)


def test_add_months_clamps_to_the_month_end():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 12, 15), 2) == datetime.date(2024, 2, 15)


def test_special_round_needs_a_topic(world):
    with pytest.raises(ValidationFailed):
        rounds.round_create(actor=world.user("office_a"), committee=world.county_a, year=today().year, number=9,
                            kind="special")
