"""The rectification ledger: 挂账 → 整改中 → 待对账 → 销号, 逾期 by the deadline, problems closed by their tasks."""

from __future__ import annotations

import datetime

import pytest

from xuncha.core.dates import today
from xuncha.core.errors import StaleWrite, TransitionRefused, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.findings.models import ProblemStatus
from xuncha.rectification import services as rect
from xuncha.rectification.models import TaskStatus
from xuncha.rectification.selectors import task_light, task_list


def test_the_unit_reports_and_the_office_closes(world):
    unit, office = world.user("unit_a"), world.user("office_a")
    task = world.task_a1
    rect.task_report_progress(actor=unit, task=task, text="已起草年度计划。")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    world.problem_a1.refresh_from_db()
    assert world.problem_a1.status == ProblemStatus.RECTIFYING
    rect.task_submit_for_review(actor=unit, task=task, text="计划已印发，附件已上传。")
    with pytest.raises(ValidationFailed):
        rect.task_close(actor=unit, task=task)  # a unit never closes its own task
    rect.task_close(actor=office, task=task, note="与印发文件核对一致。")
    task.refresh_from_db()
    world.problem_a1.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.closed_by == office and task.closed_on == today()
    assert world.problem_a1.status == ProblemStatus.RECTIFIED
    actions = list(AuditEvent.objects.filter(object_type="rectification.task", object_id=str(task.pk))
                   .values_list("action", flat=True))
    assert {"task.in_progress", "task.awaiting_review", "task.closed"} <= set(actions)


def test_returned_task_goes_back_to_work_with_reasons(world):
    unit, office = world.user("unit_a"), world.user("office_a")
    task = world.task_a1
    rect.task_report_progress(actor=unit, task=task, text="已整改。")
    rect.task_submit_for_review(actor=unit, task=task)
    with pytest.raises(ValidationFailed):
        rect.task_return(actor=office, task=task, reason="  ")
    rect.task_return(actor=office, task=task, reason="只见文件，未见会议记录。")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.review_note == "只见文件，未见会议记录。"
    with pytest.raises(TransitionRefused):
        rect.task_close(actor=office, task=task)


def test_overdue_and_lights(world):
    office = world.user("office_b")
    overdue = list(task_list(viewer=office, overdue=True))
    assert overdue == [world.task_b1]
    assert task_light(world.task_b1) == "red"
    assert task_light(world.task_a1) == "green"
    world.task_a1.deadline = today() + datetime.timedelta(days=3)
    assert task_light(world.task_a1) == "yellow"


def test_a_task_needs_its_three_lists(world):
    with pytest.raises(ValidationFailed):
        rect.task_create(actor=world.user("office_a"), problem=world.problem_a1, measure="退缴违规津补贴",
                         responsible_leader="", responsible_department="财务股", responsible_person="孙丽",
                         deadline=today(), kind="time_limited")
    with pytest.raises(ValidationFailed):
        rect.task_create(actor=world.user("office_a"), problem=world.problem_a1, measure="退缴违规津补贴",
                         responsible_leader="王建国", responsible_department="财务股", responsible_person="孙丽",
                         deadline=None, kind="time_limited")
    long_term = rect.task_create(actor=world.user("office_a"), problem=world.problem_a1,
                                 measure="建立津补贴发放审批制度",
                                 responsible_leader="王建国", responsible_department="财务股",
                                 responsible_person="孙丽", deadline=None, kind="long_term")
    assert task_light(long_term) == "green"


def test_units_cannot_plan_for_other_units_or_unfed_problems(world):
    with pytest.raises(ValidationFailed):
        rect.task_create(actor=world.user("unit_a"), problem=world.problem_b1, measure="x", responsible_leader="x",
                         responsible_department="x", responsible_person="x", deadline=today(), kind="immediate")
    with pytest.raises(ValidationFailed):
        rect.task_create(actor=world.user("office_a"), problem=world.problem_a_field, measure="x",
                         responsible_leader="x", responsible_department="x", responsible_person="x",
                         deadline=today(), kind="immediate")


def test_two_people_editing_the_same_task(world):
    unit, office = world.user("unit_a"), world.user("office_a")
    loaded = world.task_a1.version
    rect.task_update(actor=office, task=world.task_a1, expected_version=loaded, responsible_person="周芳")
    with pytest.raises(StaleWrite):
        rect.task_update(actor=unit, task=world.task_a1, expected_version=loaded, responsible_person="吴刚")
    world.task_a1.refresh_from_db()
    assert world.task_a1.responsible_person == "周芳"
