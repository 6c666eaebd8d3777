"""Response schemas and the functions that fill them from scoped model instances.

Rates are strings with two decimals ("96.37") or null, as offices report them. Labels (`*_label`)
are in the request's language. What an inspected unit must not see is withheld (null) for unit accounts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema

from xuncha.core.dates import days_left
from xuncha.findings.models import Clue, Problem, Suggestion
from xuncha.findings.selectors import clue_answer_due_on, clue_answer_overdue, clue_days_waiting
from xuncha.org.models import Cadre, Role, Unit, User
from xuncha.rectification.models import Task
from xuncha.rectification.selectors import task_is_overdue, task_light
from xuncha.rounds.models import Inspection, Round, Stage
from xuncha.rounds.selectors import inspection_deadlines, stage_timeline
from xuncha.rounds.services import next_stage
from xuncha.stats.selectors import Coverage, Metrics


def rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# -- units -------------------------------------------------------------------------------------------------

class UnitRef(Schema):
    id: int
    name: str


class UnitOut(Schema):
    id: int
    name: str
    full_name: str
    kind: str
    kind_label: str
    committee_id: int
    committee_name: str
    parent_id: int | None
    code: str
    address: str
    is_active: bool
    version: int


class CadreOut(Schema):
    name: str
    position: str
    is_principal: bool
    manages_people_money_assets: bool
    since: datetime.date | None


class UnitDetailOut(UnitOut):
    cadres: list[CadreOut]


def unit_ref(unit: Unit) -> dict:
    return {"id": unit.pk, "name": str(unit)}


def unit_out(unit: Unit) -> dict:
    return {
        "id": unit.pk, "name": unit.name, "full_name": str(unit), "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()), "committee_id": unit.committee_id,
        "committee_name": unit.committee.name, "parent_id": unit.parent_id, "code": unit.code,
        "address": unit.address, "is_active": unit.is_active, "version": unit.version,
    }


def unit_detail_out(unit: Unit, cadres: list[Cadre]) -> dict:
    return {**unit_out(unit), "cadres": [
        {"name": c.name, "position": c.position, "is_principal": c.is_principal,
         "manages_people_money_assets": c.manages_people_money_assets, "since": c.since} for c in cadres]}


# -- rounds and inspections --------------------------------------------------------------------------------

class RoundOut(Schema):
    id: int
    label: str
    committee_id: int
    committee_name: str
    plan_id: int | None
    year: int
    number: int
    kind: str
    kind_label: str
    topic: str
    approved_on: datetime.date | None
    approval_meeting: str
    approval_note: str
    inspections: int
    version: int


def round_out(rnd: Round) -> dict:
    return {
        "id": rnd.pk, "label": str(rnd), "committee_id": rnd.committee_id, "committee_name": rnd.committee.name,
        "plan_id": rnd.plan_id, "year": rnd.year, "number": rnd.number, "kind": rnd.kind,
        "kind_label": str(rnd.get_kind_display()), "topic": rnd.topic, "approved_on": rnd.approved_on,
        "approval_meeting": rnd.approval_meeting, "approval_note": rnd.approval_note,
        "inspections": getattr(rnd, "n_inspections", None) or rnd.inspections.count(), "version": rnd.version,
    }


class InspectionOut(Schema):
    id: int
    label: str
    round_id: int
    round_label: str
    committee_id: int
    group_id: int
    group_name: str
    units: list[UnitRef]
    stage: str
    stage_label: str
    next_stage: str | None
    notice_sent_on: datetime.date | None
    entry_on: datetime.date | None
    fieldwork_ends_on: datetime.date | None
    report_heard_on: datetime.date | None
    feedback_on: datetime.date | None
    rectify_report_received_on: datetime.date | None
    follow_up_on: datetime.date | None
    archived_on: datetime.date | None
    version: int


class DeadlineOut(Schema):
    key: str
    label: str
    due: datetime.date | None
    done_on: datetime.date | None
    days_left: int | None
    state: str  # unscheduled / pending / overdue / done / late


class TimelineOut(Schema):
    stage: str
    label: str
    state: str  # done / current / upcoming
    began_on: datetime.date | None


class InspectionDetailOut(InspectionOut):
    deadlines: list[DeadlineOut]
    timeline: list[TimelineOut]


DATE_FIELDS = ("notice_sent_on", "entry_on", "fieldwork_ends_on", "report_heard_on", "feedback_on",
               "rectify_report_received_on", "follow_up_on", "archived_on")


def inspection_out(inspection: Inspection) -> dict:
    return {
        "id": inspection.pk, "label": str(inspection), "round_id": inspection.round_id,
        "round_label": str(inspection.round), "committee_id": inspection.round.committee_id,
        "group_id": inspection.group_id, "group_name": inspection.group.name,
        "units": [unit_ref(u) for u in inspection.units.all()],
        "stage": inspection.stage, "stage_label": str(Stage(inspection.stage).label),
        "next_stage": next_stage(inspection),
        **{f: getattr(inspection, f) for f in DATE_FIELDS},
        "version": inspection.version,
    }


def inspection_detail_out(inspection: Inspection) -> dict:
    return {
        **inspection_out(inspection),
        "deadlines": [{"key": d.key, "label": d.label, "due": d.due, "done_on": d.done_on,
                       "days_left": d.days_left, "state": d.state} for d in inspection_deadlines(inspection)],
        "timeline": [{"stage": row["stage"], "label": str(row["label"]), "state": row["state"],
                      "began_on": row["began_on"]} for row in stage_timeline(inspection)],
    }


# -- problems, clues, suggestions --------------------------------------------------------------------------

class ProblemOut(Schema):
    id: int
    inspection_id: int
    round_id: int
    unit_id: int
    unit_name: str
    description: str
    evidence_summary: str | None
    category: str
    category_label: str
    key_person: bool
    key_person_names: str | None
    key_matter: bool
    disposal: str | None
    disposal_label: str | None
    fault_kind: str
    depth: str
    cognition: str
    cause: str
    nature_reason: str
    status: str
    status_label: str
    found_on: datetime.date
    fed_back_on: datetime.date | None
    rectified_on: datetime.date | None
    source_ref: str | None
    version: int


def _withheld_from(viewer: User) -> bool:
    """The inspected unit reads its problem list, not the evidence, sources or persons behind it,
    nor whether a problem was sorted as a clue for the discipline organs."""
    return viewer.role == Role.UNIT


def problem_out(problem: Problem, viewer: User) -> dict:
    hide = _withheld_from(viewer)
    return {
        "id": problem.pk, "inspection_id": problem.inspection_id, "round_id": problem.inspection.round_id,
        "unit_id": problem.unit_id, "unit_name": str(problem.unit), "description": problem.description,
        "evidence_summary": None if hide else problem.evidence_summary,
        "category": problem.category, "category_label": str(problem.get_category_display()),
        "key_person": problem.key_person, "key_person_names": None if hide else problem.key_person_names,
        "key_matter": problem.key_matter, "disposal": None if hide else problem.disposal,
        "disposal_label": None if hide else str(problem.get_disposal_display()), "fault_kind": problem.fault_kind,
        "depth": problem.depth, "cognition": problem.cognition, "cause": problem.cause,
        "nature_reason": problem.nature_reason, "status": problem.status,
        "status_label": str(problem.get_status_display()), "found_on": problem.found_on,
        "fed_back_on": problem.fed_back_on, "rectified_on": problem.rectified_on,
        "source_ref": None if hide else problem.source_ref, "version": problem.version,
    }


class SupervisionOut(Schema):
    id: int
    on_date: datetime.date
    note: str
    by: str | None


class ClueOut(Schema):
    id: int
    inspection_id: int
    round_id: int
    unit_id: int
    unit_name: str
    problem_id: int | None
    summary: str
    persons_involved: str
    organ_id: int
    organ_name: str
    handed_over_on: datetime.date
    disposal: str
    disposal_label: str
    disposed_on: datetime.date | None
    disposal_note: str
    signed_for_on: datetime.date | None
    signed_for_by: str | None
    result: str
    result_label: str
    result_on: datetime.date | None
    result_note: str
    top_secret: bool
    answer_due_on: datetime.date
    answer_overdue: bool
    days_waiting: int
    supervisions: list[SupervisionOut]
    version: int


def clue_out(clue: Clue) -> dict:
    """A clue as its readers see it (a 高密 clue reaches only its readers: the selectors see to that)."""
    return {
        "id": clue.pk, "inspection_id": clue.inspection_id, "round_id": clue.inspection.round_id,
        "unit_id": clue.unit_id, "unit_name": str(clue.unit), "problem_id": clue.problem_id,
        "summary": clue.summary, "persons_involved": clue.persons_involved, "organ_id": clue.organ_id,
        "organ_name": clue.organ.name, "handed_over_on": clue.handed_over_on, "disposal": clue.disposal,
        "disposal_label": str(clue.get_disposal_display()) if clue.disposal else "",
        "disposed_on": clue.disposed_on, "disposal_note": clue.disposal_note,
        "signed_for_on": clue.signed_for_on,
        "signed_for_by": str(clue.signed_for_by) if clue.signed_for_by_id else None,
        "result": clue.result, "result_label": str(clue.get_result_display()) if clue.result else "",
        "result_on": clue.result_on, "result_note": clue.result_note, "top_secret": clue.top_secret,
        "answer_due_on": clue_answer_due_on(clue), "answer_overdue": clue_answer_overdue(clue),
        "days_waiting": clue_days_waiting(clue),
        "supervisions": [{"id": s.pk, "on_date": s.on_date, "note": s.note, "by": str(s.by) if s.by_id else None}
                         for s in clue.supervisions.all()],
        "version": clue.version,
    }


class SuggestionOut(Schema):
    id: int
    inspection_id: int
    round_id: int
    unit_id: int
    unit_name: str
    text: str
    status: str
    status_label: str
    completed_on: datetime.date | None
    completion_note: str
    version: int


def suggestion_out(suggestion: Suggestion) -> dict:
    return {
        "id": suggestion.pk, "inspection_id": suggestion.inspection_id,
        "round_id": suggestion.inspection.round_id, "unit_id": suggestion.unit_id,
        "unit_name": str(suggestion.unit), "text": suggestion.text, "status": suggestion.status,
        "status_label": str(suggestion.get_status_display()), "completed_on": suggestion.completed_on,
        "completion_note": suggestion.completion_note, "version": suggestion.version,
    }


# -- rectification tasks ----------------------------------------------------------------------------------

class TaskOut(Schema):
    id: int
    problem_id: int
    problem: str
    inspection_id: int
    round_id: int
    unit_id: int
    unit_name: str
    measure: str
    responsible_leader: str
    responsible_department: str
    responsible_person: str
    deadline: datetime.date | None
    days_left: int | None
    kind: str
    kind_label: str
    status: str
    status_label: str
    light: str  # red / yellow / green / done
    overdue: bool
    closed_on: datetime.date | None
    review_note: str
    version: int


class NoteOut(Schema):
    kind: str  # progress / submitted / returned / closed
    text: str
    author: str | None
    created_at: datetime.datetime


class TaskDetailOut(TaskOut):
    notes: list[NoteOut]


def task_out(task: Task) -> dict:
    problem = task.problem
    return {
        "id": task.pk, "problem_id": task.problem_id, "problem": str(problem),
        "inspection_id": problem.inspection_id, "round_id": problem.inspection.round_id,
        "unit_id": problem.unit_id, "unit_name": str(problem.unit), "measure": task.measure,
        "responsible_leader": task.responsible_leader, "responsible_department": task.responsible_department,
        "responsible_person": task.responsible_person, "deadline": task.deadline,
        "days_left": days_left(task.deadline) if task.status != "closed" else None,
        "kind": task.kind, "kind_label": str(task.get_kind_display()), "status": task.status,
        "status_label": str(task.get_status_display()), "light": task_light(task), "overdue": task_is_overdue(task),
        "closed_on": task.closed_on, "review_note": task.review_note, "version": task.version,
    }


def task_detail_out(task: Task) -> dict:
    notes = task.notes.select_related("author")
    return {**task_out(task), "notes": [
        {"kind": n.kind, "text": n.text, "author": str(n.author) if n.author_id else None,
         "created_at": n.created_at} for n in notes]}


# -- figures -----------------------------------------------------------------------------------------------

class MetricsOut(Schema):
    problems_found: int
    problems_fed_back: int
    problems_rectified: int
    rectification_rate: str | None
    clues_handed_over: int
    clues_disposed: int
    clue_disposal_rate: str | None
    suggestions_made: int
    suggestions_completed: int
    suggestion_completion_rate: str | None


def metrics_out(m: Metrics) -> dict:
    data = m.as_dict()
    for key in ("rectification_rate", "clue_disposal_rate", "suggestion_completion_rate"):
        data[key] = rate(data[key])
    return data


class CoverageOut(Schema):
    committee_id: int
    committee_name: str
    plan_id: int | None
    first_year: int | None
    last_year: int | None
    units_managed: int
    units_inspected: int
    coverage_rate: str | None
    target: str | None


def coverage_out(c: Coverage) -> dict:
    data = c.as_dict()
    data["coverage_rate"] = rate(data["coverage_rate"])
    data["target"] = rate(data["target"])
    return data
