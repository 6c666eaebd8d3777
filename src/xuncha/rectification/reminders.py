"""The reminder job: nobody clicks anything, and nobody is chased by phone (整改靠人盯人).

Run by the task queue every few minutes (rectification/tasks.py). It is idempotent: each reminder has a
dedupe key, so running it twice a minute or once a day sends the same notifications once.

- N days before a deadline (the committee's `reminder_days`, default 7, 3 and 1): the responsible person.
- Once overdue: the responsible person, once per deadline.
- Overdue escalates (催办), once per unit and calendar week: to the unit's secretary (the principal cadre's
  account) and to the office of the committee that ran the round, as one message listing the unit's overdue tasks.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from xuncha.core.dates import today
from xuncha.core.models import AuditEvent
from xuncha.notifications.models import NotificationKind
from xuncha.notifications.services import Message, notify_many
from xuncha.org.models import Cadre, Committee, Role, User
from xuncha.rectification.models import Task, TaskStatus


def parse_reminder_days(text: str) -> set[int]:
    days: set[int] = set()
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) <= 90:
            days.add(int(part))
    return days


def task_recipients(task: Task) -> tuple[set[int], set[int]]:
    """(the responsible accounts, the unit secretary's accounts) of one task."""
    unit_id = task.problem.unit_id
    responsible = ({task.responsible_account_id} if task.responsible_account_id
                   else set(User.objects.filter(role=Role.UNIT, is_active=True, unit_id=unit_id)
                            .values_list("pk", flat=True)))
    secretaries = set(Cadre.objects.filter(unit_id=unit_id, is_principal=True, account__isnull=False,
                                           account__is_active=True).values_list("account_id", flat=True))
    return responsible, secretaries


@dataclass
class ReminderRun:
    on: datetime.date
    tasks_due: int = 0
    tasks_overdue: int = 0
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def send_deadline_reminders(*, on: datetime.date | None = None) -> ReminderRun:
    on = on or today()
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        return _run(on)


def _run(on: datetime.date) -> ReminderRun:
    run = ReminderRun(on=on)
    committees = {c.pk: c for c in Committee.objects.only("pk", "reminder_days", "path")}
    days_of = {pk: parse_reminder_days(c.reminder_days) for pk, c in committees.items()}
    horizon = sorted({on + datetime.timedelta(days=d) for ds in days_of.values() for d in ds})
    rows = list(
        Task.objects.exclude(status=TaskStatus.CLOSED).filter(deadline__isnull=False)
        .filter(Q(deadline__lt=on) | Q(deadline__in=horizon))
        .values_list("pk", "deadline", "measure", "responsible_account_id", "problem__unit_id",
                     "problem__unit__name", "problem__inspection__round__committee_id")
        .order_by("deadline", "pk")
    )
    unit_ids = {r[4] for r in rows}
    unit_accounts: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id in User.objects.filter(role=Role.UNIT, is_active=True, unit_id__in=unit_ids).values_list(
            "pk", "unit_id"):
        unit_accounts[unit_id].append(pk)
    secretaries: dict[int, list[int]] = defaultdict(list)
    for unit_id, account_id in Cadre.objects.filter(unit_id__in=unit_ids, is_principal=True, account__isnull=False,
                                                    account__is_active=True).values_list("unit_id", "account_id"):
        secretaries[unit_id].append(account_id)
    offices: dict[int, list[int]] = defaultdict(list)
    for pk, committee_id in User.objects.filter(role=Role.OFFICE, is_active=True,
                                                committee_id__in={r[6] for r in rows}).values_list(
            "pk", "committee_id"):
        offices[committee_id].append(pk)

    messages: list[Message] = []
    overdue_by_unit: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for pk, deadline, measure, account_id, unit_id, unit_name, committee_id in rows:
        left = (deadline - on).days
        responsible = [account_id] if account_id else unit_accounts.get(unit_id, [])
        url = reverse("web:task_detail", args=[pk])
        short = measure.strip().replace("\n", " ")[:40]
        if left >= 0:
            if left not in days_of.get(committee_id, set()):
                continue
            run.tasks_due += 1
            for r in responsible:
                messages.append(Message(
                    r, NotificationKind.REMINDER,
                    _("%(days)s day(s) left: %(task)s") % {"days": left, "task": short},
                    _("The rectification task is due on %(date)s.") % {"date": deadline.isoformat()},
                    url, f"task:{pk}:due:{deadline.isoformat()}:{left}"))
            continue
        run.tasks_overdue += 1
        for r in responsible:
            messages.append(Message(
                r, NotificationKind.OVERDUE, _("Overdue: %(task)s") % {"task": short},
                _("The rectification task was due on %(date)s and is %(days)s day(s) late.")
                % {"date": deadline.isoformat(), "days": -left},
                url, f"task:{pk}:overdue:{deadline.isoformat()}"))
        overdue_by_unit[(unit_id, committee_id)].append((pk, deadline, short, unit_name))

    year, week, _weekday = on.isocalendar()
    for (unit_id, committee_id), items in overdue_by_unit.items():
        unit_name = items[0][3]
        title = _("Escalation: %(unit)s has %(count)s overdue rectification task(s)") % {
            "unit": unit_name, "count": len(items)}
        due = _("due %(date)s")
        body = "\n".join(f"· {short}（{due % {'date': d.isoformat()}}）" for _pk, d, short, _u in items[:20])
        url = reverse("web:task_list") + f"?unit={unit_id}&status=overdue"
        key = f"unit:{unit_id}:committee:{committee_id}:escalate:{year}-W{week:02d}"
        for r in {*secretaries.get(unit_id, []), *offices.get(committee_id, [])}:
            messages.append(Message(r, NotificationKind.ESCALATION, title, body, url, key))

    by_kind: dict[str, list[Message]] = defaultdict(list)
    for m in messages:
        by_kind[m.kind].append(m)
    for kind, batch in by_kind.items():
        run.sent[str(kind)] = notify_many(batch)
    # One audit event per run: the notifications themselves are the detailed record.
    AuditEvent.objects.create(actor=None, action="reminders.run", object_type="rectification.task", object_id="*",
                              object_repr=_("deadline reminders"),
                              after={"on": on.isoformat(), "tasks_due": run.tasks_due,
                                     "tasks_overdue": run.tasks_overdue, "sent": dict(run.sent)})
    return run
