"""Problems (问题), clues handed over (问题线索移交) and suggestions (意见建议)."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xuncha.api.auth import viewer
from xuncha.api.errors import READ_ERRORS, WRITE_ERRORS
from xuncha.api.once import CREATE_ERRORS, openapi, run_once
from xuncha.api.pagination import PageQuery, page_of, paginate
from xuncha.api.schemas import (
    ClueOut,
    ProblemOut,
    SuggestionOut,
    clue_out,
    problem_out,
    suggestion_out,
)
from xuncha.core.errors import ValidationFailed
from xuncha.findings import services
from xuncha.findings.models import (
    Category,
    Cause,
    ClueDisposal,
    ClueResult,
    Cognition,
    Depth,
    Disposal,
    FaultKind,
    ProblemStatus,
)
from xuncha.findings.selectors import (
    clue_get,
    clue_list,
    problem_get,
    problem_list,
    suggestion_get,
    suggestion_list,
)
from xuncha.org.models import Role, Unit, User
from xuncha.org.selectors import organ_list
from xuncha.rounds.models import Inspection
from xuncha.rounds.selectors import inspection_get

router = Router()

Blank = Literal[""]


def unit_of(inspection: Inspection, unit_id: int, field: str = "unit") -> Unit:
    """A unit named in a write must be one the (visible) inspection covers."""
    unit = inspection.units.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationFailed(_("This unit is not covered by the inspection."), field=field)
    return unit


# -- problems ----------------------------------------------------------------------------------------------

class ProblemQuery(PageQuery):
    round: int | None = None
    inspection: int | None = None
    unit: int | None = None
    committee: int | None = Field(None, description="Units managed by this committee.")
    category: Category | None = None
    disposal: Disposal | None = None
    status: ProblemStatus | None = None
    q: str | None = Field(None, description="Search in the description and the unit's name.")


@router.get("/problems", response=page_of(ProblemOut), tags=["problems"], summary="Problems in the viewer's scope")
def problems(request: HttpRequest, query: Query[ProblemQuery]):
    user = viewer(request)
    if query.disposal and user.role == Role.UNIT:
        # How a problem was sorted (clue or not) is withheld from the inspected unit, so is this filter.
        raise ValidationFailed(_("This filter is not available to your account."), field="disposal")
    qs = problem_list(viewer=user, round_id=query.round, inspection_id=query.inspection, unit_id=query.unit,
                      committee_id=query.committee, category=query.category, disposal=query.disposal,
                      status=query.status, search=(query.q or "").strip() or None)
    return paginate(qs, query, lambda p: problem_out(p, user))


@router.get("/problems/{problem_id}", response={200: ProblemOut, **READ_ERRORS}, tags=["problems"],
            summary="One problem")
def problem_detail(request: HttpRequest, problem_id: int):
    user = viewer(request)
    return problem_out(problem_get(viewer=user, pk=problem_id), user)


class ProblemFields(Schema):
    evidence_summary: str = ""
    key_person: bool = False
    key_person_names: str = ""
    key_matter: bool = False
    disposal: Disposal = Disposal.GENERAL
    fault_kind: FaultKind | Blank = Field("", description="失误 (mistake) or 失责 (dereliction); needs a reason.")
    depth: Depth | Blank = ""
    cognition: Cognition | Blank = ""
    cause: Cause | Blank = ""
    nature_reason: str = ""


class ProblemIn(ProblemFields):
    inspection: int
    unit: int
    description: str
    category: Category
    found_on: datetime.date | None = Field(None, description="Default: today.")
    source_ref: str = Field("", max_length=100)


class ProblemPatch(Schema):
    """Only the fields sent are changed; null means “leave as it is”."""

    version: int
    description: str | None = None
    evidence_summary: str | None = None
    category: Category | None = None
    key_person: bool | None = None
    key_person_names: str | None = None
    key_matter: bool | None = None
    disposal: Disposal | None = None
    fault_kind: FaultKind | Blank | None = None
    depth: Depth | Blank | None = None
    cognition: Cognition | Blank | None = None
    cause: Cause | Blank | None = None
    nature_reason: str | None = None


def _plain(data: dict) -> dict:
    """Enum members as their stored string values."""
    return {k: getattr(v, "value", v) for k, v in data.items()}


@router.post("/problems", response={201: ProblemOut, **WRITE_ERRORS}, tags=["problems"],
             summary="Record a problem found in an inspection")
def problem_record(request: HttpRequest, payload: ProblemIn):
    user = viewer(request)
    inspection = inspection_get(viewer=user, pk=payload.inspection)
    unit = unit_of(inspection, payload.unit)
    data = _plain(payload.model_dump(exclude={"inspection", "unit"}))
    problem = services.problem_record(actor=user, inspection=inspection, unit=unit, **data)
    return Status(201, problem_out(problem_get(viewer=user, pk=problem.pk), user))


@router.patch("/problems/{problem_id}", response={200: ProblemOut, **WRITE_ERRORS}, tags=["problems"],
              summary="Edit a problem (optimistic locking: send the version you read)")
def problem_update(request: HttpRequest, problem_id: int, payload: ProblemPatch):
    user = viewer(request)
    problem = problem_get(viewer=user, pk=problem_id)
    data = {k: v for k, v in _plain(payload.model_dump(exclude_unset=True)).items() if v is not None}
    version = data.pop("version")
    services.problem_update(actor=user, problem=problem, expected_version=version, **data)
    return problem_out(problem_get(viewer=user, pk=problem_id), user)


# -- clues -------------------------------------------------------------------------------------------------

class ClueQuery(PageQuery):
    round: int | None = None
    inspection: int | None = None
    unit: int | None = None
    disposed: bool | None = Field(None, description="true: disposal recorded; false: still open.")
    overdue: bool | None = Field(None, description="true: still without disposal after the answer period; "
                                                   "false: the others.")


@router.get("/clues", response=page_of(ClueOut), tags=["clues"],
            summary="Clues handed over, as far as the viewer may see them (a 高密 clue only to its readers)")
def clues(request: HttpRequest, query: Query[ClueQuery]):
    user = viewer(request)
    qs = clue_list(viewer=user, round_id=query.round, inspection_id=query.inspection, unit_id=query.unit,
                   disposed=query.disposed, overdue=query.overdue or None)
    if query.overdue is False:
        qs = qs.exclude(pk__in=clue_list(viewer=user, overdue=True).values("pk"))
    return paginate(qs.select_related("signed_for_by").prefetch_related("supervisions__by"), query, clue_out)


@router.get("/clues/{clue_id}", response={200: ClueOut, **READ_ERRORS}, tags=["clues"],
            summary="One clue: signing for, disposal, result, 高密, supervisions, answer due date")
def clue_detail(request: HttpRequest, clue_id: int):
    return clue_out(clue_get(viewer=viewer(request), pk=clue_id))


def _clue(user: User, clue_id: int) -> dict:
    return clue_out(clue_get(viewer=user, pk=clue_id))


class ClueIn(Schema):
    inspection: int
    unit: int
    organ: int = Field(description="The receiving organ (纪委监委, 公安 …) the clue is handed to.")
    summary: str
    persons_involved: str = Field("", max_length=200)
    handed_over_on: datetime.date | None = Field(None, description="Default: today.")
    problem: int | None = Field(None, description="The problem of the same inspection the clue comes from.")


@router.post("/clues", response={201: ClueOut, **CREATE_ERRORS}, tags=["clues"], openapi_extra=openapi(),
             summary="Hand a clue over to a receiving organ")
def clue_hand_over(request: HttpRequest, payload: ClueIn):
    user = viewer(request)
    inspection = inspection_get(viewer=user, pk=payload.inspection)
    unit = unit_of(inspection, payload.unit)
    organ = organ_list(viewer=user).filter(pk=payload.organ).first()
    if organ is None:
        raise ValidationFailed(_("Choose a receiving organ you may hand clues to."), field="organ")
    problem = None
    if payload.problem is not None:
        problem = problem_get(viewer=user, pk=payload.problem)
        if problem.inspection_id != inspection.pk:
            raise ValidationFailed(_("The problem belongs to another inspection."), field="problem")
    clue = run_once(request, "POST /clues", lambda: services.clue_hand_over(
        actor=user, inspection=inspection, unit=unit, summary=payload.summary, organ=organ,
        handed_over_on=payload.handed_over_on, persons_involved=payload.persons_involved, problem=problem))
    return Status(201, _clue(user, clue.pk))


class DisposeIn(Schema):
    disposal: ClueDisposal
    note: str = ""
    on_date: datetime.date | None = Field(None, description="Default: today.")
    version: int


@router.post("/clues/{clue_id}/dispose", response={200: ClueOut, **WRITE_ERRORS}, tags=["clues"],
             summary="Record what the receiving organ did with the clue")
def clue_dispose(request: HttpRequest, clue_id: int, payload: DisposeIn):
    user = viewer(request)
    clue = clue_get(viewer=user, pk=clue_id)
    services.clue_dispose(actor=user, clue=clue, disposal=payload.disposal.value, note=payload.note,
                          on_date=payload.on_date, expected_version=payload.version)
    return _clue(user, clue_id)


class SignForIn(Schema):
    on_date: datetime.date | None = Field(None, description="Default: today.")


@router.post("/clues/{clue_id}/sign-for", response={200: ClueOut, **WRITE_ERRORS}, tags=["clues"],
             summary="Sign for a clue handed over (签收; the receiving organ, once)")
def clue_sign_for(request: HttpRequest, clue_id: int, payload: SignForIn):
    user = viewer(request)
    services.clue_sign_for(actor=user, clue=clue_get(viewer=user, pk=clue_id), on_date=payload.on_date)
    return _clue(user, clue_id)


class ResultIn(Schema):
    result: ClueResult
    note: str = ""
    on_date: datetime.date | None = Field(None, description="Default: today.")
    version: int


@router.post("/clues/{clue_id}/result", response={200: ClueOut, **WRITE_ERRORS}, tags=["clues"],
             summary="Record what finally became of a disposed clue (立案, 处分 …; the receiving organ, once)")
def clue_result(request: HttpRequest, clue_id: int, payload: ResultIn):
    user = viewer(request)
    services.clue_record_result(actor=user, clue=clue_get(viewer=user, pk=clue_id), result=payload.result.value,
                                on_date=payload.on_date, note=payload.note, expected_version=payload.version)
    return _clue(user, clue_id)


class SuperviseIn(Schema):
    note: str = Field(description="What the organ is asked to do.")
    on_date: datetime.date | None = Field(None, description="Default: today.")


@router.post("/clues/{clue_id}/supervise", response={200: ClueOut, **CREATE_ERRORS}, tags=["clues"],
             openapi_extra=openapi(),
             summary="Press the organ about a clue overdue for an answer (督办; the office)")
def clue_supervise(request: HttpRequest, clue_id: int, payload: SuperviseIn):
    user = viewer(request)
    clue = clue_get(viewer=user, pk=clue_id)
    run_once(request, f"POST /clues/{clue.pk}/supervise",
             lambda: services.clue_supervise(actor=user, clue=clue, note=payload.note, on_date=payload.on_date))
    return _clue(user, clue_id)


# -- suggestions -------------------------------------------------------------------------------------------

class SuggestionQuery(PageQuery):
    round: int | None = None
    inspection: int | None = None
    unit: int | None = None


@router.get("/suggestions", response=page_of(SuggestionOut), tags=["suggestions"],
            summary="Suggestions made to units")
def suggestions(request: HttpRequest, query: Query[SuggestionQuery]):
    qs = suggestion_list(viewer=viewer(request), round_id=query.round, inspection_id=query.inspection,
                         unit_id=query.unit)
    return paginate(qs, query, suggestion_out)


@router.get("/suggestions/{suggestion_id}", response={200: SuggestionOut, **READ_ERRORS}, tags=["suggestions"],
            summary="One suggestion")
def suggestion_detail(request: HttpRequest, suggestion_id: int):
    return suggestion_out(suggestion_get(viewer=viewer(request), pk=suggestion_id))


class CompleteIn(Schema):
    note: str = Field(description="How the suggestion was completed.")
    on_date: datetime.date | None = Field(None, description="Default: today.")
    version: int


@router.post("/suggestions/{suggestion_id}/complete", response={200: SuggestionOut, **WRITE_ERRORS},
             tags=["suggestions"], summary="Record that a suggestion was completed")
def suggestion_complete(request: HttpRequest, suggestion_id: int, payload: CompleteIn):
    user = viewer(request)
    suggestion = suggestion_get(viewer=user, pk=suggestion_id)
    services.suggestion_complete(actor=user, suggestion=suggestion, note=payload.note, on_date=payload.on_date,
                                 expected_version=payload.version)
    return suggestion_out(suggestion_get(viewer=user, pk=suggestion_id))
