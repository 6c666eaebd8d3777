"""Reads of talks (个别谈话) and of the daily triage board (昼巡夜结), scoped to the viewer. Both are confidential: only
the inspection's group, the office of the committee subtree that runs the round, and admin see them. Every other role
reads nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.core.dates import today
from xuncha.core.models import AuditEvent
from xuncha.fieldwork.models import Talk, TalkAttachment, TalkOutline, TalkStatus, TriageItem, TriageOutcome
from xuncha.org.models import User
from xuncha.rounds.models import Inspection
from xuncha.rounds.selectors import fieldwork_readers_q


def talk_q(viewer: User, prefix: str = "") -> Q:
    """A Q over Talk (or a model reaching Talk through `prefix`) limited to what the viewer may read."""
    return fieldwork_readers_q(viewer, f"{prefix}inspection__")


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


def talk_cancel_reason(talk: Talk) -> str:
    """Why a cancelled talk was cancelled: talk_cancel keeps the reason in its audit event, not on the talk."""
    if talk.status != TalkStatus.CANCELLED:
        return ""
    event = (AuditEvent.objects.filter(action="talk.cancel", object_type=Talk._meta.label_lower,
                                       object_id=str(talk.pk)).order_by("-pk").first())
    return (event.after or {}).get("reason", "") if event else ""


def outline_list(*, inspection: Inspection) -> QuerySet[TalkOutline]:
    """The outlines usable in an inspection: the built-in ones and those of its committee or a committee above."""
    ancestors = _prefixes(inspection.round.committee.path)
    return TalkOutline.objects.filter(Q(committee__isnull=True) | Q(committee__path__in=ancestors))


def _prefixes(path: str) -> list[str]:
    """'/1/7/42/' -> ['/1/', '/1/7/', '/1/7/42/']."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# --- 昼巡夜结: the daily board. Its readers are the talks' readers: the inspection's group, the office of the
# subtree that runs the round, and admin. Everyone else reads nothing. ---------------------------------------

def triage_q(viewer: User) -> Q:
    """A Q over TriageItem limited to what the viewer may read (the same rule as talk_q)."""
    return talk_q(viewer)


def triage_inspection_q(viewer: User) -> Q:
    """A Q over Inspection: the boards the viewer may read."""
    return fieldwork_readers_q(viewer, "")


def triage_inspection_list(*, viewer: User) -> QuerySet[Inspection]:
    ids = Inspection.objects.filter(triage_inspection_q(viewer)).values("pk")
    return (Inspection.objects.filter(pk__in=ids).select_related("round", "round__committee", "group")
            .order_by("-round__year", "-round__number", "group__name"))


def triage_inspection_get(*, viewer: User, pk: int) -> Inspection:
    """The inspection whose board the viewer opens; 404 for anyone who may not read it."""
    return get_object_or_404(triage_inspection_list(viewer=viewer), pk=pk)


def triage_item_list(*, viewer: User, inspection_id: int | None = None, outcome: str | None = None,
                     unsorted: bool | None = None) -> QuerySet[TriageItem]:
    """Items the viewer may read. An item whose report the registry marked as spam is not on the board."""
    from xuncha.reports.models import ReportStatus

    ids = TriageItem.objects.filter(triage_q(viewer)).values("pk")
    qs = (TriageItem.objects.filter(pk__in=ids).exclude(report__status=ReportStatus.SPAM)
          .select_related("inspection", "inspection__round", "inspection__round__committee", "inspection__group",
                          "unit", "report", "talk", "problem", "clue", "clue__organ", "task", "sorted_by",
                          "entered_by"))
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if unsorted is True:
        qs = qs.filter(outcome="")
    elif unsorted is False:
        qs = qs.exclude(outcome="")
    return qs


def triage_item_get(*, viewer: User, pk: int) -> TriageItem:
    return get_object_or_404(triage_item_list(viewer=viewer), pk=pk)


def triage_days_waiting(item: TriageItem, *, on: datetime.date | None = None) -> int:
    """Whole days from the day an item was found to the day it was sorted (or today, while it waits)."""
    return ((item.sorted_on or on or today()) - item.found_on).days


def triage_overnight(item: TriageItem, *, on: datetime.date | None = None) -> bool:
    """隔夜未结: not sorted by the end of the day it was found (昼巡夜结 sorts every item the same day)."""
    return not item.outcome and item.found_on < (on or today())


def triage_counts(items: QuerySet[TriageItem], *, on: datetime.date | None = None) -> dict[str, int]:
    """Counts per outcome, with "unsorted" and "overnight" (隔夜未结) among the unsorted."""
    from django.db.models import Count

    counts = {value: 0 for value in TriageOutcome.values}
    for outcome, n in items.order_by().values_list("outcome").annotate(n=Count("pk")):
        counts[outcome or "unsorted"] = n
    counts.setdefault("unsorted", 0)
    counts["overnight"] = items.filter(outcome="", found_on__lt=on or today()).count()
    counts["total"] = sum(counts[k] for k in (*TriageOutcome.values, "unsorted"))
    return counts


@dataclass
class TriagePeriod:
    """What the 1+5 documents say about a day or a period: the items found in it, as they stand on `on`."""

    inspection: Inspection
    start: datetime.date
    end: datetime.date
    on: datetime.date
    items: list[TriageItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    immediate: list[TriageItem] = field(default_factory=list)
    immediate_closed: int = 0
    clues: list[TriageItem] = field(default_factory=list)  # never a 高密 clue: those are only counted
    secret_clues: int = 0
    clue_organs: dict[str, int] = field(default_factory=dict)
    general: list[TriageItem] = field(default_factory=list)
    forwarded: dict[str, int] = field(default_factory=dict)
    put_right: list[TriageItem] = field(default_factory=list)  # 立行立改 closed within the period
    still_open: int = 0  # 立行立改 of the inspection not closed on `on`


def triage_period(*, inspection: Inspection, start: datetime.date, end: datetime.date,
                  on: datetime.date | None = None) -> TriagePeriod:
    """The facts of the 边汇报 and the 边通报 for one inspection. Callers check that the viewer reads the board."""
    from xuncha.rectification.models import TaskStatus

    on = on or today()
    base = (TriageItem.objects.filter(inspection=inspection)
            .exclude(report__status="spam")
            .select_related("unit", "problem", "clue", "clue__organ", "task", "report")
            .order_by("found_on", "id"))
    found = list(base.filter(found_on__gte=start, found_on__lte=end))
    period = TriagePeriod(inspection=inspection, start=start, end=end, on=on, items=found)
    period.counts = {value: 0 for value in (*TriageOutcome.values, "unsorted")}
    for item in found:
        period.counts[item.outcome or "unsorted"] += 1
        period.sources[item.source] = period.sources.get(item.source, 0) + 1
    period.counts["overnight"] = sum(1 for i in found if triage_overnight(i, on=on))
    period.immediate = [i for i in found if i.outcome == TriageOutcome.IMMEDIATE]
    period.immediate_closed = sum(1 for i in period.immediate if i.task and i.task.status == TaskStatus.CLOSED)
    for item in (i for i in found if i.outcome == TriageOutcome.CLUE):
        if item.clue is None or item.clue.top_secret:
            period.secret_clues += 1
            continue
        period.clues.append(item)
        name = item.clue.organ.name
        period.clue_organs[name] = period.clue_organs.get(name, 0) + 1
    period.general = [i for i in found if i.outcome == TriageOutcome.GENERAL]
    for item in (i for i in found if i.outcome == TriageOutcome.FORWARD):
        period.forwarded[item.forwarded_to] = period.forwarded.get(item.forwarded_to, 0) + 1
    period.put_right = list(base.filter(outcome=TriageOutcome.IMMEDIATE, task__status=TaskStatus.CLOSED,
                                        task__closed_on__gte=start, task__closed_on__lte=end)
                            .order_by("task__closed_on", "notice_number"))
    period.still_open = (base.filter(outcome=TriageOutcome.IMMEDIATE).exclude(task__status=TaskStatus.CLOSED)
                         .count())
    return period


def triage_organs(*, inspection: Inspection):
    """The organs a clue of this inspection may be handed over to: those of its committee and the committees above."""
    from xuncha.org.models import ReceivingOrgan

    return (ReceivingOrgan.objects.filter(committee__path__in=_prefixes(inspection.round.committee.path))
            .select_related("committee").order_by("-committee__path", "kind", "id"))


def triage_boards(*, viewer: User, on: datetime.date | None = None) -> list[dict]:
    """The boards the viewer reads that matter now: inspections in 进驻, and any with items. Counts in one query."""
    from django.db.models import Count

    from xuncha.rounds.models import Stage

    on = on or today()
    inspections = list(triage_inspection_list(viewer=viewer)
                       .filter(Q(stage=Stage.FIELDWORK) | Q(pk__in=TriageItem.objects.values("inspection_id")))
                       .prefetch_related("units"))
    counts = {row["inspection_id"]: row for row in (
        TriageItem.objects.filter(inspection__in=[i.pk for i in inspections]).exclude(report__status="spam")
        .order_by().values("inspection_id")
        .annotate(total=Count("pk"), unsorted=Count("pk", filter=Q(outcome="")),
                  overnight=Count("pk", filter=Q(outcome="", found_on__lt=on))))}
    empty = {"total": 0, "unsorted": 0, "overnight": 0}
    rows = [{"inspection": i, "counts": counts.get(i.pk, empty), "open": i.stage == Stage.FIELDWORK}
            for i in inspections]
    rows.sort(key=lambda r: (not r["open"], -r["counts"]["unsorted"]))
    return rows
