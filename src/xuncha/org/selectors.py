"""Reads of the committee tree, units and cadres, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.org.models import Cadre, Committee, ReceivingOrgan, Role, Unit, User
from xuncha.org.scoping import committee_path, is_active_viewer, reads_subtree, unit_q


def committee_list(*, viewer: User) -> QuerySet[Committee]:
    qs = Committee.objects.all()
    if not is_active_viewer(viewer):
        return qs.none()
    if viewer.role == Role.ADMIN:
        return qs
    if reads_subtree(viewer):
        return qs.filter(path__startswith=committee_path(viewer))
    return qs.none()


def committee_get(*, viewer: User, pk: int) -> Committee:
    return get_object_or_404(committee_list(viewer=viewer), pk=pk)


def unit_list(
    *,
    viewer: User,
    committee: Committee | None = None,
    kind: str | None = None,
    search: str | None = None,
    parent: Unit | None = None,
    top_level_only: bool = False,
) -> QuerySet[Unit]:
    qs = Unit.objects.filter(unit_q(viewer)).select_related("committee", "parent")
    if committee is not None:
        qs = qs.filter(committee=committee)
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if top_level_only:
        qs = qs.filter(parent__isnull=True)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(parent__name__icontains=search) | Q(code__icontains=search))
    return qs.order_by("committee__path", "kind", "parent__name", "name")


def unit_get(*, viewer: User, pk: int) -> Unit:
    return get_object_or_404(unit_list(viewer=viewer), pk=pk)


def unit_tree(*, viewer: User, search: str | None = None) -> list[dict]:
    """Committees in the viewer's scope, each with its units (villages under their townships)."""
    units = list(unit_list(viewer=viewer, search=search).annotate(n_children=Count("children")))
    by_committee: dict[int, list[Unit]] = {}
    for unit in units:
        by_committee.setdefault(unit.committee_id, []).append(unit)
    committees = {c.pk: c for c in Committee.objects.filter(pk__in=by_committee.keys())}
    tree = []
    for committee_id, members in sorted(by_committee.items(), key=lambda kv: committees[kv[0]].path):
        parents = [u for u in members if u.parent_id is None or u.parent_id not in {m.pk for m in members}]
        children: dict[int, list[Unit]] = {}
        for u in members:
            if u.parent_id is not None:
                children.setdefault(u.parent_id, []).append(u)
        tree.append(
            {
                "committee": committees[committee_id],
                "units": [{"unit": u, "children": children.get(u.pk, [])} for u in parents],
                "count": len(members),
            }
        )
    return tree


def cadre_list(*, viewer: User, unit: Unit) -> QuerySet[Cadre]:
    # The unit itself must be visible; its leadership is then visible too.
    unit_get(viewer=viewer, pk=unit.pk)
    return Cadre.objects.filter(unit=unit)


def organ_list(*, viewer: User) -> QuerySet[ReceivingOrgan]:
    qs = ReceivingOrgan.objects.select_related("committee")
    if not is_active_viewer(viewer):
        return qs.none()
    if viewer.role == Role.ADMIN:
        return qs
    if reads_subtree(viewer) or viewer.role == Role.INSPECTOR:
        # Clues may be handed to the organs of the committee or of any committee above it.
        path = committee_path(viewer) or ""
        ancestor_ids = [int(p) for p in path.strip("/").split("/") if p]
        return qs.filter(Q(committee__path__startswith=path) | Q(committee_id__in=ancestor_ids))
    if viewer.role == Role.RECEIVER:
        return qs.filter(pk=viewer.organ_id)
    return qs.none()
