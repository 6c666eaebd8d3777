"""Scoping rules contributed by rounds: an inspector sees the inspections of their own groups."""

from __future__ import annotations

from django.db.models import Q

from xuncha.org.models import Role, User
from xuncha.org.scoping import register_unit_rule


def inspector_unit_rule(viewer: User) -> Q:
    from xuncha.rounds.models import Inspection

    inspection_ids = Inspection.objects.filter(group__memberships__user=viewer).values("units")
    return Q(pk__in=inspection_ids)


register_unit_rule(Role.INSPECTOR, inspector_unit_rule)
