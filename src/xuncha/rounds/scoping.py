"""Scoping rules contributed by rounds: an inspector sees the inspections of their own groups."""

from __future__ import annotations

from django.db.models import Q

from xuncha.org.models import Role, User
from xuncha.org.scoping import register_unit_rule


def signed_member_q(viewer: User, to_group: str = "group__") -> Q:
    """A Q over a model reaching InspectionGroup through `to_group`: the groups the viewer belongs to AND whose
    confidentiality pledge (保密承诺) they have signed. Until then nothing of the group exists for them.
    Both conditions sit in one Q so that they bind the same membership row."""
    return Q(**{f"{to_group}memberships__user": viewer, f"{to_group}memberships__pledge_signed_at__isnull": False})


def inspector_unit_rule(viewer: User) -> Q:
    from xuncha.rounds.models import Inspection

    inspection_ids = Inspection.objects.filter(signed_member_q(viewer)).values("units")
    return Q(pk__in=inspection_ids)


register_unit_rule(Role.INSPECTOR, inspector_unit_rule)


def is_signed_member(user: User | None, group) -> bool:
    """Whether `user` may act for `group`: a member who has signed the confidentiality pledge."""
    return bool(user is not None and user.pk and group.memberships.filter(
        user=user, pledge_signed_at__isnull=False).exists())
