"""Reads of rectification tasks, scoped to the viewer through the problems they rectify."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.core.dates import today
from xuncha.findings.selectors import problem_list
from xuncha.org.models import User
from xuncha.rectification.models import Task, TaskStatus

# Days left at or below which a task shows yellow; below zero it is red (overdue).
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
                             "problem__inspection__round")


def task_get(*, viewer: User, pk: int) -> Task:
    return get_object_or_404(task_list(viewer=viewer), pk=pk)


def task_light(task: Task, *, on: datetime.date | None = None) -> str:
    """red / yellow / green / done, by the days left."""
    if task.status == TaskStatus.CLOSED:
        return "done"
    if task.deadline is None:
        return "green"
    left = (task.deadline - (on or today())).days
    if left < 0:
        return "red"
    if left <= WARNING_DAYS:
        return "yellow"
    return "green"


def task_is_overdue(task: Task, *, on: datetime.date | None = None) -> bool:
    return task.status != TaskStatus.CLOSED and task.deadline is not None and task.deadline < (on or today())
