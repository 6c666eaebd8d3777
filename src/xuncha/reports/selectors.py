"""Reads of the report registry, scoped to the viewer.

Reports are seen by the administrator, the office of the committee subtree that runs the inspection's round,
and the members of the inspection's group. Never by leaders, inspected units or receiving organs, and never
across counties: a role without a rule gets an empty queryset, and `report_get` answers 404 outside scope.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.org.models import Role, User
from xuncha.org.scoping import is_active_viewer
from xuncha.reports.models import AccessStatus, IdentityAccessRequest, Report, ReportAttachment
from xuncha.rounds.selectors import fieldwork_readers_q


def report_q(viewer: User | None, prefix: str = "") -> Q:
    """A Q over Report (or a model reaching Report through `prefix`) limited to the viewer."""
    return fieldwork_readers_q(viewer, f"{prefix}inspection__")


def report_list(*, viewer: User | None, inspection_id: int | None = None, status: str | None = None,
                channel: str | None = None, group_id: int | None = None) -> QuerySet[Report]:
    ids = Report.objects.filter(report_q(viewer)).values("pk")
    qs = (Report.objects.filter(pk__in=ids)
          .select_related("inspection", "inspection__round", "inspection__round__committee", "inspection__group",
                          "concerns_unit", "concerns_unit__parent")
          .annotate(group_size=Count("group__reports", distinct=True)))
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if group_id:
        qs = qs.filter(group_id=group_id)
    return qs.order_by("-received_on", "-id")


def report_get(*, viewer: User | None, pk: int) -> Report:
    return get_object_or_404(report_list(viewer=viewer), pk=pk)


def attachment_get(*, viewer: User | None, pk: int) -> ReportAttachment:
    """An attachment of a report the viewer may see (404 otherwise)."""
    visible = Report.objects.filter(report_q(viewer)).values("pk")
    return get_object_or_404(ReportAttachment.objects.select_related("file"), pk=pk, report__in=visible)


def may_decide_access(viewer: User | None) -> bool:
    """Only the office head (巡察办主任) decides requests to see a reporter's identity."""
    return bool(is_active_viewer(viewer) and viewer.role == Role.OFFICE and viewer.heads_office
                and viewer.committee_id)


def access_request_list(*, viewer: User | None) -> QuerySet[IdentityAccessRequest]:
    """Pending requests the viewer, an office head of the subtree, may decide (never their own)."""
    if not may_decide_access(viewer):
        return IdentityAccessRequest.objects.none()
    return (IdentityAccessRequest.objects
            .filter(status=AccessStatus.PENDING,
                    report__inspection__round__committee__path__startswith=viewer.committee.path)
            .exclude(requested_by=viewer)
            .select_related("report", "report__inspection", "report__inspection__round",
                            "report__inspection__group", "requested_by")
            .order_by("created_at", "id"))


def access_request_get(*, viewer: User | None, pk: int) -> IdentityAccessRequest:
    return get_object_or_404(access_request_list(viewer=viewer), pk=pk)


def access_requests_of(*, viewer: User | None, report: Report) -> QuerySet[IdentityAccessRequest]:
    """The viewer's own requests about one report, newest first."""
    if not is_active_viewer(viewer):
        return IdentityAccessRequest.objects.none()
    return IdentityAccessRequest.objects.filter(report=report, requested_by=viewer).select_related("decided_by")
