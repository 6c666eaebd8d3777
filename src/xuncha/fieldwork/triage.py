"""昼巡夜结: writes to the group's daily board. Every item found in the field is sorted once, the same day, into
立行立改, 问题线索, 一般性问题, 转交 or 存档, and each outcome makes its record downstream in the same transaction,
through the services that own those records (findings, rectification, reports), never by raw ORM.

Items arrive by themselves: a citizen's report that is not spam (fieldwork.handlers, on the report's save) and a talk
recorded with findings (talk_record). Staff enter what they find in the records, on visits or otherwise by hand.

Only the inspection's group (and the admin) enter and sort; the office reads the board. Sorting happens while the
group is stationed (进驻); after that the board is read-only.

Talk findings and report text are confidential: audit events keep the length of an item's summary, never its words.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record
from xuncha.core.dates import today
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.fieldwork.models import Talk, TalkStatus, TriageItem, TriageOutcome, TriageSource
from xuncha.findings.models import Category, Disposal
from xuncha.org.models import ReceivingOrgan, Role, Unit, User
from xuncha.rounds.models import Inspection, Stage
from xuncha.rounds.scoping import is_signed_member

# Items arrive while the group prepares (records read before entry) or is stationed; they are sorted in 进驻.
INTAKE_STAGES = {Stage.PREPARE, Stage.FIELDWORK}
SORTING_STAGES = {Stage.FIELDWORK}
# What staff enter by hand; reports and talks arrive by themselves.
MANUAL_SOURCES = (TriageSource.RECORDS, TriageSource.VISIT, TriageSource.OTHER)
# The outcomes that record a problem, with the problem's disposal.
PROBLEM_OUTCOMES = {
    TriageOutcome.IMMEDIATE: Disposal.IMMEDIATE,
    TriageOutcome.CLUE: Disposal.CLUE,
    TriageOutcome.GENERAL: Disposal.GENERAL,
}
# Passing on and filing say why; the other outcomes may.
REASON_REQUIRED = {TriageOutcome.FORWARD, TriageOutcome.ARCHIVE}
SUMMARY_CHARS = 150
MAX_SUMMARY_CHARS = 2000
MAX_TEXT_CHARS = 4000

# A reporter may type a phone or ID number into the text: the board never copies one.
_ID_NUMBER = re.compile(r"(?<![0-9Xx])(?:\d{17}[0-9Xx]|\d{15})(?![0-9Xx])")
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def short_summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """One line of at most `limit` characters, with phone and ID numbers blanked out."""
    line = re.sub(r"\s+", " ", text or "").strip()
    line = _PHONE.sub("***", _ID_NUMBER.sub("***", line))
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _path(inspection: Inspection) -> str:
    return inspection.round.committee.path


def _safe(item: TriageItem) -> dict:
    """What an audit event keeps of an item: where it came from and what it became, not what it says."""
    return {
        "inspection": item.inspection_id, "unit": item.unit_id, "source": item.source, "report": item.report_id,
        "talk": item.talk_id, "found_on": item.found_on, "summary_length": len(item.summary or ""),
        "outcome": item.outcome, "sorted_on": item.sorted_on, "problem": item.problem_id, "clue": item.clue_id,
        "task": item.task_id, "forwarded_to": item.forwarded_to, "notice_number": item.notice_number,
        "notice_due_on": item.notice_due_on,
    }


def may_sort(actor: User | None, inspection: Inspection) -> bool:
    """A member of the inspection's group, or the administrator (None: the system itself)."""
    if actor is None:
        return True
    if not getattr(actor, "is_active", False):
        return False
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.INSPECTOR and is_signed_member(actor, inspection.group)


def board_open(inspection: Inspection) -> bool:
    return inspection.stage in SORTING_STAGES


def board_closed_reason(inspection: Inspection) -> str:
    """Why the board takes no entries and no sorting, or "" while the group is stationed."""
    if board_open(inspection):
        return ""
    return _("The daily board takes and sorts items only while the group is stationed (fieldwork). This inspection "
             "is at the stage “%(stage)s”, so the board is read-only.") % {"stage": Stage(inspection.stage).label}


def _require_sorter(actor: User | None, inspection: Inspection) -> None:
    if not may_sort(actor, inspection):
        raise ValidationFailed(_("Only the inspection group enters and sorts items on the daily board."))


def _require_open(inspection: Inspection) -> None:
    reason = board_closed_reason(inspection)
    if reason:
        raise TransitionRefused(reason)


def _unit_of(inspection: Inspection, unit) -> Unit | None:
    if unit is None:
        return None
    if not isinstance(unit, Unit) or not inspection.units.filter(pk=unit.pk).exists():
        raise ValidationFailed(_("The unit is not covered by this inspection."), field="unit")
    return unit


# --- Items that arrive by themselves ------------------------------------------------------------------------

@transaction.atomic
def triage_from_report(report) -> TriageItem | None:
    """Called on every save of a citizen's report (fieldwork.handlers).

    A report that is not spam, received while the group prepares or is stationed, gets its item once (found on the
    day it was received, about the unit it names, with a short summary and never the reporter's identity). A report
    passed on or filed in the registry before its item was sorted sorts the item the same way, so the board never
    shows as waiting what the registry has already dealt with.
    """
    from xuncha.reports.models import ReportStatus

    item = TriageItem.objects.select_for_update().filter(report_id=report.pk).first()
    if item is None:
        if report.status not in (ReportStatus.RECEIVED, ReportStatus.SORTED):
            return None  # spam (until rescued), or already dealt with in the registry
        inspection = Inspection.objects.select_related("round__committee").get(pk=report.inspection_id)
        if inspection.stage not in INTAKE_STAGES:
            return None  # after fieldwork the registry alone handles what still comes in
        item = TriageItem.objects.create(
            inspection=inspection, unit_id=report.concerns_unit_id, source=TriageSource.REPORT, report=report,
            summary=short_summary(report.content), found_on=report.received_on,
            entered_by_id=report.registered_by_id)
        audit_record(actor=None, action="triage.arrive", obj=item, after=_safe(item),
                     committee_path=_path(inspection))
        return item
    if not item.outcome and report.status in (ReportStatus.FORWARDED, ReportStatus.ARCHIVED):
        before = _safe(item)
        if report.status == ReportStatus.FORWARDED:
            item.outcome, item.forwarded_to = TriageOutcome.FORWARD, report.forwarded_to[:120]
            item.reason = report.forward_note
            item.sorted_on = max(report.forwarded_on or today(), item.found_on)
        else:
            item.outcome, item.sorted_on = TriageOutcome.ARCHIVE, max(today(), item.found_on)
        bump_version(item)
        item.save()
        inspection = Inspection.objects.select_related("round__committee").get(pk=item.inspection_id)
        audit_record(actor=None, action="triage.sort", obj=item, before=before,
                     after=_safe(item) | {"via": "registry"}, committee_path=_path(inspection))
    return item


def triage_from_talk(*, actor: User | None, talk: Talk) -> TriageItem | None:
    """A talk recorded with findings gets its item once (found on the day it was held). Callers hold the
    transaction (fieldwork.services talk_record / talk_update)."""
    findings = (talk.findings or "").strip()
    if talk.status != TalkStatus.HELD or not findings or talk.inspection.stage not in INTAKE_STAGES:
        return None
    if TriageItem.objects.filter(talk=talk).exists():
        return None
    item = TriageItem.objects.create(
        inspection=talk.inspection, unit=talk.unit, source=TriageSource.TALK, talk=talk,
        summary=short_summary(findings, MAX_SUMMARY_CHARS), found_on=talk.held_on or today(),
        entered_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="triage.arrive", obj=item, after=_safe(item),
                 committee_path=_path(talk.inspection))
    return item


# --- Items entered by hand ----------------------------------------------------------------------------------

@transaction.atomic
def triage_enter(*, actor: User | None, inspection: Inspection, source: str, summary: str,
                 found_on: datetime.date | None = None, unit: Unit | None = None) -> TriageItem:
    """Enter what the group found reading the records, on a visit or otherwise."""
    _require_sorter(actor, inspection)
    _require_open(inspection)
    if source not in MANUAL_SOURCES:
        raise ValidationFailed(_("Choose where it was found: the records, a visit, or another channel."),
                               field="source")
    text = (summary or "").strip()
    if not text:
        raise ValidationFailed(_("Write what was found."), field="summary")
    if len(text) > MAX_SUMMARY_CHARS:
        raise ValidationFailed(_("The text is too long: at most %(n)s characters (it has %(has)s).")
                               % {"n": MAX_SUMMARY_CHARS, "has": len(text)}, field="summary")
    found_on = found_on or today()
    if not isinstance(found_on, datetime.date):
        raise ValidationFailed(_("Give the date it was found."), field="found_on")
    if found_on > today():
        raise ValidationFailed(_("The date found cannot be in the future."), field="found_on")
    item = TriageItem.objects.create(inspection=inspection, unit=_unit_of(inspection, unit), source=source,
                                     summary=text, found_on=found_on,
                                     entered_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="triage.enter", obj=item, after=_safe(item),
                 committee_path=_path(inspection))
    return item


# --- Sorting ------------------------------------------------------------------------------------------------

def _principal(unit: Unit) -> str:
    cadre = unit.cadres.filter(is_principal=True).first()
    return cadre.name if cadre else ""


def _next_notice_number(inspection: Inspection) -> int:
    """The group's next 立行立改通知 number in this inspection (the inspection row is locked by the caller)."""
    last = TriageItem.objects.filter(inspection=inspection).aggregate(n=Max("notice_number"))["n"]
    return (last or 0) + 1


def _clean_sort(item: TriageItem, inspection: Inspection, outcome: str, data: dict) -> dict:
    if outcome not in TriageOutcome.values:
        raise ValidationFailed(_("Choose how the item is sorted."), field="outcome")
    on_date = data["on_date"] or today()
    if on_date > today():
        raise ValidationFailed(_("The date sorted cannot be in the future."), field="on_date")
    if on_date < item.found_on:
        raise ValidationFailed(_("An item cannot be sorted before it was found."), field="on_date")
    reason = (data["reason"] or "").strip()[:MAX_TEXT_CHARS]
    if outcome in REASON_REQUIRED and not reason:
        raise ValidationFailed(_("Say why the item is passed on or filed."), field="reason")
    cleaned = {"on_date": on_date, "reason": reason}
    if outcome in PROBLEM_OUTCOMES:
        unit = _unit_of(inspection, data["unit"] or item.unit)
        if unit is None:
            raise ValidationFailed(_("Choose the unit the problem concerns."), field="unit")
        if data["category"] not in Category.values:
            raise ValidationFailed(_("Choose a category."), field="category")
        description = (data["description"] or item.summary or "").strip()
        if not description:
            raise ValidationFailed(_("Describe the problem."), field="description")
        cleaned |= {"unit": unit, "category": data["category"], "description": description[:MAX_TEXT_CHARS]}
    else:
        cleaned["unit"] = _unit_of(inspection, data["unit"]) if data["unit"] is not None else item.unit
    if outcome == TriageOutcome.IMMEDIATE:
        due = data["due_on"]
        if not isinstance(due, datetime.date):
            raise ValidationFailed(_("Give the date by which the unit must have it put right."), field="due_on")
        if due < on_date:
            raise ValidationFailed(_("The date to put it right by cannot be before the notice."), field="due_on")
        ends = inspection.fieldwork_ends_on
        if ends and on_date <= ends < due:
            raise ValidationFailed(_("A rectify-immediately item is put right while the group is stationed: the date "
                                     "cannot be after fieldwork ends (%(date)s).") % {"date": ends.isoformat()},
                                   field="due_on")
        requirement = (data["requirement"] or "").strip()
        if not requirement:
            raise ValidationFailed(_("Say what the unit must put right."), field="requirement")
        cleaned |= {"due_on": due, "requirement": requirement[:MAX_TEXT_CHARS]}
    if outcome == TriageOutcome.CLUE:
        organ = data["organ"]
        path = _path(inspection)
        if not isinstance(organ, ReceivingOrgan) or not path.startswith(organ.committee.path):
            raise ValidationFailed(_("Choose the organ the clue is handed over to."), field="organ")
        cleaned |= {"organ": organ, "persons_involved": (data["persons_involved"] or "").strip()[:200],
                    "top_secret": bool(data["top_secret"])}
    if outcome == TriageOutcome.FORWARD:
        recipient = (data["forwarded_to"] or "").strip()
        if not recipient:
            raise ValidationFailed(_("Name the department the item is passed on to."), field="forwarded_to")
        cleaned["forwarded_to"] = recipient[:120]
    return cleaned


@transaction.atomic
def triage_sort(*, actor: User | None, item: TriageItem, outcome: str, expected_version: int | None,
                unit: Unit | None = None, category: str = "", description: str = "", reason: str = "",
                due_on: datetime.date | None = None, requirement: str = "", organ: ReceivingOrgan | None = None,
                persons_involved: str = "", top_secret: bool = False, forwarded_to: str = "",
                on_date: datetime.date | None = None) -> TriageItem:
    """Sort an item, once, and make what it becomes downstream in the same transaction.

    * immediate (立行立改): a problem to put right now, its 立行立改 task (outside any plan, as task_create allows
      during fieldwork) due on `due_on`, and the next notice number of the inspection (the notice is a .docx);
    * clue: a problem handed over as a clue to `organ` (移交);
    * general: a problem in the problem list, closed later by 对账销号;
    * forward: passed on to `forwarded_to` (a report through the registry's 转交);
    * archive: filed, with the reason.
    A report's item sorted marks the report sorted (or passed on, or filed) through the registry.
    """
    from xuncha.findings import services as findings
    from xuncha.reports.models import ReportStatus

    inspection = (Inspection.objects.select_for_update(of=("self",)).select_related("round__committee", "group")
                  .get(pk=item.inspection_id))  # the row lock serialises the notice numbers
    _require_sorter(actor, inspection)
    current = TriageItem.objects.select_for_update().get(pk=item.pk)
    if current.outcome:
        raise TransitionRefused(_("This item was already sorted on %(date)s as “%(outcome)s”; it is sorted only once.")
                                % {"date": current.sorted_on.isoformat(),
                                   "outcome": TriageOutcome(current.outcome).label})
    locked = lock_for_update(TriageItem, pk=item.pk, expected_version=expected_version)
    _require_open(inspection)
    report = locked.report
    if report is not None and report.status == ReportStatus.SPAM:
        raise TransitionRefused(_("The report was marked as spam in the registry; rescue it there before sorting."))
    values = _clean_sort(locked, inspection, outcome, {
        "unit": unit, "category": category, "description": description, "reason": reason, "due_on": due_on,
        "requirement": requirement, "organ": organ, "persons_involved": persons_involved, "top_secret": top_secret,
        "forwarded_to": forwarded_to, "on_date": on_date})
    before = _safe(locked)
    on = values["on_date"]
    locked.unit = values["unit"]
    if outcome in PROBLEM_OUTCOMES:
        locked.problem = findings.problem_record(
            actor=actor, inspection=inspection, unit=values["unit"], found_on=locked.found_on,
            description=values["description"], category=values["category"], disposal=PROBLEM_OUTCOMES[outcome])
    if outcome == TriageOutcome.IMMEDIATE:
        locked.task = _immediate_task(locked.problem, requirement=values["requirement"], due_on=values["due_on"])
        locked.notice_number = _next_notice_number(inspection)
        locked.notice_due_on = values["due_on"]
    if outcome == TriageOutcome.CLUE:
        locked.clue = findings.clue_hand_over(
            actor=actor, inspection=inspection, unit=values["unit"], summary=values["description"],
            organ=values["organ"], handed_over_on=on, persons_involved=values["persons_involved"],
            problem=locked.problem, top_secret=values["top_secret"])
    if outcome == TriageOutcome.FORWARD:
        locked.forwarded_to = values["forwarded_to"]
    locked.outcome, locked.sorted_on, locked.reason = outcome, on, values["reason"]
    locked.sorted_by = actor if getattr(actor, "pk", None) else None
    bump_version(locked)
    locked.save()  # before the report moves: the registry's signal then finds the item sorted and leaves it be
    if report is not None:
        _settle_report(actor=actor, report=report, outcome=outcome, item=locked)
    after = _safe(locked)
    if not (locked.clue_id and locked.clue.top_secret):
        after["reason"] = locked.reason  # a 高密 clue's words stay out of the trail, which the office reads
    audit_record(actor=actor, action="triage.sort", obj=locked, before=before, after=after,
                 committee_path=_path(inspection))
    return locked


def _immediate_task(problem, *, requirement: str, due_on: datetime.date):
    """The 立行立改 task. During 进驻 a task exists outside any plan only for a recorded 立行立改 problem, and only the
    office, the unit or the system may set it (rectification.services.may_plan_tasks): the group's sorting issues the
    notice, so the task is set by the system on the group's decision (the triage.sort event names the person).
    The unit's principal leader answers for it until the unit names someone else."""
    from xuncha.rectification import services as rectification

    unit = problem.unit
    principal = _principal(unit) or _("principal leader of %(unit)s") % {"unit": unit.name}
    return rectification.task_create(actor=None, problem=problem, measure=requirement,
                                     responsible_leader=principal[:50], responsible_department=unit.name[:80],
                                     responsible_person=principal[:50], deadline=due_on, kind="immediate")


def _settle_report(*, actor, report, outcome: str, item: TriageItem) -> None:
    """The report follows its item: sorted, passed on (转交) or filed, through the registry's services."""
    from xuncha.reports import registry
    from xuncha.reports.models import ReportStatus

    report.refresh_from_db()
    if outcome == TriageOutcome.FORWARD:
        if report.status != ReportStatus.FORWARDED:
            registry.report_forward(actor=actor, report=report, forwarded_to=item.forwarded_to,
                                    on_date=item.sorted_on, note=item.reason)
    elif outcome == TriageOutcome.ARCHIVE:
        if report.status != ReportStatus.ARCHIVED:
            registry.report_sort(actor=actor, report=report, status=ReportStatus.ARCHIVED, note=item.reason)
    elif report.status == ReportStatus.RECEIVED:
        registry.report_sort(actor=actor, report=report, status=ReportStatus.SORTED,
                             note=str(TriageOutcome(outcome).label))
