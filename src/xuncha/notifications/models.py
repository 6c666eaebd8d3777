"""In-app notifications (提醒、催办), sent to one account, e-mailed where the account asks for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("deadline reminder")
    OVERDUE = "overdue", _("overdue")
    ESCALATION = "escalation", _("escalation (催办)")
    URGE = "urge", _("urged by the office")
    PLAN = "plan", _("rectification plan")
    REVIEW = "review", _("check result")
    FLAG = "flag", _("paper-rectification flag")
    ACCESS = "access", _("request to see a reporter's identity")
    GROUP_REQUEST = "group_request", _("request or report of a group")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The same reminder is never sent twice: the job may run as often as it likes.
    dedupe_key = models.CharField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        constraints = [models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title
