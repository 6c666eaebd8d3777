"""The draw itself: a pure function of the recorded candidates, the constraints and the revealed seed.

Nothing here reads the database or the clock, so `verify-draw` (and anyone with the record and any SHA-256
implementation) replays a draw exactly:

1. Before the draw the office records `commitment = SHA-256(seed)` and `snapshot_digest = SHA-256(snapshot)`;
   the seed itself stays unseen.
2. At the draw the witnesses may add words of their own (a number, a phrase). The randomness is
   `SHA-256(seed | witness words | snapshot digest)`, so neither the office (bound by its commitment) nor the
   witnesses (who speak after the commitment and without the seed) can steer it.
3. Each candidate's lot is `SHA-256(randomness : candidate id)`; candidates are taken in the order of their lots,
   the leader first, then the required specialities, then the rest, skipping anyone who would break a rule.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

FINANCE_OR_AUDIT = ("finance", "audit")
DISCIPLINE = "discipline"

# The constraints and their defaults. `work_years` (0: ever) belongs to recusal, not to the pick.
DEFAULT_CONSTRAINTS: dict[str, Any] = {
    "size": 5,
    "min_size": 5,
    "max_size": 7,
    "leader_min_rank": 3,
    "finance_or_audit": True,
    "discipline": True,
    "mixed_gender": True,
    "distinct_units": True,
    "leader_from_above": False,
    "cross_county": False,
    "work_years": 0,
}


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def randomness(seed: str, witness_words: str, snapshot_digest: str) -> str:
    return sha256(f"{seed}|{witness_words}|{snapshot_digest}")


def lot(rand: str, candidate_id: int) -> str:
    return sha256(f"{rand}:{candidate_id}")


@dataclass
class Outcome:
    # Each pick: {"id", "role": "leader"|"member", "because": "leader"|"finance_or_audit"|"discipline"|"fill"|"gender"}
    picked: list[dict[str, Any]] = field(default_factory=list)
    # Each unmet constraint: {"code": …, **figures}
    unmet: list[dict[str, Any]] = field(default_factory=list)


def pick(candidates: list[dict[str, Any]], constraints: dict[str, Any], rand: str) -> Outcome:
    """Choose the group. A candidate is {"id", "gender", "speciality", "unit_key", "lead_ok", "member_ok"}; all of
    them are eligible already (recusal and availability were applied when the snapshot was taken)."""
    c = {**DEFAULT_CONSTRAINTS, **constraints}
    order = sorted(candidates, key=lambda x: lot(rand, x["id"]))
    out = Outcome()
    chosen: list[dict[str, Any]] = []

    def fits(x: dict[str, Any], among: list[dict[str, Any]]) -> bool:
        if any(p["id"] == x["id"] for p in among):
            return False
        return not (c["distinct_units"] and any(p["unit_key"] == x["unit_key"] for p in among))

    def take(x: dict[str, Any], role: str, because: str) -> None:
        chosen.append(x)
        out.picked.append({"id": x["id"], "role": role, "because": because})

    leader = next((x for x in order if x["lead_ok"] and fits(x, chosen)), None)
    if leader is None:
        out.unmet.append({"code": "no_leader", "min_rank": c["leader_min_rank"],
                          "from_above": bool(c["leader_from_above"])})
    else:
        take(leader, "leader", "leader")

    size = int(c["size"])
    for wanted, specialities in (("finance_or_audit", FINANCE_OR_AUDIT), ("discipline", (DISCIPLINE,))):
        if not c[wanted] or any(x["speciality"] in specialities for x in chosen):
            continue
        if len(chosen) >= size:
            out.unmet.append({"code": wanted})
            continue
        found = next((x for x in order if x["member_ok"] and x["speciality"] in specialities and fits(x, chosen)),
                     None)
        if found is None:
            out.unmet.append({"code": wanted})
        else:
            take(found, "member", wanted)

    for x in order:
        if len(chosen) >= size:
            break
        if x["member_ok"] and fits(x, chosen):
            take(x, "member", "fill")

    if c["mixed_gender"] and chosen and len({x["gender"] for x in chosen}) < 2:
        _mix_genders(order, chosen, out, fits)

    if len(chosen) < size:
        out.unmet.append({"code": "size", "wanted": size, "found": len(chosen)})
    return out


def _mix_genders(order, chosen, out: Outcome, fits) -> None:
    """Swap the last member taken only to fill for the next candidate of the other gender, in lot order."""
    gender = chosen[0]["gender"]
    if len(chosen) < 2:  # one person is one gender, whoever it is
        out.unmet.append({"code": "mixed_gender"})
        return
    for i in range(len(out.picked) - 1, -1, -1):
        if out.picked[i]["because"] != "fill":
            continue
        others = chosen[:i] + chosen[i + 1:]
        newcomer = next((x for x in order if x["member_ok"] and x["gender"] != gender and fits(x, others)), None)
        if newcomer is None:
            break
        chosen[i] = newcomer
        out.picked[i] = {"id": newcomer["id"], "role": "member", "because": "gender"}
        return
    out.unmet.append({"code": "mixed_gender"})


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: list[str]
    picked: list[dict[str, Any]]
    unmet: list[dict[str, Any]]


def verify(record: dict[str, Any]) -> Verification:
    """Replay a draw from its record: {"commitment", "seed", "witness_words", "snapshot", "snapshot_digest",
    "constraints", "picked", "unmet"}. Every check that fails is named."""
    problems = []
    if sha256(record["seed"]) != record["commitment"]:
        problems.append("the revealed seed does not hash to the commitment recorded before the draw")
    if sha256(canonical(record["snapshot"])) != record["snapshot_digest"]:
        problems.append("the candidate list differs from the one whose digest was recorded before the draw")
    rand = randomness(record["seed"], record["witness_words"], record["snapshot_digest"])
    outcome = pick(record["snapshot"], record["constraints"], rand)
    if outcome.picked != record["picked"]:
        problems.append("replaying the draw picks a different group than the one recorded")
    if outcome.unmet != record["unmet"]:
        problems.append("replaying the draw reports different unmet constraints than the ones recorded")
    return Verification(not problems, problems, outcome.picked, outcome.unmet)
