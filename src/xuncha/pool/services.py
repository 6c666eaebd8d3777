"""Writes of the pool: the draw (commit, then draw), with recusal applied. Pool members, their ties, imports and
assessments are written in `members.py`.

A draw is two writes so that its fairness can be proven (see `draw.py`): `draw_commit` fixes the candidates and
the hash of a secret seed, audited before anyone can know the result; `draw_run` takes the witnesses' words,
picks, and reveals the seed. `xuncha pool verify-draw <id>` replays it from the record alone.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.org.models import Committee, Unit, User
from xuncha.pool import draw as lots
from xuncha.pool.models import Draw, DrawStatus, Rank, Speciality, Standing, Talent
from xuncha.pool.recusal import busy_accounts, ties_for
from xuncha.rounds.models import Inspection, Stage
from xuncha.rounds.services import require_office

BOOLEAN_CONSTRAINTS = ("finance_or_audit", "discipline", "mixed_gender", "distinct_units", "leader_from_above",
                       "cross_county")
SIZE_LIMITS = (3, 15)


def clean_constraints(data: dict[str, Any] | None) -> dict[str, Any]:
    """The constraints of a draw, completed with the defaults and checked."""
    c = dict(lots.DEFAULT_CONSTRAINTS)
    for key, value in (data or {}).items():
        if key not in c:
            raise ValidationFailed(_("Unknown constraint: %(key)s.") % {"key": key})
        c[key] = value
    try:
        for key in ("size", "min_size", "max_size", "leader_min_rank", "work_years"):
            c[key] = int(c[key])
    except (TypeError, ValueError):
        raise ValidationFailed(_("Group size, rank and years must be whole numbers.")) from None
    for key in BOOLEAN_CONSTRAINTS:
        c[key] = bool(c[key])
    low, high = SIZE_LIMITS
    if not low <= c["min_size"] <= c["max_size"] <= high:
        raise ValidationFailed(_("The group size limits must lie between %(low)s and %(high)s, smallest first.")
                               % {"low": low, "high": high}, field="size")
    if not c["min_size"] <= c["size"] <= c["max_size"]:
        raise ValidationFailed(_("A group has between %(min)s and %(max)s people.")
                               % {"min": c["min_size"], "max": c["max_size"]}, field="size")
    if c["leader_min_rank"] not in Rank.values:
        raise ValidationFailed(_("Choose the leader's minimum rank from the list."), field="leader_min_rank")
    if not 0 <= c["work_years"] <= 60:
        raise ValidationFailed(_("Years of past work to avoid: 0 (ever) to 60."), field="work_years")
    return c


def draw_organiser(unit: Unit, constraints: dict[str, Any]) -> Committee:
    """Who draws: the unit's committee, or the level above for 以上巡下 and 交叉 (the city arranges both)."""
    committee = unit.committee
    if constraints["leader_from_above"] or constraints["cross_county"]:
        if committee.parent is None:
            raise ValidationFailed(_("%(committee)s has no level above it: neither 以上巡下 nor 交叉 is possible.")
                                   % {"committee": committee})
        return committee.parent
    return committee


def _pools(unit: Unit, c: dict[str, Any]) -> tuple[set[int], set[int]]:
    """The committees whose pools give the members and the leader."""
    own = unit.committee
    if c["cross_county"]:
        members = set(Committee.objects.filter(parent_id=own.parent_id).exclude(pk=own.pk).values_list(
            "pk", flat=True))
        if not members:
            raise ValidationFailed(_("交叉 needs another committee at the level of %(committee)s.")
                                   % {"committee": own})
    else:
        members = {own.pk}
    leaders = {own.parent_id} if c["leader_from_above"] else members
    return members, leaders


def _candidate(t: Talent, c: dict[str, Any], member_pools: set[int], leader_pools: set[int]) -> dict[str, Any]:
    return {
        "id": t.pk, "name": t.name, "committee_id": t.committee_id, "gender": t.gender,
        "speciality": t.speciality, "rank": t.rank,
        # Two people "from the same unit": the same managed unit, or the same typed name.
        "unit_key": f"u{t.unit_id}" if t.unit_id else f"n{''.join(t.unit_name.split())}",
        "lead_ok": bool(t.can_lead and t.rank >= c["leader_min_rank"] and t.committee_id in leader_pools),
        "member_ok": t.committee_id in member_pools,
    }


def _eligibility(unit: Unit, c: dict[str, Any], inspection: Inspection | None):
    member_pools, leader_pools = _pools(unit, c)
    talents = list(Talent.objects.filter(committee_id__in=member_pools | leader_pools)
                   .select_related("committee").order_by("pk"))
    round_id = inspection.round_id if inspection else None
    ties = ties_for(talents, unit, work_years=c["work_years"], before_round_id=round_id)
    busy = busy_accounts(before_round_id=round_id)
    snapshot, excluded = [], []
    for t in talents:
        cand = _candidate(t, c, member_pools, leader_pools)
        if not (cand["lead_ok"] or cand["member_ok"]):
            continue  # a pool above, drawn from only for the leader: only its leaders are candidates
        reasons = [tie.explanation for tie in ties.get(t.pk, [])]
        if t.standing == Standing.REMOVED:
            reasons.append(_("Removed from the pool after an assessment."))
        if not t.available:
            reasons.append(_("Not available: %(why)s") % {"why": t.unavailable_reason or _("no reason given")})
        if t.account_id in busy:
            reasons.append(_("Already serving on %(group)s.") % {"group": busy[t.account_id]})
        if reasons:
            excluded.append({"id": t.pk, "name": t.name, "committee": str(t.committee),
                             "kinds": sorted({tie.kind for tie in ties.get(t.pk, [])}), "reasons": reasons})
        else:
            snapshot.append(cand)
    return snapshot, excluded


@transaction.atomic
def draw_commit(*, actor: User | None, unit: Unit, constraints: dict[str, Any] | None = None,
                inspection: Inspection | None = None) -> Draw:
    """Fix the candidates and commit to a secret seed. Nothing is picked yet."""
    c = clean_constraints(constraints)
    organiser = draw_organiser(unit, c)
    require_office(actor, organiser)
    if inspection is not None:
        if not inspection.units.filter(pk=unit.pk).exists():
            raise ValidationFailed(_("The inspection does not cover %(unit)s.") % {"unit": unit})
        if inspection.stage != Stage.PREPARE:
            raise ValidationFailed(_("A group is drawn while its inspection is in preparation."))
    snapshot, excluded = _eligibility(unit, c, inspection)
    seed = secrets.token_hex(32)
    draw = Draw.objects.create(
        committee=organiser, unit=unit, inspection=inspection, constraints=c, snapshot=snapshot,
        snapshot_digest=lots.sha256(lots.canonical(snapshot)), excluded=excluded, commitment=lots.sha256(seed),
        seed=seed, committed_by=actor if actor and actor.pk else None)
    audit_record(actor=actor, action="pool.draw_commit", obj=draw, after={
        "unit": str(unit), "constraints": c, "commitment": draw.commitment, "snapshot_digest": draw.snapshot_digest,
        "candidates": len(snapshot), "excluded": len(excluded)}, committee_path=organiser.path)
    return draw


@transaction.atomic
def draw_run(*, actor: User | None, draw: Draw, witness_words: str = "", expected_version: int | None) -> Draw:
    """Draw the group from the committed candidates and reveal the seed."""
    require_office(actor, draw.committee)
    locked = lock_for_update(Draw, pk=draw.pk, expected_version=expected_version)
    if locked.status != DrawStatus.COMMITTED:
        raise TransitionRefused(_("This draw has already been made; make a new one if it must be redone."))
    words = " ".join((witness_words or "").split())
    if len(words) > 100:
        raise ValidationFailed(_("The witnesses' words: at most 100 characters."), field="witness_words")
    outcome = lots.pick(locked.snapshot, locked.constraints,
                        lots.randomness(locked.seed, words, locked.snapshot_digest))
    locked.witness_words, locked.picked, locked.unmet = words, outcome.picked, outcome.unmet
    locked.status, locked.drawn_at = DrawStatus.DRAWN, timezone.now()
    locked.drawn_by = actor if actor and actor.pk else None
    bump_version(locked)
    locked.save()
    audit_record(actor=actor, action="pool.draw_run", obj=locked, before={"status": DrawStatus.COMMITTED}, after={
        "status": DrawStatus.DRAWN, "seed": locked.seed, "witness_words": words,
        "picked": [p["id"] for p in outcome.picked], "unmet": [u["code"] for u in outcome.unmet]},
        committee_path=locked.committee.path)
    return locked


def draw_record(draw: Draw) -> dict[str, Any]:
    """What `draw.verify` replays."""
    return {"commitment": draw.commitment, "seed": draw.seed, "witness_words": draw.witness_words,
            "snapshot": draw.snapshot, "snapshot_digest": draw.snapshot_digest, "constraints": draw.constraints,
            "picked": draw.picked, "unmet": draw.unmet}


def unmet_words(item: dict[str, Any]) -> str:
    code = item["code"]
    if code == "no_leader":
        rank = Rank(item["min_rank"]).label
        if item.get("from_above"):
            return _("No eligible leader of at least %(rank)s in the pool of the level above.") % {"rank": rank}
        return _("No eligible leader of at least %(rank)s in the group-leader pool.") % {"rank": rank}
    if code == "finance_or_audit":
        return _("No eligible member with a finance or audit speciality.")
    if code == "discipline":
        return _("No eligible member from discipline inspection.")
    if code == "mixed_gender":
        return _("The eligible people left are all of one gender: the group is not mixed.")
    if code == "size":
        return _("Only %(found)s eligible people could be placed; the group should have %(wanted)s.") % item
    return code


def because_words(because: str) -> str:
    return {
        "leader": _("group leader, first lot among the eligible leaders"),
        "finance_or_audit": _("first lot with a finance or audit speciality"),
        "discipline": _("first lot from discipline inspection"),
        "fill": _("next lot"),
        "gender": _("first lot of the other gender"),
    }.get(because, because)


SPECIALITY_NEEDED = {"finance_or_audit": [Speciality.FINANCE, Speciality.AUDIT], "discipline": [Speciality.DISCIPLINE]}


# ---------------------------------------------------------------- putting a drawn group on its inspection

@transaction.atomic
def draw_apply(*, actor: User | None, draw: Draw, expected_version: int | None = None) -> dict[str, Any]:
    """Put the drawn group on the draw's inspection (in preparation): the drawn leader becomes the group leader and
    the secretary of its temporary party branch, the others join as members.

    It adds and never removes. A member already in the group who was not drawn stays (a previous leader stays as a
    member): a membership holds its signed pledge, sign-ins and work logs, which removing it would destroy, so
    taking someone off is the office's own act. Everyone drawn needs an active inspector account (Talent.account);
    if one has none, nothing is applied and the refusal names them. Returns what changed, for the page to say.
    """
    from xuncha.org.models import Role
    from xuncha.rounds.models import BranchRole, GroupMembership, GroupRole

    require_office(actor, draw.committee)
    locked = lock_for_update(Draw, pk=draw.pk, expected_version=expected_version)
    if locked.status != DrawStatus.DRAWN:
        raise TransitionRefused(_("Make the draw before applying its group."))
    inspection = (Inspection.objects.select_related("round__committee", "group").filter(pk=locked.inspection_id)
                  .first())
    if inspection is None:
        raise TransitionRefused(_("This draw is not linked to an inspection: there is no group to apply it to."))
    require_office(actor, inspection.round.committee)
    if inspection.stage != Stage.PREPARE:
        raise TransitionRefused(_("The inspection has left preparation: its group is no longer changed from a draw."))
    names = {c["id"]: c.get("name", "") for c in locked.snapshot}
    talents = Talent.objects.select_related("account").in_bulk([p["id"] for p in locked.picked])
    no_account, not_inspector = [], []
    for p in locked.picked:
        talent = talents.get(p["id"])
        if talent is None or talent.account is None:
            no_account.append(talent.name if talent else names.get(p["id"], f"#{p['id']}"))
        elif talent.account.role != Role.INSPECTOR or not talent.account.is_active:
            not_inspector.append(talent.name)
    if no_account or not_inspector:
        parts = []
        if no_account:
            parts.append(_("without a platform account: %(names)s") % {"names": "、".join(no_account)})
        if not_inspector:
            parts.append(_("whose account is not an active inspector account: %(names)s")
                         % {"names": "、".join(not_inspector)})
        raise ValidationFailed(_("Nothing was applied. Give these people an inspector account first (%(who)s), "
                                 "then apply the group again.") % {"who": "；".join(parts)})
    group = inspection.group
    memberships = {m.user_id: m for m in GroupMembership.objects.select_for_update().filter(group=group)
                   .select_related("user")}
    leader = next((talents[p["id"]].account for p in locked.picked if p["role"] == "leader"), None)
    added, made_leader, stepped_down = [], [], []
    if leader is not None:
        for m in memberships.values():
            if m.user_id != leader.pk and (m.role == GroupRole.LEADER or m.branch_role == BranchRole.SECRETARY):
                if m.role == GroupRole.LEADER:
                    stepped_down.append(str(m.user))
                m.role = GroupRole.MEMBER if m.role == GroupRole.LEADER else m.role
                m.branch_role = BranchRole.MEMBER if m.branch_role == BranchRole.SECRETARY else m.branch_role
                m.save(update_fields=["role", "branch_role"])
    for p in locked.picked:
        account = talents[p["id"]].account
        is_leader = p["role"] == "leader"
        m = memberships.get(account.pk)
        if m is None:
            memberships[account.pk] = GroupMembership.objects.create(
                group=group, user=account, role=GroupRole.LEADER if is_leader else GroupRole.MEMBER,
                branch_role=BranchRole.SECRETARY if is_leader else BranchRole.MEMBER)
            added.append(str(account))
        elif is_leader and (m.role != GroupRole.LEADER or m.branch_role != BranchRole.SECRETARY):
            m.role, m.branch_role = GroupRole.LEADER, BranchRole.SECRETARY
            m.save(update_fields=["role", "branch_role"])
            made_leader.append(str(account))
    if not (added or made_leader or stepped_down):
        raise TransitionRefused(_("The drawn group is already on the inspection: nothing was changed."))
    drawn_accounts = {talents[p["id"]].account_id for p in locked.picked}
    kept = [str(m.user) for uid, m in memberships.items() if uid not in drawn_accounts]
    bump_version(locked)
    locked.save(update_fields=["version"])
    result = {"group": group, "inspection": inspection, "added": added, "leader": str(leader) if leader else "",
              "stepped_down": stepped_down, "kept": kept}
    audit_record(actor=actor, action="pool.draw_apply", obj=locked, after={
        "inspection": inspection.pk, "group": group.name, "added": added, "made_leader": made_leader,
        "leader": result["leader"], "stepped_down": stepped_down, "kept_not_drawn": kept},
        committee_path=inspection.round.committee.path)
    return result
