"""Viewer scoping rules. Every selector filters through these; a role without a rule sees nothing.

Apps above org register extra rules (e.g. rounds teaches units which inspectors may see them),
so the dependency still flows one way.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from xuncha.org.models import Role, User

# role -> function(viewer) -> Q over Unit
_unit_rules: dict[str, Callable[[User], Q]] = {}


def register_unit_rule(role: str, rule: Callable[[User], Q]) -> None:
    _unit_rules[role] = rule


def is_active_viewer(viewer) -> bool:
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active)


def committee_path(viewer: User) -> str | None:
    """The committee subtree a leader/office/inspector account belongs to."""
    if viewer.committee_id is None:
        return None
    return viewer.committee.path


def is_admin(viewer) -> bool:
    return is_active_viewer(viewer) and viewer.role == Role.ADMIN


def reads_subtree(viewer) -> bool:
    """Leader and office read their committee's whole subtree."""
    return is_active_viewer(viewer) and viewer.role in (Role.LEADER, Role.OFFICE) and viewer.committee_id


def unit_q(viewer, prefix: str = "") -> Q:
    """A Q over Unit (or over a model reaching Unit through `prefix`) limited to the viewer."""
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    p = prefix
    if viewer.role == Role.ADMIN:
        return Q()
    if reads_subtree(viewer):
        return Q(**{f"{p}committee__path__startswith": committee_path(viewer)})
    if viewer.role == Role.UNIT and viewer.unit_id:
        return Q(**{f"{p}pk": viewer.unit_id})
    rule = _unit_rules.get(viewer.role)
    if rule is None:
        return Q(pk__in=[])
    q = rule(viewer)
    if p:
        q = Q(**{f"{p}pk__in": _units_matching(q)})
    return q


def _units_matching(q: Q) -> QuerySet:
    from xuncha.org.models import Unit

    return Unit.objects.filter(q).values("pk")
