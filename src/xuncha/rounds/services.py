"""Writes to plans, rounds, groups and inspections. Stage moves follow an explicit table."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields, snapshot
from xuncha.core.dates import today
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.org.models import Committee, Role, Unit, User
from xuncha.rounds.models import (
    BranchRole,
    GroupMembership,
    GroupRole,
    Inspection,
    InspectionGroup,
    Round,
    Stage,
    StageChange,
    TermPlan,
)

# from stage -> (to stage, the date field the move records, what must hold before it)
STAGE_TRANSITIONS: dict[str, tuple[str, str]] = {
    Stage.PREPARE: (Stage.FIELDWORK, "entry_on"),
    Stage.FIELDWORK: (Stage.REPORT, "fieldwork_ends_on"),
    Stage.REPORT: (Stage.FEEDBACK, "report_heard_on"),
    Stage.FEEDBACK: (Stage.RECTIFY, "feedback_on"),
    Stage.RECTIFY: (Stage.FOLLOW_UP, "rectify_report_received_on"),
    Stage.FOLLOW_UP: (Stage.ARCHIVED, "archived_on"),
}


def require_office(actor: User | None, committee: Committee, *, leader_ok: bool = False) -> None:
    if actor is None:
        return  # the demo builder and management commands act as the system
    if actor.role == Role.ADMIN:
        return
    allowed = (Role.OFFICE, Role.LEADER) if leader_ok else (Role.OFFICE,)
    if actor.role in allowed and actor.committee_id and committee.path.startswith(actor.committee.path):
        return
    raise ValidationFailed(_("Only the inspection office of this committee may do this."))


@transaction.atomic
def plan_create(*, actor: User | None, committee: Committee, title: str, start_year: int, end_year: int,
                coverage_target=100) -> TermPlan:
    require_office(actor, committee)
    if end_year < start_year:
        raise ValidationFailed(_("The last year of a term plan cannot come before its first year."))
    plan = TermPlan.objects.create(committee=committee, title=title, start_year=start_year, end_year=end_year,
                                   coverage_target=coverage_target)
    audit_record(actor=actor, action="plan.create", obj=plan, after=snapshot(plan), committee_path=committee.path)
    return plan


@transaction.atomic
def round_create(*, actor: User | None, committee: Committee, year: int, number: int, kind: str,
                 topic: str = "", plan: TermPlan | None = None) -> Round:
    require_office(actor, committee)
    if kind == "special" and not topic.strip():
        raise ValidationFailed(_("A special round needs its topic."), field="topic")
    if Round.objects.filter(committee=committee, year=year, number=number).exists():
        raise ValidationFailed(_("This committee already has round %(n)s of %(y)s.") % {"n": number, "y": year})
    if plan is not None and not (plan.start_year <= year <= plan.end_year):
        raise ValidationFailed(_("The round's year lies outside the term plan."), field="year")
    rnd = Round.objects.create(committee=committee, year=year, number=number, kind=kind, topic=topic.strip(),
                               plan=plan)
    audit_record(actor=actor, action="round.create", obj=rnd, after=snapshot(rnd), committee_path=committee.path)
    return rnd


@transaction.atomic
def round_record_approval(*, actor: User | None, round: Round, approved_on: datetime.date, meeting: str,
                          note: str = "", expected_version: int | None = None) -> Round:
    """Record that the 书记专题会 approved the round's unit list."""
    require_office(actor, round.committee, leader_ok=True)
    rnd = lock_for_update(Round, pk=round.pk, expected_version=expected_version)
    if not meeting.strip():
        raise ValidationFailed(_("Name the meeting that approved the list."), field="meeting")
    before = snapshot(rnd)
    rnd.approved_on, rnd.approval_meeting, rnd.approval_note = approved_on, meeting.strip(), note
    rnd.approved_by = actor
    bump_version(rnd)
    rnd.save()
    b, a = changed_fields(before, snapshot(rnd))
    audit_record(actor=actor, action="round.approve", obj=rnd, before=b, after=a, committee_path=rnd.committee.path)
    return rnd


@transaction.atomic
def group_create(*, actor: User | None, round: Round, name: str,
                 members: list[tuple[User, str]]) -> InspectionGroup:
    require_office(actor, round.committee)
    leaders = [u for u, r in members if r == GroupRole.LEADER]
    if len(leaders) != 1:
        raise ValidationFailed(_("A group has exactly one group leader."))
    group = InspectionGroup.objects.create(round=round, name=name)
    for user, role in members:
        if user.role != Role.INSPECTOR:
            raise ValidationFailed(_("%(user)s is not an inspector account.") % {"user": user})
        # The leader is the secretary of the group's temporary party branch unless the office says otherwise.
        GroupMembership.objects.create(group=group, user=user, role=role, branch_role=(
            BranchRole.SECRETARY if role == GroupRole.LEADER else BranchRole.MEMBER))
    audit_record(actor=actor, action="group.create", obj=group,
                 after={"name": name, "members": [[u.username, r] for u, r in members]},
                 committee_path=round.committee.path)
    return group


@transaction.atomic
def inspection_create(*, actor: User | None, round: Round, group: InspectionGroup, units: list[Unit],
                      entry_on: datetime.date | None = None,
                      fieldwork_ends_on: datetime.date | None = None) -> Inspection:
    require_office(actor, round.committee)
    if group.round_id != round.pk:
        raise ValidationFailed(_("The group belongs to another round."))
    if not units:
        raise ValidationFailed(_("An inspection covers at least one unit."))
    if entry_on and fieldwork_ends_on and fieldwork_ends_on < entry_on:
        raise ValidationFailed(_("Fieldwork cannot end before it starts."))
    for unit in units:
        # 交叉/提级 rounds reach units of other committees; a regular round stays in its own subtree.
        if round.kind not in ("cross", "elevated", "linked") and not unit.committee.path.startswith(
            round.committee.path
        ):
            raise ValidationFailed(_("%(unit)s is not managed by this committee.") % {"unit": unit})
    inspection = Inspection.objects.create(round=round, group=group, entry_on=entry_on,
                                           fieldwork_ends_on=fieldwork_ends_on)
    inspection.units.set(units)
    audit_record(actor=actor, action="inspection.create", obj=inspection,
                 after={**snapshot(inspection), "units": [u.pk for u in units]}, committee_path=round.committee.path)
    return inspection


@transaction.atomic
def inspection_update_schedule(*, actor: User, inspection: Inspection, expected_version: int | None,
                               **dates: datetime.date | None) -> Inspection:
    require_office(actor, inspection.round.committee)
    inspection = lock_for_update(Inspection, pk=inspection.pk, expected_version=expected_version)
    before = snapshot(inspection)
    allowed = {"notice_sent_on", "entry_on", "fieldwork_ends_on"}
    for field, value in dates.items():
        if field not in allowed:
            raise ValidationFailed(_("This date is set by a stage move, not by editing."))
        setattr(inspection, field, value)
    if inspection.entry_on and inspection.fieldwork_ends_on and inspection.fieldwork_ends_on < inspection.entry_on:
        raise ValidationFailed(_("Fieldwork cannot end before it starts."))
    bump_version(inspection)
    inspection.save()
    b, a = changed_fields(before, snapshot(inspection))
    audit_record(actor=actor, action="inspection.schedule", obj=inspection, before=b, after=a,
                 committee_path=inspection.round.committee.path)
    return inspection


ANNOUNCEMENT_FIELDS = ("focus", "report_phone", "report_mailbox", "report_address", "reports_accepted_until")


@transaction.atomic
def inspection_update_announcement(*, actor: User, inspection: Inspection, expected_version: int | None,
                                   **values) -> Inspection:
    """What the 巡察公告 announces: the focus, the channels, and the 受理截止日期 of the public report page."""
    require_office(actor, inspection.round.committee)
    inspection = lock_for_update(Inspection, pk=inspection.pk, expected_version=expected_version)
    before = snapshot(inspection)
    for field, value in values.items():
        if field not in ANNOUNCEMENT_FIELDS:
            raise ValidationFailed(_("This field is not part of the announcement."))
        setattr(inspection, field, value.strip() if isinstance(value, str) else value)
    until = inspection.reports_accepted_until
    if until and inspection.entry_on and until < inspection.entry_on:
        raise ValidationFailed(_("Reports cannot stop being accepted before fieldwork starts."),
                               field="reports_accepted_until")
    bump_version(inspection)
    inspection.save()
    b, a = changed_fields(before, snapshot(inspection))
    audit_record(actor=actor, action="inspection.announcement", obj=inspection, before=b, after=a,
                 committee_path=inspection.round.committee.path)
    return inspection


def next_stage(inspection: Inspection) -> str | None:
    move = STAGE_TRANSITIONS.get(inspection.stage)
    return move[0] if move else None


@transaction.atomic
def inspection_advance(*, actor: User | None, inspection: Inspection, to_stage: str,
                       on_date: datetime.date | None = None, expected_version: int | None = None,
                       note: str = "") -> Inspection:
    """Move an inspection one stage on, recording the date of the event that ends the current stage."""
    require_office(actor, inspection.round.committee)
    inspection = lock_for_update(Inspection, pk=inspection.pk, expected_version=expected_version)
    move = STAGE_TRANSITIONS.get(inspection.stage)
    if move is None or move[0] != to_stage:
        raise TransitionRefused(
            _("An inspection in %(frm)s cannot move to %(to)s.")
            % {"frm": Stage(inspection.stage).label, "to": Stage(to_stage).label if to_stage in Stage.values
               else to_stage}
        )
    on_date = on_date or today()
    if on_date > today():
        raise ValidationFailed(_("A stage move records what happened; its date cannot be in the future."))
    _check_preconditions(inspection, to_stage, on_date)
    before = snapshot(inspection)
    date_field = move[1]
    setattr(inspection, date_field, on_date)
    if to_stage == Stage.ARCHIVED and inspection.follow_up_on is None:
        inspection.follow_up_on = on_date
    from_stage = inspection.stage
    inspection.stage = to_stage
    bump_version(inspection)
    inspection.save()
    StageChange.objects.create(inspection=inspection, from_stage=from_stage, to_stage=to_stage, on_date=on_date,
                               actor=actor, note=note[:255])
    b, a = changed_fields(before, snapshot(inspection))
    audit_record(actor=actor, action="inspection.advance", obj=inspection, before=b, after=a,
                 committee_path=inspection.round.committee.path)
    # Let the apps above react (e.g. findings marks problems fed back) in this same transaction.
    from xuncha.rounds.signals import stage_changed

    stage_changed.send(sender=Inspection, inspection=inspection, from_stage=from_stage, to_stage=to_stage,
                       actor=actor, on_date=on_date)
    return inspection


def _check_preconditions(inspection: Inspection, to_stage: str, on_date: datetime.date) -> None:
    if to_stage == Stage.FIELDWORK:
        if inspection.round.approved_on is None:
            raise TransitionRefused(_("The round's unit list has not been approved by the secretary's meeting."))
        if inspection.notice_sent_on is None:
            raise TransitionRefused(_("Send the inspection notice before fieldwork starts."))
    if to_stage == Stage.REPORT and inspection.entry_on and on_date < inspection.entry_on:
        raise TransitionRefused(_("Fieldwork cannot end before it started."))
    from xuncha.rounds.signals import stage_precondition

    for _receiver, refusal in stage_precondition.send(sender=Inspection, inspection=inspection, to_stage=to_stage):
        if refusal:
            raise TransitionRefused(refusal)
