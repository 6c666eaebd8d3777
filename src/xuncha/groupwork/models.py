"""Group discipline (巡察组纪律): daily sign-in, work logs, 组务会 minutes and 请示报告 records.

The confidentiality pledge and the temporary party branch are on rounds.GroupMembership, because every read of
the group's data checks the pledge there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.rounds.models import GroupMembership, InspectionGroup


class Presence(models.TextChoices):
    PRESENT = "present", _("present")
    ON_LEAVE = "leave", _("on approved leave")
    AWAY = "away", _("away on group business")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    """考勤: one member, one day."""

    membership = models.ForeignKey(GroupMembership, on_delete=models.CASCADE, related_name="attendance")
    on_date = models.DateField(_("date"))
    presence = models.CharField(_("presence"), max_length=16, choices=Presence.choices, default=Presence.PRESENT)
    signed_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-on_date", "membership_id"]
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["membership", "on_date"], name="one_attendance_a_day")]

    def __str__(self) -> str:
        return f"{self.membership.user} {self.on_date}"


class WorkLog(models.Model):
    """工作日志: what a member did on a day."""

    membership = models.ForeignKey(GroupMembership, on_delete=models.CASCADE, related_name="work_logs")
    on_date = models.DateField(_("date"))
    content = models.TextField(_("work done"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-on_date", "-id"]
        verbose_name = _("work log")
        constraints = [models.UniqueConstraint(fields=["membership", "on_date"], name="one_work_log_a_day")]

    def __str__(self) -> str:
        return f"{self.membership.user} {self.on_date}"


class Meeting(models.Model):
    """组务会: a group meeting and its minutes."""

    group = models.ForeignKey(InspectionGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=150)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="+")
    minutes = models.TextField(_("minutes"))
    decisions = models.TextField(_("decisions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("group meeting")

    def __str__(self) -> str:
        return self.topic


class RequestKind(models.TextChoices):
    REQUEST = "request", pgettext_lazy("groupwork", "request for instructions")
    REPORT = "report", pgettext_lazy("groupwork", "report on a matter")


class Addressee(models.TextChoices):
    OFFICE = "office", pgettext_lazy("groupwork", "the inspection office")
    LEADING_GROUP = "leading_group", pgettext_lazy("groupwork", "the leading group for inspection work")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("groupwork", "submitted")
    ANSWERED = "answered", pgettext_lazy("groupwork", "answered")


class GroupRequest(models.Model):
    """请示报告: a group asks the office or the leading group for a decision, or reports a matter."""

    group = models.ForeignKey(InspectionGroup, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    title = models.CharField(_("title"), max_length=150)
    content = models.TextField(_("content"))
    addressed_to = models.CharField(_("addressed to"), max_length=60, choices=Addressee.choices,
                                    default=Addressee.OFFICE)
    submitted_on = models.DateField(_("submitted on"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.SUBMITTED)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("request or report")
        constraints = [models.CheckConstraint(
            condition=models.Q(status="submitted") | (models.Q(answered_on__isnull=False) & ~models.Q(answer="")),
            name="answered_request_has_answer")]

    def __str__(self) -> str:
        return self.title
