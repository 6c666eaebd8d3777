"""Writes to rectification tasks. The status table is explicit; 逾期 is read from the deadline."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields, snapshot
from xuncha.core.dates import today
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.findings.models import FED_BACK_STATUSES, Problem, ProblemStatus
from xuncha.findings.services import problem_set_status
from xuncha.org.models import Role, User
from xuncha.rectification.models import ProgressNote, Task, TaskKind, TaskStatus

# status -> {allowed next status: who may make the move}
TASK_TRANSITIONS: dict[str, dict[str, set[str]]] = {
    TaskStatus.OPEN: {TaskStatus.IN_PROGRESS: {Role.UNIT, Role.OFFICE}},
    TaskStatus.IN_PROGRESS: {TaskStatus.AWAITING_REVIEW: {Role.UNIT, Role.OFFICE}},
    TaskStatus.AWAITING_REVIEW: {
        TaskStatus.CLOSED: {Role.OFFICE},  # 销号: only the office, after checking the evidence (对账)
        TaskStatus.IN_PROGRESS: {Role.OFFICE},  # returned with reasons
    },
    TaskStatus.CLOSED: {},
}

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


@transaction.atomic
def task_create(*, actor: User | None, problem: Problem, **data) -> Task:
    if not _may_act(actor, problem, {Role.UNIT, Role.OFFICE}):
        raise ValidationFailed(_("You may not plan the rectification of this problem."))
    if problem.status not in FED_BACK_STATUSES:
        raise ValidationFailed(_("Tasks are planned for problems that have been fed back."))
    data = _clean({k: data.get(k) for k in TASK_FIELDS})
    task = Task.objects.create(problem=problem, **data)
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
def task_report_progress(*, actor: User | None, task: Task, text: str) -> ProgressNote:
    """The unit reports what it has done; a task on the ledger moves to 整改中."""
    task = lock_for_update(Task, pk=task.pk, expected_version=None)
    if not _may_act(actor, task.problem, {Role.UNIT, Role.OFFICE}):
        raise ValidationFailed(_("You may not report progress on this task."))
    if task.status in (TaskStatus.CLOSED, TaskStatus.AWAITING_REVIEW):
        raise TransitionRefused(_("This task is waiting for the office or already closed."))
    if not text.strip():
        raise ValidationFailed(_("Write what was done."), field="text")
    note = ProgressNote.objects.create(task=task, author=actor, text=text.strip())
    if task.status == TaskStatus.OPEN:
        _move(actor=actor, task=task, to=TaskStatus.IN_PROGRESS)
    audit_record(actor=actor, action="task.progress", obj=task, after={"note": note.text},
                 committee_path=_path(task))
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
               expected_version: int | None = None) -> Task:
    """销号: the office has checked the evidence against the ledger (对账) and closes the task."""
    task = lock_for_update(Task, pk=task.pk, expected_version=expected_version)
    task.closed_on = on_date or today()
    task.closed_by = actor
    task.review_note = note.strip()
    _move(actor=actor, task=task, to=TaskStatus.CLOSED)
    ProgressNote.objects.create(task=task, author=actor, text=note.strip() or _("Checked and closed."), kind="closed")
    problem = task.problem
    if not problem.tasks.exclude(status=TaskStatus.CLOSED).exists() and problem.status != ProblemStatus.RECTIFIED:
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
        task.closed_on, task.closed_by = None, None
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
    return problem.status in FED_BACK_STATUSES and _may_act(actor, problem, {Role.UNIT, Role.OFFICE})
