"""Rectification tasks: each row is one line of the 问题/任务/责任 lists for a problem fed back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.findings.models import Problem


class TaskKind(models.TextChoices):
    IMMEDIATE = "immediate", _("rectify immediately")
    TIME_LIMITED = "time_limited", _("rectify within a time limit")
    LONG_TERM = "long_term", _("keep up in the long term")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("on the ledger")
    IN_PROGRESS = "in_progress", _("in progress")
    AWAITING_REVIEW = "awaiting_review", _("awaiting check")
    CLOSED = "closed", _("closed")


class Task(models.Model):
    problem = models.ForeignKey(Problem, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="tasks")
    measure = models.TextField(_("measure"))
    responsible_leader = models.CharField(_("responsible leader"), max_length=50)
    responsible_department = models.CharField(_("responsible department"), max_length=80)
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    responsible_account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible account"),
                                            null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices, default=TaskKind.TIME_LIMITED)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN,
                              db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField(_("check note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification task")
        constraints = [
            # Only long-term measures may run without a deadline.
            models.CheckConstraint(name="task_deadline_unless_long_term",
                                   condition=models.Q(kind="long_term") | models.Q(deadline__isnull=False)),
            models.CheckConstraint(name="task_closed_has_date",
                                   condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.measure[:40]


class ProgressNote(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("progress"))
    kind = models.CharField(max_length=16, default="progress")  # progress | submitted | returned | closed
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
