"""Writes of group discipline: the pledge, the temporary party branch, sign-in, work logs, meetings, requests.

Every service takes `actor=None` for the system (the demo builder, management commands): it then records history
as given, without the checks of who may act and of the working window.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, snapshot
from xuncha.core.dates import today
from xuncha.core.errors import StaleWrite, TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.groupwork.models import (
    Addressee,
    Attendance,
    GroupRequest,
    Meeting,
    Presence,
    RequestKind,
    RequestStatus,
    WorkLog,
)
from xuncha.groupwork.pledge import pledge_text
from xuncha.groupwork.selectors import group_closed, open_stage
from xuncha.notifications.services import notify
from xuncha.org.models import Role, User
from xuncha.rounds.models import BranchRole, GroupMembership, GroupRole, InspectionGroup
from xuncha.rounds.services import require_office

# 请示报告: submitted → answered, nothing after.
REQUEST_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.SUBMITTED: {RequestStatus.ANSWERED},
    RequestStatus.ANSWERED: set(),
}
# Who in the group records attendance and 组务会, and who submits a 请示报告 for the group.
ATTENDANCE_KEEPERS = (GroupRole.LEADER, GroupRole.LIAISON)
MEETING_KEEPERS = (GroupRole.LEADER, GroupRole.LIAISON)
REQUESTERS = (GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.LIAISON)
# Leave and business trips may be recorded ahead, up to this many days.
LEAVE_AHEAD_DAYS = 31
NOTIFICATION_KIND = "group_request"
MAX_TEXT = 20000



def _path(group: InspectionGroup) -> str:
    return group.round.committee.path


def _signed(actor: User | None, group: InspectionGroup, roles: Iterable[str] | None = None) -> GroupMembership | None:
    if actor is None or not actor.pk or actor.role != Role.INSPECTOR:
        return None
    qs = group.memberships.filter(user=actor, pledge_signed_at__isnull=False)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs.first()


def _stale() -> StaleWrite:
    return StaleWrite(_("Someone else saved this record while you were editing it. Your changes were not saved; they "
                        "are still in the form. Reload to see the current version, then apply them again."))


def _text(value: str | None, *, field: str, missing: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(missing, field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Keep it under %(n)s characters.") % {"n": limit}, field=field)
    return value


def _require_open(group: InspectionGroup) -> None:
    if group_closed(group):
        raise ValidationFailed(_("The group's inspections are archived: its records no longer change."))


# ---------------------------------------------------------------- the pledge

@transaction.atomic
def pledge_sign(*, actor: User, membership: GroupMembership) -> GroupMembership:
    """The member signs the pledge for their group: only for themselves, and once."""
    if actor is None or actor.pk != membership.user_id:
        raise ValidationFailed(_("Only the member can sign their own confidentiality pledge."))
    locked = GroupMembership.objects.select_for_update().select_related("group__round__committee").get(
        pk=membership.pk)
    if locked.pledge_signed_at is not None:
        raise TransitionRefused(_("You signed this pledge on %(on)s.") % {
            "on": timezone.localtime(locked.pledge_signed_at).strftime("%Y-%m-%d %H:%M")})
    locked.pledge_text = pledge_text(locked.group)
    locked.pledge_signed_at = timezone.now()
    locked.save(update_fields=["pledge_text", "pledge_signed_at"])
    audit_record(actor=actor, action="group.pledge_sign", obj=locked.group,
                 after={"member": actor.username, "signed_at": locked.pledge_signed_at},
                 committee_path=_path(locked.group))
    return locked


# ---------------------------------------------------------------- the temporary party branch

def branch_state(group: InspectionGroup) -> str:
    """A fingerprint of the branch as an editor loaded it (InspectionGroup carries no version of its own)."""
    rows = sorted(group.memberships.values_list("pk", "branch_role"))
    raw = f"{group.branch_formed_on}|{rows}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


@transaction.atomic
def branch_set(*, actor: User | None, group: InspectionGroup, formed_on: datetime.date | None,
               roles: dict[int, str], expected_state: str | None = None) -> InspectionGroup:
    """The office records the group's temporary party branch (临时党支部): the day it was formed and each member's
    role in it, with exactly one secretary."""
    require_office(actor, group.round.committee)
    group = InspectionGroup.objects.select_for_update().select_related("round__committee").get(pk=group.pk)
    if expected_state is not None and expected_state != branch_state(group):
        raise _stale()
    memberships = {m.pk: m for m in group.memberships.select_related("user")}
    unknown = set(roles) - set(memberships)
    if unknown:
        raise ValidationFailed(_("Only the group's members have a role in its party branch."))
    wanted = {pk: roles.get(pk, m.branch_role) for pk, m in memberships.items()}
    if any(role not in BranchRole.values for role in wanted.values()):
        raise ValidationFailed(_("Choose a role in the party branch for every member."))
    if list(wanted.values()).count(BranchRole.SECRETARY) != 1:
        raise ValidationFailed(_("The temporary party branch has exactly one secretary."))
    if formed_on is None:
        raise ValidationFailed(_("Give the day the temporary party branch was formed."), field="formed_on")
    if formed_on > today():
        raise ValidationFailed(_("The branch cannot be formed in the future."), field="formed_on")
    before = {"formed_on": group.branch_formed_on,
              "roles": {m.user.username: m.branch_role for m in memberships.values()}}
    group.branch_formed_on = formed_on
    group.save(update_fields=["branch_formed_on"])
    for pk, role in wanted.items():
        if memberships[pk].branch_role != role:
            memberships[pk].branch_role = role
            memberships[pk].save(update_fields=["branch_role"])
    after = {"formed_on": formed_on, "roles": {memberships[pk].user.username: role for pk, role in wanted.items()}}
    audit_record(actor=actor, action="group.branch_set", obj=group, before=before, after=after,
                 committee_path=_path(group))
    return group


# ---------------------------------------------------------------- daily sign-in (考勤)

def _attendance_after(record: Attendance) -> dict:
    return {"member": record.membership.user.username, "on_date": record.on_date, "presence": record.presence,
            "note": record.note, "signed_at": record.signed_at}


@transaction.atomic
def attendance_sign_in(*, actor: User | None, membership: GroupMembership,
                       on: datetime.date | None = None) -> Attendance:
    """A member signs in for today, once. The system (actor None) may record a past day."""
    group = membership.group
    if actor is not None:
        if _signed(actor, group) is None or actor.pk != membership.user_id:
            raise ValidationFailed(_("Only the member signs in for themselves."))
        if on is not None and on != today():
            raise ValidationFailed(_("You sign in for today only."))
        if not open_stage(group):
            raise ValidationFailed(_("Sign-in is kept while the group is stationed in fieldwork or writing its "
                                     "report."))
    on = on or today()
    # The membership row serialises two sign-ins of the same member (a double tap on a phone).
    membership = GroupMembership.objects.select_for_update().select_related("user", "group__round__committee").get(
        pk=membership.pk)
    existing = Attendance.objects.filter(membership=membership, on_date=on).first()
    if existing is not None:
        if existing.presence == Presence.PRESENT and existing.signed_at is not None:
            raise TransitionRefused(_("You already signed in today at %(time)s.") % {
                "time": timezone.localtime(existing.signed_at).strftime("%H:%M")})
        raise TransitionRefused(_("You are recorded today as: %(presence)s. Ask the group leader or the liaison to "
                                  "change it.") % {"presence": existing.get_presence_display()})
    record = Attendance.objects.create(membership=membership, on_date=on, presence=Presence.PRESENT,
                                       signed_at=timezone.now(), recorded_by=actor if actor is not None else None)
    audit_record(actor=actor, action="attendance.sign_in", obj=record, after=_attendance_after(record),
                 committee_path=_path(membership.group))
    return record


@transaction.atomic
def attendance_record(*, actor: User | None, membership: GroupMembership, on_date: datetime.date, presence: str,
                      note: str, expected_version: int | None = None) -> Attendance:
    """The group leader or the liaison records a member's day: on leave, away on group business, or absent, with a
    note. `expected_version` is the version of the day's record the form showed, 0 when it showed none."""
    group = membership.group
    if actor is not None:
        if _signed(actor, group, ATTENDANCE_KEEPERS) is None:
            raise ValidationFailed(_("Only the group leader or the liaison records attendance."))
        _require_open(group)
    if presence not in (Presence.ON_LEAVE, Presence.AWAY, Presence.ABSENT):
        raise ValidationFailed(_("Record a day of leave, of group business away, or an absence."), field="presence")
    if not isinstance(on_date, datetime.date):
        raise ValidationFailed(_("Give the day."), field="on_date")
    if actor is not None:
        if presence == Presence.ABSENT and on_date > today():
            raise ValidationFailed(_("An absence is recorded on the day or after it."), field="on_date")
        if on_date > today() + datetime.timedelta(days=LEAVE_AHEAD_DAYS):
            raise ValidationFailed(_("Leave is recorded at most %(n)s days ahead.") % {"n": LEAVE_AHEAD_DAYS},
                                   field="on_date")
    note = _text(note, field="note", missing=_("Say why, in a note."), limit=200)
    membership = GroupMembership.objects.select_for_update().select_related("user", "group__round__committee").get(
        pk=membership.pk)
    existing = Attendance.objects.filter(membership=membership, on_date=on_date).first()
    if existing is None:
        if expected_version:
            raise _stale()
        record = Attendance.objects.create(membership=membership, on_date=on_date, presence=presence, note=note,
                                           recorded_by=actor)
        audit_record(actor=actor, action="attendance.record", obj=record, after=_attendance_after(record),
                     committee_path=_path(membership.group))
        return record
    record = lock_for_update(Attendance, pk=existing.pk, expected_version=None)
    if record.signed_at is not None:
        raise TransitionRefused(_("%(member)s signed in that day at %(time)s: a sign-in is not overwritten.") % {
            "member": membership.user, "time": timezone.localtime(record.signed_at).strftime("%H:%M")})
    if expected_version == 0:
        # The form showed no record for the day, and there is one: show it before replacing it.
        raise StaleWrite(_("That day already has a record: %(presence)s. Check it; saving again replaces it.")
                         % {"presence": record.get_presence_display()})
    if expected_version is not None and expected_version != record.version:
        raise _stale()
    record.membership = membership
    before = _attendance_after(record)
    record.presence, record.note, record.recorded_by = presence, note, actor
    bump_version(record)
    record.save(update_fields=["presence", "note", "recorded_by", "version"])
    audit_record(actor=actor, action="attendance.record", obj=record, before=before, after=_attendance_after(record),
                 committee_path=_path(membership.group))
    return record


# ---------------------------------------------------------------- work logs (工作日志)

@transaction.atomic
def worklog_save(*, actor: User | None, membership: GroupMembership, on_date: datetime.date, content: str,
                 expected_version: int | None = None) -> WorkLog:
    """A member writes (or corrects) their log of a day: one per member per day, while the group is at work.
    `expected_version` is the version the editor loaded, 0 for a new log."""
    group = membership.group
    if actor is not None:
        if _signed(actor, group) is None or actor.pk != membership.user_id:
            raise ValidationFailed(_("A member writes their own work log."))
        if not open_stage(group):
            raise ValidationFailed(_("Work logs are written and corrected while the inspection is in stationed "
                                     "fieldwork or writing its report."))
    if not isinstance(on_date, datetime.date):
        raise ValidationFailed(_("Give the day."), field="on_date")
    if on_date > today():
        raise ValidationFailed(_("A work log is written on the day or after it."), field="on_date")
    content = _text(content, field="content", missing=_("Write what you did that day."))
    membership = GroupMembership.objects.select_for_update().select_related("user", "group__round__committee").get(
        pk=membership.pk)
    existing = WorkLog.objects.filter(membership=membership, on_date=on_date).first()
    if existing is None:
        if expected_version:
            raise _stale()
        log = WorkLog.objects.create(membership=membership, on_date=on_date, content=content)
        audit_record(actor=actor, action="worklog.write", obj=log,
                     after={"member": membership.user.username, "on_date": on_date, "length": len(content)},
                     committee_path=_path(membership.group))
        return log
    log = lock_for_update(WorkLog, pk=existing.pk, expected_version=None)
    if expected_version is not None and expected_version != log.version:
        # A log written for the same day in another tab, or edited since this form was loaded.
        raise _stale()
    before = {"version": log.version, "length": len(log.content)}
    log.content = content
    bump_version(log)
    log.save(update_fields=["content", "version", "updated_at"])
    audit_record(actor=actor, action="worklog.edit", obj=log, before=before,
                 after={"version": log.version, "length": len(content)}, committee_path=_path(membership.group))
    return log


# ---------------------------------------------------------------- 组务会

def _meeting_fields(group: InspectionGroup, *, held_on, topic, attendees, minutes, decisions) -> dict:
    if not isinstance(held_on, datetime.date):
        raise ValidationFailed(_("Give the day of the meeting."), field="held_on")
    if held_on > today():
        raise ValidationFailed(_("Minutes are recorded for a meeting that has been held."), field="held_on")
    topic = _text(topic, field="topic", missing=_("Give the meeting's topic."), limit=150)
    minutes = _text(minutes, field="minutes", missing=_("Write the minutes."))
    decisions = (decisions or "").strip()
    if len(decisions) > MAX_TEXT:
        raise ValidationFailed(_("Keep it under %(n)s characters.") % {"n": MAX_TEXT}, field="decisions")
    people = list({getattr(a, "pk", a) for a in attendees or []})
    if not people:
        raise ValidationFailed(_("Name who attended."), field="attendees")
    member_ids = set(group.memberships.values_list("user_id", flat=True))
    outsiders = [p for p in people if p not in member_ids]
    if outsiders:
        names = "、".join(str(u) for u in User.objects.filter(pk__in=outsiders))
        raise ValidationFailed(_("Only the group's members attend its meetings: %(names)s is not a member.")
                               % {"names": names or "?"}, field="attendees")
    return {"held_on": held_on, "topic": topic, "minutes": minutes, "decisions": decisions, "attendees": people}


def _meeting_after(meeting: Meeting, attendees: list[int]) -> dict:
    names = sorted(User.objects.filter(pk__in=attendees).values_list("username", flat=True))
    return {"held_on": meeting.held_on, "topic": meeting.topic, "attendees": names,
            "minutes_length": len(meeting.minutes), "decisions_length": len(meeting.decisions)}


@transaction.atomic
def meeting_record(*, actor: User | None, group: InspectionGroup, held_on: datetime.date, topic: str,
                   attendees: Iterable[User | int], minutes: str, decisions: str = "") -> Meeting:
    """The group leader or the liaison records a 组务会: its day, topic, the members who attended, the minutes and
    the decisions."""
    if actor is not None:
        if _signed(actor, group, MEETING_KEEPERS) is None:
            raise ValidationFailed(_("Only the group leader or the liaison records the group's meetings."))
        _require_open(group)
    values = _meeting_fields(group, held_on=held_on, topic=topic, attendees=attendees, minutes=minutes,
                             decisions=decisions)
    people = values.pop("attendees")
    # The group row serialises two recordings of the same meeting (a double submit).
    InspectionGroup.objects.select_for_update().filter(pk=group.pk).first()
    if group.meetings.filter(held_on=values["held_on"], topic=values["topic"]).exists():
        raise TransitionRefused(_("A meeting on %(day)s about “%(topic)s” is already recorded: open it to change "
                                  "its minutes.") % {"day": values["held_on"].isoformat(), "topic": values["topic"]})
    meeting = Meeting.objects.create(group=group, recorded_by=actor, **values)
    meeting.attendees.set(people)
    audit_record(actor=actor, action="meeting.record", obj=meeting, after=_meeting_after(meeting, people),
                 committee_path=_path(group))
    return meeting


@transaction.atomic
def meeting_update(*, actor: User | None, meeting: Meeting, expected_version: int | None, held_on: datetime.date,
                   topic: str, attendees: Iterable[User | int], minutes: str, decisions: str = "") -> Meeting:
    group = meeting.group
    if actor is not None:
        if _signed(actor, group, MEETING_KEEPERS) is None:
            raise ValidationFailed(_("Only the group leader or the liaison records the group's meetings."))
        _require_open(group)
    meeting = lock_for_update(Meeting, pk=meeting.pk, expected_version=expected_version)
    values = _meeting_fields(group, held_on=held_on, topic=topic, attendees=attendees, minutes=minutes,
                             decisions=decisions)
    people = values.pop("attendees")
    before = _meeting_after(meeting, list(meeting.attendees.values_list("pk", flat=True)))
    for name, value in values.items():
        setattr(meeting, name, value)
    bump_version(meeting)
    meeting.save()
    meeting.attendees.set(people)
    audit_record(actor=actor, action="meeting.edit", obj=meeting, before=before, after=_meeting_after(meeting, people),
                 committee_path=_path(group))
    return meeting


# ---------------------------------------------------------------- 请示报告

def _office_accounts(path: str):
    return User.objects.filter(role=Role.OFFICE, is_active=True, committee__path=path)


@transaction.atomic
def grouprequest_submit(*, actor: User | None, group: InspectionGroup, kind: str, title: str, content: str,
                        addressed_to: str = Addressee.OFFICE, submitted_on: datetime.date | None = None
                        ) -> GroupRequest:
    """The group (its leader, deputy or liaison) asks the office or the leading group for instructions, or reports a
    matter. The office of the committee running the round hears of it at once."""
    if actor is not None:
        if _signed(actor, group, REQUESTERS) is None:
            raise ValidationFailed(_("The group leader, the deputy or the liaison submits the group's requests and "
                                     "reports."))
        _require_open(group)
        submitted_on = None
    if kind not in RequestKind.values:
        raise ValidationFailed(_("Say whether it is a request for instructions or a report."), field="kind")
    if addressed_to not in Addressee.values:
        raise ValidationFailed(_("Say to whom it is addressed."), field="addressed_to")
    title = _text(title, field="title", missing=_("Give it a title."), limit=150)
    content = _text(content, field="content", missing=_("Write the matter."))
    InspectionGroup.objects.select_for_update().filter(pk=group.pk).first()
    twin = group.requests.filter(title=title, content=content, submitted_on=submitted_on or today()).first()
    if twin is not None:
        raise TransitionRefused(_("The same request or report was already submitted on %(day)s.")
                                % {"day": twin.submitted_on.isoformat()})
    request = GroupRequest.objects.create(group=group, kind=kind, title=title, content=content,
                                          addressed_to=addressed_to, submitted_on=submitted_on or today(),
                                          submitted_by=actor)
    audit_record(actor=actor, action="grouprequest.submit", obj=request,
                 after={"kind": kind, "title": title, "addressed_to": addressed_to,
                        "submitted_on": request.submitted_on}, committee_path=_path(group))
    notify(recipients=_office_accounts(_path(group)), kind=NOTIFICATION_KIND,
           title=_("%(group)s submitted a %(kind)s: %(title)s") % {
               "group": f"{group.round} {group.name}", "kind": request.get_kind_display(), "title": title},
           url=reverse("web:grouprequest_detail", args=[request.pk]),
           dedupe_key=f"grouprequest:{request.pk}:submitted")
    return request


@transaction.atomic
def grouprequest_answer(*, actor: User | None, request: GroupRequest, answer: str,
                        expected_version: int | None = None, answered_on: datetime.date | None = None
                        ) -> GroupRequest:
    """The office answers a request or report (for itself or as the leading group's office); the group leader and
    whoever submitted it hear of the answer."""
    group = request.group
    require_office(actor, group.round.committee)
    request = lock_for_update(GroupRequest, pk=request.pk, expected_version=None)
    if RequestStatus.ANSWERED not in REQUEST_TRANSITIONS[request.status]:
        raise TransitionRefused(_("This was already answered on %(on)s by %(who)s.") % {
            "on": request.answered_on.isoformat() if request.answered_on else "?",
            "who": request.answered_by or _("the system")})
    if expected_version is not None and expected_version != request.version:
        raise _stale()
    answer = _text(answer, field="answer", missing=_("Write the answer."))
    before = snapshot(request, ["status", "answer", "answered_on"])
    request.status = RequestStatus.ANSWERED
    request.answer = answer
    request.answered_on = answered_on if actor is None and answered_on else today()
    request.answered_by = actor
    bump_version(request)
    request.save(update_fields=["status", "answer", "answered_on", "answered_by", "version"])
    audit_record(actor=actor, action="grouprequest.answer", obj=request, before=before,
                 after=snapshot(request, ["status", "answer", "answered_on"]), committee_path=_path(group))
    leaders = set(group.memberships.filter(role=GroupRole.LEADER).values_list("user_id", flat=True))
    if request.submitted_by_id:
        leaders.add(request.submitted_by_id)
    notify(recipients=leaders, kind=NOTIFICATION_KIND,
           title=_("The office answered: %(title)s") % {"title": request.title},
           url=reverse("web:grouprequest_detail", args=[request.pk]),
           dedupe_key=f"grouprequest:{request.pk}:answered")
    return request


def may_set_branch(actor: User, group: InspectionGroup) -> bool:
    try:
        require_office(actor, group.round.committee)
    except ValidationFailed:
        return False
    return actor is not None


def may_answer(actor: User, group: InspectionGroup) -> bool:
    return may_set_branch(actor, group)


def may_keep_attendance(actor: User, group: InspectionGroup) -> bool:
    return _signed(actor, group, ATTENDANCE_KEEPERS) is not None


def may_keep_meetings(actor: User, group: InspectionGroup) -> bool:
    return _signed(actor, group, MEETING_KEEPERS) is not None


def may_submit_request(actor: User, group: InspectionGroup) -> bool:
    return _signed(actor, group, REQUESTERS) is not None

