"""回避: every tie between a pool member and a unit to inspect, found in the data and explained in words.

A tie with the unit counts for its subordinate units too (a township and its villages, a department and the
institutions under it): inspecting the parent reaches them. Names typed for units outside the platform (an
imported work history, a relative's employer) are matched to the unit's own names as well as to its record.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from xuncha.core.dates import today
from xuncha.core.text import comparable
from xuncha.org.models import Unit
from xuncha.pool.models import Declaration, Relative, Talent, WorkPeriod
from xuncha.rounds.models import GroupMembership, Inspection, Stage


class TieKind:
    WORKS = "works"
    WORKED = "worked"
    RELATIVE = "relative"
    HOME = "home"
    DECLARED = "declared"
    INSPECTED = "inspected"


@dataclass(frozen=True)
class Tie:
    kind: str
    explanation: str


def unit_family(unit: Unit) -> list[Unit]:
    """The unit and every unit below it."""
    family, frontier = [unit], [unit.pk]
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier).select_related("parent"))
        family += children
        frontier = [u.pk for u in children]
    return family


def _names(family: list[Unit]) -> dict[str, Unit]:
    """The names a unit of the family goes by (Unit.known_names), comparable."""
    return {comparable(name): u for u in family for name in u.known_names()}


def _matches(unit_id: int | None, unit_name: str, ids: dict[int, Unit], names: dict[str, Unit]) -> Unit | None:
    if unit_id is not None and unit_id in ids:
        return ids[unit_id]
    return names.get(comparable(unit_name)) if unit_name else None


def _d(day: datetime.date | None) -> str:
    return day.strftime("%Y-%m-%d") if day else ""


def last_inspection_of(unit: Unit, *, before_round_id: int | None = None) -> Inspection | None:
    """上一轮: the most recent inspection that went in to the unit (past preparation), other than one of the round
    being staffed. A group still preparing has inspected nothing yet."""
    qs = Inspection.objects.filter(units=unit).exclude(stage=Stage.PREPARE).select_related("round", "group")
    if before_round_id:
        qs = qs.exclude(round_id=before_round_id)
    return qs.order_by("-round__year", "-round__number", "-id").first()


def ties_for(talents: Iterable[Talent], unit: Unit, *, work_years: int = 0, on: datetime.date | None = None,
             before_round_id: int | None = None) -> dict[int, list[Tie]]:
    """Every tie of each talent with `unit`, in a handful of queries whatever the size of the pool."""
    on = on or today()
    talents = list(talents)
    ids = [t.pk for t in talents]
    family = unit_family(unit)
    by_id = {u.pk: u for u in family}
    names = _names(family)
    found: dict[int, list[Tie]] = defaultdict(list)

    def where(u: Unit) -> str:
        return str(u) if u.pk == unit.pk else _("%(sub)s (under %(unit)s)") % {"sub": u, "unit": unit}

    for t in talents:
        u = _matches(t.unit_id, t.unit_name, by_id, names)
        if u is not None:
            found[t.pk].append(Tie(TieKind.WORKS, _("Works at %(unit)s now.") % {"unit": where(u)}))

    cutoff = datetime.date(on.year - work_years, on.month, min(on.day, 28)) if work_years else None
    for w in WorkPeriod.objects.filter(talent_id__in=ids).order_by("started_on"):
        u = _matches(w.unit_id, w.unit_name, by_id, names)
        if u is None or (cutoff and w.ended_on and w.ended_on < cutoff):
            continue
        if w.ended_on is None:
            words = _("Has worked at %(unit)s since %(start)s.") % {"unit": where(u), "start": _d(w.started_on)}
        else:
            words = _("Worked at %(unit)s from %(start)s to %(end)s.") % {
                "unit": where(u), "start": _d(w.started_on), "end": _d(w.ended_on)}
        found[w.talent_id].append(Tie(TieKind.WORKED, words))

    for r in Relative.objects.filter(talent_id__in=ids):
        u = _matches(r.unit_id, r.unit_name, by_id, names)
        if u is not None:
            found[r.talent_id].append(Tie(TieKind.RELATIVE, _("Their %(relation)s %(name)s works at %(unit)s.") % {
                "relation": r.relation, "name": r.name, "unit": where(u)}))

    for t in talents:
        home = [h for h in (t.home_township_id, t.home_village_id) if h]
        hit = next((by_id[h] for h in home if h in by_id), None)
        if hit is not None:
            found[t.pk].append(Tie(TieKind.HOME, _("Comes from %(unit)s.") % {"unit": where(hit)}))

    for d in Declaration.objects.filter(talent_id__in=ids, unit_id__in=by_id).select_related("unit"):
        found[d.talent_id].append(Tie(TieKind.DECLARED, _("Declared on %(on)s: %(kind)s%(leader)s, %(reason)s") % {
            "on": _d(d.declared_on), "kind": d.get_kind_display(),
            "leader": f"（{d.leader}）" if d.leader else "", "reason": d.reason}))

    last = last_inspection_of(unit, before_round_id=before_round_id)
    if last is not None:
        accounts = {t.account_id: t.pk for t in talents if t.account_id}
        for m in GroupMembership.objects.filter(group=last.group, user_id__in=accounts):
            found[accounts[m.user_id]].append(Tie(TieKind.INSPECTED, _(
                "Inspected %(unit)s in the last round (%(round)s, %(group)s).") % {
                "unit": unit, "round": last.round, "group": last.group.name}))
    return {pk: found[pk] for pk in ids if found.get(pk)}


def busy_accounts(*, before_round_id: int | None = None) -> dict[int, str]:
    """Accounts serving on a group whose inspection has not yet reached feedback: account id → group words."""
    busy: dict[int, str] = {}
    rows = (GroupMembership.objects.filter(group__inspections__stage__in=["prepare", "fieldwork", "report"])
            .exclude(Q(group__round_id=before_round_id) if before_round_id else Q(pk__in=[]))
            .select_related("group__round"))
    for m in rows:
        busy.setdefault(m.user_id, f"{m.group.round} {m.group.name}")
    return busy
