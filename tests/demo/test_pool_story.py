"""The demo's talent pool, draws, assessments and group discipline (issue 5), on the demo built once for the package
(tests/demo/conftest.py): what a new user trying the issue's scenario relies on."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.demo.demo_build import HASHERS
from xuncha.core.dates import today
from xuncha.core.id_numbers import birth_date, gender_of, id_number_valid
from xuncha.demo.builder import DEMO_PASSWORD
from xuncha.demo.fieldwork_story import demo_fieldwork_inspection
from xuncha.groupwork.models import Attendance, GroupRequest, Meeting, Presence, RequestStatus, WorkLog
from xuncha.org.models import Committee, Role, Unit, User
from xuncha.pool import draw as lots
from xuncha.pool import services as pool_services
from xuncha.pool.models import (
    Assessment,
    AssessorRole,
    Declaration,
    Draw,
    DrawStatus,
    Rank,
    Recommendation,
    Relative,
    Speciality,
    Standing,
    Talent,
    TalentKind,
)
from xuncha.pool.recusal import TieKind, ties_for
from xuncha.rounds.models import GroupMembership, GroupRole, Inspection, Stage
from xuncha.rounds.selectors import inspection_list, inspections_of_group_member

STANDING_OF = {Recommendation.RECOMMEND: Standing.RECOMMENDED, Recommendation.KEEP: Standing.ACTIVE,
               Recommendation.REMIND: Standing.REMINDED, Recommendation.REMOVE: Standing.REMOVED}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = HASHERS


def _preparing(county: Committee) -> list[tuple[Inspection, Unit]]:
    inspections = Inspection.objects.filter(round__committee=county, stage=Stage.PREPARE).order_by("id")
    return [(i, u) for i in inspections for u in i.units.order_by("id")]


def test_the_pools_hold_the_people_a_county_draws_from(county):
    pool = Talent.objects.filter(committee=county)
    assert 120 <= pool.count() <= 180
    # Every inspector account of the county is in its pool, linked, so the groups served on are known.
    inspectors = User.objects.filter(committee=county, role=Role.INSPECTOR)
    assert not inspectors.filter(talent__isnull=True).exists()
    assert pool.filter(account__isnull=False).count() == inspectors.count()
    assert set(pool.values_list("speciality", flat=True)) == set(Speciality.values)
    assert set(pool.values_list("kind", flat=True)) == set(TalentKind.values)
    assert set(pool.values_list("gender", flat=True)) == {"M", "F"}
    leaders = pool.filter(can_lead=True)
    assert 0.15 <= leaders.count() / pool.count() <= 0.25
    assert not leaders.filter(rank__lt=Rank.SECTION).exists()
    ages = [(today() - t.birth_date).days // 365 for t in pool]
    assert min(ages) >= 28 and max(ages) <= 62
    unavailable = pool.filter(available=False)
    assert 2 <= unavailable.count() <= 10 and not unavailable.filter(unavailable_reason="").exists()
    # The city's pool above (以上巡下, with leaders) and the sibling counties' (交叉).
    city = county.parent
    assert Talent.objects.filter(committee=city).count() >= 25
    assert Talent.objects.filter(committee=city, can_lead=True).exists()
    for sibling in Committee.objects.filter(parent=city).exclude(pk=county.pk):
        assert Talent.objects.filter(committee=sibling).count() >= 20


def test_id_numbers_are_valid_and_agree_with_birth_and_gender(county):
    for t in Talent.objects.all():
        assert id_number_valid(t.id_number), t.id_number
        assert birth_date(t.id_number) == t.birth_date and gender_of(t.id_number) == t.gender
    relatives = Relative.objects.all()
    assert relatives.count() >= Talent.objects.count()
    men = {"父亲", "儿子", "哥哥", "弟弟"}
    for r in relatives:
        assert id_number_valid(r.id_number), r.id_number
        if r.relation in men:
            assert gender_of(r.id_number) == "M", r.relation
    # Everyone has a work history of 2–4 posts before the present one (驻村 posts beside one's own aside).
    for t in Talent.objects.prefetch_related("work_periods"):
        posts = [w for w in t.work_periods.all() if not w.position.startswith("驻村")]
        assert 2 <= len(posts) <= 4, t.name


def test_the_units_a_user_picks_first_have_ties_of_every_kind(county):
    pool = Talent.objects.filter(committee=county)
    kinds_seen: Counter = Counter()
    for inspection, unit in _preparing(county):
        ties = ties_for(pool, unit, before_round_id=inspection.round_id)
        assert len(ties) >= 2, unit
        kinds_seen.update(tie.kind for found in ties.values() for tie in found)
    assert {TieKind.RELATIVE, TieKind.HOME, TieKind.WORKED, TieKind.DECLARED} <= set(kinds_seen)
    assert Declaration.objects.filter(kind="recusal_request").exists()
    township = Unit.objects.get(committee=county, name="双溪乡")
    ties = ties_for(pool, township)
    kinds = {tie.kind for found in ties.values() for tie in found}
    # 双溪乡 is in fieldwork now: the group stationed there "inspected it in the last round".
    assert kinds == {TieKind.WORKS, TieKind.WORKED, TieKind.RELATIVE, TieKind.HOME, TieKind.DECLARED,
                     TieKind.INSPECTED}
    # A relative in one of its villages counts for the township.
    in_villages = Talent.objects.filter(committee=county, relatives__unit__parent=township).distinct()
    assert in_villages.exists()
    assert all(any(tie.kind == TieKind.RELATIVE for tie in ties[t.pk]) for t in in_villages)


def test_the_finished_draw_verifies_and_picks_nobody_with_a_tie(county):
    drawn = Draw.objects.get(committee=county, status=DrawStatus.DRAWN)
    assert drawn.inspection.stage == Stage.PREPARE and drawn.inspection.units.filter(pk=drawn.unit_id).exists()
    assert drawn.unit.parent.name == "双溪乡"
    check = lots.verify(pool_services.draw_record(drawn))
    assert check.ok, check.problems
    assert drawn.witness_words.startswith("见证人")
    picked = Talent.objects.filter(pk__in=[p["id"] for p in drawn.picked])
    assert picked.count() == drawn.constraints["size"] == 5 and drawn.unmet == []
    assert not ties_for(picked, drawn.unit, before_round_id=drawn.inspection.round_id)
    # The group meets its constraints: a leader from the 组长库 at 正科 or above, finance/audit, 纪检, both genders,
    # no two from one unit.
    leader = Talent.objects.get(pk=next(p["id"] for p in drawn.picked if p["role"] == "leader"))
    assert leader.can_lead and leader.rank >= Rank.SECTION
    assert {t.speciality for t in picked} & {Speciality.FINANCE, Speciality.AUDIT}
    assert Speciality.DISCIPLINE in {t.speciality for t in picked}
    assert len({t.gender for t in picked}) == 2
    assert len({t.unit_id or t.unit_name for t in picked}) == 5
    # Several people excluded, for varied reasons: ties of four kinds at least, not available, serving, removed.
    kinds = {k for e in drawn.excluded for k in e["kinds"]}
    assert len(kinds) >= 4 and {TieKind.RELATIVE, TieKind.HOME} <= kinds
    reasons = " ".join(r for e in drawn.excluded for r in e["reasons"])
    removed = Talent.objects.filter(committee=county, standing=Standing.REMOVED)
    unavailable = Talent.objects.filter(committee=county, available=False)
    assert all(t.pk in {e["id"] for e in drawn.excluded} for t in [*removed, *unavailable])
    assert all(t.unavailable_reason in reasons for t in unavailable)
    assert sum(1 for e in drawn.excluded if not e["kinds"]) > len(removed) + len(unavailable)  # and the serving
    # The second draw is committed and waits for the office: nothing picked, the seed not shown yet.
    waiting = Draw.objects.get(committee=county, status=DrawStatus.COMMITTED)
    assert waiting.picked == [] and waiting.drawn_at is None and waiting.unit_id != drawn.unit_id


def test_many_draws_on_the_demo_pool_never_pick_a_tied_person(county):
    rng = random.Random("demo-draws")
    units = list(Unit.objects.filter(committee=county).order_by("id"))
    variants = [{}, {"size": 7}, {"leader_from_above": True}, {"cross_county": True}, {"work_years": 5}]
    for n, unit in enumerate(rng.sample(units, k=12)):
        constraints = variants[n % len(variants)]
        draw = pool_services.draw_commit(actor=None, unit=unit, constraints=constraints)
        draw = pool_services.draw_run(actor=None, draw=draw, witness_words=str(n), expected_version=draw.version)
        assert lots.verify(pool_services.draw_record(draw)).ok
        picked = Talent.objects.filter(pk__in=[p["id"] for p in draw.picked])
        assert not ties_for(picked, unit, work_years=draw.constraints["work_years"]), (unit, constraints)
        assert draw.unmet == [], (unit, constraints, draw.unmet)


def test_assessments_set_where_people_stand(county):
    assessed = Assessment.objects.filter(talent__committee=county)
    assert assessed.filter(assessor_role=AssessorRole.GROUP_LEADER).exists()
    assert assessed.filter(assessor_role=AssessorRole.OFFICE, assessor__username="office").exists()
    # Only groups whose inspections are past feedback are assessed; a group leader assesses the others.
    for a in assessed.filter(assessor_role=AssessorRole.GROUP_LEADER).select_related("group")[:200]:
        assert not a.group.inspections.exclude(stage__in=[Stage.RECTIFY, Stage.FOLLOW_UP, Stage.ARCHIVED]).exists()
        assert GroupMembership.objects.filter(group=a.group, user=a.assessor, role=GroupRole.LEADER).exists()
        assert a.assessed_on >= a.group.inspections.order_by("-feedback_on").first().feedback_on
    for t in Talent.objects.filter(committee=county).prefetch_related("assessments"):
        office = sorted((a for a in t.assessments.all() if a.assessor_role == AssessorRole.OFFICE),
                        key=lambda a: (a.assessed_on, a.pk))
        expected = STANDING_OF[office[-1].recommendation] if office else Standing.ACTIVE
        assert t.standing == expected, t.name
    standings = Counter(Talent.objects.filter(committee=county).values_list("standing", flat=True))
    assert standings[Standing.REMOVED] == 3 and standings[Standing.REMINDED] == 5
    assert standings[Standing.RECOMMENDED] >= 5


def test_the_group_in_the_field_keeps_its_discipline(county):
    inspection = demo_fieldwork_inspection(county)
    group = inspection.group
    assert group.memberships.get(user__username="inspector").role == GroupRole.LEADER
    entry = min(group.inspections.values_list("entry_on", flat=True))
    # The temporary party branch was formed at the first 组务会, the day everyone signed the pledge, before entry.
    signed = {timezone.localtime(m.pledge_signed_at).date() for m in group.memberships.all()}
    assert signed == {group.branch_formed_on} and group.branch_formed_on < entry
    first = Meeting.objects.filter(group=group).order_by("held_on").first()
    assert first.held_on == group.branch_formed_on and "临时党支部成立" in first.topic
    assert group.memberships.filter(branch_role="secretary").count() == 1
    # Sign-in for every member on every working day since entry; mostly present, leave and business away noted.
    days = [entry + datetime.timedelta(days=n) for n in range((today() - entry).days + 1)]
    workdays = [d for d in days if d.weekday() < 5]
    records = Attendance.objects.filter(membership__group=group)
    assert records.count() == len(workdays) * group.memberships.count()
    presence = Counter(records.values_list("presence", flat=True))
    assert presence[Presence.PRESENT] / records.count() >= 0.8
    assert presence[Presence.ON_LEAVE] and presence[Presence.AWAY] and presence[Presence.ABSENT] == 1
    assert not records.exclude(presence=Presence.PRESENT).filter(note="").exists()
    assert not records.filter(presence=Presence.PRESENT, signed_at__isnull=True).exists()
    assert WorkLog.objects.filter(membership__group=group).count() >= len(workdays) * 3
    meetings = Meeting.objects.filter(group=group)
    assert 3 <= meetings.count() <= 4 and all(m.attendees.exists() and m.decisions for m in meetings)
    requests = GroupRequest.objects.filter(group=group)
    assert 2 <= requests.count() <= 3
    assert {r.status for r in requests} == {RequestStatus.ANSWERED, RequestStatus.SUBMITTED}
    assert all(r.answer and r.answered_on >= r.submitted_on for r in requests.filter(status=RequestStatus.ANSWERED))
    # `inspector` signed this group's pledge: the group's inspections are theirs to read.
    assert inspections_of_group_member(viewer=User.objects.get(username="inspector")).filter(group=group).exists()


def test_the_unsigned_pledge_account_sees_nothing_of_its_group(county, client):
    account = User.objects.get(username="inspector2")
    membership = GroupMembership.objects.get(user=account)
    assert membership.role == GroupRole.LEADER and membership.pledge_signed_at is None
    group = membership.group
    assert set(group.inspections.values_list("stage", flat=True)) == {Stage.PREPARE}
    assert not inspection_list(viewer=account).filter(group=group).exists()
    assert client.login(username="inspector2", password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200
    first = group.inspections.order_by("id").first()
    assert client.get(f"/inspections/{first.pk}/").status_code == 404
    # Signing the pledge is all it takes.
    from xuncha.groupwork.services import pledge_sign

    pledge_sign(actor=account, membership=membership)
    assert inspection_list(viewer=account).filter(group=group).count() == group.inspections.count()
    assert client.get(f"/inspections/{first.pk}/").status_code == 200


def test_the_post_evaluation_at_seed_scale(county):
    from xuncha.surveys.models import Survey
    from xuncha.surveys.selectors import survey_tally

    surveys = Survey.objects.filter(inspection__round__committee=county, purpose="evaluation", status="closed")
    big = max(surveys, key=lambda s: s.responses.count())
    figures = survey_tally(big)
    assert figures.responses == 872 and figures.tokens_issued == 900
    assert figures.suggestions == 47
    assert figures.satisfaction == Decimal("99.82")
    assert big.opens_on == big.inspection.feedback_on + datetime.timedelta(days=7)
