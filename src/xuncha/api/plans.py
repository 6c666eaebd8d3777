"""Rectification plans (整改方案), notifications and the rectification figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xuncha.api.auth import viewer
from xuncha.api.errors import READ_ERRORS, WRITE_ERRORS, ErrorOut
from xuncha.api.pagination import PageQuery, page_of, paginate
from xuncha.notifications import selectors as notification_selectors
from xuncha.notifications import services as notification_services
from xuncha.org.selectors import committee_get
from xuncha.rectification import services
from xuncha.rectification.models import PlanStatus, RectificationPlan
from xuncha.rectification.selectors import plan_get, plan_list, report_due_on
from xuncha.rounds.selectors import round_get
from xuncha.stats import rectification as figures

router = Router(tags=["rectification plans"])


class PlanOut(Schema):
    id: int
    inspection_id: int
    unit_id: int
    unit: str
    round: str
    status: PlanStatus
    status_label: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_comment: str
    tasks: int
    report_due_on: datetime.date | None
    version: int


def plan_out(plan: RectificationPlan) -> dict:
    return {"id": plan.pk, "inspection_id": plan.inspection_id, "unit_id": plan.unit_id, "unit": str(plan.unit),
            "round": str(plan.inspection.round), "status": plan.status, "status_label": str(plan.get_status_display()),
            "submitted_at": plan.submitted_at, "reviewed_at": plan.reviewed_at,
            "review_comment": plan.review_comment, "tasks": plan.tasks.count(),
            "report_due_on": report_due_on(plan.inspection, plan.unit), "version": plan.version}


class PlanQuery(PageQuery):
    status: PlanStatus | None = None
    round: int | None = None
    unit: int | None = None


@router.get("/plans", response=page_of(PlanOut), summary="Rectification plans in the viewer's scope")
def plans(request: HttpRequest, query: Query[PlanQuery]):
    qs = plan_list(viewer=viewer(request), status=getattr(query.status, "value", None), round_id=query.round,
                   unit_id=query.unit)
    return paginate(qs, query, plan_out)


@router.get("/plans/{plan_id}", response={200: PlanOut, **READ_ERRORS}, summary="One rectification plan")
def plan_detail(request: HttpRequest, plan_id: int):
    return plan_out(plan_get(viewer=viewer(request), pk=plan_id))


class PlanMoveIn(Schema):
    version: int
    comment: str = Field("", description="The office's comments (required to return a plan).")


@router.post("/plans/{plan_id}/submit", response={200: PlanOut, **WRITE_ERRORS},
             summary="Submit the plan to the office (every problem fed back needs a task)")
def plan_submit(request: HttpRequest, plan_id: int, payload: PlanMoveIn):
    user = viewer(request)
    plan = services.plan_submit(actor=user, plan=plan_get(viewer=user, pk=plan_id), expected_version=payload.version)
    return plan_out(plan_get(viewer=user, pk=plan.pk))


@router.post("/plans/{plan_id}/accept", response={200: PlanOut, **WRITE_ERRORS},
             summary="Accept a submitted plan (the office only)")
def plan_accept(request: HttpRequest, plan_id: int, payload: PlanMoveIn):
    user = viewer(request)
    plan = services.plan_accept(actor=user, plan=plan_get(viewer=user, pk=plan_id), comment=payload.comment,
                                expected_version=payload.version)
    return plan_out(plan_get(viewer=user, pk=plan.pk))


@router.post("/plans/{plan_id}/return", response={200: PlanOut, **WRITE_ERRORS},
             summary="Return a plan to the unit with comments (the office only)")
def plan_return(request: HttpRequest, plan_id: int, payload: PlanMoveIn):
    user = viewer(request)
    plan = services.plan_return(actor=user, plan=plan_get(viewer=user, pk=plan_id), comment=payload.comment,
                                expected_version=payload.version)
    return plan_out(plan_get(viewer=user, pk=plan.pk))


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationQuery(PageQuery):
    unread: bool | None = None


@router.get("/notifications", response=page_of(NotificationOut), tags=["notifications"],
            summary="The caller's own notifications (reminders, overdue, escalations)")
def notifications(request: HttpRequest, query: Query[NotificationQuery]):
    qs = notification_selectors.notification_list(viewer=viewer(request), unread=query.unread)
    return paginate(qs, query, lambda n: n)


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **READ_ERRORS},
             tags=["notifications"], summary="Mark one of the caller's notifications as read")
def notification_read(request: HttpRequest, notification_id: int):
    user = viewer(request)
    notification = notification_selectors.notification_get(viewer=user, pk=notification_id)
    return notification_services.notification_mark_read(actor=user, notification=notification)


class RectificationFiguresOut(Schema):
    problems_fed_back: int
    problems_rectified: int
    rectification_rate: Decimal | None
    tasks: int
    tasks_closed: int
    tasks_overdue: int
    tasks_due_within_7_days: int
    tasks_awaiting_check: int
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


class FiguresQuery(Schema):
    committee: int | None = Field(None, description="A committee subtree.")
    round: int | None = None


@router.get("/stats/rectification", response={200: RectificationFiguresOut, 404: ErrorOut}, tags=["stats"],
            summary="整改率, on-time rate, overdue, re-check failure rate over what the viewer may see")
def rectification_figures(request: HttpRequest, query: Query[FiguresQuery]):
    user = viewer(request)
    committee = committee_get(viewer=user, pk=query.committee) if query.committee is not None else None
    if query.round is not None:
        round_get(viewer=user, pk=query.round)
    return figures.rectification_figures(viewer=user, committee=committee, round_id=query.round).as_dict()
