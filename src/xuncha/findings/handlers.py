"""When feedback is given (the move into rectification), the inspection's problems are fed back."""

from __future__ import annotations

from django.dispatch import receiver

from xuncha.rounds.models import Stage
from xuncha.rounds.signals import stage_changed


@receiver(stage_changed, dispatch_uid="findings.feed_back_on_feedback")
def feed_back_problems(sender, inspection, from_stage, to_stage, actor, on_date, **kwargs):
    if to_stage == Stage.RECTIFY:
        from xuncha.findings.services import problems_feed_back

        problems_feed_back(actor=actor, inspection=inspection, on_date=on_date)
