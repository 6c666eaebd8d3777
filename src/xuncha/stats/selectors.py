"""The figures every 巡察办 reports, computed from the records the viewer may see.

The UI, the API, the tests and the benchmark all call these functions, so a figure on a page is
the figure in a report.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from xuncha.core.rates import percentage
from xuncha.findings.models import FED_BACK_STATUSES, Category, Problem, ProblemStatus, Suggestion
from xuncha.findings.selectors import _subtree_q, clue_list, problem_list, suggestion_list
from xuncha.org.models import Committee, Unit, User
from xuncha.org.selectors import committee_list
from xuncha.rounds.models import Inspection, Stage, TermPlan
from xuncha.rounds.selectors import plan_list


@dataclass(frozen=True)
class Metrics:
    problems_found: int
    problems_fed_back: int
    problems_rectified: int
    rectification_rate: Decimal | None
    clues_handed_over: int
    clues_disposed: int
    clue_disposal_rate: Decimal | None
    suggestions_made: int
    suggestions_completed: int
    suggestion_completion_rate: Decimal | None

    def as_dict(self) -> dict:
        return asdict(self)


def metrics(*, viewer: User, round_id: int | None = None, inspection_id: int | None = None,
            unit_id: int | None = None, committee_id: int | None = None) -> Metrics:
    """整改率, 线索处置率, 意见建议办结率 for a round, an inspection, a unit or a committee subtree."""
    problems = problem_list(viewer=viewer, round_id=round_id, inspection_id=inspection_id, unit_id=unit_id)
    clues = clue_list(viewer=viewer, round_id=round_id, inspection_id=inspection_id, unit_id=unit_id)
    suggestions = suggestion_list(viewer=viewer, round_id=round_id, inspection_id=inspection_id, unit_id=unit_id)
    if committee_id is not None:
        committee = get_object_or_404(committee_list(viewer=viewer), pk=committee_id)
        in_subtree = _subtree_q(committee.path)
        problems, clues, suggestions = (problems.filter(in_subtree), clues.filter(in_subtree),
                                        suggestions.filter(in_subtree))
    p = problems.order_by().aggregate(
        found=Count("id"),
        fed_back=Count("id", filter=Q(status__in=FED_BACK_STATUSES)),
        rectified=Count("id", filter=Q(status=ProblemStatus.RECTIFIED)),
    )
    c = clues.order_by().aggregate(handed=Count("id"), disposed=Count("id", filter=~Q(disposal="")))
    s = suggestions.order_by().aggregate(
        made=Count("id"), completed=Count("id", filter=Q(status=Suggestion.Status.COMPLETED))
    )
    return Metrics(
        problems_found=p["found"],
        problems_fed_back=p["fed_back"],
        problems_rectified=p["rectified"],
        rectification_rate=percentage(p["rectified"], p["fed_back"]),
        clues_handed_over=c["handed"],
        clues_disposed=c["disposed"],
        clue_disposal_rate=percentage(c["disposed"], c["handed"]),
        suggestions_made=s["made"],
        suggestions_completed=s["completed"],
        suggestion_completion_rate=percentage(s["completed"], s["made"]),
    )


@dataclass(frozen=True)
class ClueFigures:
    handed_over: int
    disposed: int
    disposal_rate: Decimal | None  # 线索处置率, as in metrics()
    avg_days_to_disposal: Decimal | None  # mean days from hand-over to disposal, one decimal
    overdue: int  # without disposal after the committee's answer period

    def as_dict(self) -> dict:
        return asdict(self)


def clue_figures(*, viewer: User, round_id: int | None = None, inspection_id: int | None = None,
                 unit_id: int | None = None, on: datetime.date | None = None) -> ClueFigures:
    """线索处置率, the average days to a disposal and the clues overdue, over the clues the viewer may see."""
    clues = clue_list(viewer=viewer, round_id=round_id, inspection_id=inspection_id, unit_id=unit_id)
    c = clues.order_by().aggregate(handed=Count("id"), disposed=Count("id", filter=~Q(disposal="")))
    spans = [(disposed - handed).days for handed, disposed in
             clues.exclude(disposal="").order_by().values_list("handed_over_on", "disposed_on")]
    average = None
    if spans:
        average = (Decimal(sum(spans)) / Decimal(len(spans))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    overdue = clue_list(viewer=viewer, round_id=round_id, inspection_id=inspection_id, unit_id=unit_id,
                        overdue=True, on=on).count()
    return ClueFigures(handed_over=c["handed"], disposed=c["disposed"],
                       disposal_rate=percentage(c["disposed"], c["handed"]), avg_days_to_disposal=average,
                       overdue=overdue)


@dataclass(frozen=True)
class Coverage:
    committee_id: int
    committee_name: str
    plan_id: int | None
    first_year: int | None
    last_year: int | None
    units_managed: int
    units_inspected: int
    coverage_rate: Decimal | None
    target: Decimal | None

    def as_dict(self) -> dict:
        return asdict(self)


def coverage(*, viewer: User, committee_id: int, plan_id: int | None = None) -> Coverage:
    """巡察覆盖率: units inspected at least once in the term / units the committee manages.

    A unit counts as inspected once an inspection of it has reached fieldwork (进驻).
    Without a plan the committee's latest term plan is used.
    """
    committee = get_object_or_404(committee_list(viewer=viewer), pk=committee_id)
    plans = plan_list(viewer=viewer).filter(committee=committee)
    plan = get_object_or_404(plans, pk=plan_id) if plan_id else plans.order_by("-start_year", "-pk").first()
    managed = Unit.objects.filter(committee=committee, is_active=True)
    inspected_q = Inspection.objects.exclude(stage=Stage.PREPARE).filter(units__committee=committee)
    if plan is not None:
        inspected_q = inspected_q.filter(round__year__gte=plan.start_year, round__year__lte=plan.end_year)
    inspected = managed.filter(pk__in=inspected_q.values("units")).count()
    total = managed.count()
    return Coverage(
        committee_id=committee.pk, committee_name=committee.name, plan_id=plan.pk if plan else None,
        first_year=plan.start_year if plan else None, last_year=plan.end_year if plan else None,
        units_managed=total, units_inspected=inspected, coverage_rate=percentage(inspected, total),
        target=plan.coverage_target if plan else None,
    )


def coverage_by_committee(*, viewer: User) -> list[Coverage]:
    """Coverage of every committee in the viewer's scope that has a term plan.

    The figures `coverage` gives for each committee, computed in four grouped queries instead of four
    per committee (a provincial office has a hundred-odd committees: bench/run.py, 2.3 s → tens of ms).
    """
    committees = list(committee_list(viewer=viewer).filter(
        pk__in=TermPlan.objects.values("committee")).order_by("path"))
    if not committees:
        return []
    ids = [c.pk for c in committees]
    latest: dict[int, TermPlan] = {}
    for plan in plan_list(viewer=viewer).filter(committee_id__in=ids).order_by("committee_id", "-start_year", "-pk"):
        latest.setdefault(plan.committee_id, plan)
    managed = Unit.objects.filter(committee_id__in=ids, is_active=True).order_by()
    totals = dict(managed.values("committee_id").annotate(n=Count("id")).values_list("committee_id", "n"))
    # A unit counts once it is among the units of an inspection past preparation, in the plan's years.
    by_years: dict[tuple[int, int] | None, list[int]] = {}
    for committee_id in ids:
        plan = latest.get(committee_id)
        by_years.setdefault((plan.start_year, plan.end_year) if plan else None, []).append(committee_id)
    inspected: dict[int, int] = {}
    for years, members in by_years.items():
        counted = Inspection.objects.exclude(stage=Stage.PREPARE)
        if years is not None:
            counted = counted.filter(round__year__gte=years[0], round__year__lte=years[1])
        links = Inspection.units.through.objects.filter(inspection_id__in=counted.values("pk")).values("unit_id")
        units = managed.filter(committee_id__in=members, pk__in=links)
        inspected.update(units.values("committee_id").annotate(n=Count("id")).values_list("committee_id", "n"))
    rows = []
    for committee in committees:
        plan, total, done = latest.get(committee.pk), totals.get(committee.pk, 0), inspected.get(committee.pk, 0)
        rows.append(Coverage(
            committee_id=committee.pk, committee_name=committee.name, plan_id=plan.pk if plan else None,
            first_year=plan.start_year if plan else None, last_year=plan.end_year if plan else None,
            units_managed=total, units_inspected=done, coverage_rate=percentage(done, total),
            target=plan.coverage_target if plan else None,
        ))
    return rows


def problems_by_category(*, viewer: User, round_id: int | None = None,
                         committee_id: int | None = None) -> list[dict]:
    qs = problem_list(viewer=viewer, round_id=round_id, committee_id=committee_id)
    counts = {row["category"]: row["n"] for row in qs.order_by().values("category").annotate(n=Count("id"))}
    return [{"category": c.value, "label": str(c.label), "count": counts.get(c.value, 0)} for c in Category]


def rates_by_round(*, viewer: User, limit: int = 12) -> list[dict]:
    from xuncha.rounds.selectors import round_list

    rows = []
    for rnd in round_list(viewer=viewer)[:limit]:
        m = metrics(viewer=viewer, round_id=rnd.pk)
        rows.append({"round_id": rnd.pk, "label": str(rnd), "committee": rnd.committee.name, **m.as_dict()})
    return rows


def rates_by_unit(*, viewer: User, round_id: int | None = None, limit: int = 20) -> list[dict]:
    """Units with the most problems fed back, and how far their rectification has got."""
    qs = problem_list(viewer=viewer, round_id=round_id).filter(status__in=FED_BACK_STATUSES)
    rows = (qs.order_by().values("unit_id", "unit__name")
            .annotate(fed_back=Count("id"), rectified=Count("id", filter=Q(status=ProblemStatus.RECTIFIED)))
            .order_by("-fed_back", "unit__name")[:limit])
    return [{"unit_id": r["unit_id"], "unit": r["unit__name"], "fed_back": r["fed_back"],
             "rectified": r["rectified"], "rate": percentage(r["rectified"], r["fed_back"])} for r in rows]


def committee_for_figures(viewer: User) -> Committee | None:
    """The committee whose figures a viewer's statistics page opens on."""
    if viewer.committee_id:
        return viewer.committee
    return committee_list(viewer=viewer).filter(level="county").first()


__all__ = ["Metrics", "Coverage", "metrics", "coverage", "coverage_by_committee", "problems_by_category",
           "rates_by_round", "rates_by_unit", "Problem"]
