"""Reads of talks (个别谈话), scoped to the viewer. Talk records are confidential: only the inspection's group, the
office of the committee subtree that runs the round, and admin see them. Every other role reads nothing."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.fieldwork.models import Talk, TalkAttachment, TalkOutline
from xuncha.org.models import Role, User
from xuncha.org.scoping import committee_path, is_active_viewer
from xuncha.rounds.models import Inspection


def talk_q(viewer: User, prefix: str = "") -> Q:
    """A Q over Talk (or a model reaching Talk through `prefix`) limited to what the viewer may read."""
    p = prefix
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    if viewer.role == Role.ADMIN:
        return Q()
    if viewer.role == Role.OFFICE and viewer.committee_id:
        return Q(**{f"{p}inspection__round__committee__path__startswith": committee_path(viewer)})
    if viewer.role == Role.INSPECTOR:
        return Q(**{f"{p}inspection__group__memberships__user": viewer})
    return Q(pk__in=[])  # leader, unit, receiver and anyone else: nothing


def talk_list(*, viewer: User, inspection_id: int | None = None, status: str | None = None) -> QuerySet[Talk]:
    ids = Talk.objects.filter(talk_q(viewer)).values("pk")
    qs = (Talk.objects.filter(pk__in=ids)
          .select_related("inspection", "inspection__round", "inspection__round__committee",
                          "inspection__group", "unit", "outline"))
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("planned_on", "id")


def talk_get(*, viewer: User, pk: int) -> Talk:
    return get_object_or_404(talk_list(viewer=viewer), pk=pk)


def talk_attachment_get(*, viewer: User, pk: int) -> TalkAttachment:
    qs = TalkAttachment.objects.filter(talk__in=talk_list(viewer=viewer).values("pk")).select_related("file", "talk")
    return get_object_or_404(qs, pk=pk)


def outline_list(*, inspection: Inspection) -> QuerySet[TalkOutline]:
    """The outlines usable in an inspection: the built-in ones and those of its committee or a committee above."""
    path = inspection.round.committee.path
    ancestors = [p for p in _prefixes(path)]
    return TalkOutline.objects.filter(Q(committee__isnull=True) | Q(committee__path__in=ancestors))


def _prefixes(path: str) -> list[str]:
    """'/1/7/42/' -> ['/1/', '/1/7/', '/1/7/42/']."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
