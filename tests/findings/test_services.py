from __future__ import annotations

import pytest

from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.findings import services as findings
from xuncha.findings.selectors import clue_list, problem_list


def test_judging_a_fault_needs_its_reason(world):
    with pytest.raises(ValidationFailed) as refused:
        findings.problem_record(actor=world.user("inspector_a2"), inspection=world.inspection_a2,
                                unit=world.township_a, description="擅自调整项目资金用途。", category="work",
                                fault_kind="mistake")
    assert refused.value.field == "nature_reason"
    problem = findings.problem_record(
        actor=world.user("inspector_a2"), inspection=world.inspection_a2, unit=world.township_a,
        description="擅自调整项目资金用途。", category="work", fault_kind="mistake", depth="phenomenon",
        nature_reason="为抢抓防汛工期先行调剂资金，事后补办手续，未谋私利，符合容错情形。")
    assert problem.get_fault_kind_display()


def test_problems_only_in_units_of_the_inspection_and_before_feedback(world):
    with pytest.raises(ValidationFailed):
        findings.problem_record(actor=world.user("inspector_a2"), inspection=world.inspection_a2, unit=world.dept_a,
                                description="x", category="work")
    with pytest.raises(ValidationFailed):
        findings.problem_record(actor=world.user("inspector_a"), inspection=world.inspection_a1, unit=world.dept_a,
                                description="反馈后再登记", category="work")


def test_unit_sees_only_its_fed_back_problems_and_no_clues(world):
    unit = world.user("unit_a")
    # problem_a2 was handed over as a clue: the unit does not learn of it.
    assert set(problem_list(viewer=unit)) == {world.problem_a1}
    assert list(clue_list(viewer=unit)) == []
    assert list(problem_list(viewer=world.user("unit_a2"))) == []  # township's problem not fed back yet


def test_inspectors_see_only_their_group(world):
    assert set(problem_list(viewer=world.user("inspector_a2"))) == {world.problem_a_field}
    assert set(clue_list(viewer=world.user("inspector_a"))) == {world.clue_a1}
    assert list(clue_list(viewer=world.user("inspector_a2"))) == []


def test_clue_disposal_by_its_receiver_only_once(world):
    with pytest.raises(ValidationFailed):
        findings.clue_dispose(actor=world.user("receiver_b"), clue=world.clue_a1, disposal="talk_inquiry")
    findings.clue_dispose(actor=world.user("receiver_a"), clue=world.clue_a1, disposal="talk_inquiry",
                          note="已对相关人员谈话函询。")
    with pytest.raises(TransitionRefused):
        findings.clue_dispose(actor=world.user("receiver_a"), clue=world.clue_a1, disposal="closed")
    assert list(clue_list(viewer=world.user("receiver_a"), disposed=True)) == [world.clue_a1]
