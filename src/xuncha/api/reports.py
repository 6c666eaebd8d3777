"""The report registry (信访举报): reports and petitions, for the same readers as the web registry.

Reads go through xuncha.reports.selectors (the office of the subtree, the inspection's group and the admin;
out of scope → 404), writes through xuncha.reports.registry. No answer ever carries a reporter's identity,
receipt data or the spam rules' reasons (only the score): seeing a named reporter's identity is a two-person
act done by a person in the web interface, never through the API (docs/api.md).
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from xuncha.api.auth import viewer
from xuncha.api.errors import READ_ERRORS, WRITE_ERRORS
from xuncha.api.findings import unit_of
from xuncha.api.once import CREATE_ERRORS, openapi, run_once
from xuncha.api.pagination import PageQuery, page_of, paginate
from xuncha.api.schemas import UnitRef, unit_ref
from xuncha.core.dates import today
from xuncha.findings.models import Category
from xuncha.org.models import User
from xuncha.reports import registry
from xuncha.reports.models import Channel, Report, ReportStatus, SuggestedDisposal
from xuncha.reports.selectors import report_get, report_list
from xuncha.rounds.selectors import inspection_get

router = Router(tags=["reports"])


StaffChannel = Literal["letter", "visit", "phone", "mailbox"]
SortStatus = Literal["sorted", "archived", "spam", "received"]


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


class ReportOut(Schema):
    id: int
    inspection_id: int
    round_id: int
    inspection: str
    channel: str
    channel_label: str
    received_on: datetime.date
    status: str
    status_label: str
    concerns_unit: UnitRef | None
    concerns_person: str
    content: str
    anonymous: bool = Field(description="false: the reporter gave a name; the identity is never in the API.")
    spam_score: float
    group_id: int | None
    group_count: int = Field(description="Reports of the same matter, this one included.")
    suggested_category: str
    suggested_category_label: str
    suggested_disposal: str
    suggested_disposal_label: str
    suggestion_reason: str
    key_persons: str
    forwarded_to: str
    forwarded_on: datetime.date | None
    forward_note: str
    registered_by: str | None
    version: int


class MessageOut(Schema):
    id: int
    from_reporter: bool
    author: str | None
    text: str
    sent_on: datetime.date


class FileOut(Schema):
    name: str
    size: int


class ReportDetailOut(ReportOut):
    messages: list[MessageOut]
    attachments: list[FileOut]


def report_out(report: Report) -> dict:
    """What a reader of the registry sees of a report: never the identity, the receipt or the spam reasons."""
    size = getattr(report, "group_size", None)
    if size is None and report.group_id:
        size = report.group.reports.count()
    return {
        "id": report.pk, "inspection_id": report.inspection_id, "round_id": report.inspection.round_id,
        "inspection": f"{report.inspection.round} · {report.inspection.group.name}",
        "channel": report.channel, "channel_label": _label(Channel, report.channel),
        "received_on": report.received_on, "status": report.status,
        "status_label": _label(ReportStatus, report.status),
        "concerns_unit": unit_ref(report.concerns_unit) if report.concerns_unit_id else None,
        "concerns_person": report.concerns_person, "content": report.content, "anonymous": report.anonymous,
        "spam_score": report.spam_score, "group_id": report.group_id, "group_count": max(size or 0, 1),
        "suggested_category": report.suggested_category,
        "suggested_category_label": _label(Category, report.suggested_category),
        "suggested_disposal": report.suggested_disposal,
        "suggested_disposal_label": _label(SuggestedDisposal, report.suggested_disposal),
        "suggestion_reason": report.suggestion_reason, "key_persons": report.key_persons,
        "forwarded_to": report.forwarded_to, "forwarded_on": report.forwarded_on,
        "forward_note": report.forward_note,
        "registered_by": str(report.registered_by) if report.registered_by_id else None,
        "version": report.version,
    }


def report_detail_out(report: Report) -> dict:
    return {
        **report_out(report),
        "messages": [{"id": m.pk, "from_reporter": m.from_reporter,
                      "author": str(m.author) if m.author_id and not m.from_reporter else None,
                      "text": m.text, "sent_on": m.sent_on} for m in report.messages.select_related("author")],
        "attachments": [{"name": a.file.original_name, "size": a.file.size}
                        for a in report.attachments.select_related("file").order_by("id")],
    }


def _handled(user: User, report_id: int) -> Report:
    """A report the caller may act on: as the web registry, a report they cannot handle does not exist."""
    report = report_get(viewer=user, pk=report_id)
    if not registry.may_handle(user, report.inspection):
        raise Http404
    return report


def _detail(user: User, report_id: int) -> dict:
    return report_detail_out(report_get(viewer=user, pk=report_id))


class ReportQuery(PageQuery):
    inspection: int | None = None
    status: ReportStatus | None = Field(None, description="Without it (and without `group`) spam is left out, as "
                                                          "in the registry; `spam` lists it.")
    channel: Channel | None = None
    group: int | None = Field(None, description="Reports of the same matter (`group_id`).")


@router.get("/reports", response=page_of(ReportOut), summary="Reports and petitions in the viewer's registry")
def reports(request: HttpRequest, query: Query[ReportQuery]):
    status = getattr(query.status, "value", None)
    qs = report_list(viewer=viewer(request), inspection_id=query.inspection, status=status,
                     channel=getattr(query.channel, "value", None), group_id=query.group)
    if not status and not query.group:
        qs = qs.exclude(status=ReportStatus.SPAM)
    return paginate(qs.select_related("registered_by"), query, report_out)


@router.get("/reports/{report_id}", response={200: ReportDetailOut, **READ_ERRORS},
            summary="One report with the replies and more information, without the reporter's identity")
def report_detail(request: HttpRequest, report_id: int):
    return _detail(viewer(request), report_id)


class RegisterIn(Schema):
    inspection: int
    channel: StaffChannel = Field(description="How it came in: letter, visit, phone, mailbox (意见箱).")
    content: str = Field(max_length=20000, description="What the report says.")
    received_on: datetime.date | None = Field(None, description="Default: today.")
    concerns_unit: int | None = Field(None, description="A unit the inspection covers.")
    concerns_person: str = Field("", max_length=100)


@router.post("/reports", response={201: ReportDetailOut, **CREATE_ERRORS}, openapi_extra=openapi(),
             summary="Register a letter, visit, phone call or opinion-box item (the office or the group)")
def report_register(request: HttpRequest, payload: RegisterIn):
    user = viewer(request)
    inspection = inspection_get(viewer=user, pk=payload.inspection)
    if not registry.may_handle(user, inspection):
        raise Http404  # the inspection's registry is not the caller's
    unit = None if payload.concerns_unit is None else unit_of(inspection, payload.concerns_unit, "concerns_unit")
    report = run_once(request, "POST /reports", lambda: registry.report_register(
        actor=user, inspection=inspection, channel=payload.channel, content=payload.content,
        received_on=payload.received_on or today(), concerns_unit=unit, concerns_person=payload.concerns_person))
    return Status(201, _detail(user, report.pk))


class SortIn(Schema):
    status: SortStatus = Field(description="received → sorted, archived or spam; sorted → archived; "
                                           "spam → received (a false positive rescued).")
    note: str = Field("", max_length=2000)


@router.post("/reports/{report_id}/sort", response={200: ReportDetailOut, **WRITE_ERRORS},
             summary="Sort a report (or file it, mark it as spam, rescue it from spam)")
def report_sort(request: HttpRequest, report_id: int, payload: SortIn):
    user = viewer(request)
    registry.report_sort(actor=user, report=_handled(user, report_id), status=payload.status, note=payload.note)
    return _detail(user, report_id)


class ForwardIn(Schema):
    forwarded_to: str = Field(max_length=120, description="The competent department (转交).")
    on_date: datetime.date | None = Field(None, description="Default: today.")
    note: str = Field("", max_length=4000)


@router.post("/reports/{report_id}/forward", response={200: ReportDetailOut, **WRITE_ERRORS},
             summary="Pass a report outside the remit on to the competent department (转交)")
def report_forward(request: HttpRequest, report_id: int, payload: ForwardIn):
    user = viewer(request)
    registry.report_forward(actor=user, report=_handled(user, report_id), forwarded_to=payload.forwarded_to,
                            on_date=payload.on_date or today(), note=payload.note)
    return _detail(user, report_id)


class ReplyIn(Schema):
    text: str = Field(max_length=4000, description="The reporter reads it on the public status page.")


@router.post("/reports/{report_id}/reply", response={200: ReportDetailOut, **CREATE_ERRORS},
             openapi_extra=openapi(),
             summary="Reply to the reporter (web reports: read with the receipt code)")
def report_reply(request: HttpRequest, report_id: int, payload: ReplyIn):
    user = viewer(request)
    report = _handled(user, report_id)
    run_once(request, f"POST /reports/{report.pk}/reply",
             lambda: registry.report_reply(actor=user, report=report, text=payload.text))
    return _detail(user, report_id)
