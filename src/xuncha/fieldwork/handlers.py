"""How fieldwork takes part in other apps' events without them importing it."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from xuncha.reports.models import Report


@receiver(post_save, sender=Report, dispatch_uid="fieldwork.report_onto_the_daily_board")
def report_saved(sender, instance: Report, created: bool, raw: bool = False, **kwargs) -> None:
    """昼巡夜结: a report that is not spam gets its item on the group's board; one passed on or filed in the registry
    before it was sorted has its item sorted the same way (fieldwork.triage.triage_from_report)."""
    if raw:
        return
    from xuncha.fieldwork.triage import triage_from_report

    triage_from_report(instance)
