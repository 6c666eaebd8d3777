"""Reads of the audit trail, scoped to the viewer: the office reads its subtree's trail, admin reads all."""

from __future__ import annotations

from django.db.models import QuerySet

from xuncha.core.models import AuditEvent
from xuncha.org.models import Role, User
from xuncha.org.scoping import committee_path, is_active_viewer


def audit_list(*, viewer: User, action: str | None = None, object_type: str | None = None,
               object_id: str | None = None) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("actor")
    if not is_active_viewer(viewer):
        return qs.none()
    if viewer.role == Role.ADMIN:
        pass
    elif viewer.role == Role.OFFICE and viewer.committee_id:
        qs = qs.filter(committee_path__startswith=committee_path(viewer))
    else:
        return qs.none()
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    return qs.order_by("-at", "-id")


def audit_may_read(viewer: User) -> bool:
    """Whether the viewer has an audit trail at all (other roles get a 404, not an empty page)."""
    return is_active_viewer(viewer) and (
        viewer.role == Role.ADMIN or (viewer.role == Role.OFFICE and bool(viewer.committee_id))
    )
