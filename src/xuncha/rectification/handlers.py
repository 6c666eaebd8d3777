"""How rectification takes part in other apps' events without them importing it."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from xuncha.findings.models import Problem, ProblemStatus
from xuncha.rounds.models import Inspection, Stage
from xuncha.rounds.signals import stage_changed, stage_precondition


@receiver(stage_precondition, sender=Inspection, dispatch_uid="rectification.immediate_before_leaving_fieldwork")
def immediate_tasks_closed(sender, inspection: Inspection, to_stage: str, **kwargs) -> str | None:
    """立行立改 tasks are closed before the group leaves (进驻 → 报告)."""
    if inspection.stage != Stage.FIELDWORK or to_stage == Stage.FIELDWORK:
        return None
    from xuncha.rectification.selectors import open_immediate_tasks

    count = open_immediate_tasks(inspection).count()
    if count:
        return _("%(count)s rectify-immediately task(s) are not closed yet; close them before fieldwork ends.") % {
            "count": count}
    return None


@receiver(stage_changed, dispatch_uid="rectification.open_plans_at_feedback")
def open_plans_at_feedback(sender, inspection: Inspection, to_stage: str, **kwargs) -> None:
    """Each unit gets its (draft) plan when the inspection reaches 反馈: the feedback and the plan hang on it."""
    if to_stage not in (Stage.FEEDBACK, Stage.RECTIFY):
        return
    from xuncha.rectification.services import plan_for

    for unit in inspection.units.all():
        plan_for(inspection=inspection, unit=unit)


@receiver(stage_changed, dispatch_uid="rectification.settle_immediate_at_feedback")
def settle_immediate_at_feedback(sender, inspection: Inspection, to_stage: str, actor, on_date, **kwargs) -> None:
    """Problems put right during fieldwork are rectified as soon as they are fed back."""
    if to_stage != Stage.RECTIFY:
        return
    from xuncha.findings.services import problem_set_status
    from xuncha.rectification.models import TaskStatus

    for problem in Problem.objects.filter(inspection=inspection, status=ProblemStatus.FED_BACK, tasks__isnull=False
                                          ).distinct():
        if not problem.tasks.exclude(status=TaskStatus.CLOSED).exists():
            problem_set_status(actor=actor, problem=problem, status=ProblemStatus.RECTIFIED, on_date=on_date)


@receiver(post_save, sender=Problem, dispatch_uid="rectification.link_recurrences")
def problem_recorded(sender, instance: Problem, created: bool, raw: bool = False, **kwargs) -> None:
    """边改边犯: a problem recorded at a unit is compared with what that unit closed before."""
    if created and not raw:
        from xuncha.rectification.integrity import link_recurrences

        link_recurrences(instance)
