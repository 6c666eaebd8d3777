"""Writes to problems, suggestions and clues. Each is one audited transaction."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields, snapshot
from xuncha.core.dates import today
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.findings.models import (
    Category,
    Cause,
    Clue,
    ClueDisposal,
    ClueResult,
    ClueSupervision,
    Cognition,
    Depth,
    Disposal,
    FaultKind,
    Problem,
    ProblemStatus,
    Suggestion,
)
from xuncha.findings.selectors import clue_answer_due_on
from xuncha.org.models import ReceivingOrgan, Role, Unit, User
from xuncha.rounds.models import Inspection, Stage
from xuncha.rounds.scoping import is_signed_member

PROBLEM_TRANSITIONS: dict[str, set[str]] = {
    ProblemStatus.RECORDED: {ProblemStatus.FED_BACK},
    ProblemStatus.FED_BACK: {ProblemStatus.RECTIFYING, ProblemStatus.RECTIFIED},
    ProblemStatus.RECTIFYING: {ProblemStatus.RECTIFIED},
    # A follow-up visit that finds the problem again reopens it (边改边犯).
    ProblemStatus.RECTIFIED: {ProblemStatus.RECTIFYING},
}

# Problems are recorded while the group is at work and until the report is written.
RECORDING_STAGES = {Stage.PREPARE, Stage.FIELDWORK, Stage.REPORT, Stage.FEEDBACK}

EDITABLE_FIELDS = (
    "description", "evidence_summary", "category", "key_person", "key_person_names", "key_matter", "disposal",
    "fault_kind", "depth", "cognition", "cause", "nature_reason",
)


def can_record_in(actor: User | None, inspection: Inspection) -> bool:
    if actor is None or actor.role == Role.ADMIN:
        return True
    if actor.role == Role.OFFICE and actor.committee_id:
        return inspection.round.committee.path.startswith(actor.committee.path)
    if actor.role == Role.INSPECTOR:
        return is_signed_member(actor, inspection.group)
    return False


def _path(problem_or_inspection) -> str:
    inspection = getattr(problem_or_inspection, "inspection", problem_or_inspection)
    return inspection.round.committee.path


def _clean(data: dict) -> dict:
    if not (data.get("description") or "").strip():
        raise ValidationFailed(_("Describe the problem."), field="description")
    if data.get("category") not in Category.values:
        raise ValidationFailed(_("Choose a category."), field="category")
    if data.get("disposal", Disposal.GENERAL) not in Disposal.values:
        raise ValidationFailed(_("Choose a disposal."), field="disposal")
    for field, choices in (("fault_kind", FaultKind), ("depth", Depth), ("cognition", Cognition), ("cause", Cause)):
        if data.get(field) and data[field] not in choices.values:
            raise ValidationFailed(_("Choose one of the offered judgements."), field=field)
    if data.get("fault_kind") and not (data.get("nature_reason") or "").strip():
        raise ValidationFailed(_("Give the reason for judging it a mistake or a dereliction."),
                               field="nature_reason")
    data["description"] = data["description"].strip()
    return data


@transaction.atomic
def problem_record(*, actor: User | None, inspection: Inspection, unit: Unit, found_on: datetime.date | None = None,
                   **data) -> Problem:
    if not can_record_in(actor, inspection):
        raise ValidationFailed(_("You may not record problems in this inspection."))
    if inspection.stage not in RECORDING_STAGES:
        raise ValidationFailed(_("Problems are recorded before the feedback is given."))
    if not inspection.units.filter(pk=unit.pk).exists():
        raise ValidationFailed(_("This unit is not covered by the inspection."), field="unit")
    data = _clean({k: v for k, v in data.items() if k in EDITABLE_FIELDS or k == "source_ref"})
    problem = Problem.objects.create(inspection=inspection, unit=unit, found_on=found_on or today(),
                                     recorded_by=actor, **data)
    audit_record(actor=actor, action="problem.record", obj=problem, after=snapshot(problem),
                 committee_path=_path(inspection))
    return problem


@transaction.atomic
def problem_update(*, actor: User, problem: Problem, expected_version: int | None, **data) -> Problem:
    if not can_record_in(actor, problem.inspection):
        raise ValidationFailed(_("You may not edit problems of this inspection."))
    problem = lock_for_update(Problem, pk=problem.pk, expected_version=expected_version)
    before = snapshot(problem)
    merged = {f: getattr(problem, f) for f in EDITABLE_FIELDS}
    merged.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    merged = _clean(merged)
    for field, value in merged.items():
        setattr(problem, field, value)
    bump_version(problem)
    problem.save()
    b, a = changed_fields(before, snapshot(problem))
    audit_record(actor=actor, action="problem.update", obj=problem, before=b, after=a, committee_path=_path(problem))
    return problem


def problem_set_status(*, actor: User | None, problem: Problem, status: str, on_date: datetime.date | None = None,
                       action: str = "problem.status") -> Problem:
    """Move a problem along PROBLEM_TRANSITIONS. Callers hold the transaction."""
    if status not in PROBLEM_TRANSITIONS.get(problem.status, set()):
        raise TransitionRefused(
            _("A problem that is %(frm)s cannot become %(to)s.")
            % {"frm": ProblemStatus(problem.status).label, "to": ProblemStatus(status).label}
        )
    before = snapshot(problem, ["status", "fed_back_on", "rectified_on"])
    problem.status = status
    on_date = on_date or today()
    if status == ProblemStatus.FED_BACK:
        problem.fed_back_on = on_date
    if status == ProblemStatus.RECTIFIED:
        problem.rectified_on = on_date
    if status == ProblemStatus.RECTIFYING:
        problem.rectified_on = None
    bump_version(problem)
    problem.save(update_fields=["status", "fed_back_on", "rectified_on", "version"])
    audit_record(actor=actor, action=action, obj=problem, before=before,
                 after=snapshot(problem, ["status", "fed_back_on", "rectified_on"]), committee_path=_path(problem))
    return problem


@transaction.atomic
def problems_feed_back(*, actor: User | None, inspection: Inspection, on_date: datetime.date) -> int:
    """Mark every recorded problem of the inspection as fed back to its unit."""
    count = 0
    for problem in Problem.objects.select_for_update().filter(inspection=inspection, status=ProblemStatus.RECORDED):
        problem_set_status(actor=actor, problem=problem, status=ProblemStatus.FED_BACK, on_date=on_date,
                           action="problem.feed_back")
        count += 1
    return count


@transaction.atomic
def suggestion_make(*, actor: User | None, inspection: Inspection, unit: Unit, text: str) -> Suggestion:
    if not can_record_in(actor, inspection):
        raise ValidationFailed(_("You may not make suggestions in this inspection."))
    if not text.strip():
        raise ValidationFailed(_("Write the suggestion."), field="text")
    suggestion = Suggestion.objects.create(inspection=inspection, unit=unit, text=text.strip())
    audit_record(actor=actor, action="suggestion.make", obj=suggestion, after=snapshot(suggestion),
                 committee_path=_path(inspection))
    return suggestion


@transaction.atomic
def suggestion_complete(*, actor: User | None, suggestion: Suggestion, note: str,
                        on_date: datetime.date | None = None, expected_version: int | None = None) -> Suggestion:
    suggestion = lock_for_update(Suggestion, pk=suggestion.pk, expected_version=expected_version)
    if actor is not None and actor.role not in (Role.ADMIN, Role.OFFICE) and not (
        actor.role == Role.UNIT and actor.unit_id == suggestion.unit_id
    ):
        raise ValidationFailed(_("You may not complete this suggestion."))
    if suggestion.status == Suggestion.Status.COMPLETED:
        raise TransitionRefused(_("This suggestion is already completed."))
    if not note.strip():
        raise ValidationFailed(_("Say how the suggestion was completed."), field="note")
    before = snapshot(suggestion)
    suggestion.status = Suggestion.Status.COMPLETED
    suggestion.completed_on = on_date or today()
    suggestion.completion_note = note.strip()
    bump_version(suggestion)
    suggestion.save()
    audit_record(actor=actor, action="suggestion.complete", obj=suggestion, before=before,
                 after=snapshot(suggestion), committee_path=_path(suggestion))
    return suggestion


# --- Clues: 移交 → 签收 → 处置 → 结果, with 督办 when the answer is late -------------------------------------
# A clue moves one way: handed over → signed for by the receiving organ → disposed of → result recorded.
# Each step is the organ's (or the admin's); the office only presses (督办) once the answer is overdue.

CLUE_SECRET_FIELDS = ("summary", "persons_involved", "disposal_note", "result_note")


def _clue_snapshot(clue: Clue) -> dict:
    """The audit picture of a clue. A 高密 clue's words stay out of the trail, which the office reads."""
    data = snapshot(clue)
    if clue.top_secret:
        for field in CLUE_SECRET_FIELDS:
            data.pop(field, None)
    return data


def is_clue_receiver(actor: User | None, clue: Clue) -> bool:
    """The organ's own accounts (and the admin, and the system) act on a clue handed to it."""
    if actor is None or actor.role == Role.ADMIN:
        return True
    return actor.role == Role.RECEIVER and actor.organ_id == clue.organ_id


def _organ_accounts(organ: ReceivingOrgan):
    return User.objects.filter(role=Role.RECEIVER, organ=organ, is_active=True)


def names_principal(unit: Unit, persons_involved: str) -> bool:
    """Whether the persons involved name the unit's 一把手 (its principal cadre)."""
    from xuncha.org.models import Cadre

    text = persons_involved or ""
    return any(name and name.strip() and name.strip() in text
               for name in Cadre.objects.filter(unit=unit, is_principal=True).values_list("name", flat=True))


@transaction.atomic
def clue_hand_over(*, actor: User | None, inspection: Inspection, unit: Unit, summary: str,
                   organ: ReceivingOrgan, handed_over_on: datetime.date | None = None, persons_involved: str = "",
                   problem: Problem | None = None, top_secret: bool = False, readers=()) -> Clue:
    """移交. A clue about the unit's 一把手 is 高密 whatever the caller says: only its readers (the hander-over,
    the organ's accounts and the accounts named) see it."""
    if not can_record_in(actor, inspection):
        raise ValidationFailed(_("You may not hand over clues of this inspection."))
    if not summary.strip():
        raise ValidationFailed(_("Summarise the clue."), field="summary")
    persons_involved = (persons_involved or "").strip()
    top_secret = bool(top_secret) or names_principal(unit, persons_involved)
    clue = Clue.objects.create(inspection=inspection, unit=unit, summary=summary.strip(), organ=organ,
                               handed_over_on=handed_over_on or today(), persons_involved=persons_involved,
                               problem=problem, top_secret=top_secret)
    after = _clue_snapshot(clue)
    if top_secret:
        chosen = {r.pk if isinstance(r, User) else int(r) for r in readers if r is not None}
        if actor is not None and actor.pk:
            chosen.add(actor.pk)
        chosen.update(_organ_accounts(organ).values_list("pk", flat=True))
        clue.readers.set(User.objects.filter(pk__in=chosen))
        after["readers"] = sorted(chosen)
    audit_record(actor=actor, action="clue.hand_over", obj=clue, after=after, committee_path=_path(inspection))
    return clue


@transaction.atomic
def clue_sign_for(*, actor: User | None, clue: Clue, on_date: datetime.date | None = None) -> Clue:
    """签收: the receiving organ acknowledges the clue, once, not before it was handed over."""
    clue = lock_for_update(Clue, pk=clue.pk, expected_version=None)
    if not is_clue_receiver(actor, clue):
        raise ValidationFailed(_("Only the organ the clue was handed to signs for it."))
    if clue.signed_for_on:
        raise TransitionRefused(_("This clue has already been signed for."))
    on_date = on_date or today()
    if on_date < clue.handed_over_on:
        raise ValidationFailed(_("A clue cannot be signed for before it was handed over."))
    if on_date > today():
        raise ValidationFailed(_("The date signed for cannot be in the future."))
    before = _clue_snapshot(clue)
    clue.signed_for_on = on_date
    clue.signed_for_by = actor if actor is not None and actor.pk else None
    bump_version(clue)
    clue.save()
    audit_record(actor=actor, action="clue.sign_for", obj=clue, before=before, after=_clue_snapshot(clue),
                 committee_path=_path(clue))
    return clue


@transaction.atomic
def clue_dispose(*, actor: User | None, clue: Clue, disposal: str, note: str = "",
                 on_date: datetime.date | None = None, expected_version: int | None = None) -> Clue:
    """The receiving organ records what became of the clue (谈话函询/初步核实/暂存待查/予以了结).

    Only once, and only after the organ signed for it (签收).
    """
    clue = lock_for_update(Clue, pk=clue.pk, expected_version=expected_version)
    if not is_clue_receiver(actor, clue):
        raise ValidationFailed(_("Only the organ the clue was handed to records its disposal."))
    if disposal not in ClueDisposal.values:
        raise ValidationFailed(_("Choose a disposal."), field="disposal")
    if clue.disposal:
        raise TransitionRefused(_("This clue's disposal is already recorded."))
    if not clue.signed_for_on:
        raise TransitionRefused(_("Sign for the clue before recording its disposal."))
    on_date = on_date or today()
    if on_date < clue.handed_over_on:
        raise ValidationFailed(_("A clue cannot be disposed of before it was handed over."))
    if on_date < clue.signed_for_on:
        raise ValidationFailed(_("A clue cannot be disposed of before it was signed for."), field="on_date")
    before = _clue_snapshot(clue)
    clue.disposal, clue.disposed_on, clue.disposal_note = disposal, on_date, note.strip()
    bump_version(clue)
    clue.save()
    audit_record(actor=actor, action="clue.dispose", obj=clue, before=before, after=_clue_snapshot(clue),
                 committee_path=_path(clue))
    return clue


@transaction.atomic
def clue_record_result(*, actor: User | None, clue: Clue, result: str, on_date: datetime.date | None = None,
                       note: str = "", expected_version: int | None = None) -> Clue:
    """The organ reports what finally became of a disposed clue (立案、处分、组织处理、了结…), once."""
    clue = lock_for_update(Clue, pk=clue.pk, expected_version=expected_version)
    if not is_clue_receiver(actor, clue):
        raise ValidationFailed(_("Only the organ the clue was handed to records its result."))
    if result not in ClueResult.values:
        raise ValidationFailed(_("Choose a result."), field="result")
    if not clue.disposal:
        raise TransitionRefused(_("Record the disposal of the clue before its result."))
    if clue.result:
        raise TransitionRefused(_("This clue's result is already recorded."))
    on_date = on_date or today()
    if on_date < clue.disposed_on:
        raise ValidationFailed(_("A result cannot be recorded before the clue was disposed of."), field="on_date")
    if on_date > today():
        raise ValidationFailed(_("The date of the result cannot be in the future."), field="on_date")
    before = _clue_snapshot(clue)
    clue.result, clue.result_on, clue.result_note = result, on_date, (note or "").strip()
    bump_version(clue)
    clue.save()
    audit_record(actor=actor, action="clue.record_result", obj=clue, before=before, after=_clue_snapshot(clue),
                 committee_path=_path(clue))
    return clue


def may_supervise_clue(actor: User | None, clue: Clue) -> bool:
    """督办 is the office's: an office account whose subtree ran the clue's round."""
    if actor is None:
        return True
    return bool(actor.role == Role.OFFICE and actor.committee_id
                and _path(clue).startswith(actor.committee.path))


@transaction.atomic
def clue_supervise(*, actor: User | None, clue: Clue, note: str,
                   on_date: datetime.date | None = None) -> ClueSupervision:
    """督办: the office presses the organ about a clue with no disposal after the committee's answer period."""
    from django.urls import reverse

    from xuncha.notifications.services import notify

    clue = lock_for_update(Clue, pk=clue.pk, expected_version=None)
    if not may_supervise_clue(actor, clue):
        raise ValidationFailed(_("Only the inspection office supervises the handling of a clue."))
    if not (note or "").strip():
        raise ValidationFailed(_("Say what the organ is asked to do."), field="note")
    on_date = on_date or today()
    if on_date > today():
        raise ValidationFailed(_("The date of the supervision cannot be in the future."), field="on_date")
    if clue.disposal:
        raise TransitionRefused(_("This clue's disposal is already recorded; there is nothing to press for."))
    due = clue_answer_due_on(clue)
    if on_date <= due:
        raise TransitionRefused(_("The organ has until %(due)s to answer; supervision comes after that.")
                                % {"due": due.isoformat()})
    supervision = ClueSupervision.objects.create(clue=clue, by=actor if actor is not None and actor.pk else None,
                                                 on_date=on_date, note=note.strip())
    audit_record(actor=actor, action="clue.supervise", obj=clue,
                 after={"supervision": supervision.pk, "on_date": on_date.isoformat(), "due_on": due.isoformat()},
                 committee_path=_path(clue))
    title = _("Supervision: a clue handed over on %(day)s has no disposal yet") % {
        "day": clue.handed_over_on.isoformat()}
    body = supervision.note if not clue.top_secret else _("See the clue for what is asked.")
    notify(recipients=list(_organ_accounts(clue.organ).filter(
        Q(pk__in=clue.readers.values("pk")) if clue.top_secret else Q())),
        kind="urge", title=title, body=body, url=reverse("web:clue_detail", args=[clue.pk]),
        dedupe_key=f"clue:{clue.pk}:supervise:{on_date.isoformat()}")
    return supervision


# --- Import of a legacy problem ledger -------------------------------------------------------------
# Historical problems arrive with the status they reached on paper. The import records them at that
# status in one step, but only along PROBLEM_TRANSITIONS from "recorded", and with the dates that path
# implies (fed back on …, rectified on …), so an imported problem is one the normal path could produce.

IMPORT_FIELDS = (*EDITABLE_FIELDS, "source_ref")


def _status_path(target: str) -> list[str] | None:
    """The statuses a problem passes through from "recorded" to `target` (breadth first), or None."""
    paths: list[list[str]] = [[ProblemStatus.RECORDED]]
    seen = {ProblemStatus.RECORDED.value}
    while paths:
        path = paths.pop(0)
        if path[-1] == target:
            return path
        for nxt in sorted(PROBLEM_TRANSITIONS.get(path[-1], set())):
            if nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    return None


def _feedback_given(inspection: Inspection) -> bool:
    from xuncha.rounds.models import STAGE_ORDER

    return inspection.feedback_on is not None or STAGE_ORDER.index(inspection.stage) >= STAGE_ORDER.index(
        Stage.RECTIFY)


def may_import_problems(actor: User | None) -> bool:
    return actor is None or actor.role in (Role.ADMIN, Role.OFFICE)


def problem_import_check(*, actor: User | None, inspection: Inspection, unit: Unit,
                         found_on: datetime.date | None, status: str = "",
                         fed_back_on: datetime.date | None = None, rectified_on: datetime.date | None = None,
                         **data) -> dict:
    """Check one imported problem as problem_record would, plus its status and dates.

    Returns the cleaned values for problems_import; raises ValidationFailed naming the field at fault.
    A blank status means "as the inspection stands": fed back once its feedback was given, else recorded.
    """
    if not can_record_in(actor, inspection):
        raise ValidationFailed(_("You may not record problems in this inspection."), field="inspection")
    if not inspection.units.filter(pk=unit.pk).exists():
        raise ValidationFailed(_("This unit is not covered by the inspection."), field="unit")
    cleaned = _clean({k: v for k, v in data.items() if k in IMPORT_FIELDS})
    cleaned.setdefault("disposal", Disposal.GENERAL)
    if found_on is None:
        raise ValidationFailed(_("Give the date the problem was found."), field="found_on")
    if found_on > today():
        raise ValidationFailed(_("The date found cannot be in the future."), field="found_on")
    feedback_given = _feedback_given(inspection)
    if not status:
        status = ProblemStatus.FED_BACK if feedback_given else ProblemStatus.RECORDED
    if status not in ProblemStatus.values:
        raise ValidationFailed(_("Unknown status."), field="status")
    path = _status_path(status)
    if path is None:
        raise ValidationFailed(_("An imported problem cannot start as %(status)s.")
                               % {"status": ProblemStatus(status).label}, field="status")
    if status == ProblemStatus.RECORDED and feedback_given:
        raise ValidationFailed(_("The inspection has already given its feedback, so its problems are at "
                                 "least fed back."), field="status")
    if status != ProblemStatus.RECORDED and not feedback_given:
        raise ValidationFailed(_("The inspection has not given its feedback yet; the problem cannot be "
                                 "%(status)s.") % {"status": ProblemStatus(status).label}, field="status")
    if ProblemStatus.FED_BACK in path:
        fed_back_on = fed_back_on or inspection.feedback_on or found_on
        if fed_back_on < found_on:
            raise ValidationFailed(_("A problem cannot be fed back before it was found."),
                                   field="fed_back_on")
        if fed_back_on > today():
            raise ValidationFailed(_("The feedback date cannot be in the future."), field="fed_back_on")
    elif fed_back_on:
        raise ValidationFailed(_("Only a problem fed back has a feedback date."), field="fed_back_on")
    if status == ProblemStatus.RECTIFIED:
        if rectified_on is None:
            raise ValidationFailed(_("Give the date a rectified problem was rectified."),
                                   field="rectified_on")
        if rectified_on < fed_back_on:
            raise ValidationFailed(_("A problem cannot be rectified before it was fed back."),
                                   field="rectified_on")
        if rectified_on > today():
            raise ValidationFailed(_("The rectification date cannot be in the future."), field="rectified_on")
    elif rectified_on:
        raise ValidationFailed(_("Only a rectified problem has a rectification date."), field="rectified_on")
    duplicate = Problem.objects.filter(inspection=inspection, unit=unit, description=cleaned["description"])
    if duplicate.exists():
        raise ValidationFailed(
            _("This problem is already on the ledger (same inspection, unit and description)."),
            field="description")
    return {
        "inspection": inspection, "unit": unit, "found_on": found_on, "status": status, "status_path": path,
        "fed_back_on": fed_back_on if ProblemStatus.FED_BACK in path else None,
        "rectified_on": rectified_on if status == ProblemStatus.RECTIFIED else None,
        **cleaned,
    }


@transaction.atomic
def problems_import(*, actor: User | None, rows: list[dict]) -> list[Problem]:
    """Record a legacy ledger: every row or none. Each row is checked again here and audited on its own.

    A row is a dict of problem_import_check's arguments, with an optional "row" (its line in the file)
    that a refusal names.
    """
    if not may_import_problems(actor):
        raise ValidationFailed(_("Only the inspection office imports problem ledgers."))
    if not rows:
        raise ValidationFailed(_("There are no problems to import."))
    seen: set[tuple[int, int, str]] = set()
    created: list[Problem] = []
    for index, row in enumerate(rows, start=1):
        row = dict(row)
        line = row.pop("row", index)
        try:
            values = problem_import_check(actor=actor, **row)
            key = (values["inspection"].pk, values["unit"].pk, values["description"])
            if key in seen:
                raise ValidationFailed(_("The same problem appears twice in the file."), field="description")
            seen.add(key)
        except ValidationFailed as exc:
            raise ValidationFailed(_("Row %(row)s: %(message)s") % {"row": line, "message": exc.message},
                                   field=exc.field) from exc
        path = values.pop("status_path")
        problem = Problem.objects.create(recorded_by=actor if getattr(actor, "pk", None) else None, **values)
        after = snapshot(problem)
        after["imported_status_path"] = [str(s) for s in path]
        audit_record(actor=actor, action="problem.import", obj=problem, after=after,
                     committee_path=_path(values["inspection"]))
        created.append(problem)
    return created
