"""个别谈话: talks planned from outline templates, with their records. Only the group and the office see them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.org.models import Committee, Unit
from xuncha.rectification.models import EvidenceFile
from xuncha.rounds.models import Inspection


class TalkOutline(models.Model):
    """A template of questions for one kind of interviewee (一把手, 班子成员, 中层干部, 一般干部, 退休干部 …)."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="talk_outlines")
    title = models.CharField(_("title"), max_length=120)
    intended_for = models.CharField(_("intended for"), max_length=80, blank=True)
    questions = models.TextField(_("questions (one per line)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("talk outline")

    def __str__(self) -> str:
        return self.title


class TalkStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Talk(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="talks")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    interviewee = models.CharField(_("interviewee"), max_length=50)
    position = models.CharField(_("position"), max_length=80, blank=True)
    outline = models.ForeignKey(TalkOutline, verbose_name=_("outline"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="talks")
    planned_on = models.DateField(_("planned on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TalkStatus.choices, default=TalkStatus.PLANNED,
                              db_index=True)
    talkers = models.CharField(_("talked with by"), max_length=120, blank=True)
    record = models.TextField(_("record"), blank=True)
    findings = models.TextField(_("what came out of it"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("individual talk")
        constraints = [
            models.CheckConstraint(name="held_talk_has_date_and_record",
                                   condition=~models.Q(status="held")
                                   | (models.Q(held_on__isnull=False) & ~models.Q(record=""))),
        ]

    def __str__(self) -> str:
        return f"{self.interviewee} {self.planned_on}"


class TalkAttachment(models.Model):
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("talk attachment")

    def __str__(self) -> str:
        return str(self.file)


# --- 昼巡夜结: every item found in the field is sorted the same day -------------------------------------------

class TriageSource(models.TextChoices):
    REPORT = "report", _("citizen report or petition")
    TALK = "talk", _("individual talk")
    RECORDS = "records", _("reading the records")
    VISIT = "visit", _("visit or field check")
    OTHER = "other", _("other channel")


class TriageOutcome(models.TextChoices):
    IMMEDIATE = "immediate", _("rectify immediately")
    CLUE = "clue", _("problem clue")
    GENERAL = "general", _("general problem")
    FORWARD = "forward", _("pass on to the competent department")
    ARCHIVE = "archive", _("file without further action")


class TriageItem(models.Model):
    """One item on the group's daily board. It points at what it came from (a report, a talk) and, once sorted,
    at what it became downstream (a problem, a clue, a 立行立改 task)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="triage_items")
    unit = models.ForeignKey(Unit, verbose_name=_("unit concerned"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    source = models.CharField(_("source"), max_length=16, choices=TriageSource.choices)
    report = models.OneToOneField("reports.Report", verbose_name=_("report"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="triage_item")
    talk = models.ForeignKey(Talk, verbose_name=_("individual talk"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="triage_items")
    summary = models.TextField(_("what was found"))
    found_on = models.DateField(_("found on"), db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=TriageOutcome.choices, blank=True, db_index=True)
    sorted_on = models.DateField(_("sorted on"), null=True, blank=True)
    sorted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sorted by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    problem = models.ForeignKey("findings.Problem", verbose_name=_("problem"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="triage_items")
    clue = models.ForeignKey("findings.Clue", verbose_name=_("clue"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="triage_items")
    task = models.ForeignKey("rectification.Task", verbose_name=_("rectify-immediately task"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="triage_items")
    forwarded_to = models.CharField(_("passed on to"), max_length=120, blank=True)
    # 立行立改通知: its number in the group's series and the date the unit must have it fixed by.
    notice_number = models.PositiveIntegerField(_("notice number"), null=True, blank=True)
    notice_due_on = models.DateField(_("to be fixed by"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("daily triage item")
        constraints = [
            models.CheckConstraint(name="sorted_item_has_date", condition=models.Q(outcome="")
                                   | models.Q(sorted_on__isnull=False)),
            models.CheckConstraint(name="forwarded_item_has_recipient",
                                   condition=~models.Q(outcome="forward") | ~models.Q(forwarded_to="")),
            models.UniqueConstraint(name="one_notice_number_per_inspection", fields=["inspection", "notice_number"]),
        ]

    def __str__(self) -> str:
        # Never the summary's words: the name goes into the audit trail, which the office reads.
        return f"{self.found_on} #{self.pk}"
