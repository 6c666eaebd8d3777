"""Reads of plans, rounds and inspections, scoped to the viewer; stage timelines and deadlines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from xuncha.core.dates import add_months, today
from xuncha.org.models import Role, Unit, User
from xuncha.org.scoping import committee_path, is_active_viewer, reads_subtree
from xuncha.rounds.models import STAGE_ORDER, Inspection, Round, Stage, TermPlan
from xuncha.rounds.scoping import signed_member_q

# Once feedback has been given (the move into rectification), the unit sees its inspection.
STAGES_VISIBLE_TO_UNIT = [Stage.RECTIFY, Stage.FOLLOW_UP, Stage.ARCHIVED]


def inspection_q(viewer: User, prefix: str = "") -> Q:
    p = prefix
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    if viewer.role == Role.ADMIN:
        return Q()
    if reads_subtree(viewer):
        return Q(**{f"{p}round__committee__path__startswith": committee_path(viewer)})
    if viewer.role == Role.INSPECTOR:
        return signed_member_q(viewer, f"{p}group__")
    if viewer.role == Role.UNIT and viewer.unit_id:
        return Q(**{f"{p}units": viewer.unit_id, f"{p}stage__in": STAGES_VISIBLE_TO_UNIT})
    return Q(pk__in=[])


def _group_readers_q(viewer: User, to_round: str, to_group: str) -> Q:
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    if viewer.role == Role.ADMIN:
        return Q()
    if viewer.role == Role.OFFICE and viewer.committee_id:
        return Q(**{f"{to_round}committee__path__startswith": committee_path(viewer)})
    if viewer.role == Role.INSPECTOR:
        return signed_member_q(viewer, to_group)
    return Q(pk__in=[])  # leader, unit, receiver and anyone else: nothing


def fieldwork_readers_q(viewer: User, to_inspection: str) -> Q:
    """Who reads what a group gathers in the field (reports, talks, the daily board, surveys): the inspection's
    group (members who signed its pledge), the office of the subtree that runs the round, and admin; the leading
    group, units and receivers read nothing. A Q over a model reaching Inspection through `to_inspection` ("" for
    Inspection itself)."""
    return _group_readers_q(viewer, f"{to_inspection}round__", f"{to_inspection}group__")


def group_readers_q(viewer: User, to_group: str = "") -> Q:
    """The same readers for a group's own records (sign-in, work logs, meetings, requests): a Q over a model
    reaching InspectionGroup through `to_group` ("" for InspectionGroup itself)."""
    return _group_readers_q(viewer, f"{to_group}round__", to_group)


def plan_list(*, viewer: User) -> QuerySet[TermPlan]:
    if not (is_active_viewer(viewer) and (viewer.role == Role.ADMIN or reads_subtree(viewer))):
        return TermPlan.objects.none()
    qs = TermPlan.objects.select_related("committee")
    if viewer.role != Role.ADMIN:
        qs = qs.filter(committee__path__startswith=committee_path(viewer))
    return qs


def plan_get(*, viewer: User, pk: int) -> TermPlan:
    return get_object_or_404(plan_list(viewer=viewer), pk=pk)


def round_list(*, viewer: User, year: int | None = None, committee_id: int | None = None) -> QuerySet[Round]:
    qs = Round.objects.select_related("committee", "plan")
    if not is_active_viewer(viewer):
        return qs.none()
    if viewer.role == Role.ADMIN:
        pass
    elif reads_subtree(viewer):
        qs = qs.filter(committee__path__startswith=committee_path(viewer))
    elif viewer.role in (Role.INSPECTOR, Role.UNIT):
        qs = qs.filter(pk__in=Inspection.objects.filter(inspection_q(viewer)).values("round"))
    else:
        return qs.none()
    if year:
        qs = qs.filter(year=year)
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    qs = qs.annotate(n_inspections=Count("inspections", distinct=True))
    return qs.order_by("-year", "-number", "committee__path")


def round_get(*, viewer: User, pk: int) -> Round:
    return get_object_or_404(round_list(viewer=viewer), pk=pk)


def inspection_list(*, viewer: User, round_id: int | None = None, stage: str | None = None,
                    unit_id: int | None = None) -> QuerySet[Inspection]:
    ids = Inspection.objects.filter(inspection_q(viewer)).values("pk")
    qs = (Inspection.objects.filter(pk__in=ids)
          .select_related("round", "round__committee", "group")
          .prefetch_related(Prefetch("units", queryset=Unit.objects.select_related("parent"))))
    if round_id:
        qs = qs.filter(round_id=round_id)
    if stage:
        qs = qs.filter(stage=stage)
    if unit_id:
        qs = qs.filter(units=unit_id)
    return qs.order_by("-round__year", "-round__number", "group__name")


def inspection_get(*, viewer: User, pk: int) -> Inspection:
    return get_object_or_404(inspection_list(viewer=viewer), pk=pk)


def inspections_of_group_member(*, viewer: User) -> QuerySet[Inspection]:
    return inspection_list(viewer=viewer).filter(signed_member_q(viewer))


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: datetime.date | None
    done_on: datetime.date | None
    days_left: int | None
    # A deadline runs once its stage is reached: a report cannot be late while fieldwork goes on.
    running: bool = True

    @property
    def state(self) -> str:
        if self.due is None:
            return "unscheduled"
        if self.done_on is not None:
            return "late" if self.done_on > self.due else "done"
        return "overdue" if self.running and self.days_left is not None and self.days_left < 0 else "pending"

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"


def inspection_deadlines(inspection: Inspection, *, on: datetime.date | None = None) -> list[Deadline]:
    """The three regulated deadlines, by the committee's rules (通知/报告/整改报告)."""
    rules = inspection.round.committee
    on = on or today()

    def make(key, label, due, done_on, running=True):
        return Deadline(key, str(label), due, done_on, (due - on).days if due else None, running)

    notice_due = (inspection.entry_on - datetime.timedelta(days=rules.notice_days_before_entry)
                  if inspection.entry_on else None)
    report_due = (add_months(inspection.fieldwork_ends_on, rules.report_months_after_fieldwork)
                  if inspection.fieldwork_ends_on else None)
    rectify_due = (add_months(inspection.feedback_on, rules.rectify_report_months_after_feedback)
                   if inspection.feedback_on else None)
    # Planned deadlines are shown as soon as their dates are known; each runs once its stage is reached.
    stage_index = STAGE_ORDER.index(inspection.stage)
    deadlines = [
        make("notice", _("inspection notice sent"), notice_due, inspection.notice_sent_on),
        make("report", _("report heard by the leading group"), report_due, inspection.report_heard_on,
             running=stage_index >= STAGE_ORDER.index(Stage.REPORT)),
        make("rectify_report", _("written rectification report received"), rectify_due,
             inspection.rectify_report_received_on, running=stage_index >= STAGE_ORDER.index(Stage.RECTIFY)),
    ]
    return deadlines


def overdue_inspections(*, viewer: User, on: datetime.date | None = None) -> list[tuple[Inspection, Deadline]]:
    """Inspections with a passed, unmet deadline: what a workbench shows as running late."""
    late: list[tuple[Inspection, Deadline]] = []
    for inspection in inspection_list(viewer=viewer).exclude(stage=Stage.ARCHIVED):
        for deadline in inspection_deadlines(inspection, on=on):
            if deadline.overdue:
                late.append((inspection, deadline))
    return late


STAGE_DATE_FIELD = {
    Stage.PREPARE: "notice_sent_on",
    Stage.FIELDWORK: "entry_on",
    Stage.REPORT: "fieldwork_ends_on",
    Stage.FEEDBACK: "report_heard_on",
    Stage.RECTIFY: "feedback_on",
    Stage.FOLLOW_UP: "rectify_report_received_on",
    Stage.ARCHIVED: "archived_on",
}


def stage_timeline(inspection: Inspection) -> list[dict]:
    """Each stage with done/current/upcoming and the date it began."""
    current = STAGE_ORDER.index(inspection.stage)
    changes = {c.to_stage: c for c in inspection.stage_changes.all()}
    rows = []
    for index, value in enumerate(STAGE_ORDER):
        change = changes.get(value)
        rows.append({
            "stage": value,
            "label": Stage(value).label,
            "state": "done" if index < current else ("current" if index == current else "upcoming"),
            "began_on": change.on_date if change else None,
            "actor": change.actor if change else None,
        })
    return rows
