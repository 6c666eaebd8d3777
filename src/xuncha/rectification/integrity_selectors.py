"""Reads of paper-rectification flags, scoped to the viewer through the tasks they are about."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.org.models import User
from xuncha.rectification.models import FlagKind, IntegrityFlag, Task
from xuncha.rectification.selectors import task_list

_RELATED = ("task", "task__problem", "task__problem__unit", "other_task", "other_task__problem",
            "other_task__problem__unit", "problem", "resolved_by")


def flag_list(*, viewer: User, kind: str | None = None, status: str | None = None,
              round_id: int | None = None) -> QuerySet[IntegrityFlag]:
    """Flags whose task the viewer can see (task_list), newest first."""
    visible = task_list(viewer=viewer, round_id=round_id).order_by().values("pk")
    qs = IntegrityFlag.objects.filter(task__in=visible)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(*_RELATED)


def flag_get(*, viewer: User, pk: int) -> IntegrityFlag:
    """One flag, or 404 when its task is outside the viewer's scope."""
    return get_object_or_404(flag_list(viewer=viewer), pk=pk)


def flags_for_task(task: Task) -> QuerySet[IntegrityFlag]:
    """The flags raised on a task (for its page; the caller has already checked the task is visible)."""
    return IntegrityFlag.objects.filter(task=task).select_related(*_RELATED)


def flag_pairs(*, viewer: User, status: str | None = None, round_id: int | None = None) -> QuerySet[IntegrityFlag]:
    """Copied measures one row per pair. A scan flags both tasks; of two mirror flags both in this list, only
    the one on the lower task id is kept (the other task is its other_task)."""
    qs = flag_list(viewer=viewer, kind=FlagKind.COPIED_MEASURE, status=status, round_id=round_id)
    mirror = flag_list(viewer=viewer, kind=FlagKind.COPIED_MEASURE, status=status, round_id=round_id).filter(
        task_id=OuterRef("other_task_id"), other_task_id=OuterRef("task_id"))
    return qs.filter(Q(task_id__lt=F("other_task_id")) | ~Exists(mirror.values("pk")))
