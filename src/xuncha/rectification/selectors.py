"""Reads of rectification tasks, scoped to the viewer through the problems they rectify."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.core.dates import add_months, today
from xuncha.core.models import AuditEvent
from xuncha.findings.models import FED_BACK_STATUSES, Disposal, Problem
from xuncha.findings.selectors import problem_list
from xuncha.org.models import Role, Unit, User
from xuncha.rectification.models import (
    Accountability,
    EvidenceFile,
    FeedbackMeeting,
    PlanStatus,
    RecheckDraw,
    RecheckItem,
    RectificationPlan,
    RectificationReport,
    Task,
    TaskKind,
    TaskStatus,
)
from xuncha.rounds.models import Inspection
from xuncha.rounds.selectors import inspection_list

# The defaults of Committee.task_yellow_days / task_red_days, for a task whose committee is not loaded.
WARNING_DAYS = 7


def task_list(*, viewer: User, round_id: int | None = None, inspection_id: int | None = None,
              unit_id: int | None = None, status: str | None = None, overdue: bool | None = None,
              due_within_days: int | None = None, on: datetime.date | None = None) -> QuerySet[Task]:
    on = on or today()
    visible_problems = problem_list(viewer=viewer, round_id=round_id, inspection_id=inspection_id, unit_id=unit_id)
    qs = Task.objects.filter(problem__in=visible_problems.values("pk"))
    if status == "overdue":
        overdue, status = True, None
    if status:
        qs = qs.filter(status=status)
    if overdue is True:
        qs = qs.filter(deadline__lt=on).exclude(status=TaskStatus.CLOSED)
    elif overdue is False:
        qs = qs.filter(Q(deadline__gte=on) | Q(deadline__isnull=True) | Q(status=TaskStatus.CLOSED))
    if due_within_days is not None:
        qs = qs.filter(deadline__gte=on, deadline__lte=on + datetime.timedelta(days=due_within_days)).exclude(
            status=TaskStatus.CLOSED)
    return qs.select_related("problem", "problem__unit", "problem__unit__parent", "problem__inspection",
                             "problem__inspection__round", "problem__inspection__round__committee", "plan")


def task_get(*, viewer: User, pk: int) -> Task:
    return get_object_or_404(task_list(viewer=viewer), pk=pk)


def task_light(task: Task, *, on: datetime.date | None = None) -> str:
    """red / yellow / green / done, by the days left and the thresholds of the committee that ran the round."""
    if task.status == TaskStatus.CLOSED:
        return "done"
    if task.deadline is None:
        return "green"
    committee = task.problem.inspection.round.committee
    left = (task.deadline - (on or today())).days
    if left < committee.task_red_days or left < 0:
        return "red"
    if left <= committee.task_yellow_days:
        return "yellow"
    return "green"


def task_is_overdue(task: Task, *, on: datetime.date | None = None) -> bool:
    return task.status != TaskStatus.CLOSED and task.deadline is not None and task.deadline < (on or today())


def open_immediate_tasks(inspection: Inspection):
    """立行立改 tasks of the inspection not yet closed: they hold the group in 进驻."""
    return Task.objects.filter(problem__inspection=inspection, kind=TaskKind.IMMEDIATE).exclude(
        status=TaskStatus.CLOSED)


def immediate_problems_without_task(inspection: Inspection):
    return Problem.objects.filter(inspection=inspection, disposal=Disposal.IMMEDIATE, tasks__isnull=True)


# --- plans ---------------------------------------------------------------------------------------------

def plan_list(*, viewer: User, status: str | None = None, round_id: int | None = None,
              unit_id: int | None = None) -> QuerySet[RectificationPlan]:
    """Plans of inspections the viewer sees; a unit sees only its own."""
    inspections = inspection_list(viewer=viewer).values("pk")
    qs = RectificationPlan.objects.filter(inspection__in=inspections)
    if viewer.role == Role.UNIT:
        qs = qs.filter(unit_id=viewer.unit_id)
    elif viewer.role == Role.RECEIVER:
        qs = qs.none()
    if status:
        qs = qs.filter(status=status)
    if round_id:
        qs = qs.filter(inspection__round_id=round_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("inspection", "inspection__round", "inspection__round__committee", "inspection__group",
                             "unit", "unit__parent").order_by("-inspection__round__year", "unit__name")


def plan_get(*, viewer: User, pk: int) -> RectificationPlan:
    return get_object_or_404(plan_list(viewer=viewer), pk=pk)


def plan_problems(plan: RectificationPlan) -> QuerySet[Problem]:
    """The problems a plan must answer: fed back to the unit, and not handed over as clues."""
    return (Problem.objects.filter(inspection=plan.inspection, unit=plan.unit, status__in=FED_BACK_STATUSES)
            .exclude(disposal=Disposal.CLUE))


def plan_problems_without_task(plan: RectificationPlan) -> QuerySet[Problem]:
    """The problems of the plan that no task of the plan answers yet (the plan cannot be submitted with any)."""
    return plan_problems(plan).exclude(tasks__plan=plan)


def plan_tasks(plan: RectificationPlan, *, viewer: User) -> QuerySet[Task]:
    return task_list(viewer=viewer).filter(plan=plan).order_by("problem_id", "id")


def plan_history(plan: RectificationPlan, *, actions: list[str]) -> QuerySet[AuditEvent]:
    """The plan's own moves (`actions`) from the audit trail, oldest first.

    Call only after plan_get has scoped the plan: whoever sees the plan sees how it moved.
    """
    return (AuditEvent.objects.filter(object_type=RectificationPlan._meta.label_lower, object_id=str(plan.pk),
                                      action__in=actions)
            .select_related("actor").order_by("at", "id"))


# --- feedback, reports, evidence ----------------------------------------------------------------------

def feedback_meetings(*, viewer: User, inspection: Inspection) -> QuerySet[FeedbackMeeting]:
    """Feedback meetings of an inspection the viewer sees (inspection_get has already scoped it)."""
    qs = FeedbackMeeting.objects.filter(inspection=inspection).select_related("unit", "signed_scan")
    if viewer.role == Role.UNIT:
        qs = qs.filter(unit_id=viewer.unit_id)
    return qs


def feedback_date(inspection: Inspection, unit: Unit) -> datetime.date | None:
    meeting = FeedbackMeeting.objects.filter(inspection=inspection, unit=unit).only("held_on").first()
    return meeting.held_on if meeting else inspection.feedback_on


def report_due_on(inspection: Inspection, unit: Unit) -> datetime.date | None:
    """整改情况报告 is due N months after the unit's feedback (N from the committee that ran the round)."""
    given = feedback_date(inspection, unit)
    if given is None:
        return None
    return add_months(given, inspection.round.committee.rectify_report_months_after_feedback)


def report_of(inspection: Inspection, unit: Unit) -> RectificationReport | None:
    return RectificationReport.objects.filter(inspection=inspection, unit=unit).select_related("document").first()


def evidence_get(*, viewer: User, pk: int) -> EvidenceFile:
    """An evidence file is visible to whoever sees its task, or the feedback meeting or report it belongs to."""
    visible = task_list(viewer=viewer).values("pk")
    units = Unit.objects.none()
    if viewer.role != Role.RECEIVER:
        seen = inspection_list(viewer=viewer)
        units_q = Q(unit__inspections__in=seen.values("pk"))
        if viewer.role == Role.UNIT:
            units_q = Q(unit_id=viewer.unit_id)
        units = EvidenceFile.objects.filter(task__isnull=True).filter(units_q).values("pk")
    qs = EvidenceFile.objects.filter(Q(task__in=visible) | Q(pk__in=units)).distinct()
    return get_object_or_404(qs, pk=pk)


def accountability_list(*, viewer: User, unit_id: int | None = None) -> QuerySet[Accountability]:
    if viewer.role not in (Role.ADMIN, Role.LEADER, Role.OFFICE, Role.UNIT):
        return Accountability.objects.none()
    visible_units = problem_list(viewer=viewer).values("unit_id")
    qs = Accountability.objects.filter(Q(task__in=task_list(viewer=viewer).values("pk")) | Q(unit__in=visible_units))
    if viewer.role == Role.UNIT:
        qs = qs.filter(unit_id=viewer.unit_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("unit", "task", "cadre").distinct()


# --- random re-checks ---------------------------------------------------------------------------------

def recheck_draw_list(*, viewer: User, round_id: int | None = None) -> QuerySet[RecheckDraw]:
    if viewer.role not in (Role.ADMIN, Role.LEADER, Role.OFFICE):
        return RecheckDraw.objects.none()
    from xuncha.rounds.selectors import round_list

    qs = RecheckDraw.objects.filter(round__in=round_list(viewer=viewer).values("pk")).select_related(
        "round", "round__committee", "drawn_by")
    if round_id:
        qs = qs.filter(round_id=round_id)
    return qs


def recheck_draw_get(*, viewer: User, pk: int) -> RecheckDraw:
    return get_object_or_404(recheck_draw_list(viewer=viewer), pk=pk)


def recheck_item_get(*, viewer: User, pk: int) -> RecheckItem:
    draws = recheck_draw_list(viewer=viewer).values("pk")
    return get_object_or_404(RecheckItem.objects.filter(draw__in=draws).select_related(
        "draw", "draw__round", "draw__round__committee", "task", "task__problem", "task__problem__unit"), pk=pk)


def plan_counts(*, viewer: User) -> dict[str, int]:
    rows = plan_list(viewer=viewer).values_list("status", flat=True)
    counts = {s: 0 for s in PlanStatus.values}
    for status in rows:
        counts[status] += 1
    return counts


def feedback_problems(plan: RectificationPlan):
    """What the 反馈意见 of a plan's unit lists: every problem recorded for it in the inspection except clues.

    Call only after plan_get has scoped the plan: the unit receives this document at the feedback meeting,
    even while the problems are not yet marked fed back in the ledger.
    """
    return (Problem.objects.filter(inspection_id=plan.inspection_id, unit_id=plan.unit_id)
            .exclude(disposal=Disposal.CLUE).order_by("id"))
