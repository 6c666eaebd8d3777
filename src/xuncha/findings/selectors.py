"""Reads of problems, suggestions and clues, scoped to the viewer."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.core.dates import add_months, today
from xuncha.findings.models import FED_BACK_STATUSES, Clue, Disposal, Problem, ProblemStatus, Suggestion
from xuncha.org.models import Role, User
from xuncha.org.scoping import committee_path, is_active_viewer, reads_subtree
from xuncha.rounds.scoping import signed_member_q

# Transferred clues are answered within the committee's `clue_answer_months` (3 by default): a clue still
# without disposal after that is overdue (clue_answer_due_on). The day count is kept for older callers.
CLUE_ANSWER_DAYS = 90


def _subtree_q(path: str) -> Q:
    """A problem (suggestion, clue) belongs to the subtree that ran the round or that manages the unit
    (提级/交叉 rounds).

    Written as two id subqueries, which the databases answer from the inspection_id and unit_id
    indexes, and as no condition at all when the subtree is the whole tree (the top office of the
    deployment): the same rows as matching paths on two joined committee tables, without reading
    the whole ledger (bench/run.py: a county office's count on 170k problems, 300 ms → 2 ms).
    """
    from xuncha.org.models import Committee, Unit
    from xuncha.rounds.models import Inspection

    if not Committee.objects.exclude(path__startswith=path).exists():
        return Q()
    committees = Committee.objects.filter(path__startswith=path)
    return (Q(inspection__in=Inspection.objects.filter(round__committee__in=committees).values("pk"))
            | Q(unit__in=Unit.objects.filter(committee__in=committees).values("pk")))


def problem_q(viewer: User) -> Q:
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    if viewer.role == Role.ADMIN:
        return Q()
    if reads_subtree(viewer):
        return _subtree_q(committee_path(viewer))
    if viewer.role == Role.INSPECTOR:
        return signed_member_q(viewer, "inspection__group__")
    if viewer.role == Role.UNIT and viewer.unit_id:
        # The unit sees its own problems once they have been fed back to it, except those handed over as
        # clues: that a clue exists about it is not the unit's to know.
        return Q(unit_id=viewer.unit_id, status__in=FED_BACK_STATUSES) & ~Q(disposal=Disposal.CLUE)
    return Q(pk__in=[])


def problem_list(
    *,
    viewer: User,
    round_id: int | None = None,
    inspection_id: int | None = None,
    unit_id: int | None = None,
    committee_id: int | None = None,
    category: str | None = None,
    disposal: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> QuerySet[Problem]:
    q = problem_q(viewer)
    if viewer is not None and getattr(viewer, "role", None) == Role.INSPECTOR:
        # The membership join can repeat rows; filter by id set instead.
        qs = Problem.objects.filter(inspection__in=_inspector_inspections(viewer))
    else:
        qs = Problem.objects.filter(q)
    if round_id:
        qs = qs.filter(inspection__round_id=round_id)
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if committee_id:
        qs = qs.filter(unit__committee_id=committee_id)
    if category:
        qs = qs.filter(category=category)
    if disposal:
        qs = qs.filter(disposal=disposal)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(description__icontains=search) | Q(unit__name__icontains=search))
    if viewer is not None and getattr(viewer, "role", None) != Role.ADMIN:
        # A problem handed over as a 高密 clue tells what the clue tells: only the clue's readers see it.
        secret = Clue.objects.filter(problem__isnull=False).exclude(_secret_q(viewer)).values("problem_id")
        qs = qs.exclude(pk__in=secret)
    return qs.select_related("unit", "unit__parent", "inspection", "inspection__round", "inspection__group")


def _inspector_inspections(viewer: User):
    from xuncha.rounds.models import Inspection

    return Inspection.objects.filter(signed_member_q(viewer)).values("pk")


def problem_get(*, viewer: User, pk: int) -> Problem:
    return get_object_or_404(problem_list(viewer=viewer), pk=pk)


def suggestion_list(*, viewer: User, round_id: int | None = None, inspection_id: int | None = None,
                    unit_id: int | None = None, status: str | None = None) -> QuerySet[Suggestion]:
    if not is_active_viewer(viewer):
        return Suggestion.objects.none()
    if viewer.role == Role.ADMIN:
        qs = Suggestion.objects.all()
    elif reads_subtree(viewer):
        qs = Suggestion.objects.filter(_subtree_q(committee_path(viewer)))
    elif viewer.role == Role.INSPECTOR:
        qs = Suggestion.objects.filter(inspection__in=_inspector_inspections(viewer))
    elif viewer.role == Role.UNIT and viewer.unit_id:
        qs = Suggestion.objects.filter(unit_id=viewer.unit_id, inspection__feedback_on__isnull=False)
    else:
        return Suggestion.objects.none()
    if round_id:
        qs = qs.filter(inspection__round_id=round_id)
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "inspection", "inspection__round")


def suggestion_get(*, viewer: User, pk: int) -> Suggestion:
    return get_object_or_404(suggestion_list(viewer=viewer), pk=pk)


def clue_list(*, viewer: User, round_id: int | None = None, inspection_id: int | None = None,
              unit_id: int | None = None, disposed: bool | None = None, overdue: bool | None = None,
              on: datetime.date | None = None) -> QuerySet[Clue]:
    """Clues never reach the inspected unit; a receiving organ sees only what was handed to it."""
    if not is_active_viewer(viewer):
        return Clue.objects.none()
    if viewer.role == Role.ADMIN:
        qs = Clue.objects.all()
    elif reads_subtree(viewer):
        qs = Clue.objects.filter(_subtree_q(committee_path(viewer)))
    elif viewer.role == Role.INSPECTOR:
        qs = Clue.objects.filter(inspection__in=_inspector_inspections(viewer))
    elif viewer.role == Role.RECEIVER and viewer.organ_id:
        qs = Clue.objects.filter(organ_id=viewer.organ_id)
    else:
        return Clue.objects.none()
    qs = qs.filter(_secret_q(viewer))
    if round_id:
        qs = qs.filter(inspection__round_id=round_id)
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if disposed is True:
        qs = qs.exclude(disposal="")
    elif disposed is False:
        qs = qs.filter(disposal="")
    if overdue is True:
        # Still without disposal after the answer period of the committee that ran the round.
        qs = qs.filter(disposal="").filter(_overdue_q(on or today()))
    return qs.select_related("unit", "organ", "inspection", "inspection__round", "inspection__round__committee")


def _secret_q(viewer: User) -> Q:
    """A 高密 clue is read only by its readers (and the admin): fail closed for everyone else."""
    if getattr(viewer, "role", None) == Role.ADMIN:
        return Q()
    return Q(top_secret=False) | Q(pk__in=Clue.readers.through.objects.filter(user_id=viewer.pk).values("clue_id"))


def _answer_cutoff(on: datetime.date, months: int) -> datetime.date:
    """The last hand-over date whose answer is overdue on `on`: add_months(cutoff, months) < on."""
    day = add_months(on, -months) + datetime.timedelta(days=3)
    while add_months(day, months) >= on:
        day -= datetime.timedelta(days=1)
    return day


def _overdue_q(on: datetime.date) -> Q:
    from xuncha.org.models import Committee

    q = Q(pk__in=[])
    for months in sorted(set(Committee.objects.values_list("clue_answer_months", flat=True))):
        q |= Q(inspection__round__committee__clue_answer_months=months,
               handed_over_on__lte=_answer_cutoff(on, months))
    return q


def clue_get(*, viewer: User, pk: int) -> Clue:
    return get_object_or_404(clue_list(viewer=viewer), pk=pk)


def clue_days_waiting(clue: Clue, *, on: datetime.date | None = None) -> int:
    """Days from hand-over to disposal, or to today while the clue waits."""
    end = clue.disposed_on or on or today()
    return (end - clue.handed_over_on).days


def clue_answer_due_on(clue: Clue) -> datetime.date:
    """The organ answers (records a disposal) by this day: the committee's months after hand-over."""
    return add_months(clue.handed_over_on, clue.inspection.round.committee.clue_answer_months)


def clue_answer_overdue(clue: Clue, *, on: datetime.date | None = None) -> bool:
    return not clue.disposal and (on or today()) > clue_answer_due_on(clue)


def problem_counts_by_status(qs: QuerySet[Problem]) -> dict[str, int]:
    from django.db.models import Count

    counts = {s.value: 0 for s in ProblemStatus}
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
