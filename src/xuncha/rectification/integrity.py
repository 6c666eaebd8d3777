"""Signs of 纸上整改, written as IntegrityFlag rows for the office to confirm or dismiss.

- COPIED_MEASURE: two units' measures are nearly the same text (similarity.near_duplicates); both tasks flagged.
- RESTATED_PROBLEM: the measure only rewords its own problem (similarity.restatement_score).
- REUSED_EVIDENCE: a file (same SHA-256) already offered for another task.
- RECURRENCE: a problem recorded again at a unit after an earlier, similar problem's task was closed (边改边犯).

Each flag has a unique `key` naming what it is about, so every check can run again without duplicates, and
a flag once dismissed stays dismissed (its key exists) however often the scan runs.

Auditing: the per-object checks (reused evidence, recurrence) write one `integrity.flag` event per new flag.
The bulk scan writes one `integrity.flag` event per committee and run, with the counts of new flags (on the
first new flag of that committee), not one per flag: a province-wide scan may raise thousands.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, snapshot
from xuncha.core.errors import ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.findings.models import Problem
from xuncha.org.models import Role, User
from xuncha.rectification.models import EvidenceFile, FlagKind, FlagStatus, IntegrityFlag, Task, TaskStatus
from xuncha.rectification.services import _may_act, _path, task_reopen
from xuncha.rectification.similarity import near_duplicates, restatement_score, text_similarity

# A recurrence in another category is linked only when the descriptions are this close.
STRONG_SIMILARITY = 0.75
# Flags kept per task in a scan: a measure copied by hundreds of units raises k flags on each of them, not
# hundreds (pairs are ranked by similarity; a pair is kept while either of its tasks has room).
MAX_FLAGS_PER_TASK = 3
# A text that many units share is a standard measure handed down (a county-wide requirement, a template from
# the level above), not a plan copied from a neighbour: groups of near-identical measures spanning more units
# than this are counted, not flagged. Copying is a pair or a handful of units.
MAX_UNITS_PER_COPY = 4
# Earlier tasks a reused file is traced to (the earliest ones).
MAX_REUSE_LINKS = 20
_KEY_BATCH = 500
_AUDITED = ["kind", "task", "other_task", "problem", "sha256", "score", "detail", "key", "status"]


def _percent(score: float) -> str:
    return str(round(score * 100))


# --- bulk scan -------------------------------------------------------------------------------------------

def scan_copied_measures(*, tasks: QuerySet[Task] | None = None, threshold: float = 0.6,
                         restate_threshold: float = 0.8,
                         max_per_task: int | None = MAX_FLAGS_PER_TASK,
                         max_units: int = MAX_UNITS_PER_COPY) -> dict[str, int]:
    """Flag measures copied between units and measures that only restate their problem.

    `tasks` defaults to every task (open and closed: a closed task may have been closed on a copied measure).
    Only the given tasks are compared with each other. Rows are read as tuples, never as model instances.
    Returns counts: tasks scanned, pairs found, pairs flagged, and new flags of each kind.
    """
    qs = Task.objects.all() if tasks is None else tasks
    rows = qs.order_by().values_list(
        "pk", "measure", "problem__unit_id", "problem__unit__name", "problem__description",
        "problem__inspection__round__committee__path",
    )
    unit_name: dict[int, str] = {}
    task_unit: dict[int, int] = {}
    task_path: dict[int, str] = {}
    docs: list[tuple[int, int, str]] = []
    restated: list[tuple[int, float]] = []
    for pk, measure, unit_id, name, description, path in rows.iterator(chunk_size=2000):
        unit_name.setdefault(unit_id, name)
        task_unit[pk] = unit_id
        task_path[pk] = path
        docs.append((pk, unit_id, measure))
        score = restatement_score(measure, description)
        if score >= restate_threshold:
            restated.append((pk, score))

    pairs = near_duplicates(docs, threshold=threshold, max_pairs_per_doc=max_per_task)
    del docs
    pairs, common = _drop_common_measures(pairs, task_unit, max_units)
    kept = _cap_pairs(pairs, max_per_task)

    flags: list[IntegrityFlag] = []
    for a, b, score in kept:
        for task_id, other_id in ((a, b), (b, a)):
            flags.append(IntegrityFlag(
                kind=FlagKind.COPIED_MEASURE, task_id=task_id, other_task_id=other_id, score=score,
                key=f"copied:{task_id}:{other_id}",
                detail=_("Nearly the same measure as task #%(task)s of %(unit)s (%(score)s%% alike).")
                % {"task": other_id, "unit": unit_name[task_unit[other_id]], "score": _percent(score)},
            ))
    for task_id, score in restated:
        flags.append(IntegrityFlag(
            kind=FlagKind.RESTATED_PROBLEM, task_id=task_id, score=score, key=f"restated:{task_id}",
            detail=_("The measure mostly restates the problem: %(score)s%% of its wording is in the problem's "
                     "description.") % {"score": _percent(score)},
        ))
    created = _create_new(flags, task_path, run={"threshold": threshold, "restate_threshold": restate_threshold,
                                                 "tasks": len(task_unit)})
    counts = Counter(flag.kind for flag in created)
    return {
        "tasks": len(task_unit),
        "pairs": len(pairs),
        "pairs_flagged": len(kept),
        "common_measure_pairs": common,
        FlagKind.COPIED_MEASURE.value: counts[FlagKind.COPIED_MEASURE],
        FlagKind.RESTATED_PROBLEM.value: counts[FlagKind.RESTATED_PROBLEM],
    }


def _drop_common_measures(pairs: list[tuple[int, int, float]], task_unit: dict[int, int], max_units: int
                          ) -> tuple[list[tuple[int, int, float]], int]:
    """Drop the pairs of groups of near-identical measures that span more than `max_units` units."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _score in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    units: dict[int, set[int]] = defaultdict(set)
    for key in list(parent):
        units[find(key)].add(task_unit[key])
    kept = [p for p in pairs if len(units[find(p[0])]) <= max_units]
    return kept, len(pairs) - len(kept)


def _cap_pairs(pairs: list[tuple[int, int, float]], limit: int | None) -> list[tuple[int, int, float]]:
    if not limit:
        return pairs
    used: Counter[int] = Counter()
    kept = []
    for a, b, score in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if used[a] < limit or used[b] < limit:
            kept.append((a, b, score))
            used[a] += 1
            used[b] += 1
    return kept


def _batches(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _create_new(flags: list[IntegrityFlag], task_path: dict[int, str], *, run: dict) -> list[IntegrityFlag]:
    """Insert the flags whose key is new; one audit event per committee with the counts. Returns the new ones."""
    existing: set[str] = set()
    for batch in _batches([f.key for f in flags], _KEY_BATCH):
        existing.update(IntegrityFlag.objects.filter(key__in=batch).values_list("key", flat=True))
    new = [f for f in flags if f.key not in existing]
    if not new:
        return []
    by_path: dict[str, list[IntegrityFlag]] = defaultdict(list)
    for flag in new:
        by_path[task_path[flag.task_id]].append(flag)
    with transaction.atomic():
        # ignore_conflicts: a scan running at the same time may have inserted some of them since the read.
        IntegrityFlag.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        for path in sorted(by_path):
            group = by_path[path]
            anchor = IntegrityFlag.objects.filter(key=group[0].key).first()
            if anchor is None:
                continue
            counts = Counter(str(f.kind) for f in group)
            audit_record(actor=None, action="integrity.flag", obj=anchor,
                         after={"scan": "copied_measures", "new_flags": dict(sorted(counts.items())), **run},
                         committee_path=path)
    return new


# --- per-object checks -----------------------------------------------------------------------------------

@transaction.atomic
def flag_reused_evidence(evidence: EvidenceFile) -> list[IntegrityFlag]:
    """Flag the evidence's task when the same file (SHA-256) was offered earlier for another task.

    The earlier task may be of the same unit or another; one flag per earlier task (its first such file).
    Returns the flags for this file, new or already there.
    """
    if evidence.task_id is None or not evidence.sha256:
        return []
    earlier = (EvidenceFile.objects.filter(sha256=evidence.sha256, task__isnull=False, pk__lt=evidence.pk)
               .exclude(task_id=evidence.task_id).select_related("task__problem__unit").order_by("pk"))
    first_per_task: dict[int, EvidenceFile] = {}
    for other in earlier.iterator():
        first_per_task.setdefault(other.task_id, other)
        if len(first_per_task) >= MAX_REUSE_LINKS:
            break
    if not first_per_task:
        return []
    task = Task.objects.select_related("problem__unit", "problem__inspection__round__committee").get(
        pk=evidence.task_id)
    flags = []
    for other_task_id, other in first_per_task.items():
        detail = _("The file %(name)s (%(unit)s) is the same file as %(other_name)s, offered earlier for task "
                   "#%(task)s of %(other_unit)s.") % {
            "name": evidence.original_name, "unit": task.problem.unit.name, "other_name": other.original_name,
            "task": other_task_id, "other_unit": other.task.problem.unit.name,
        }
        flag, created = IntegrityFlag.objects.get_or_create(
            key=f"evidence:{task.pk}:{other_task_id}:{evidence.sha256}",
            defaults={"kind": FlagKind.REUSED_EVIDENCE, "task": task, "other_task_id": other_task_id,
                      "sha256": evidence.sha256, "score": 1.0, "detail": detail},
        )
        if created:
            audit_record(actor=None, action="integrity.flag", obj=flag, after=snapshot(flag, _AUDITED),
                         committee_path=_path(task))
        flags.append(flag)
    return flags


@transaction.atomic
def link_recurrences(problem: Problem, *, threshold: float = 0.5,
                     strong_threshold: float = STRONG_SIMILARITY) -> list[IntegrityFlag]:
    """边改边犯: flag the closed tasks of the unit's earlier, similar problems when `problem` is recorded.

    Earlier means found before `problem`, in another inspection. Similar means the same category and a
    description similarity (similarity.text_similarity) ≥ threshold, or ≥ strong_threshold in any category.
    Each closed task of such a problem gets a RECURRENCE flag naming the new problem: its 销号 is suspect.
    Runs for every problem recorded (rectification.handlers), so it is one indexed query when nothing matches.
    Returns the flags for this problem, new or already there.
    """
    rows = list(
        Task.objects.filter(status=TaskStatus.CLOSED, problem__unit_id=problem.unit_id,
                            problem__found_on__lt=problem.found_on)
        .exclude(problem__inspection_id=problem.inspection_id)
        .order_by("problem__found_on", "pk")
        .values_list("pk", "closed_on", "problem_id", "problem__description", "problem__category",
                     "problem__inspection__round__committee__path")
    )
    if not rows:
        return []
    similarity_of: dict[int, float] = {}
    flags = []
    for task_id, closed_on, earlier_id, description, category, path in rows:
        if earlier_id not in similarity_of:
            similarity_of[earlier_id] = text_similarity(problem.description, description)
        score = similarity_of[earlier_id]
        if not (score >= strong_threshold or (category == problem.category and score >= threshold)):
            continue
        detail = _("Recorded again on %(date)s in a later inspection (%(score)s%% alike), after this task was "
                   "closed on %(closed)s: %(problem)s") % {
            "date": problem.found_on, "score": _percent(score), "closed": closed_on, "problem": problem}
        flag, created = IntegrityFlag.objects.get_or_create(
            key=f"recurrence:{task_id}:{problem.pk}",
            defaults={"kind": FlagKind.RECURRENCE, "task_id": task_id, "problem": problem, "score": score,
                      "detail": detail},
        )
        if created:
            audit_record(actor=None, action="integrity.flag", obj=flag, after=snapshot(flag, _AUDITED),
                         committee_path=path)
        flags.append(flag)
    return flags


# --- the office's decision -------------------------------------------------------------------------------

RESOLUTIONS = (FlagStatus.CONFIRMED, FlagStatus.DISMISSED)


@transaction.atomic
def flag_resolve(*, actor: User | None, flag: IntegrityFlag, status: str, note: str = "",
                 expected_version: int | None = None) -> IntegrityFlag:
    """The office confirms or dismisses a flag (a dismissal says why). A decision may be revised; each is audited."""
    if status not in RESOLUTIONS:
        raise ValidationFailed(_("Confirm or dismiss the flag."), field="status")
    flag = lock_for_update(IntegrityFlag, pk=flag.pk, expected_version=expected_version)
    task = Task.objects.select_related("problem__unit__committee", "problem__inspection__round__committee").get(
        pk=flag.task_id)
    if not _may_act(actor, task.problem, {Role.OFFICE}):
        raise ValidationFailed(_("Only the inspection office may confirm or dismiss this flag."))
    note = (note or "").strip()
    if status == FlagStatus.DISMISSED and not note:
        raise ValidationFailed(_("Say why the flag is dismissed."), field="note")
    fields = ["status", "resolved_by", "resolution_note"]
    before = snapshot(flag, fields)
    flag.status = status
    flag.resolved_by = actor if getattr(actor, "pk", None) else None
    flag.resolution_note = note
    bump_version(flag)
    flag.save()
    audit_record(actor=actor, action="integrity.resolve", obj=flag, before=before, after=snapshot(flag, fields),
                 committee_path=_path(task))
    if status == FlagStatus.CONFIRMED and flag.kind == FlagKind.RECURRENCE and task.status == TaskStatus.CLOSED:
        # A confirmed 边改边犯: the earlier 销号 did not hold, as with a failed re-check.
        task_reopen(actor=actor, task=task, reason=_("Recurrence confirmed: %(detail)s") % {"detail": flag.detail})
    return flag
