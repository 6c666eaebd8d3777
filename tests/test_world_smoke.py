from xuncha.findings.models import ProblemStatus


def test_world_builds_with_problems_fed_back_on_feedback(world):
    assert world.inspection_a1.stage == "rectify"
    assert world.problem_a1.status == ProblemStatus.FED_BACK
    assert world.problem_a_field.status == ProblemStatus.RECORDED
