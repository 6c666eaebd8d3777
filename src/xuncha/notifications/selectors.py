"""Reads of notifications: an account sees its own and nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from xuncha.notifications.models import Notification
from xuncha.org.models import User


def notification_list(*, viewer: User, unread: bool | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=viewer)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs


def notification_get(*, viewer: User, pk: int) -> Notification:
    return get_object_or_404(notification_list(viewer=viewer), pk=pk)


def unread_count(*, viewer: User) -> int:
    if not getattr(viewer, "is_authenticated", False):
        return 0
    return notification_list(viewer=viewer, unread=True).count()
