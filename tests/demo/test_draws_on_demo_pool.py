"""Many random draws on the demo pool: whatever the unit and the constraints, nobody with a recorded tie to the unit
is drawn, every group meets its constraints or names those it cannot meet, and every draw replays.

The ties are checked here by a second, deliberately plain reading of the records (not through pool.recusal), so a
mistake in recusal cannot hide behind itself."""

from __future__ import annotations

import datetime

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuncha.core.dates import today
from xuncha.org.models import Unit
from xuncha.pool import draw as lots
from xuncha.pool import services
from xuncha.pool.models import Declaration, Relative, Talent, WorkPeriod
from xuncha.rounds.models import GroupMembership, Inspection

RULES = st.fixed_dictionaries({
    "size": st.integers(5, 7),
    "leader_min_rank": st.integers(2, 4),
    "finance_or_audit": st.booleans(),
    "discipline": st.booleans(),
    "mixed_gender": st.booleans(),
    "distinct_units": st.booleans(),
    "work_years": st.sampled_from([0, 3, 10]),
})


def _below(unit: Unit) -> list[Unit]:
    found, todo = [unit], [unit]
    while todo:
        todo = [child for u in todo for child in Unit.objects.filter(parent=u)]
        found += todo
    return found


def _recorded_ties(talent: Talent, unit: Unit, work_years: int) -> list[str]:
    """Every tie of the talent with the unit, read plainly from the records."""
    family = _below(unit)
    ids = {u.pk for u in family}
    words = {str(u).replace(" ", "") for u in family} | {
        u.name.replace(" ", "") for u in family if u.kind != "village"}

    def at(unit_id, unit_name) -> bool:
        return unit_id in ids or (unit_name or "").replace(" ", "") in words

    ties = []
    if at(talent.unit_id, talent.unit_name):
        ties.append("works")
    on = today()
    for w in WorkPeriod.objects.filter(talent=talent):
        recent = not work_years or w.ended_on is None or w.ended_on >= datetime.date(on.year - work_years, on.month,
                                                                                     min(on.day, 28))
        if at(w.unit_id, w.unit_name) and recent:
            ties.append("worked")
    ties += ["relative" for r in Relative.objects.filter(talent=talent) if at(r.unit_id, r.unit_name)]
    if talent.home_township_id in ids or talent.home_village_id in ids:
        ties.append("home")
    ties += ["declared" for d in Declaration.objects.filter(talent=talent) if d.unit_id in ids]
    last = (Inspection.objects.filter(units=unit).exclude(stage="prepare")
            .order_by("-round__year", "-round__number", "-id").first())
    if last and talent.account_id and GroupMembership.objects.filter(group=last.group,
                                                                     user_id=talent.account_id).exists():
        ties.append("inspected")
    return ties


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), rules=RULES, words=st.text("0123456789监督人甲乙", max_size=8))
def test_random_draws_on_the_demo_pool_never_pick_anyone_tied(county, data, rules, words):
    units = list(Unit.objects.filter(committee=county).order_by("pk").values_list("pk", flat=True))
    unit = Unit.objects.select_related("parent").get(pk=data.draw(st.sampled_from(units), label="unit"))
    with transaction.atomic():
        draw = services.draw_commit(actor=None, unit=unit, constraints=rules)
        draw = services.draw_run(actor=None, draw=draw, witness_words=words, expected_version=draw.version)
        picked = Talent.objects.filter(pk__in=[p["id"] for p in draw.picked])
        for talent in picked:
            assert not _recorded_ties(talent, unit, rules["work_years"]), (talent, unit)
            assert talent.available and talent.standing != "removed"
        # Everyone excluded for a tie really has one.
        tied_ids = [e["id"] for e in draw.excluded if e["kinds"]]
        for talent in Talent.objects.filter(pk__in=tied_ids):
            assert _recorded_ties(talent, unit, rules["work_years"]), (talent, unit)
        _meets_or_says(draw, rules, {t.pk: t for t in picked})
        assert lots.verify(services.draw_record(draw)).ok
        transaction.set_rollback(True)


def _meets_or_says(draw, rules, picked: dict[int, Talent]) -> None:
    unmet = {u["code"] for u in draw.unmet}
    chosen = list(picked.values())
    leaders = [p["id"] for p in draw.picked if p["role"] == "leader"]
    assert (len(leaders) == 1) != ("no_leader" in unmet)
    for pk in leaders:
        assert picked[pk].can_lead and picked[pk].rank >= rules["leader_min_rank"]
    assert (len(chosen) == rules["size"]) != ("size" in unmet)
    if rules["finance_or_audit"]:
        assert any(t.speciality in ("finance", "audit") for t in chosen) != ("finance_or_audit" in unmet)
    if rules["discipline"]:
        assert any(t.speciality == "discipline" for t in chosen) != ("discipline" in unmet)
    if rules["mixed_gender"] and chosen:
        assert (len({t.gender for t in chosen}) == 2) != ("mixed_gender" in unmet)
    if rules["distinct_units"]:
        keys = [f"u{t.unit_id}" if t.unit_id else "n" + "".join(t.unit_name.split()) for t in chosen]
        assert len(set(keys)) == len(keys)
