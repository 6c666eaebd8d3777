"""Rectification figures: 整改率 by unit, round and committee, the on-time rate, overdue counts, and the
re-check failure rate. Definitions are in docs/domain-decisions.md; the dashboard, the API and the tests
all read them here.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, F, Q

from xuncha.core.dates import today
from xuncha.core.rates import percentage
from xuncha.findings.models import FED_BACK_STATUSES, ProblemStatus
from xuncha.findings.selectors import problem_list
from xuncha.org.models import Committee, User
from xuncha.org.selectors import committee_list
from xuncha.rectification.models import FlagStatus, IntegrityFlag, PlanStatus, RecheckItem, RecheckResult, TaskStatus
from xuncha.rectification.selectors import plan_list, recheck_draw_list, task_list


@dataclass(frozen=True)
class RectificationFigures:
    problems_fed_back: int
    problems_rectified: int
    rectification_rate: Decimal | None
    tasks: int
    tasks_closed: int
    tasks_overdue: int
    tasks_due_within_7_days: int
    tasks_awaiting_check: int
    # Closed tasks with a deadline, and how many of them were closed by it.
    tasks_closed_with_deadline: int
    tasks_closed_on_time: int
    on_time_rate: Decimal | None
    tasks_reopened: int
    rechecks_done: int
    rechecks_failed: int
    recheck_failure_rate: Decimal | None
    flags_open: int
    plans_submitted: int
    plans_returned: int
    plans_accepted: int

    def as_dict(self) -> dict:
        return asdict(self)


def _committee_filter(committee: Committee | None, prefix: str = "problem__") -> Q:
    if committee is None:
        return Q()
    return Q(**{f"{prefix}inspection__round__committee__path__startswith": committee.path})


def rectification_figures(*, viewer: User, round_id: int | None = None, unit_id: int | None = None,
                          committee: Committee | None = None, on: datetime.date | None = None
                          ) -> RectificationFigures:
    on = on or today()
    problems = problem_list(viewer=viewer, round_id=round_id, unit_id=unit_id).filter(
        _committee_filter(committee, prefix=""))
    p = problems.order_by().aggregate(
        fed_back=Count("id", filter=Q(status__in=FED_BACK_STATUSES)),
        rectified=Count("id", filter=Q(status=ProblemStatus.RECTIFIED)))
    tasks = task_list(viewer=viewer, round_id=round_id, unit_id=unit_id).filter(_committee_filter(committee))
    open_q = ~Q(status=TaskStatus.CLOSED)
    t = tasks.order_by().aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=TaskStatus.CLOSED)),
        overdue=Count("id", filter=open_q & Q(deadline__lt=on)),
        due_soon=Count("id", filter=open_q & Q(deadline__gte=on, deadline__lte=on + datetime.timedelta(days=7))),
        awaiting=Count("id", filter=Q(status=TaskStatus.AWAITING_REVIEW)),
        closed_with_deadline=Count("id", filter=Q(status=TaskStatus.CLOSED, deadline__isnull=False)),
        on_time=Count("id", filter=Q(status=TaskStatus.CLOSED, deadline__isnull=False,
                                     closed_on__lte=F("deadline"))),
        reopened=Count("id", filter=Q(reopened_count__gt=0)),
    )
    draws = recheck_draw_list(viewer=viewer, round_id=round_id)
    if committee is not None:
        draws = draws.filter(round__committee__path__startswith=committee.path)
    items = RecheckItem.objects.filter(draw__in=draws.values("pk"))
    if unit_id:
        items = items.filter(task__problem__unit_id=unit_id)
    r = items.order_by().aggregate(
        done=Count("id", filter=~Q(result=RecheckResult.PENDING)),
        failed=Count("id", filter=Q(result=RecheckResult.FAILED)))
    flags = IntegrityFlag.objects.filter(task__in=tasks.values("pk"), status=FlagStatus.OPEN).count()
    plans = plan_list(viewer=viewer, round_id=round_id, unit_id=unit_id)
    if committee is not None:
        plans = plans.filter(inspection__round__committee__path__startswith=committee.path)
    pc = plans.order_by().aggregate(
        submitted=Count("id", filter=Q(status=PlanStatus.SUBMITTED)),
        returned=Count("id", filter=Q(status=PlanStatus.RETURNED)),
        accepted=Count("id", filter=Q(status=PlanStatus.ACCEPTED)))
    return RectificationFigures(
        problems_fed_back=p["fed_back"], problems_rectified=p["rectified"],
        rectification_rate=percentage(p["rectified"], p["fed_back"]),
        tasks=t["total"], tasks_closed=t["closed"], tasks_overdue=t["overdue"], tasks_due_within_7_days=t["due_soon"],
        tasks_awaiting_check=t["awaiting"], tasks_closed_with_deadline=t["closed_with_deadline"],
        tasks_closed_on_time=t["on_time"], on_time_rate=percentage(t["on_time"], t["closed_with_deadline"]),
        tasks_reopened=t["reopened"], rechecks_done=r["done"], rechecks_failed=r["failed"],
        recheck_failure_rate=percentage(r["failed"], r["done"]), flags_open=flags,
        plans_submitted=pc["submitted"], plans_returned=pc["returned"], plans_accepted=pc["accepted"],
    )


def rectification_by_unit(*, viewer: User, round_id: int | None = None, committee: Committee | None = None,
                          on: datetime.date | None = None, limit: int = 30) -> list[dict]:
    """Per unit: 整改率, tasks overdue and the on-time rate; worst first (most overdue, then lowest rate)."""
    on = on or today()
    tasks = task_list(viewer=viewer, round_id=round_id).filter(_committee_filter(committee))
    rows = (tasks.order_by().values("problem__unit_id", "problem__unit__name")
            .annotate(total=Count("id"), closed=Count("id", filter=Q(status=TaskStatus.CLOSED)),
                      overdue=Count("id", filter=~Q(status=TaskStatus.CLOSED) & Q(deadline__lt=on)),
                      closed_with_deadline=Count("id", filter=Q(status=TaskStatus.CLOSED, deadline__isnull=False)),
                      on_time=Count("id", filter=Q(status=TaskStatus.CLOSED, deadline__isnull=False,
                                                   closed_on__lte=F("deadline"))))
            .order_by("-overdue", "problem__unit__name")[:limit])
    problems = problem_list(viewer=viewer, round_id=round_id).filter(_committee_filter(committee, prefix=""))
    unit_ids = [r["problem__unit_id"] for r in rows]
    rates = {r["unit_id"]: r for r in problems.filter(unit_id__in=unit_ids).order_by().values("unit_id").annotate(
        fed_back=Count("id", filter=Q(status__in=FED_BACK_STATUSES)),
        rectified=Count("id", filter=Q(status=ProblemStatus.RECTIFIED)))}
    out = []
    for r in rows:
        pr = rates.get(r["problem__unit_id"], {"fed_back": 0, "rectified": 0})
        out.append({"unit_id": r["problem__unit_id"], "unit": r["problem__unit__name"], "tasks": r["total"],
                    "closed": r["closed"], "overdue": r["overdue"],
                    "on_time_rate": percentage(r["on_time"], r["closed_with_deadline"]),
                    "fed_back": pr["fed_back"], "rectified": pr["rectified"],
                    "rate": percentage(pr["rectified"], pr["fed_back"])})
    return out


def rectification_by_round(*, viewer: User, committee: Committee | None = None, limit: int = 12) -> list[dict]:
    from xuncha.rounds.selectors import round_list

    rounds = round_list(viewer=viewer)
    if committee is not None:
        rounds = rounds.filter(committee__path__startswith=committee.path)
    return [{"round_id": rnd.pk, "label": str(rnd), "committee": rnd.committee.name,
             **rectification_figures(viewer=viewer, round_id=rnd.pk).as_dict()} for rnd in rounds[:limit]]


def rectification_by_committee(*, viewer: User, on: datetime.date | None = None) -> list[dict]:
    """The viewer's committee and the committees directly under it, each with its subtree's figures."""
    from xuncha.stats.selectors import committee_for_figures

    root = committee_for_figures(viewer)
    if root is None:
        return []
    visible = committee_list(viewer=viewer)
    rows = []
    for committee in [root, *visible.filter(parent=root).order_by("name")[:40]]:
        f = rectification_figures(viewer=viewer, committee=committee, on=on)
        if f.tasks or f.problems_fed_back:
            rows.append({"committee_id": committee.pk, "committee": committee.name, "level": committee.level,
                         **f.as_dict()})
    return rows
