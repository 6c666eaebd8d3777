"""Reads of group discipline, scoped to the viewer.

Readers of everything a group keeps (its page, sign-in, work logs, 组务会 minutes, 请示报告): the group's members who
have signed the confidentiality pledge, the office of the committee subtree that runs the round, and admin. The
leading group, units, receivers and every other account read nothing: a 404, as for an inspection. Inside the group,
work logs are personal: a member reads their own, the group leader and the deputy read all of them; the month's
sign-in grid shows a member their own row and the leader, deputy and liaison every row.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.groupwork.models import Attendance, GroupRequest, Meeting, RequestStatus, WorkLog
from xuncha.org.models import Role, User
from xuncha.org.scoping import is_active_viewer
from xuncha.rounds.models import GroupMembership, GroupRole, InspectionGroup, Stage
from xuncha.rounds.selectors import group_readers_q

# Who in the group reads every member's work log, and every row of the sign-in grid.
LOG_READERS = (GroupRole.LEADER, GroupRole.DEPUTY)
GRID_READERS = (GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.LIAISON)
ROLE_ORDER = {GroupRole.LEADER: 0, GroupRole.DEPUTY: 1, GroupRole.LIAISON: 2, GroupRole.MEMBER: 3}


def group_q(viewer: User, to_group: str = "") -> Q:
    """A Q over InspectionGroup (or a model reaching it through `to_group`, e.g. "group__") limited to the groups
    whose records the viewer reads: the office of the subtree, admin, and the members who signed the pledge."""
    return group_readers_q(viewer, to_group)


def _ids(model, q: Q):
    return model.objects.filter(q).values("pk")


def group_list(*, viewer: User) -> QuerySet[InspectionGroup]:
    return (InspectionGroup.objects.filter(pk__in=_ids(InspectionGroup, group_q(viewer)))
            .select_related("round", "round__committee")
            .annotate(n_members=Count("memberships", distinct=True),
                      n_signed=Count("memberships", filter=Q(memberships__pledge_signed_at__isnull=False),
                                     distinct=True))
            .order_by("-round__year", "-round__number", "round__committee__path", "name"))


def group_get(*, viewer: User, pk: int) -> InspectionGroup:
    return get_object_or_404(group_list(viewer=viewer), pk=pk)


def own_membership(viewer: User, group: InspectionGroup) -> GroupMembership | None:
    """The viewer's membership of the group once they signed the pledge (None before, and for non-members)."""
    if not is_active_viewer(viewer) or viewer.role != Role.INSPECTOR:
        return None
    return group.memberships.filter(user=viewer, pledge_signed_at__isnull=False).first()


def _oversees(viewer: User, group: InspectionGroup) -> bool:
    if not is_active_viewer(viewer):
        return False
    if viewer.role == Role.ADMIN:
        return True
    return bool(viewer.role == Role.OFFICE and viewer.committee_id
                and group.round.committee.path.startswith(viewer.committee.path))


def reads_all_logs(viewer: User, group: InspectionGroup) -> bool:
    membership = own_membership(viewer, group)
    return _oversees(viewer, group) or bool(membership and membership.role in LOG_READERS)


def reads_whole_grid(viewer: User, group: InspectionGroup) -> bool:
    membership = own_membership(viewer, group)
    return _oversees(viewer, group) or bool(membership and membership.role in GRID_READERS)


def members(group: InspectionGroup) -> list[GroupMembership]:
    """The group's members, leader first, then deputy, liaison and members by name."""
    rows = list(group.memberships.select_related("user"))
    return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.display_name or m.user.username))


def open_stage(group: InspectionGroup) -> bool:
    """Whether the group is at work: one of its inspections is in stationed fieldwork or writing its report."""
    return group.inspections.filter(stage__in=[Stage.FIELDWORK, Stage.REPORT]).exists()


def group_closed(group: InspectionGroup) -> bool:
    """A group whose every inspection is archived keeps its records as they are."""
    inspections = group.inspections.all()
    return inspections.exists() and not inspections.exclude(stage=Stage.ARCHIVED).exists()


# ---------------------------------------------------------------- the pledge

def pledges_to_sign(*, viewer: User) -> QuerySet[GroupMembership]:
    """The viewer's memberships whose confidentiality pledge is not signed yet, except in closed groups."""
    if not is_active_viewer(viewer) or viewer.role != Role.INSPECTOR:
        return GroupMembership.objects.none()
    return (GroupMembership.objects.filter(user=viewer, pledge_signed_at__isnull=True)
            .exclude(group__in=InspectionGroup.objects.filter(inspections__stage=Stage.ARCHIVED)
                     .exclude(inspections__stage__in=[s for s in Stage if s != Stage.ARCHIVED]))
            .select_related("group", "group__round", "group__round__committee")
            .order_by("-group__round__year", "-group__round__number", "group__name"))


def my_memberships(*, viewer: User) -> QuerySet[GroupMembership]:
    """Every group the viewer belongs to, signed or not (the pledge page and the home page list them)."""
    if not is_active_viewer(viewer) or viewer.role != Role.INSPECTOR:
        return GroupMembership.objects.none()
    return (GroupMembership.objects.filter(user=viewer)
            .select_related("group", "group__round", "group__round__committee")
            .order_by("-group__round__year", "-group__round__number", "group__name"))


def membership_for_pledge(*, viewer: User, group_pk: int) -> GroupMembership:
    """The viewer's own membership of the group, signed or not: a pledge is read and signed by the member alone."""
    return get_object_or_404(my_memberships(viewer=viewer), group_id=group_pk)


# ---------------------------------------------------------------- sign-in

def _personal_q(viewer: User, prefix: str, readers_of_all: tuple[str, ...]) -> Q:
    """A Q over a member's own records (reaching GroupMembership through `prefix` + "membership"): the office and
    admin read all of the groups they read; a member reads their own; members in `readers_of_all` every member's."""
    p = prefix
    base = group_q(viewer, f"{p}membership__group__")
    if is_active_viewer(viewer) and viewer.role == Role.INSPECTOR:
        managed = GroupMembership.objects.filter(user=viewer, pledge_signed_at__isnull=False,
                                                 role__in=readers_of_all).values("group")
        return base & (Q(**{f"{p}membership__user": viewer}) | Q(**{f"{p}membership__group__in": managed}))
    return base


def attendance_q(viewer: User, prefix: str = "") -> Q:
    """A Q over Attendance: the office and admin read all; a member their own days; the leader, the deputy and the
    liaison every member's days."""
    return _personal_q(viewer, prefix, GRID_READERS)


@dataclass
class GridRow:
    membership: GroupMembership
    cells: list[Attendance | None]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class MonthGrid:
    year: int
    month: int
    days: list[datetime.date]
    rows: list[GridRow]

    @property
    def first(self) -> datetime.date:
        return self.days[0]

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return self.days[-1] + datetime.timedelta(days=1)


def month_grid(*, viewer: User, group: InspectionGroup, year: int, month: int) -> MonthGrid:
    """Members × days of the month, each cell the day's record (or None); a member sees only their own row."""
    n_days = calendar.monthrange(year, month)[1]
    days = [datetime.date(year, month, d) for d in range(1, n_days + 1)]
    rows_of = members(group)
    if not reads_whole_grid(viewer, group):
        rows_of = [m for m in rows_of if m.user_id == viewer.pk]
    records = (Attendance.objects.filter(attendance_q(viewer), membership__group=group, on_date__gte=days[0],
                                         on_date__lte=days[-1]).select_related("recorded_by"))
    by_key = {(r.membership_id, r.on_date): r for r in records}
    rows = []
    for membership in rows_of:
        cells = [by_key.get((membership.pk, day)) for day in days]
        counts: dict[str, int] = {}
        for cell in cells:
            if cell is not None:
                counts[cell.presence] = counts.get(cell.presence, 0) + 1
        rows.append(GridRow(membership=membership, cells=cells, counts=counts))
    return MonthGrid(year=year, month=month, days=days, rows=rows)


def attendance_on(membership: GroupMembership, on: datetime.date) -> Attendance | None:
    return Attendance.objects.filter(membership=membership, on_date=on).select_related("recorded_by").first()


# ---------------------------------------------------------------- work logs

def worklog_q(viewer: User, prefix: str = "") -> Q:
    """A Q over WorkLog: the office and admin read all; a member their own; the leader and the deputy all of their
    group's. Members do not read one another's logs."""
    return _personal_q(viewer, prefix, LOG_READERS)


def worklog_list(*, viewer: User, group: InspectionGroup | None = None, member_id: int | None = None,
                 month: tuple[int, int] | None = None) -> QuerySet[WorkLog]:
    qs = (WorkLog.objects.filter(pk__in=_ids(WorkLog, worklog_q(viewer)))
          .select_related("membership", "membership__user", "membership__group", "membership__group__round"))
    if group is not None:
        qs = qs.filter(membership__group=group)
    if member_id:
        qs = qs.filter(membership__user_id=member_id)
    if month:
        qs = qs.filter(on_date__year=month[0], on_date__month=month[1])
    return qs.order_by("-on_date", "membership__user__display_name", "id")


def worklog_get(*, viewer: User, pk: int) -> WorkLog:
    return get_object_or_404(worklog_list(viewer=viewer), pk=pk)


def own_worklog(membership: GroupMembership, on: datetime.date) -> WorkLog | None:
    return WorkLog.objects.filter(membership=membership, on_date=on).first()


# ---------------------------------------------------------------- 组务会

def meeting_list(*, viewer: User, group: InspectionGroup | None = None) -> QuerySet[Meeting]:
    qs = (Meeting.objects.filter(pk__in=_ids(Meeting, group_q(viewer, "group__")))
          .select_related("group", "group__round", "group__round__committee", "recorded_by")
          .prefetch_related(Prefetch("attendees", queryset=User.objects.order_by("display_name", "username"))))
    if group is not None:
        qs = qs.filter(group=group)
    return qs.order_by("-held_on", "-id")


def meeting_get(*, viewer: User, pk: int) -> Meeting:
    return get_object_or_404(meeting_list(viewer=viewer), pk=pk)


# ---------------------------------------------------------------- 请示报告

def grouprequest_list(*, viewer: User, group: InspectionGroup | None = None,
                      status: str | None = None) -> QuerySet[GroupRequest]:
    qs = (GroupRequest.objects.filter(pk__in=_ids(GroupRequest, group_q(viewer, "group__")))
          .select_related("group", "group__round", "group__round__committee", "submitted_by", "answered_by"))
    if group is not None:
        qs = qs.filter(group=group)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_on", "-id")


def grouprequest_get(*, viewer: User, pk: int) -> GroupRequest:
    return get_object_or_404(grouprequest_list(viewer=viewer), pk=pk)


def open_requests(*, viewer: User) -> QuerySet[GroupRequest]:
    """The requests and reports still waiting for the office's answer, oldest first."""
    return grouprequest_list(viewer=viewer, status=RequestStatus.SUBMITTED).order_by("submitted_on", "id")
