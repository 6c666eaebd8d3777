"""Rectification tasks (整改任务): the ledger of measures, 挂账 → 对账 → 销号."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from xuncha.api.auth import viewer
from xuncha.api.errors import READ_ERRORS, WRITE_ERRORS
from xuncha.api.pagination import PageQuery, page_of, paginate
from xuncha.api.schemas import TaskDetailOut, TaskOut, task_detail_out, task_out
from xuncha.findings.selectors import problem_get
from xuncha.rectification import services
from xuncha.rectification.models import TaskKind, TaskStatus
from xuncha.rectification.selectors import task_get, task_list

router = Router(tags=["tasks"])


class TaskQuery(PageQuery):
    round: int | None = None
    inspection: int | None = None
    unit: int | None = None
    status: TaskStatus | Literal["overdue"] | None = Field(
        None, description="A task status, or `overdue`: past its deadline and not closed.")


@router.get("/tasks", response=page_of(TaskOut), summary="Rectification tasks in the viewer's scope")
def tasks(request: HttpRequest, query: Query[TaskQuery]):
    status = getattr(query.status, "value", query.status)
    qs = task_list(viewer=viewer(request), round_id=query.round, inspection_id=query.inspection,
                   unit_id=query.unit, status=status)
    return paginate(qs, query, task_out)


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **READ_ERRORS},
            summary="One task with its progress notes")
def task_detail(request: HttpRequest, task_id: int):
    return task_detail_out(task_get(viewer=viewer(request), pk=task_id))


class TaskIn(Schema):
    problem: int
    measure: str
    responsible_leader: str
    responsible_department: str
    responsible_person: str
    kind: TaskKind = TaskKind.TIME_LIMITED
    deadline: datetime.date | None = Field(None, description="Required unless the kind is long_term.")


@router.post("/tasks", response={201: TaskDetailOut, **WRITE_ERRORS},
             summary="Put a rectification task for a problem fed back on the ledger")
def task_create(request: HttpRequest, payload: TaskIn):
    user = viewer(request)
    problem = problem_get(viewer=user, pk=payload.problem)
    task = services.task_create(actor=user, problem=problem, measure=payload.measure,
                                responsible_leader=payload.responsible_leader,
                                responsible_department=payload.responsible_department,
                                responsible_person=payload.responsible_person, kind=payload.kind.value,
                                deadline=payload.deadline)
    return Status(201, task_detail_out(task_get(viewer=user, pk=task.pk)))


class ProgressIn(Schema):
    text: str = Field(description="What was done.")


@router.post("/tasks/{task_id}/progress", response={200: TaskDetailOut, **WRITE_ERRORS},
             summary="Report progress on a task (moves a task on the ledger to in progress)")
def task_progress(request: HttpRequest, task_id: int, payload: ProgressIn):
    user = viewer(request)
    task = task_get(viewer=user, pk=task_id)
    services.task_report_progress(actor=user, task=task, text=payload.text)
    return task_detail_out(task_get(viewer=user, pk=task_id))


class SubmitIn(Schema):
    text: str = ""
    version: int


@router.post("/tasks/{task_id}/submit", response={200: TaskDetailOut, **WRITE_ERRORS},
             summary="Ask the office to check the task (对账)")
def task_submit(request: HttpRequest, task_id: int, payload: SubmitIn):
    user = viewer(request)
    task = task_get(viewer=user, pk=task_id)
    services.task_submit_for_review(actor=user, task=task, text=payload.text, expected_version=payload.version)
    return task_detail_out(task_get(viewer=user, pk=task_id))


class CloseIn(Schema):
    note: str = Field("", description="The 对账 note; required when no evidence file was filed.")
    signature: str = Field("", description="The reviewer's name as signed (default: the caller's name).")
    on_date: datetime.date | None = Field(None, description="Default: today.")
    version: int


@router.post("/tasks/{task_id}/close", response={200: TaskDetailOut, **WRITE_ERRORS},
             summary="Close a checked task (销号; the office only)")
def task_close(request: HttpRequest, task_id: int, payload: CloseIn):
    user = viewer(request)
    task = task_get(viewer=user, pk=task_id)
    services.task_close(actor=user, task=task, note=payload.note, on_date=payload.on_date,
                        signature=payload.signature, expected_version=payload.version)
    return task_detail_out(task_get(viewer=user, pk=task_id))


class ReturnIn(Schema):
    reason: str
    version: int


@router.post("/tasks/{task_id}/return", response={200: TaskDetailOut, **WRITE_ERRORS},
             summary="Return a task to the unit with reasons (the office only)")
def task_return(request: HttpRequest, task_id: int, payload: ReturnIn):
    user = viewer(request)
    task = task_get(viewer=user, pk=task_id)
    services.task_return(actor=user, task=task, reason=payload.reason, expected_version=payload.version)
    return task_detail_out(task_get(viewer=user, pk=task_id))
