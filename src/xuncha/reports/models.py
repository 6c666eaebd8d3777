"""What comes in during 进驻: citizens' reports (举报/信访) from the web, and letters, visits, calls and
mailbox items registered by staff, in one registry per inspection.

A reporter's identity lives apart from the report, encrypted with a key kept outside the database
(reports/crypto.py). The receipt code is stored only as an Argon2id hash of its secret part, found by a
short public lookup prefix. No IP address is stored anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.findings.models import Category
from xuncha.org.models import Unit
from xuncha.rectification.models import EvidenceFile
from xuncha.rounds.models import Inspection


class Channel(models.TextChoices):
    WEB = "web", _("online report")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit in person")
    PHONE = "phone", _("phone call")
    MAILBOX = "mailbox", _("opinion box")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("received, not yet sorted")
    SORTED = "sorted", _("sorted")
    FORWARDED = "forwarded", _("passed on to the competent department")
    ARCHIVED = "archived", _("filed")
    SPAM = "spam", _("advert or spam")


class SuggestedDisposal(models.TextChoices):
    CLUE = "clue", _("problem clue")
    IMMEDIATE = "immediate", _("rectify immediately")
    GENERAL = "general", _("general problem")
    FORWARD = "forward", _("pass on (outside the remit)")
    ARCHIVE = "archive", _("file")


class ReportGroup(models.Model):
    """Repeated reports of the same matter (similar text about the same unit or person)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="report_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group of repeated reports")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Report(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="reports")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    concerns_unit = models.ForeignKey(Unit, verbose_name=_("unit concerned"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    concerns_person = models.CharField(_("person concerned"), max_length=100, blank=True)
    content = models.TextField(_("what happened"))
    anonymous = models.BooleanField(_("anonymous"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices,
                              default=ReportStatus.RECEIVED, db_index=True)
    # Only the date: a time of day would help to tell who wrote it.
    received_on = models.DateField(_("received on"))
    # The receipt: a public lookup prefix, and an Argon2id hash of the secret rest. Staff-registered items
    # without a reporter to answer have none.
    receipt_lookup = models.CharField(max_length=8, blank=True, db_index=True)
    receipt_hash = models.CharField(max_length=200, blank=True)
    spam_score = models.FloatField(_("spam score"), default=0)
    spam_reason = models.CharField(_("why it looks like spam"), max_length=200, blank=True)
    group = models.ForeignKey(ReportGroup, verbose_name=_("repeated reports"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="reports")
    suggested_category = models.CharField(_("suggested category"), max_length=24, choices=Category.choices,
                                          blank=True)
    suggested_disposal = models.CharField(_("suggested disposal"), max_length=16,
                                          choices=SuggestedDisposal.choices, blank=True)
    suggestion_reason = models.TextField(_("reason for the suggestion"), blank=True)
    key_persons = models.CharField(_("key persons named"), max_length=200, blank=True)
    forwarded_to = models.CharField(_("passed on to"), max_length=120, blank=True)
    forwarded_on = models.DateField(_("passed on on"), null=True, blank=True)
    forward_note = models.TextField(_("note on passing on"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("report")
        constraints = [
            models.CheckConstraint(name="forwarded_has_recipient",
                                   condition=~models.Q(status="forwarded") | ~models.Q(forwarded_to="")),
        ]

    def __str__(self) -> str:
        text = self.content.strip().replace("\n", " ")
        return text[:40] + ("…" if len(text) > 40 else "")


class ReporterIdentity(models.Model):
    """A named reporter's identity (name, phone, ID number), encrypted apart from the report."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    ciphertext = models.TextField()
    key_id = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("reporter's identity")

    def __str__(self) -> str:
        return f"identity of report {self.report_id}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return str(self.file)


class ReportMessage(models.Model):
    """A reply to the reporter, or more information from the reporter (by receipt code)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    from_reporter = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("text"))
    sent_on = models.DateField(_("date"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("message")

    def __str__(self) -> str:
        return self.text[:40]


class AccessStatus(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class IdentityAccessRequest(models.Model):
    """Seeing a reporter's identity takes a reason and a second person's approval (the office head)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="access_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=AccessStatus.choices,
                              default=AccessStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request to see an identity")
        constraints = [
            models.CheckConstraint(name="access_decided_by_another",
                                   condition=models.Q(decided_by__isnull=True)
                                   | ~models.Q(decided_by=models.F("requested_by"))),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.status}"
