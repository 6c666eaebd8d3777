"""纸上整改 flags: copied measures, restated problems, reused evidence, recurrences; the office's decision; scope."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from tests.world import sign_pledges
from xuncha.core.dates import today
from xuncha.core.errors import StaleWrite, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.findings import services as findings
from xuncha.rectification import services as rect
from xuncha.rectification.integrity import (
    flag_resolve,
    flag_reused_evidence,
    link_recurrences,
    scan_copied_measures,
)
from xuncha.rectification.integrity_selectors import flag_get, flag_list, flag_pairs, flags_for_task
from xuncha.rectification.models import EvidenceFile, FlagKind, FlagStatus, IntegrityFlag, Task, TaskStatus
from xuncha.rounds import services as rounds

MEASURE = "修订党组议事规则和“三重一大”决策实施办法，明确决策事项清单，每季度开展2次督查，由办公室牵头负责"
COPY = "每季度开展1次督查；明确决策事项清单。进一步修订党委议事规则和三重一大决策实施办法、由办公室牵头负责"
SHA = "ab" * 32


def _task(problem, measure: str) -> Task:
    # Straight to the table: what is tested here is the scan, not the planning rules of task_create.
    return Task.objects.create(problem=problem, measure=measure, responsible_leader="王建国",
                               responsible_department="办公室", responsible_person="张敏",
                               deadline=today() + datetime.timedelta(days=30), kind="time_limited")


def _evidence(task: Task, name: str, sha: str = SHA) -> EvidenceFile:
    return EvidenceFile.objects.create(task=task, unit=task.problem.unit, kind="pdf", original_name=name, size=1024,
                                       sha256=sha, storage_name=f"{sha[:2]}/{sha}")


def test_copied_measure_flags_both_tasks_once(world):
    mine = _task(world.problem_a1, MEASURE)
    theirs = _task(world.problem_b1, COPY)
    result = scan_copied_measures()
    assert result["copied_measure"] == 2 and result["pairs_flagged"] == 1
    copied = IntegrityFlag.objects.filter(kind=FlagKind.COPIED_MEASURE)
    assert {(f.task_id, f.other_task_id) for f in copied} == {(mine.pk, theirs.pk), (theirs.pk, mine.pk)}
    flag = copied.get(task=mine)
    assert "乙县财政局" in flag.detail and str(theirs.pk) in flag.detail and flag.score >= 0.6
    assert flag.status == FlagStatus.OPEN
    events = AuditEvent.objects.filter(action="integrity.flag")
    assert {e.committee_path for e in events} == {world.county_a.path, world.county_b.path}
    assert all(e.after["new_flags"] for e in events)

    count = IntegrityFlag.objects.count()
    again = scan_copied_measures()
    assert again["copied_measure"] == 0 and again["restated_problem"] == 0 and again["pairs"] == 1
    assert IntegrityFlag.objects.count() == count
    assert AuditEvent.objects.filter(action="integrity.flag").count() == events.count()


def test_copies_inside_one_unit_are_not_flagged(world):
    _task(world.problem_a1, MEASURE)
    _task(world.problem_a2, COPY)  # the same unit, 甲县财政局
    assert scan_copied_measures()["copied_measure"] == 0


def test_scan_limited_to_given_tasks(world):
    mine = _task(world.problem_a1, MEASURE)
    _task(world.problem_b1, COPY)
    assert scan_copied_measures(tasks=Task.objects.filter(pk=mine.pk))["pairs"] == 0


def test_measure_restating_its_problem_is_flagged(world):
    restated = _task(world.problem_a1, "针对落实全面从严治党主体责任不力的问题，立即进行整改")
    result = scan_copied_measures()
    assert result["restated_problem"] == 1
    flag = IntegrityFlag.objects.get(kind=FlagKind.RESTATED_PROBLEM)
    assert flag.task == restated and flag.other_task is None and flag.score >= 0.8
    assert not IntegrityFlag.objects.filter(task=world.task_a1).exists()  # a concrete measure


def test_reused_evidence_is_flagged(world):
    first = _evidence(world.task_a1, "会议记录.pdf")
    assert flag_reused_evidence(first) == []
    _evidence(world.task_b1, "无关文件.pdf", sha="cd" * 32)
    again = _evidence(world.task_b1, "整改佐证.pdf")
    flags = flag_reused_evidence(again)
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.kind, flag.task, flag.other_task, flag.sha256) == (FlagKind.REUSED_EVIDENCE, world.task_b1,
                                                                   world.task_a1, SHA)
    for text in ("会议记录.pdf", "整改佐证.pdf", "甲县财政局", "乙县财政局"):
        assert text in flag.detail
    assert AuditEvent.objects.filter(action="integrity.flag", object_id=str(flag.pk),
                                     committee_path=world.county_b.path).count() == 1
    assert flag_reused_evidence(again) == [flag]
    assert IntegrityFlag.objects.count() == 1
    # The same file again on the same task is not a reuse.
    assert flag_reused_evidence(_evidence(world.task_b1, "整改佐证(1).pdf")) == [flag]


def _close(task: Task) -> None:
    rect.task_report_progress(actor=None, task=task, text="已印发年度计划。")
    rect.task_submit_for_review(actor=None, task=task)
    rect.task_close(actor=None, task=task, note="核对一致。")


def _later_inspection(world):
    t = today()
    rnd = rounds.round_create(actor=None, committee=world.county_a, year=t.year, number=2, kind="regular")
    rounds.round_record_approval(actor=None, round=rnd, approved_on=t, meeting="县委书记专题会议")
    group = rounds.group_create(actor=None, round=rnd, name="第三巡察组",
                                members=[(world.user("inspector_a"), "leader")])
    sign_pledges(group)
    return rounds.inspection_create(actor=None, round=rnd, group=group, units=[world.dept_a])


def test_problem_coming_back_flags_the_earlier_closed_task(world):
    _close(world.task_a1)
    inspection = _later_inspection(world)
    other = findings.problem_record(actor=None, inspection=inspection, unit=world.dept_a,
                                    description="违规发放节日慰问品。", category="eight_rules")
    assert link_recurrences(other) == []
    again = findings.problem_record(
        actor=None, inspection=inspection, unit=world.dept_a, category="strict_governance",
        description="落实全面从严治党主体责任仍然不力，党组会议研究党风廉政建设仅2次。")
    # problem_record's signal already linked it; linking again finds the same flag.
    flag = IntegrityFlag.objects.get(kind=FlagKind.RECURRENCE)
    assert (flag.task, flag.problem, flag.other_task) == (world.task_a1, again, None)
    world.task_a1.refresh_from_db()
    assert flag.score >= 0.5 and str(world.task_a1.closed_on) in flag.detail
    assert link_recurrences(again) == [flag]
    assert IntegrityFlag.objects.filter(kind=FlagKind.RECURRENCE).count() == 1
    assert AuditEvent.objects.filter(action="integrity.flag", object_id=str(flag.pk)).count() == 1


def test_a_near_identical_problem_is_linked_whatever_its_category(world):
    _close(world.task_a1)
    inspection = _later_inspection(world)
    loose = findings.problem_record(actor=None, inspection=inspection, unit=world.dept_a, category="work",
                                    description="党组会议记录不规范，研究党风廉政建设次数少。")
    assert link_recurrences(loose) == []  # somewhat alike, but another category
    same = findings.problem_record(actor=None, inspection=inspection, unit=world.dept_a, category="work",
                                   description="落实全面从严治党主体责任不力，党组会议研究党风廉政建设仅3次。")
    [flag] = link_recurrences(same)
    assert flag.task == world.task_a1 and flag.score >= 0.75


def test_open_tasks_and_the_same_inspection_are_not_recurrences(world):
    # task_a1 is still open: nothing was closed, so nothing is suspect.
    inspection = _later_inspection(world)
    findings.problem_record(actor=None, inspection=inspection, unit=world.dept_a, category="strict_governance",
                            description="落实全面从严治党主体责任仍然不力，党组会议研究党风廉政建设仅2次。")
    assert not IntegrityFlag.objects.filter(kind=FlagKind.RECURRENCE).exists()
    _close(world.task_a1)
    assert link_recurrences(world.problem_a1) == []  # itself, same inspection, not earlier


@pytest.fixture
def copied(world):
    mine = _task(world.problem_a1, MEASURE)
    theirs = _task(world.problem_b1, COPY)
    scan_copied_measures()
    return IntegrityFlag.objects.get(task=mine, kind=FlagKind.COPIED_MEASURE), IntegrityFlag.objects.get(
        task=theirs, kind=FlagKind.COPIED_MEASURE)


def test_flags_are_scoped_to_the_viewer(world, copied):
    flag_a, flag_b = copied
    office_a, office_b, city = world.user("office_a"), world.user("office_b"), world.user("office_city")
    assert flag_get(viewer=office_a, pk=flag_a.pk) == flag_a
    with pytest.raises(Http404):
        flag_get(viewer=office_b, pk=flag_a.pk)
    with pytest.raises(Http404):
        flag_get(viewer=world.user("unit_b"), pk=flag_a.pk)
    assert list(flag_list(viewer=office_b)) == [flag_b]
    assert set(flag_list(viewer=city, kind=FlagKind.COPIED_MEASURE)) == {flag_a, flag_b}
    assert list(flag_list(viewer=city, kind=FlagKind.RECURRENCE)) == []
    assert list(flag_list(viewer=city, round_id=world.round_a.pk)) == [flag_a]
    assert list(flags_for_task(flag_a.task)) == [flag_a]
    # One row per pair where both are visible; the visible half where only one is.
    assert [f.task_id for f in flag_pairs(viewer=city)] == [min(flag_a.task_id, flag_b.task_id)]
    assert list(flag_pairs(viewer=office_b)) == [flag_b]


def test_the_office_confirms_or_dismisses(world, copied):
    flag_a, _flag_b = copied
    with pytest.raises(ValidationFailed):
        flag_resolve(actor=world.user("office_b"), flag=flag_a, status=FlagStatus.CONFIRMED, note="")
    with pytest.raises(ValidationFailed):
        flag_resolve(actor=world.user("unit_a"), flag=flag_a, status=FlagStatus.DISMISSED, note="自行编写")
    with pytest.raises(ValidationFailed):
        flag_resolve(actor=world.user("office_a"), flag=flag_a, status=FlagStatus.DISMISSED, note="  ")
    with pytest.raises(ValidationFailed):
        flag_resolve(actor=world.user("office_a"), flag=flag_a, status=FlagStatus.OPEN, note="x")
    office = world.user("office_a")
    flag = flag_resolve(actor=office, flag=flag_a, status=FlagStatus.CONFIRMED, note="", expected_version=1)
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.version) == (FlagStatus.CONFIRMED, office, 2)
    with pytest.raises(StaleWrite):
        flag_resolve(actor=office, flag=flag, status=FlagStatus.DISMISSED, note="x", expected_version=1)
    flag = flag_resolve(actor=world.user("office_city"), flag=flag, status=FlagStatus.DISMISSED,
                        note="两单位按上级统一模板制定。")
    assert flag.status == FlagStatus.DISMISSED and flag.resolution_note == "两单位按上级统一模板制定。"
    events = AuditEvent.objects.filter(action="integrity.resolve", object_id=str(flag.pk)).order_by("id")
    assert [e.after["status"] for e in events] == [FlagStatus.CONFIRMED, FlagStatus.DISMISSED]
    assert all(e.committee_path == world.county_a.path for e in events)
    # A dismissed flag stays dismissed when the scan runs again.
    scan_copied_measures()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED


def test_a_confirmed_recurrence_reopens_the_task_that_was_closed(world):
    _close(world.task_a1)
    inspection = _later_inspection(world)
    findings.problem_record(actor=None, inspection=inspection, unit=world.dept_a, category="strict_governance",
                            description="落实全面从严治党主体责任仍然不力，党组会议研究党风廉政建设仅2次。")
    flag = IntegrityFlag.objects.get(kind=FlagKind.RECURRENCE)
    flag_resolve(actor=world.user("office_a"), flag=flag, status=FlagStatus.CONFIRMED, note="回头看核实属实")
    world.task_a1.refresh_from_db()
    world.problem_a1.refresh_from_db()
    assert world.task_a1.status == TaskStatus.IN_PROGRESS and world.task_a1.reopened_count == 1
    assert world.problem_a1.status == "rectifying"
