"""Rounds (第N轮巡察) and inspections with their stages and regulated deadlines."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xuncha.api.auth import viewer
from xuncha.api.errors import READ_ERRORS, WRITE_ERRORS
from xuncha.api.pagination import PageQuery, page_of, paginate
from xuncha.api.schemas import (
    InspectionDetailOut,
    InspectionOut,
    MetricsOut,
    RoundOut,
    inspection_detail_out,
    inspection_out,
    metrics_out,
    round_out,
)
from xuncha.rounds import services
from xuncha.rounds.models import Stage
from xuncha.rounds.selectors import inspection_get, inspection_list, round_get, round_list
from xuncha.stats.selectors import metrics

router = Router(tags=["rounds"])


class RoundQuery(PageQuery):
    year: int | None = None
    committee: int | None = None


@router.get("/rounds", response=page_of(RoundOut), summary="Rounds in the viewer's scope")
def rounds(request: HttpRequest, query: Query[RoundQuery]):
    qs = round_list(viewer=viewer(request), year=query.year, committee_id=query.committee)
    return paginate(qs, query, round_out)


@router.get("/rounds/{round_id}", response={200: RoundOut, **READ_ERRORS}, summary="One round")
def round_detail(request: HttpRequest, round_id: int):
    return round_out(round_get(viewer=viewer(request), pk=round_id))


@router.get("/rounds/{round_id}/metrics", response={200: MetricsOut, **READ_ERRORS},
            summary="整改率, 线索处置率, 意见建议办结率 of one round")
def round_metrics(request: HttpRequest, round_id: int):
    user = viewer(request)
    rnd = round_get(viewer=user, pk=round_id)
    return metrics_out(metrics(viewer=user, round_id=rnd.pk))


class ApprovalIn(Schema):
    approved_on: datetime.date
    meeting: str = Field(description="The meeting that approved the unit list (书记专题会).")
    note: str = ""
    version: int


@router.post("/rounds/{round_id}/approval", response={200: RoundOut, **WRITE_ERRORS},
             summary="Record the secretary's meeting approving the round's unit list")
def round_approval(request: HttpRequest, round_id: int, payload: ApprovalIn):
    user = viewer(request)
    rnd = round_get(viewer=user, pk=round_id)
    services.round_record_approval(actor=user, round=rnd, approved_on=payload.approved_on, meeting=payload.meeting,
                                   note=payload.note, expected_version=payload.version)
    return round_out(round_get(viewer=user, pk=round_id))


class InspectionQuery(PageQuery):
    round: int | None = None
    stage: Stage | None = None
    unit: int | None = None


@router.get("/inspections", response=page_of(InspectionOut), tags=["inspections"],
            summary="Inspections in the viewer's scope")
def inspections(request: HttpRequest, query: Query[InspectionQuery]):
    qs = inspection_list(viewer=viewer(request), round_id=query.round, stage=query.stage, unit_id=query.unit)
    return paginate(qs, query, inspection_out)


@router.get("/inspections/{inspection_id}", response={200: InspectionDetailOut, **READ_ERRORS},
            tags=["inspections"], summary="One inspection with its stage timeline and deadlines")
def inspection_detail(request: HttpRequest, inspection_id: int):
    return inspection_detail_out(inspection_get(viewer=viewer(request), pk=inspection_id))


class AdvanceIn(Schema):
    to_stage: Stage
    on_date: datetime.date | None = Field(None, description="When it happened (default: today).")
    note: str = ""
    version: int


@router.post("/inspections/{inspection_id}/advance", response={200: InspectionDetailOut, **WRITE_ERRORS},
             tags=["inspections"], summary="Move an inspection to its next stage")
def inspection_advance(request: HttpRequest, inspection_id: int, payload: AdvanceIn):
    user = viewer(request)
    inspection = inspection_get(viewer=user, pk=inspection_id)
    services.inspection_advance(actor=user, inspection=inspection, to_stage=payload.to_stage.value,
                                on_date=payload.on_date, expected_version=payload.version, note=payload.note)
    return inspection_detail_out(inspection_get(viewer=user, pk=inspection_id))
