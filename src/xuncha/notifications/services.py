"""Sending notifications: in-app always, e-mail where the account asks for it and a server is configured.

A notification carries a dedupe key, unique per recipient, so a job that runs every few minutes never
sends the same reminder twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from xuncha.core.audit import audit_record
from xuncha.core.errors import ValidationFailed
from xuncha.notifications.models import Notification
from xuncha.org.models import User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    recipient_id: int
    kind: str
    title: str
    body: str
    url: str
    dedupe_key: str


def notify_many(messages: Iterable[Message]) -> int:
    """Create the notifications that were not sent before; returns how many are new. Caller holds the transaction."""
    wanted: dict[tuple[int, str], Message] = {}
    for m in messages:
        wanted.setdefault((m.recipient_id, m.dedupe_key), m)
    if not wanted:
        return 0
    existing: set[tuple[int, str]] = set()
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        existing.update(Notification.objects.filter(
            recipient_id__in={r for r, _k in chunk}, dedupe_key__in={k for _r, k in chunk},
        ).values_list("recipient_id", "dedupe_key"))
    new = [Notification(recipient_id=m.recipient_id, kind=m.kind, title=m.title[:200], body=m.body, url=m.url[:300],
                        dedupe_key=m.dedupe_key[:160])
           for key, m in wanted.items() if key not in existing]
    # ignore_conflicts: a second job racing this one loses quietly instead of failing the batch.
    Notification.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if new and settings.EMAIL_ENABLED:
        recipients = {n.recipient_id for n in new}
        transaction.on_commit(lambda: _email(recipients, [(n.recipient_id, n.dedupe_key) for n in new]))
    return len(new)


def notify(*, recipients: Iterable[User | int], kind: str, title: str, body: str = "", url: str = "",
           dedupe_key: str) -> int:
    ids = {r if isinstance(r, int) else r.pk for r in recipients if r is not None}
    return notify_many(Message(i, kind, title, body, url, dedupe_key) for i in sorted(ids))


def _email(recipient_ids: set[int], keys: list[tuple[int, str]]) -> None:
    """Send the new notifications by e-mail to the accounts that asked for it; failures never lose the in-app copy."""
    users = {u.pk: u for u in User.objects.filter(pk__in=recipient_ids, email_notifications=True, is_active=True)
             .exclude(email="")}
    if not users:
        return
    wanted = {(r, k) for r, k in keys if r in users}
    rows = Notification.objects.filter(recipient_id__in=users, dedupe_key__in={k for _r, k in wanted},
                                       emailed_at__isnull=True)
    for n in rows:
        if (n.recipient_id, n.dedupe_key) not in wanted:
            continue
        try:
            send_mail(n.title, f"{n.body}\n\n{n.url}".strip(), None, [users[n.recipient_id].email])
        except OSError:  # an unreachable mail server must not break the job; the notification stays unmailed
            log.warning("e-mail to account %s failed", n.recipient_id)
            continue
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise ValidationFailed("Not your notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=actor, action="notification.read", obj=notification)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(actor=actor, action="notification.read_all", obj=actor, after={"count": count})
    return count
