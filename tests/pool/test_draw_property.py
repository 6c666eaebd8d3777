"""The draw, tried on many random pools: nobody with a recorded tie to the unit is ever picked, every group meets
its constraints or names the ones it cannot meet (and only when they truly cannot be met), and every draw
replays exactly from its record."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuncha.core.dates import today
from xuncha.core.id_numbers import check_digit
from xuncha.pool import draw as lots
from xuncha.pool import services
from xuncha.pool.models import Declaration, Relative, Talent, WorkPeriod

SPECIALITIES = ["discipline", "organisation", "personnel", "audit", "finance", "law", "other"]
# A tie each generated person may have with the target, 城关镇 (its village 东关村 counts as the township).
TIES = ["works_here", "works_in_village", "worked_recently", "worked_long_ago", "relative_here",
        "relative_in_village", "home_township", "home_village", "declared", "recusal_request"]
WORKPLACES = ["甲县财政局", "甲县城投公司", "甲县审计局", "甲县纪委监委", "甲县人社局", "甲县税务局", "甲县法院"]

person = st.fixed_dictionaries({
    "gender": st.sampled_from("MF"),
    "speciality": st.sampled_from(SPECIALITIES),
    "rank": st.integers(0, 6),
    "can_lead": st.booleans(),
    "workplace": st.sampled_from(WORKPLACES),
    "tie": st.one_of(st.none(), st.none(), st.sampled_from(TIES)),
    "available": st.sampled_from([True, True, True, False]),
})
constraints = st.fixed_dictionaries({
    "size": st.integers(5, 7),
    "leader_min_rank": st.integers(1, 5),
    "finance_or_audit": st.booleans(),
    "discipline": st.booleans(),
    "mixed_gender": st.booleans(),
    "distinct_units": st.booleans(),
    "work_years": st.sampled_from([0, 5]),
})
witness_words = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_serial = itertools.count(1)


def _id_number(gender: str) -> str:
    """A valid 18-digit number of the right gender, unique in the test run (one birthday each)."""
    n = next(_serial)
    born = datetime.date(1965, 1, 1) + datetime.timedelta(days=n)
    first17 = f"330102{born:%Y%m%d}{(n % 400) * 2 + (1 if gender == 'M' else 0):03d}"
    return first17 + check_digit(first17)


def _make_pool(world, people: list[dict]) -> tuple[dict[int, dict], set[int]]:
    """Create the people; return {talent id: spec} and the ids that must be excluded (ground truth)."""
    on = today()
    township, village = world.township_a, world.village_a
    specs, must_exclude = {}, set()
    for spec in people:
        number = _id_number(spec["gender"])
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        tie = spec["tie"]
        unit = {"works_here": township, "works_in_village": village}.get(tie)
        t = Talent.objects.create(
            committee=world.county_a, name=f"候选人{number[-4:]}", id_number=number, gender=spec["gender"],
            birth_date=born, speciality=spec["speciality"], rank=spec["rank"], can_lead=spec["can_lead"],
            unit=unit, unit_name="" if unit else spec["workplace"], available=spec["available"],
            unavailable_reason="" if spec["available"] else "病休",
            home_township=township if tie == "home_township" else None,
            home_village=village if tie == "home_village" else None)
        if tie == "worked_recently":
            WorkPeriod.objects.create(talent=t, unit_name="城关镇", started_on=on.replace(year=on.year - 6),
                                      ended_on=on.replace(year=on.year - 1))
        if tie == "worked_long_ago":
            WorkPeriod.objects.create(talent=t, unit=village, unit_name="东关村",
                                      started_on=on.replace(year=on.year - 20), ended_on=on.replace(year=on.year - 12))
        if tie in ("relative_here", "relative_in_village"):
            Relative.objects.create(talent=t, name="亲属甲", relation="配偶",
                                    unit=township if tie == "relative_here" else None,
                                    unit_name="" if tie == "relative_here" else "城关镇东关村")
        if tie in ("declared", "recusal_request"):
            Declaration.objects.create(talent=t, kind="leader_conflict" if tie == "declared" else "recusal_request",
                                       unit=township if tie == "declared" else village, leader="张书记",
                                       reason="曾有经济往来", declared_on=on)
        specs[t.pk] = spec
        if not spec["available"]:
            must_exclude.add(t.pk)
    return specs, must_exclude


def _tied(spec: dict, work_years: int) -> bool:
    tie = spec["tie"]
    if tie is None:
        return False
    if tie == "worked_long_ago":
        return work_years == 0
    return True


@pytest.mark.django_db(transaction=False)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(people=st.lists(person, min_size=4, max_size=28), rules=constraints, words=witness_words)
def test_nobody_tied_is_drawn_and_every_group_keeps_its_rules_or_says_which_it_cannot(world, people, rules, words):
    with transaction.atomic():
        specs, unavailable = _make_pool(world, people)
        draw = services.draw_commit(actor=world.user("office_a"), unit=world.township_a, constraints=rules)
        draw = services.draw_run(actor=world.user("office_a"), draw=draw, witness_words=words,
                                 expected_version=draw.version)
        _check(draw, specs, unavailable, rules)
        transaction.set_rollback(True)


def _check(draw, specs: dict[int, dict], unavailable: set[int], rules: dict) -> None:
    tied = {pk for pk, spec in specs.items() if _tied(spec, rules["work_years"])}
    picked = [p["id"] for p in draw.picked]
    excluded = {e["id"]: e for e in draw.excluded}

    # Recusal: nobody tied or unavailable is drawn, and each of them is listed with a reason.
    assert not (set(picked) & (tied | unavailable))
    for pk in tied | unavailable:
        assert pk in excluded and excluded[pk]["reasons"]
    # Nobody is excluded without cause.
    assert set(excluded) <= tied | unavailable
    eligible = [pk for pk in specs if pk not in tied | unavailable]
    assert sorted(c["id"] for c in draw.snapshot) == sorted(eligible)

    unmet = {u["code"]: u for u in draw.unmet}
    chosen = [specs[pk] for pk in picked]
    # The leader: one, from the leader pool, of the minimum rank; "no leader" only if there was none to take.
    leaders = [p for p in draw.picked if p["role"] == "leader"]
    possible_leaders = [pk for pk in eligible
                        if specs[pk]["can_lead"] and specs[pk]["rank"] >= rules["leader_min_rank"]]
    if possible_leaders:
        assert len(leaders) == 1 and "no_leader" not in unmet
        lead = specs[leaders[0]["id"]]
        assert lead["can_lead"] and lead["rank"] >= rules["leader_min_rank"]
    else:
        assert not leaders and "no_leader" in unmet
    # No two from the same unit.
    if rules["distinct_units"]:
        assert len({s["workplace"] for s in chosen}) == len(chosen)
    # The size: as many as asked, or every unit/person there was.
    room = len({specs[pk]["workplace"] for pk in eligible}) if rules["distinct_units"] else len(eligible)
    assert len(picked) == min(rules["size"], room)
    assert ("size" in unmet) == (len(picked) < rules["size"])
    # The required specialities and the mix of genders, or an honest "cannot".
    for code, wanted in (("finance_or_audit", {"finance", "audit"}), ("discipline", {"discipline"})):
        if rules[code]:
            assert any(s["speciality"] in wanted for s in chosen) != (code in unmet)
            if code in unmet and not rules["distinct_units"]:
                assert not any(specs[pk]["speciality"] in wanted for pk in eligible)
    if rules["mixed_gender"] and chosen:
        assert (len({s["gender"] for s in chosen}) == 2) != ("mixed_gender" in unmet)
        if "mixed_gender" in unmet and not rules["distinct_units"]:
            assert len({specs[pk]["gender"] for pk in eligible}) == 1
    # The record replays.
    result = lots.verify(services.draw_record(draw))
    assert result.ok, result.problems
    assert result.picked == draw.picked


def test_a_tampered_record_fails_verification(world):
    from tests.pool.test_draw_property import _make_pool as make

    make(world, [{"gender": g, "speciality": s, "rank": 4, "can_lead": True, "workplace": w, "tie": None,
                  "available": True}
                 for g, s, w in zip("MFMFMFM", SPECIALITIES, WORKPLACES, strict=True)])
    office = world.user("office_a")
    draw = services.draw_commit(actor=office, unit=world.township_a)
    draw = services.draw_run(actor=office, draw=draw, witness_words="监督员：37", expected_version=draw.version)
    record = services.draw_record(draw)
    assert lots.verify(record).ok

    other_seed = dict(record, seed="0" * 64)
    assert "the revealed seed does not hash to the commitment" in lots.verify(other_seed).problems[0]
    fewer = dict(record, snapshot=record["snapshot"][1:])
    assert any("candidate list differs" in p for p in lots.verify(fewer).problems)
    other_group = dict(record, picked=list(reversed(record["picked"])))
    assert any("picks a different group" in p for p in lots.verify(other_group).problems)
    other_words = dict(record, witness_words="监督员：38")
    assert not lots.verify(other_words).ok


def test_a_group_of_one_is_never_called_mixed():
    # Found by the property test: swapping the only member for someone of the other gender mixed nothing.
    alone = [{"id": 1, "gender": "M", "speciality": "other", "unit_key": "u1", "lead_ok": False, "member_ok": True},
             {"id": 2, "gender": "F", "speciality": "other", "unit_key": "u1", "lead_ok": False, "member_ok": True}]
    outcome = lots.pick(alone, {"distinct_units": True}, lots.sha256("any"))
    assert len(outcome.picked) == 1
    assert {u["code"] for u in outcome.unmet} >= {"mixed_gender", "size", "no_leader"}
