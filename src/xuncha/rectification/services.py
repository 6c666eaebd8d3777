"""Writes to rectification tasks. The status table is explicit; 逾期 is read from the deadline."""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields, snapshot
from xuncha.core.dates import today
from xuncha.core.errors import ServiceError, TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.findings.models import FED_BACK_STATUSES, Disposal, Problem, ProblemStatus
from xuncha.findings.services import problem_set_status
from xuncha.notifications.models import NotificationKind
from xuncha.notifications.services import notify
from xuncha.org.models import Cadre, Role, Unit, User
from xuncha.rectification.models import (
    Accountability,
    AccountabilityKind,
    FeedbackForm,
    FeedbackMeeting,
    JointOrgan,
    PlanStatus,
    ProgressNote,
    RecheckDraw,
    RecheckItem,
    RecheckResult,
    RectificationPlan,
    RectificationReport,
    Task,
    TaskKind,
    TaskStatus,
)
from xuncha.rectification.selectors import plan_problems, plan_problems_without_task
from xuncha.rounds.models import Inspection, Round, Stage
from xuncha.rounds.scoping import is_signed_member

# An upload as the services take it: the file's name and its bytes (views read UploadedFile in chunks first).
Upload = tuple[str, bytes]

# status -> {allowed next status: who may make the move}
TASK_TRANSITIONS: dict[str, dict[str, set[str]]] = {
    TaskStatus.OPEN: {TaskStatus.IN_PROGRESS: {Role.UNIT, Role.OFFICE}},
    TaskStatus.IN_PROGRESS: {TaskStatus.AWAITING_REVIEW: {Role.UNIT, Role.OFFICE}},
    TaskStatus.AWAITING_REVIEW: {
        TaskStatus.CLOSED: {Role.OFFICE},  # 销号: only the office, after checking the evidence (对账)
        TaskStatus.IN_PROGRESS: {Role.OFFICE},  # returned with reasons
    },
    # Reopened only by a failed 随机抽查 or a confirmed recurrence, never by hand.
    TaskStatus.CLOSED: {TaskStatus.IN_PROGRESS: {Role.OFFICE}},
}

# The plan's own states: the unit drafts and submits; the office accepts or returns it with comments.
PLAN_TRANSITIONS: dict[str, dict[str, set[str]]] = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED: {Role.UNIT, Role.OFFICE}},
    PlanStatus.SUBMITTED: {PlanStatus.ACCEPTED: {Role.OFFICE}, PlanStatus.RETURNED: {Role.OFFICE}},
    PlanStatus.RETURNED: {PlanStatus.SUBMITTED: {Role.UNIT, Role.OFFICE}},
    # The office may reopen an accepted plan for additions (after a failed re-check, say), with comments.
    PlanStatus.ACCEPTED: {PlanStatus.RETURNED: {Role.OFFICE}},
}
# While a plan is with the office or accepted, the unit no longer edits its tasks.
UNIT_EDITABLE_PLAN = {PlanStatus.DRAFT, PlanStatus.RETURNED}

TASK_FIELDS = ("measure", "responsible_leader", "responsible_department", "responsible_person", "deadline", "kind")


def _path(task_or_problem) -> str:
    problem = getattr(task_or_problem, "problem", task_or_problem)
    return problem.inspection.round.committee.path


def _may_act(actor: User | None, problem: Problem, roles: set[str]) -> bool:
    if actor is None or actor.role == Role.ADMIN:
        return True
    if actor.role not in roles:
        return False
    if actor.role == Role.UNIT:
        return actor.unit_id == problem.unit_id
    if actor.role == Role.OFFICE and actor.committee_id:
        return (problem.inspection.round.committee.path.startswith(actor.committee.path)
                or problem.unit.committee.path.startswith(actor.committee.path))
    return False


def _clean(data: dict) -> dict:
    for field, message in (
        ("measure", _("Describe the measure.")),
        ("responsible_leader", _("Name the responsible leader.")),
        ("responsible_department", _("Name the responsible department.")),
        ("responsible_person", _("Name the responsible person.")),
    ):
        if not str(data.get(field) or "").strip():
            raise ValidationFailed(message, field=field)
        data[field] = str(data[field]).strip()
    if data.get("kind") not in TaskKind.values:
        raise ValidationFailed(_("Choose the kind of task."), field="kind")
    if data.get("kind") != TaskKind.LONG_TERM and not data.get("deadline"):
        raise ValidationFailed(_("Set a deadline (only long-term tasks may go without)."), field="deadline")
    return data


def _immediate_in_fieldwork(problem: Problem) -> bool:
    """立行立改 problems are put right while the group is still there, before any feedback or plan."""
    return (problem.status == ProblemStatus.RECORDED and problem.disposal == Disposal.IMMEDIATE
            and problem.inspection.stage == Stage.FIELDWORK)


def plan_for(*, inspection: Inspection, unit: Unit) -> RectificationPlan:
    """The unit's plan for the inspection, opened in draft the first time it is needed. Caller holds the transaction."""
    plan, created = RectificationPlan.objects.get_or_create(inspection=inspection, unit=unit)
    if created:
        audit_record(actor=None, action="plan.opened", obj=plan, after={"status": plan.status},
                     committee_path=inspection.round.committee.path)
    return plan


def _plan_open_to(actor: User | None, plan: RectificationPlan | None) -> bool:
    """The unit edits its plan only while it is in draft or returned; the office at any time."""
    if plan is None or actor is None or actor.role in (Role.ADMIN, Role.OFFICE):
        return True
    return plan.status in UNIT_EDITABLE_PLAN


@transaction.atomic
def task_create(*, actor: User | None, problem: Problem, **data) -> Task:
    if not _may_act(actor, problem, {Role.UNIT, Role.OFFICE}):
        raise ValidationFailed(_("You may not plan the rectification of this problem."))
    immediate_now = _immediate_in_fieldwork(problem)
    if problem.status not in FED_BACK_STATUSES and not immediate_now:
        raise ValidationFailed(_("Tasks are planned for problems that have been fed back."))
    if problem.disposal == Disposal.CLUE and actor is not None and actor.role == Role.UNIT:
        raise ValidationFailed(_("You may not plan the rectification of this problem."))
    data = _clean({k: data.get(k) for k in TASK_FIELDS})
    plan = None
    if immediate_now:
        if data["kind"] != TaskKind.IMMEDIATE:
            raise ValidationFailed(_("During fieldwork only rectify-immediately tasks are set."), field="kind")
    else:
        plan = plan_for(inspection=problem.inspection, unit=problem.unit)
        if not _plan_open_to(actor, plan):
            raise TransitionRefused(_("The plan is with the office; tasks can be added once it is returned."))
    task = Task.objects.create(problem=problem, plan=plan, **data)
    if problem.status == ProblemStatus.RECTIFIED:
        # A new task on a closed problem reopens it.
        problem_set_status(actor=actor, problem=problem, status=ProblemStatus.RECTIFYING)
    audit_record(actor=actor, action="task.create", obj=task, after=snapshot(task), committee_path=_path(problem))
    return task


@transaction.atomic
def task_update(*, actor: User, task: Task, expected_version: int | None, **data) -> Task:
    task = lock_for_update(Task, pk=task.pk, expected_version=expected_version)
    if not _may_act(actor, task.problem, {Role.UNIT, Role.OFFICE}):
        raise ValidationFailed(_("You may not change this task."))
    if task.status == TaskStatus.CLOSED:
        raise TransitionRefused(_("A closed task cannot be changed."))
    if not _plan_open_to(actor, task.plan):
        raise TransitionRefused(_("The plan is with the office; tasks can be changed once it is returned."))
    before = snapshot(task)
    merged = {f: getattr(task, f) for f in TASK_FIELDS}
    merged.update({k: v for k, v in data.items() if k in TASK_FIELDS})
    for field, value in _clean(merged).items():
        setattr(task, field, value)
    bump_version(task)
    task.save()
    b, a = changed_fields(before, snapshot(task))
    audit_record(actor=actor, action="task.update", obj=task, before=b, after=a, committee_path=_path(task))
    return task


@transaction.atomic
def task_report_progress(*, actor: User | None, task: Task, text: str, files: Sequence[Upload] = ()) -> ProgressNote:
    """The unit reports what it has done, with evidence files; a task on the ledger moves to 整改中."""
    from xuncha.rectification.evidence import evidence_save
    from xuncha.rectification.integrity import flag_reused_evidence

    task = lock_for_update(Task, pk=task.pk, expected_version=None)
    if not _may_act(actor, task.problem, {Role.UNIT, Role.OFFICE}):
        raise ValidationFailed(_("You may not report progress on this task."))
    if task.status in (TaskStatus.CLOSED, TaskStatus.AWAITING_REVIEW):
        raise TransitionRefused(_("This task is waiting for the office or already closed."))
    if task.plan_id and task.plan.status != PlanStatus.ACCEPTED:
        raise TransitionRefused(_("Progress is reported once the office has accepted the rectification plan."))
    if not text.strip():
        raise ValidationFailed(_("Write what was done."), field="text")
    note = ProgressNote.objects.create(task=task, author=actor, text=text.strip())
    stored = [evidence_save(actor=actor, name=name, data=data, task=task, note=note) for name, data in files]
    if task.status == TaskStatus.OPEN:
        _move(actor=actor, task=task, to=TaskStatus.IN_PROGRESS)
    audit_record(actor=actor, action="task.progress", obj=task,
                 after={"note": note.text, "files": [f"{f.original_name} {f.sha256}" for f in stored]},
                 committee_path=_path(task))
    for evidence in stored:
        flag_reused_evidence(evidence)
    return note


@transaction.atomic
def task_submit_for_review(*, actor: User | None, task: Task, text: str = "",
                           expected_version: int | None = None) -> Task:
    task = lock_for_update(Task, pk=task.pk, expected_version=expected_version)
    if task.status == TaskStatus.OPEN:
        raise TransitionRefused(_("Report progress before asking the office to check the task."))
    _move(actor=actor, task=task, to=TaskStatus.AWAITING_REVIEW)
    ProgressNote.objects.create(task=task, author=actor, text=text.strip() or _("Submitted for checking."),
                                kind="submitted")
    return task


@transaction.atomic
def task_close(*, actor: User | None, task: Task, note: str = "", on_date: datetime.date | None = None,
               signature: str = "", expected_version: int | None = None) -> Task:
    """销号: the office has checked the evidence against the ledger (对账) and closes the task, signed and dated."""
    task = lock_for_update(Task, pk=task.pk, expected_version=expected_version)
    if task.status == TaskStatus.AWAITING_REVIEW and not note.strip() and not task.evidence.exists():
        raise ValidationFailed(_("No evidence was filed: say how the rectification was verified."), field="note")
    closed_on = on_date or today()
    if closed_on > today():
        raise ValidationFailed(_("A task cannot be closed on a future date."), field="on_date")
    task.closed_on = closed_on
    task.closed_by = actor
    task.closed_signature = (signature.strip() or (str(actor) if actor is not None else _("system")))[:50]
    task.review_note = note.strip()
    _move(actor=actor, task=task, to=TaskStatus.CLOSED)
    ProgressNote.objects.create(task=task, author=actor, text=note.strip() or _("Checked and closed."), kind="closed")
    problem = task.problem
    # A 立行立改 problem put right during 进驻 is not fed back yet: it stays recorded, and is rectified as it is fed
    # back (handlers.settle_immediate_at_feedback).
    if (not problem.tasks.exclude(status=TaskStatus.CLOSED).exists()
            and problem.status not in (ProblemStatus.RECTIFIED, ProblemStatus.RECORDED)):
        problem_set_status(actor=actor, problem=problem, status=ProblemStatus.RECTIFIED, on_date=task.closed_on)
    return task


@transaction.atomic
def task_return(*, actor: User | None, task: Task, reason: str, expected_version: int | None = None) -> Task:
    task = lock_for_update(Task, pk=task.pk, expected_version=expected_version)
    if not reason.strip():
        raise ValidationFailed(_("Say why the task is returned."), field="reason")
    task.review_note = reason.strip()
    _move(actor=actor, task=task, to=TaskStatus.IN_PROGRESS)
    ProgressNote.objects.create(task=task, author=actor, text=reason.strip(), kind="returned")
    _notify_unit(task.problem.unit, kind=NotificationKind.REVIEW, title=_("Task returned: %(task)s") % {"task": task},
                 body=reason.strip(), url=reverse("web:task_detail", args=[task.pk]),
                 key=f"task:{task.pk}:returned:{task.version}", task=task)
    return task


def _move(*, actor: User | None, task: Task, to: str) -> None:
    allowed = TASK_TRANSITIONS.get(task.status, {})
    if to not in allowed:
        raise TransitionRefused(
            _("A task that is %(frm)s cannot become %(to)s.")
            % {"frm": TaskStatus(task.status).label, "to": TaskStatus(to).label}
        )
    if not _may_act(actor, task.problem, allowed[to]):
        raise ValidationFailed(_("You may not make this move on this task."))
    before = snapshot(task, ["status", "closed_on", "closed_by", "review_note"])
    task.status = to
    if to != TaskStatus.CLOSED:
        task.closed_on, task.closed_by, task.closed_signature = None, None, ""
    bump_version(task)
    task.save()
    problem = task.problem
    if to == TaskStatus.IN_PROGRESS and problem.status == ProblemStatus.FED_BACK:
        problem_set_status(actor=actor, problem=problem, status=ProblemStatus.RECTIFYING)
    audit_record(actor=actor, action=f"task.{to}", obj=task, before=before,
                 after=snapshot(task, ["status", "closed_on", "closed_by", "review_note"]), committee_path=_path(task))


def task_allowed_actions(*, actor: User | None, task: Task) -> set[str]:
    """What the actor may do to the task now: progress, submit, close, return (for the pages' buttons).

    The services decide again on each write; this only spares the user buttons that would be refused.
    """
    actions: set[str] = set()
    problem = task.problem
    unit_or_office = {Role.UNIT, Role.OFFICE}
    if task.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS) and _may_act(actor, problem, unit_or_office):
        actions.add("progress")
    moves = {
        "submit": (TaskStatus.IN_PROGRESS, TaskStatus.AWAITING_REVIEW),
        "close": (TaskStatus.AWAITING_REVIEW, TaskStatus.CLOSED),
        "return": (TaskStatus.AWAITING_REVIEW, TaskStatus.IN_PROGRESS),
    }
    for action, (frm, to) in moves.items():
        roles = TASK_TRANSITIONS.get(frm, {}).get(to, set())
        if task.status == frm and _may_act(actor, problem, roles):
            actions.add(action)
    return actions


def may_plan_tasks(*, actor: User | None, problem: Problem) -> bool:
    """Whether the actor may add a rectification task to the problem (as task_create would allow)."""
    if problem.disposal == Disposal.CLUE and actor is not None and actor.role == Role.UNIT:
        return False
    if _immediate_in_fieldwork(problem):
        return _may_act(actor, problem, {Role.UNIT, Role.OFFICE})
    if problem.status not in FED_BACK_STATUSES or not _may_act(actor, problem, {Role.UNIT, Role.OFFICE}):
        return False
    plan = RectificationPlan.objects.filter(inspection_id=problem.inspection_id, unit_id=problem.unit_id).first()
    return _plan_open_to(actor, plan)


# --- plans (整改方案: the three lists) ---------------------------------------------------------------

def _plan_move(*, actor: User | None, plan: RectificationPlan, to: str) -> dict:
    allowed = PLAN_TRANSITIONS.get(plan.status, {})
    if to not in allowed:
        raise TransitionRefused(_("A plan that is %(frm)s cannot become %(to)s.")
                                % {"frm": PlanStatus(plan.status).label, "to": PlanStatus(to).label})
    probe = plan.tasks.first() or plan_problems(plan).first()
    if probe is None:
        raise ValidationFailed(_("There is nothing fed back to this unit to plan for."))
    problem = getattr(probe, "problem", probe)
    if not _may_act(actor, problem, allowed[to]):
        raise ValidationFailed(_("You may not make this move on this plan."))
    before = snapshot(plan, ["status", "review_comment"])
    plan.status = to
    bump_version(plan)
    return before


def _plan_path(plan: RectificationPlan) -> str:
    return plan.inspection.round.committee.path


def _office_accounts(committee_path: str):
    return User.objects.filter(role=Role.OFFICE, is_active=True, committee__path=committee_path)


def _unit_accounts(unit: Unit):
    return User.objects.filter(role=Role.UNIT, is_active=True, unit=unit)


def _notify_unit(unit: Unit, *, kind: str, title: str, body: str, url: str, key: str, task: Task | None = None) -> None:
    recipients = set(_unit_accounts(unit).values_list("pk", flat=True))
    if task is not None and task.responsible_account_id:
        recipients.add(task.responsible_account_id)
    notify(recipients=recipients, kind=kind, title=title, body=body, url=url, dedupe_key=key)


@transaction.atomic
def plan_submit(*, actor: User | None, plan: RectificationPlan, expected_version: int | None = None
                ) -> RectificationPlan:
    plan = lock_for_update(RectificationPlan, pk=plan.pk, expected_version=expected_version)
    missing = plan_problems_without_task(plan).count()
    if missing:
        raise ValidationFailed(_("%(count)s problem(s) fed back have no task yet: every problem needs at least one.")
                               % {"count": missing})
    before = _plan_move(actor=actor, plan=plan, to=PlanStatus.SUBMITTED)
    plan.submitted_at, plan.submitted_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    plan.save()
    audit_record(actor=actor, action="plan.submitted", obj=plan, before=before,
                 after={"status": plan.status, "tasks": plan.tasks.count()},
                 committee_path=_plan_path(plan))
    notify(recipients=_office_accounts(_plan_path(plan)), kind=NotificationKind.PLAN,
           title=_("Rectification plan submitted: %(unit)s") % {"unit": plan.unit},
           url=reverse("web:plan_detail", args=[plan.pk]), dedupe_key=f"plan:{plan.pk}:submitted:{plan.version}")
    # Copied measures are looked for in the background, against every other unit's plan.
    from xuncha.rectification.tasks import integrity_scan

    transaction.on_commit(integrity_scan)
    return plan


@transaction.atomic
def plan_accept(*, actor: User | None, plan: RectificationPlan, comment: str = "",
                expected_version: int | None = None) -> RectificationPlan:
    plan = lock_for_update(RectificationPlan, pk=plan.pk, expected_version=expected_version)
    before = _plan_move(actor=actor, plan=plan, to=PlanStatus.ACCEPTED)
    plan.reviewed_at, plan.reviewed_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    plan.review_comment = comment.strip()
    plan.save()
    audit_record(actor=actor, action="plan.accepted", obj=plan, before=before,
                 after={"status": plan.status, "review_comment": plan.review_comment},
                 committee_path=_plan_path(plan))
    _notify_unit(plan.unit, kind=NotificationKind.PLAN, title=_("Rectification plan accepted"),
                 body=plan.review_comment, url=reverse("web:plan_detail", args=[plan.pk]),
                 key=f"plan:{plan.pk}:accepted")
    return plan


@transaction.atomic
def plan_return(*, actor: User | None, plan: RectificationPlan, comment: str,
                expected_version: int | None = None) -> RectificationPlan:
    plan = lock_for_update(RectificationPlan, pk=plan.pk, expected_version=expected_version)
    if not comment.strip():
        raise ValidationFailed(_("Say what the unit must change in its plan."), field="comment")
    before = _plan_move(actor=actor, plan=plan, to=PlanStatus.RETURNED)
    plan.reviewed_at, plan.reviewed_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    plan.review_comment = comment.strip()
    plan.save()
    audit_record(actor=actor, action="plan.returned", obj=plan, before=before,
                 after={"status": plan.status, "review_comment": plan.review_comment},
                 committee_path=_plan_path(plan))
    _notify_unit(plan.unit, kind=NotificationKind.PLAN, title=_("Rectification plan returned"),
                 body=plan.review_comment, url=reverse("web:plan_detail", args=[plan.pk]),
                 key=f"plan:{plan.pk}:returned:{plan.version}")
    return plan


@transaction.atomic
def plan_import(*, actor: User | None, plan: RectificationPlan, rows: list[dict]) -> list[Task]:
    """Add the tasks of a filled-in plan workbook: every row or none (rows come from plan_xlsx.parse_plan_xlsx)."""
    if not rows:
        raise ValidationFailed(_("The file holds no tasks."))
    allowed = set(plan_problems(plan).values_list("pk", flat=True))
    created: list[Task] = []
    for row in rows:
        row = dict(row)
        line = row.pop("row", "?")
        problem = row.pop("problem")
        try:
            if problem.pk not in allowed:
                raise ValidationFailed(_("This problem is not in the plan."), field="problem")
            created.append(task_create(actor=actor, problem=problem, **row))
        except ServiceError as exc:
            raise ValidationFailed(_("Row %(row)s: %(message)s") % {"row": line, "message": exc.message},
                                   field=exc.field) from exc
    audit_record(actor=actor, action="plan.import", obj=plan, after={"tasks": len(created)},
                 committee_path=_plan_path(plan))
    return created


# --- feedback (反馈) ------------------------------------------------------------------------------------

def may_manage_inspection(actor: User | None, inspection: Inspection) -> bool:
    """The office of the committee subtree, or a member of the inspection's group."""
    if actor is None or actor.role == Role.ADMIN:
        return True
    if actor.role == Role.OFFICE and actor.committee_id:
        return inspection.round.committee.path.startswith(actor.committee.path)
    if actor.role == Role.INSPECTOR:
        return is_signed_member(actor, inspection.group)
    return False


FEEDBACK_FIELDS = ("held_on", "location", "form", "escalated_to", "joint_organs", "attendees", "presided_by")


@transaction.atomic
def feedback_record(*, actor: User | None, inspection: Inspection, unit: Unit, expected_version: int | None = None,
                    **data) -> FeedbackMeeting:
    """Record (or correct) the feedback meeting of one unit: date, attendees, form and organs."""
    if not may_manage_inspection(actor, inspection):
        raise ValidationFailed(_("Only the office or the inspection group records the feedback."))
    if not inspection.units.filter(pk=unit.pk).exists():
        raise ValidationFailed(_("The unit is not covered by this inspection."), field="unit")
    values = {k: data.get(k) for k in FEEDBACK_FIELDS}
    held_on = values["held_on"]
    if not isinstance(held_on, datetime.date):
        raise ValidationFailed(_("Give the date of the feedback meeting."), field="held_on")
    if held_on > today():
        raise ValidationFailed(_("The feedback meeting cannot be dated in the future."), field="held_on")
    if inspection.entry_on and held_on < inspection.entry_on:
        raise ValidationFailed(_("Feedback cannot come before fieldwork began."), field="held_on")
    values["form"] = values["form"] or FeedbackForm.ORDINARY
    if values["form"] not in FeedbackForm.values:
        raise ValidationFailed(_("Choose the form of feedback."), field="form")
    values["joint_organs"] = sorted(set(values["joint_organs"] or []))
    if any(o not in JointOrgan.values for o in values["joint_organs"]):
        raise ValidationFailed(_("Choose the organs from the list."), field="joint_organs")
    if values["form"] == FeedbackForm.JOINT and len(values["joint_organs"]) < 2:
        raise ValidationFailed(_("Joint feedback names at least two organs taking part."), field="joint_organs")
    if values["form"] != FeedbackForm.JOINT:
        values["joint_organs"] = []
    for field in ("location", "escalated_to", "attendees", "presided_by"):
        values[field] = str(values[field] or "").strip()
    if values["form"] == FeedbackForm.ESCALATED and not values["escalated_to"]:
        raise ValidationFailed(_("Name the level above that received the feedback."), field="escalated_to")
    if values["form"] != FeedbackForm.ESCALATED:
        values["escalated_to"] = ""
    if not values["attendees"]:
        raise ValidationFailed(_("List who attended."), field="attendees")
    meeting = FeedbackMeeting.objects.filter(inspection=inspection, unit=unit).first()
    if meeting is None:
        meeting = FeedbackMeeting.objects.create(inspection=inspection, unit=unit,
                                                 recorded_by=actor if getattr(actor, "pk", None) else None, **values)
        audit_record(actor=actor, action="feedback.record", obj=meeting, after=snapshot(meeting),
                     committee_path=inspection.round.committee.path)
        return meeting
    meeting = lock_for_update(FeedbackMeeting, pk=meeting.pk, expected_version=expected_version)
    before = snapshot(meeting)
    for field, value in values.items():
        setattr(meeting, field, value)
    bump_version(meeting)
    meeting.save()
    b, a = changed_fields(before, snapshot(meeting))
    audit_record(actor=actor, action="feedback.update", obj=meeting, before=b, after=a,
                 committee_path=inspection.round.committee.path)
    return meeting


@transaction.atomic
def feedback_sign(*, actor: User | None, meeting: FeedbackMeeting, signed_by: str, signed_on: datetime.date,
                  scan: Upload, expected_version: int | None = None) -> FeedbackMeeting:
    """签字背书: the unit head signed the feedback and the plan; the scanned page is kept."""
    from xuncha.rectification.evidence import evidence_save

    meeting = lock_for_update(FeedbackMeeting, pk=meeting.pk, expected_version=expected_version)
    if not may_manage_inspection(actor, meeting.inspection):
        raise ValidationFailed(_("Only the office or the inspection group records the feedback."))
    if not signed_by.strip():
        raise ValidationFailed(_("Name the unit head who signed."), field="signed_by")
    if signed_on > today() or signed_on < meeting.held_on:
        raise ValidationFailed(_("The signature is dated between the feedback meeting and today."), field="signed_on")
    if not scan or not scan[1]:
        raise ValidationFailed(_("Attach the scanned signed page."), field="scan")
    stored = evidence_save(actor=actor, name=scan[0], data=scan[1], unit=meeting.unit)
    before = snapshot(meeting, ["signed_by", "signed_on", "signed_scan"])
    meeting.signed_by, meeting.signed_on, meeting.signed_scan = signed_by.strip()[:50], signed_on, stored
    bump_version(meeting)
    meeting.save()
    audit_record(actor=actor, action="feedback.signed", obj=meeting, before=before,
                 after=snapshot(meeting, ["signed_by", "signed_on", "signed_scan"]),
                 committee_path=meeting.inspection.round.committee.path)
    return meeting


# --- the written rectification report (整改情况报告) ----------------------------------------------------

def _may_office(actor: User | None, committee_path: str) -> bool:
    if actor is None or actor.role == Role.ADMIN:
        return True
    return actor.role == Role.OFFICE and bool(actor.committee_id) and committee_path.startswith(actor.committee.path)


@transaction.atomic
def report_receive(*, actor: User | None, inspection: Inspection, unit: Unit, received_on: datetime.date,
                   document: Upload | None = None, note: str = "") -> RectificationReport:
    """The office records that the unit's written report arrived (and keeps the file when there is one)."""
    from xuncha.rectification.evidence import evidence_save

    path = inspection.round.committee.path
    if not _may_office(actor, path):
        raise ValidationFailed(_("Only the inspection office of this committee may do this."))
    if not inspection.units.filter(pk=unit.pk).exists():
        raise ValidationFailed(_("The unit is not covered by this inspection."), field="unit")
    if inspection.feedback_on is None and not FeedbackMeeting.objects.filter(inspection=inspection, unit=unit).exists():
        raise ValidationFailed(_("No feedback has been given to this unit yet."))
    if received_on > today():
        raise ValidationFailed(_("The receipt cannot be dated in the future."), field="received_on")
    if RectificationReport.objects.filter(inspection=inspection, unit=unit).exists():
        raise ValidationFailed(_("The report of this unit has already been received."))
    stored = evidence_save(actor=actor, name=document[0], data=document[1], unit=unit) if document else None
    report = RectificationReport.objects.create(
        inspection=inspection, unit=unit, received_on=received_on, document=stored, note=note.strip(),
        received_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="report.received", obj=report, after=snapshot(report), committee_path=path)
    return report


@transaction.atomic
def report_disclose(*, actor: User | None, report: RectificationReport, disclosed_on: datetime.date
                    ) -> RectificationReport:
    path = report.inspection.round.committee.path
    if not _may_office(actor, path):
        raise ValidationFailed(_("Only the inspection office of this committee may do this."))
    if disclosed_on > today() or disclosed_on < report.received_on:
        raise ValidationFailed(_("Disclosure is dated between the receipt of the report and today."),
                               field="disclosed_on")
    report.disclosed_on = disclosed_on
    report.save(update_fields=["disclosed_on"])
    audit_record(actor=actor, action="report.disclosed", obj=report, after={"disclosed_on": disclosed_on},
                 committee_path=path)
    return report


# --- accountability (问责) and urging (催办) -------------------------------------------------------------

@transaction.atomic
def accountability_record(*, actor: User | None, unit: Unit, person_name: str, kind: str,
                          decided_on: datetime.date, decided_by: str, reason: str, task: Task | None = None,
                          cadre: Cadre | None = None) -> Accountability:
    path = task.problem.inspection.round.committee.path if task else unit.committee.path
    if not _may_office(actor, path) and not _may_office(actor, unit.committee.path):
        raise ValidationFailed(_("Only the inspection office of this committee may do this."))
    if task is not None and task.problem.unit_id != unit.pk:
        raise ValidationFailed(_("The task belongs to another unit."), field="task")
    if cadre is not None and cadre.unit_id != unit.pk:
        raise ValidationFailed(_("The cadre belongs to another unit."), field="cadre")
    person_name = (person_name or (cadre.name if cadre else "")).strip()
    if not person_name:
        raise ValidationFailed(_("Name the person held to account."), field="person_name")
    if kind not in AccountabilityKind.values:
        raise ValidationFailed(_("Choose the measure taken."), field="kind")
    if decided_on > today():
        raise ValidationFailed(_("The decision cannot be dated in the future."), field="decided_on")
    if not decided_by.strip() or not reason.strip():
        raise ValidationFailed(_("Say who decided and why."), field="reason")
    record = Accountability.objects.create(
        task=task, unit=unit, cadre=cadre, person_name=person_name[:50], kind=kind, decided_on=decided_on,
        decided_by=decided_by.strip()[:100], reason=reason.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="accountability.record", obj=record, after=snapshot(record), committee_path=path)
    return record


@transaction.atomic
def task_urge(*, actor: User | None, task: Task, message: str) -> int:
    """催办 by hand: the office presses the unit about one task; the unit's secretary is told too."""
    if not _may_act(actor, task.problem, {Role.OFFICE}):
        raise ValidationFailed(_("Only the inspection office of this committee may do this."))
    if task.status == TaskStatus.CLOSED:
        raise TransitionRefused(_("A closed task cannot be changed."))
    if not message.strip():
        raise ValidationFailed(_("Write what the unit is urged to do."), field="message")
    from xuncha.rectification.reminders import task_recipients

    responsible, secretaries = task_recipients(task)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    sent = notify(recipients=responsible | secretaries, kind=NotificationKind.URGE,
                  title=_("Urged by the office: %(task)s") % {"task": task}, body=message.strip(),
                  url=reverse("web:task_detail", args=[task.pk]), dedupe_key=f"task:{task.pk}:urge:{stamp}")
    audit_record(actor=actor, action="task.urge", obj=task, after={"message": message.strip(), "recipients": sent},
                 committee_path=_path(task))
    return sent


# --- random re-check (随机抽查) --------------------------------------------------------------------------

def recheck_sample(population: list[int], sample_size: int, seed: str) -> list[int]:
    """The draw itself: the same population and seed always give the same sample (random.Random on a str seed)."""
    k = min(sample_size, len(population))
    return sorted(random.Random(seed).sample(sorted(population), k))


@transaction.atomic
def recheck_draw(*, actor: User | None, round: Round, sample_size: int, seed: str = "") -> RecheckDraw:
    path = round.committee.path
    if not _may_office(actor, path):
        raise ValidationFailed(_("Only the inspection office of this committee may do this."))
    if sample_size < 1:
        raise ValidationFailed(_("Draw at least one task."), field="sample_size")
    population = sorted(Task.objects.filter(problem__inspection__round=round, status=TaskStatus.CLOSED)
                        .values_list("pk", flat=True))
    if not population:
        raise ValidationFailed(_("No task of this round has been closed yet."))
    seed = seed.strip() or secrets.token_hex(16)
    sample = recheck_sample(population, sample_size, seed)
    draw = RecheckDraw.objects.create(round=round, sample_size=sample_size, seed=seed[:64], population=population,
                                      sample=sample, drawn_by=actor if getattr(actor, "pk", None) else None)
    RecheckItem.objects.bulk_create([RecheckItem(draw=draw, task_id=pk) for pk in sample])
    audit_record(actor=actor, action="recheck.draw", obj=draw,
                 after={"seed": draw.seed, "population": len(population), "sample": sample}, committee_path=path)
    return draw


def recheck_reproduce(draw: RecheckDraw) -> list[int]:
    return recheck_sample(list(draw.population), draw.sample_size, draw.seed)


@transaction.atomic
def recheck_record(*, actor: User | None, item: RecheckItem, result: str, finding: str = "",
                   checked_on: datetime.date | None = None, expected_version: int | None = None) -> RecheckItem:
    """The on-site re-check's result. A failure reopens the task: its 销号 did not hold."""
    item = lock_for_update(RecheckItem, pk=item.pk, expected_version=expected_version)
    path = item.draw.round.committee.path
    if not _may_office(actor, path):
        raise ValidationFailed(_("Only the inspection office of this committee may do this."))
    if item.result != RecheckResult.PENDING:
        raise TransitionRefused(_("This re-check has already been recorded."))
    if result not in (RecheckResult.PASSED, RecheckResult.FAILED):
        raise ValidationFailed(_("Choose the result of the re-check."), field="result")
    if result == RecheckResult.FAILED and not finding.strip():
        raise ValidationFailed(_("Say what was found on site."), field="finding")
    checked_on = checked_on or today()
    if checked_on > today():
        raise ValidationFailed(_("The re-check cannot be dated in the future."), field="checked_on")
    item.result, item.finding, item.checked_on = result, finding.strip(), checked_on
    item.checked_by = actor if getattr(actor, "pk", None) else None
    bump_version(item)
    item.save()
    audit_record(actor=actor, action=f"recheck.{result}", obj=item, after=snapshot(item), committee_path=path)
    if result == RecheckResult.FAILED:
        task_reopen(actor=actor, task=item.task, reason=_("Random re-check failed: %(finding)s")
                    % {"finding": item.finding})
    return item


@transaction.atomic
def task_reopen(*, actor: User | None, task: Task, reason: str) -> Task:
    """A closed task goes back to 整改中 and its problem to being rectified; the reopening is counted."""
    task = lock_for_update(Task, pk=task.pk, expected_version=None)
    if task.status != TaskStatus.CLOSED:
        raise TransitionRefused(_("Only a closed task can be reopened."))
    problem = task.problem
    _move(actor=actor, task=task, to=TaskStatus.IN_PROGRESS)
    task.reopened_count += 1
    task.review_note = reason
    task.save(update_fields=["reopened_count", "review_note"])
    ProgressNote.objects.create(task=task, author=actor if getattr(actor, "pk", None) else None, text=reason,
                                kind="reopened")
    problem.refresh_from_db()
    if problem.status == ProblemStatus.RECTIFIED:
        problem_set_status(actor=actor, problem=problem, status=ProblemStatus.RECTIFYING)
    _notify_unit(problem.unit, kind=NotificationKind.REVIEW, title=_("Task reopened: %(task)s") % {"task": task},
                 body=reason, url=reverse("web:task_detail", args=[task.pk]),
                 key=f"task:{task.pk}:reopened:{task.reopened_count}", task=task)
    return task
