"""Reads of the pool and its draws, scoped to the viewer. The pool holds personal data (ID numbers, relatives): the
office of a committee reads the pools of its subtree, admin reads all, and every other role reads nothing (404)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.org.models import Role, User
from xuncha.org.scoping import committee_path, is_active_viewer
from xuncha.pool.models import Draw, Talent


def pool_q(viewer: User, to_committee: str = "committee__") -> Q:
    """A Q over a model reaching Committee through `to_committee`, limited to the pools the viewer manages."""
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    if viewer.role == Role.ADMIN:
        return Q()
    if viewer.role == Role.OFFICE and viewer.committee_id:
        return Q(**{f"{to_committee}path__startswith": committee_path(viewer)})
    return Q(pk__in=[])


def may_manage_pool(viewer: User | None) -> bool:
    return is_active_viewer(viewer) and (viewer.role == Role.ADMIN or (
        viewer.role == Role.OFFICE and bool(viewer.committee_id)))


def talent_list(*, viewer: User, committee_id: int | None = None, speciality: str | None = None,
                can_lead: bool | None = None, standing: str | None = None, search: str = "") -> QuerySet[Talent]:
    qs = (Talent.objects.filter(pool_q(viewer))
          .select_related("committee", "unit", "unit__parent", "home_township", "home_village", "account")
          .annotate(n_assessments=Count("assessments", distinct=True)))
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    if speciality:
        qs = qs.filter(speciality=speciality)
    if can_lead is not None:
        qs = qs.filter(can_lead=can_lead)
    if standing:
        qs = qs.filter(standing=standing)
    if search.strip():
        qs = qs.filter(Q(name__contains=search.strip()) | Q(unit_name__contains=search.strip())
                       | Q(unit__name__contains=search.strip()))
    return qs.order_by("committee__path", "name", "id")


def talent_get(*, viewer: User, pk: int) -> Talent:
    return get_object_or_404(Talent.objects.filter(pool_q(viewer)).select_related(
        "committee", "unit", "unit__parent", "home_township", "home_village", "home_village__parent", "account"),
        pk=pk)


def draw_list(*, viewer: User, unit_id: int | None = None) -> QuerySet[Draw]:
    qs = Draw.objects.filter(pool_q(viewer)).select_related("committee", "unit", "unit__parent", "inspection",
                                                           "committed_by", "drawn_by")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-committed_at", "-id")


def draw_get(*, viewer: User, pk: int) -> Draw:
    return get_object_or_404(draw_list(viewer=viewer), pk=pk)


def mask_id_number(number: str) -> str:
    """330102********1234: enough to tell two people apart on screen, not enough to use."""
    return f"{number[:6]}{'*' * 8}{number[14:]}" if len(number) == 18 else number
