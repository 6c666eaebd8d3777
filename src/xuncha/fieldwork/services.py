"""Writes to talks (个别谈话): plan from an outline, record what was said, cancel, correct.

Talk records are confidential. Audit events keep who did what and when, never the record text: the after-dicts
store its length instead (``record_length``), and the same for the findings.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields
from xuncha.core.dates import today
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.fieldwork.models import Talk, TalkAttachment, TalkOutline, TalkStatus
from xuncha.fieldwork.triage import triage_from_talk
from xuncha.org.models import Unit, User
from xuncha.rectification.services import may_manage_inspection
from xuncha.rounds.models import Inspection, Stage

# An upload as the services take it: the file's name and its bytes.
Upload = tuple[str, bytes]

# Talks are planned while the group prepares, is stationed, or writes its report.
PLANNING_STAGES = {Stage.PREPARE, Stage.FIELDWORK, Stage.REPORT}

# status -> the statuses it may move to
TALK_TRANSITIONS: dict[str, set[str]] = {
    TalkStatus.PLANNED: {TalkStatus.HELD, TalkStatus.CANCELLED},
    TalkStatus.HELD: set(),
    TalkStatus.CANCELLED: set(),
}

PLAN_FIELDS = ("unit", "interviewee", "position", "planned_on", "outline", "talkers")
RECORD_FIELDS = ("held_on", "record", "findings")


def _path(inspection: Inspection) -> str:
    return inspection.round.committee.path


def _check_manager(actor: User | None, inspection: Inspection) -> None:
    if not may_manage_inspection(actor, inspection):
        raise ValidationFailed(_("Only the office or the inspection group handles its talks."))


def _safe(talk: Talk) -> dict:
    """What an audit event may keep of a talk: no record or findings text, only their lengths."""
    return {
        "inspection": talk.inspection_id, "unit": talk.unit_id, "interviewee": talk.interviewee,
        "position": talk.position, "planned_on": talk.planned_on, "held_on": talk.held_on,
        "status": talk.status, "outline": talk.outline_id, "talkers": talk.talkers,
        "record_length": len(talk.record or ""), "findings_length": len(talk.findings or ""),
    }


def _clean_plan(inspection: Inspection, data: dict) -> dict:
    unit = data.get("unit")
    if not isinstance(unit, Unit) or not inspection.units.filter(pk=unit.pk).exists():
        raise ValidationFailed(_("The unit is not covered by this inspection."), field="unit")
    interviewee = str(data.get("interviewee") or "").strip()
    if not interviewee:
        raise ValidationFailed(_("Name the person to talk with."), field="interviewee")
    if not isinstance(data.get("planned_on"), datetime.date):
        raise ValidationFailed(_("Give the planned date of the talk."), field="planned_on")
    outline = data.get("outline")
    if outline is not None and not isinstance(outline, TalkOutline):
        raise ValidationFailed(_("Choose one of the offered outlines."), field="outline")
    if outline is not None and outline.committee_id is not None and not _path(inspection).startswith(
            outline.committee.path):
        raise ValidationFailed(_("Choose one of the offered outlines."), field="outline")
    return {"unit": unit, "interviewee": interviewee[:50], "position": str(data.get("position") or "").strip()[:80],
            "planned_on": data["planned_on"], "outline": outline,
            "talkers": str(data.get("talkers") or "").strip()[:120]}


def _clean_record(talk: Talk, held_on, record: str, findings: str) -> dict:
    if not isinstance(held_on, datetime.date):
        raise ValidationFailed(_("Give the date the talk was held."), field="held_on")
    if held_on > today():
        raise ValidationFailed(_("A talk that was held cannot have a date in the future."), field="held_on")
    entry_on = talk.inspection.entry_on
    if entry_on and held_on < entry_on:
        raise ValidationFailed(_("A talk cannot be held before the group's entry (%(date)s).")
                               % {"date": entry_on.isoformat()}, field="held_on")
    record = str(record or "").strip()
    if not record:
        raise ValidationFailed(_("Write the record of the talk."), field="record")
    return {"held_on": held_on, "record": record, "findings": str(findings or "").strip()}


@transaction.atomic
def talk_plan(*, actor: User | None, inspection: Inspection, unit: Unit, interviewee: str, position: str = "",
              planned_on: datetime.date, outline: TalkOutline | None = None, talkers: str = "") -> Talk:
    """Plan one individual talk in an inspection (准备, 进驻 or 报告)."""
    _check_manager(actor, inspection)
    if inspection.stage not in PLANNING_STAGES:
        raise TransitionRefused(_("Talks are planned only while the inspection is in preparation, fieldwork "
                                  "or report."))
    values = _clean_plan(inspection, {"unit": unit, "interviewee": interviewee, "position": position,
                                      "planned_on": planned_on, "outline": outline, "talkers": talkers})
    talk = Talk.objects.create(inspection=inspection, created_by=actor if getattr(actor, "pk", None) else None,
                               **values)
    audit_record(actor=actor, action="talk.plan", obj=talk, after=_safe(talk), committee_path=_path(inspection))
    return talk


@transaction.atomic
def talk_record(*, actor: User | None, talk: Talk, held_on: datetime.date, record: str, findings: str = "",
                files: Sequence[Upload] = (), expected_version: int | None = None) -> Talk:
    """Record a planned talk as held, with its record, what came out of it and attached files (planned → held)."""
    from xuncha.rectification.evidence import evidence_save

    _check_manager(actor, talk.inspection)
    locked = lock_for_update(Talk, pk=talk.pk, expected_version=expected_version)
    if TalkStatus.HELD not in TALK_TRANSITIONS.get(locked.status, set()):
        raise TransitionRefused(_("Only a planned talk can be recorded as held."))
    if talk.inspection.stage == Stage.ARCHIVED:
        raise TransitionRefused(_("The inspection is archived; its talks can no longer be changed."))
    values = _clean_record(talk, held_on, record, findings)
    before = _safe(locked)
    for field, value in values.items():
        setattr(locked, field, value)
    locked.status = TalkStatus.HELD
    bump_version(locked)
    locked.save()
    names = []
    for name, data in files:
        ef = evidence_save(actor=actor, name=name, data=data)  # no task, no unit: only the talk's viewers see it
        TalkAttachment.objects.create(talk=locked, file=ef)
        names.append(ef.original_name)
    after = _safe(locked) | {"attachments": names}
    audit_record(actor=actor, action="talk.record", obj=locked, before=before, after=after,
                 committee_path=_path(talk.inspection))
    triage_from_talk(actor=actor, talk=locked)  # 昼巡夜结: what came out of it goes onto the group's board
    return locked


@transaction.atomic
def talk_cancel(*, actor: User | None, talk: Talk, reason: str, expected_version: int | None = None) -> Talk:
    """Cancel a planned talk, with the reason (kept in the audit trail)."""
    _check_manager(actor, talk.inspection)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for cancelling the talk."), field="reason")
    locked = lock_for_update(Talk, pk=talk.pk, expected_version=expected_version)
    if TalkStatus.CANCELLED not in TALK_TRANSITIONS.get(locked.status, set()):
        raise TransitionRefused(_("Only a planned talk can be cancelled."))
    before = {"status": locked.status}
    locked.status = TalkStatus.CANCELLED
    bump_version(locked)
    locked.save()
    audit_record(actor=actor, action="talk.cancel", obj=locked, before=before,
                 after={"status": locked.status, "reason": reason[:2000]}, committee_path=_path(talk.inspection))
    return locked


@transaction.atomic
def talk_update(*, actor: User | None, talk: Talk, expected_version: int | None, **data) -> Talk:
    """Correct a talk: the plan's fields while planned; also the date, record and findings once held."""
    _check_manager(actor, talk.inspection)
    locked = lock_for_update(Talk, pk=talk.pk, expected_version=expected_version)
    if locked.status == TalkStatus.CANCELLED:
        raise TransitionRefused(_("A cancelled talk cannot be changed."))
    if talk.inspection.stage == Stage.ARCHIVED:
        raise TransitionRefused(_("The inspection is archived; its talks can no longer be changed."))
    unknown = set(data) - set(PLAN_FIELDS) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s.")
                               % {"fields": ", ".join(sorted(unknown))})
    plan = {f: data.get(f, getattr(locked, f)) for f in PLAN_FIELDS}
    values = _clean_plan(talk.inspection, plan)
    if locked.status == TalkStatus.HELD:
        values |= _clean_record(locked, data.get("held_on", locked.held_on), data.get("record", locked.record),
                                data.get("findings", locked.findings))
    elif set(data) & set(RECORD_FIELDS):
        raise ValidationFailed(_("Record the talk before correcting its record."))
    changed = [field for field, value in values.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    before = _safe(locked)
    for field, value in values.items():
        setattr(locked, field, value)
    old, new = changed_fields(before, _safe(locked))
    for field in ("record", "findings"):
        if field in changed:  # the text changed (perhaps at the same length): say so, never what it says
            new[f"{field}_changed"] = True
    bump_version(locked)
    locked.save()
    audit_record(actor=actor, action="talk.update", obj=locked, before=old, after=new,
                 committee_path=_path(talk.inspection))
    triage_from_talk(actor=actor, talk=locked)  # findings added later reach the board too (once per talk)
    return locked
