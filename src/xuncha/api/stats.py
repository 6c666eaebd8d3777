"""The reported figures: 巡察覆盖率, 整改率, 线索处置率, 意见建议办结率."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xuncha.api.auth import viewer
from xuncha.api.errors import ErrorOut
from xuncha.api.schemas import CoverageOut, MetricsOut, coverage_out, metrics_out, rate
from xuncha.org.models import User
from xuncha.org.selectors import committee_get, committee_list, unit_get
from xuncha.rounds.selectors import inspection_get, plan_get, round_get
from xuncha.stats import selectors as stats

router = Router(tags=["stats"])


class CoverageQuery(Schema):
    committee: int | None = Field(None, description="A committee in scope (default: see below).")
    plan: int | None = Field(None, description="A term plan (default: the committee's latest).")


@router.get("/stats/coverage", response={200: list[CoverageOut], 404: ErrorOut},
            summary="巡察覆盖率 per committee and term plan",
            description="With `committee` (and/or `plan`): that committee's coverage. Without: every committee "
                        "in the viewer's scope that has a term plan, or else the viewer's own committee. "
                        "Always a list; empty for accounts that read no committee's figures.")
def coverage(request: HttpRequest, query: Query[CoverageQuery]):
    user = viewer(request)
    if query.plan is not None:
        plan = plan_get(viewer=user, pk=query.plan)
        committee_id = query.committee or plan.committee_id  # a plan of another committee is a 404
        return [coverage_out(stats.coverage(viewer=user, committee_id=committee_id, plan_id=plan.pk))]
    if query.committee is not None:
        return [coverage_out(stats.coverage(viewer=user, committee_id=query.committee))]
    rows = stats.coverage_by_committee(viewer=user)
    if not rows and user.committee_id and committee_list(viewer=user).filter(pk=user.committee_id).exists():
        rows = [stats.coverage(viewer=user, committee_id=user.committee_id)]
    return [coverage_out(row) for row in rows]


def _filters_in_scope(user: User, query: Schema) -> None:
    """A filter naming something out of scope is a 404, never a silent zero."""
    for name, get in (("committee", committee_get), ("round", round_get), ("inspection", inspection_get),
                      ("unit", unit_get)):
        if getattr(query, name, None) is not None:
            get(viewer=user, pk=getattr(query, name))


class MetricsQuery(Schema):
    committee: int | None = Field(None, description="A committee subtree.")
    round: int | None = None
    inspection: int | None = None
    unit: int | None = None


@router.get("/stats/metrics", response={200: MetricsOut, 404: ErrorOut},
            summary="整改率, 线索处置率, 意见建议办结率 over what the viewer may see, narrowed by the filters")
def metrics(request: HttpRequest, query: Query[MetricsQuery]):
    user = viewer(request)
    _filters_in_scope(user, query)
    return metrics_out(stats.metrics(viewer=user, committee_id=query.committee, round_id=query.round,
                                     inspection_id=query.inspection, unit_id=query.unit))


class ClueFiguresQuery(Schema):
    round: int | None = None
    inspection: int | None = None
    unit: int | None = None


class ClueFiguresOut(Schema):
    handed_over: int
    disposed: int
    disposal_rate: str | None = Field(description="线索处置率: disposed / handed over, two decimals.")
    avg_days_to_disposal: str | None = Field(description="Mean days from hand-over to disposal, one decimal.")
    overdue: int = Field(description="Still without disposal after the answer period.")


@router.get("/stats/clues", response={200: ClueFiguresOut, 404: ErrorOut},
            summary="线索处置率, the average days to disposal and the overdue clues, over what the viewer may see")
def clue_figures(request: HttpRequest, query: Query[ClueFiguresQuery]):
    user = viewer(request)
    _filters_in_scope(user, query)
    figures = stats.clue_figures(viewer=user, round_id=query.round, inspection_id=query.inspection,
                                 unit_id=query.unit)
    average = figures.avg_days_to_disposal
    return {"handed_over": figures.handed_over, "disposed": figures.disposed,
            "disposal_rate": rate(figures.disposal_rate), "overdue": figures.overdue,
            "avg_days_to_disposal": None if average is None else f"{average:.1f}"}
