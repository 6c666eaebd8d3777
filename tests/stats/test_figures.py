"""The figures agree with the records they count; seed 001's published figures come out exactly."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.world import sign_pledges
from xuncha.core.dates import today
from xuncha.core.rates import percentage
from xuncha.findings.models import Clue, Problem, ProblemStatus, Suggestion
from xuncha.rounds import services as rounds
from xuncha.stats.selectors import coverage, metrics


def _seed_001_round(world):
    """A round with seed 001's counts: 468 problems fed back, 451 rectified; 88 clues, all disposed; 70
    suggestions, 64 completed."""
    office = world.user("office_a")
    rnd = rounds.round_create(actor=office, committee=world.county_a, year=today().year, number=7, kind="regular")
    group = rounds.group_create(actor=office, round=rnd, name="第三巡察组",
                                members=[(world.user("inspector_a"), "leader")])
    sign_pledges(group)
    inspection = rounds.inspection_create(actor=office, round=rnd, group=group, units=[world.soe_a])
    day = today() - datetime.timedelta(days=30)
    Problem.objects.bulk_create(
        Problem(inspection=inspection, unit=world.soe_a, description=f"问题{i}", category="work", found_on=day,
                fed_back_on=day, rectified_on=day if i < 451 else None,
                status=ProblemStatus.RECTIFIED if i < 451 else ProblemStatus.RECTIFYING)
        for i in range(468)
    )
    Clue.objects.bulk_create(
        Clue(inspection=inspection, unit=world.soe_a, summary=f"线索{i}", organ=world.organ_a, handed_over_on=day,
             disposal="preliminary_check", disposed_on=day)
        for i in range(88)
    )
    Suggestion.objects.bulk_create(
        Suggestion(inspection=inspection, unit=world.soe_a, text=f"建议{i}",
                   status=Suggestion.Status.COMPLETED if i < 64 else Suggestion.Status.OPEN,
                   completed_on=day if i < 64 else None)
        for i in range(70)
    )
    return rnd


def test_seed_001_figures_through_the_round_metrics(world):
    rnd = _seed_001_round(world)
    m = metrics(viewer=world.user("office_a"), round_id=rnd.pk)
    assert (m.problems_fed_back, m.problems_rectified) == (468, 451)
    assert m.rectification_rate == Decimal("96.37")
    assert (m.clues_handed_over, m.clues_disposed, m.clue_disposal_rate) == (88, 88, Decimal("100.00"))
    assert (m.suggestions_made, m.suggestions_completed) == (70, 64)
    assert m.suggestion_completion_rate == Decimal("91.43")


def test_seed_001_figures_on_the_round_page_and_api(world, client):
    rnd = _seed_001_round(world)
    client.force_login(world.user("leader_a"))
    page = client.get(f"/rounds/{rnd.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "96.37" in text and "91.43" in text and "100.00" in text
    token = client.post("/api/v1/auth/token", {"username": "t_leader_a", "password": "test-password-123"},
                        content_type="application/json").json()["token"]
    body = client.get(f"/api/v1/rounds/{rnd.pk}/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["rectification_rate"] == "96.37"
    assert body["clue_disposal_rate"] == "100.00"
    assert body["suggestion_completion_rate"] == "91.43"


def test_figures_count_only_what_the_viewer_may_see(world):
    # Office of county A sees its own round only; the city office sees both counties together.
    a = metrics(viewer=world.user("office_a"))
    city = metrics(viewer=world.user("office_city"))
    b = metrics(viewer=world.user("office_b"))
    assert a.problems_found == Problem.objects.filter(unit__committee=world.county_a).count()
    assert city.problems_found == a.problems_found + b.problems_found
    assert metrics(viewer=world.user("unit_b")).problems_found == 1
    assert metrics(viewer=world.user("receiver_a")).problems_found == 0
    assert metrics(viewer=world.user("receiver_a")).clues_handed_over == 1


def test_rectification_rate_follows_closed_tasks(world):
    from xuncha.rectification import services as rect

    office, unit = world.user("office_a"), world.user("unit_a")
    before = metrics(viewer=office, inspection_id=world.inspection_a1.pk)
    assert before.problems_fed_back == 2 and before.problems_rectified == 0
    assert before.rectification_rate == Decimal("0.00")
    rect.task_report_progress(actor=unit, task=world.task_a1, text="已制定年度学习计划并印发。")
    rect.task_submit_for_review(actor=unit, task=world.task_a1)
    rect.task_close(actor=office, task=world.task_a1, note="计划文件与会议记录一致。")
    after = metrics(viewer=office, inspection_id=world.inspection_a1.pk)
    assert after.problems_rectified == 1 and after.rectification_rate == Decimal("50.00")


def test_percentage_rounds_half_up_and_handles_nothing():
    assert percentage(1, 3) == Decimal("33.33")
    assert percentage(2, 3) == Decimal("66.67")
    assert percentage(1, 8) == Decimal("12.50")
    assert percentage(0, 0) is None


def test_coverage_counts_units_inspected_in_the_term(world):
    c = coverage(viewer=world.user("office_a"), committee_id=world.county_a.pk)
    # 4 units managed by county A; dept_a, township_a and village_a reached fieldwork, the SOE never did.
    assert (c.units_managed, c.units_inspected) == (4, 3)
    assert c.coverage_rate == Decimal("75.00")


def test_coverage_of_another_county_is_not_there_for_this_office(world):
    from django.http import Http404

    with pytest.raises(Http404):
        coverage(viewer=world.user("office_a"), committee_id=world.county_b.pk)
