"""Individual talks (个别谈话): plan, record, cancel. Confidential: only the inspection's group, the office of the
subtree and the admin read them (xuncha.fieldwork.selectors); for everyone else they do not exist (404).

Records are written as JSON; attachments are added in the web interface, and the API lists their names and
sizes, never their content.
"""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xuncha.api.auth import viewer
from xuncha.api.errors import READ_ERRORS, WRITE_ERRORS
from xuncha.api.findings import unit_of
from xuncha.api.once import CREATE_ERRORS, openapi, run_once
from xuncha.api.pagination import PageQuery, page_of, paginate
from xuncha.api.reports import FileOut
from xuncha.core.dates import today
from xuncha.core.errors import ValidationFailed
from xuncha.fieldwork import services
from xuncha.fieldwork.models import Talk, TalkOutline, TalkStatus
from xuncha.fieldwork.outlines import ensure_builtin_outlines
from xuncha.fieldwork.selectors import outline_list, talk_get, talk_list
from xuncha.rectification.services import may_manage_inspection
from xuncha.rounds.models import Inspection
from xuncha.rounds.selectors import inspection_get

router = Router(tags=["talks"])


class TalkOut(Schema):
    id: int
    inspection_id: int
    round_id: int
    unit_id: int
    unit_name: str
    interviewee: str
    position: str
    outline_id: int | None
    outline_title: str | None
    planned_on: datetime.date
    held_on: datetime.date | None
    status: str
    status_label: str
    talkers: str
    version: int


class TalkDetailOut(TalkOut):
    questions: list[str]
    record: str
    findings: str
    attachments: list[FileOut]


class OutlineOut(Schema):
    id: int
    title: str
    intended_for: str
    questions: list[str]


def _questions(outline: TalkOutline | None) -> list[str]:
    return [line.strip() for line in (outline.questions if outline else "").splitlines() if line.strip()]


def talk_out(talk: Talk) -> dict:
    return {
        "id": talk.pk, "inspection_id": talk.inspection_id, "round_id": talk.inspection.round_id,
        "unit_id": talk.unit_id, "unit_name": str(talk.unit), "interviewee": talk.interviewee,
        "position": talk.position, "outline_id": talk.outline_id,
        "outline_title": talk.outline.title if talk.outline_id else None, "planned_on": talk.planned_on,
        "held_on": talk.held_on, "status": talk.status, "status_label": str(TalkStatus(talk.status).label),
        "talkers": talk.talkers, "version": talk.version,
    }


def talk_detail_out(talk: Talk) -> dict:
    return {**talk_out(talk), "questions": _questions(talk.outline), "record": talk.record,
            "findings": talk.findings,
            "attachments": [{"name": a.file.original_name, "size": a.file.size}
                            for a in talk.attachments.select_related("file").order_by("id")]}


def _managed(request: HttpRequest, inspection_id: int) -> Inspection:
    """An inspection whose talks the caller handles; as in the web interface, any other does not exist."""
    user = viewer(request)
    inspection = inspection_get(viewer=user, pk=inspection_id)
    if not may_manage_inspection(user, inspection):
        raise Http404
    return inspection


class TalkQuery(PageQuery):
    inspection: int | None = None
    status: TalkStatus | None = None


@router.get("/talks", response=page_of(TalkOut), summary="Individual talks the viewer may read")
def talks(request: HttpRequest, query: Query[TalkQuery]):
    qs = talk_list(viewer=viewer(request), inspection_id=query.inspection,
                   status=getattr(query.status, "value", None))
    return paginate(qs, query, talk_out)


class OutlineQuery(Schema):
    inspection: int = Field(description="The inspection the talk is planned in.")


@router.get("/talks/outlines", response={200: list[OutlineOut], **READ_ERRORS},
            summary="The talk outlines (谈话提纲) a talk of this inspection may be planned from")
def talk_outlines(request: HttpRequest, query: Query[OutlineQuery]):
    inspection = _managed(request, query.inspection)
    ensure_builtin_outlines()
    return [{"id": o.pk, "title": o.title, "intended_for": o.intended_for, "questions": _questions(o)}
            for o in outline_list(inspection=inspection)]


@router.get("/talks/{talk_id}", response={200: TalkDetailOut, **READ_ERRORS},
            summary="One talk with its record and the names and sizes of its attachments")
def talk_detail(request: HttpRequest, talk_id: int):
    return talk_detail_out(talk_get(viewer=viewer(request), pk=talk_id))


class PlanIn(Schema):
    inspection: int
    unit: int = Field(description="A unit the inspection covers.")
    interviewee: str = Field(max_length=50)
    position: str = Field("", max_length=80)
    planned_on: datetime.date
    outline: int | None = Field(None, description="An outline from GET /talks/outlines.")
    talkers: str = Field("", max_length=120, description="Who holds the talk.")


@router.post("/talks", response={201: TalkDetailOut, **CREATE_ERRORS}, openapi_extra=openapi(),
             summary="Plan an individual talk (the group or the office; in 准备, 进驻 or 报告)")
def talk_plan(request: HttpRequest, payload: PlanIn):
    user = viewer(request)
    inspection = _managed(request, payload.inspection)
    unit = unit_of(inspection, payload.unit)
    outline = None
    if payload.outline is not None:
        ensure_builtin_outlines()
        outline = outline_list(inspection=inspection).filter(pk=payload.outline).first()
        if outline is None:
            raise ValidationFailed(_("Choose one of the outlines offered for this inspection."), field="outline")
    talk = run_once(request, "POST /talks", lambda: services.talk_plan(
        actor=user, inspection=inspection, unit=unit, interviewee=payload.interviewee, position=payload.position,
        planned_on=payload.planned_on, outline=outline, talkers=payload.talkers))
    return Status(201, talk_detail_out(talk_get(viewer=user, pk=talk.pk)))


class RecordIn(Schema):
    held_on: datetime.date | None = Field(None, description="Default: today.")
    record: str = Field(max_length=100_000, description="The record of the talk.")
    findings: str = Field("", max_length=20_000, description="What came out of it.")
    version: int


@router.post("/talks/{talk_id}/record", response={200: TalkDetailOut, **WRITE_ERRORS},
             summary="Record a planned talk as held (planned → held), without files")
def talk_record(request: HttpRequest, talk_id: int, payload: RecordIn):
    user = viewer(request)
    services.talk_record(actor=user, talk=talk_get(viewer=user, pk=talk_id), held_on=payload.held_on or today(),
                         record=payload.record, findings=payload.findings, expected_version=payload.version)
    return talk_detail_out(talk_get(viewer=user, pk=talk_id))


class CancelIn(Schema):
    reason: str = Field(max_length=2000, description="Why the talk is cancelled (kept in the audit trail).")
    version: int


@router.post("/talks/{talk_id}/cancel", response={200: TalkDetailOut, **WRITE_ERRORS},
             summary="Cancel a planned talk, with the reason")
def talk_cancel(request: HttpRequest, talk_id: int, payload: CancelIn):
    user = viewer(request)
    services.talk_cancel(actor=user, talk=talk_get(viewer=user, pk=talk_id), reason=payload.reason,
                         expected_version=payload.version)
    return talk_detail_out(talk_get(viewer=user, pk=talk_id))
