"""Rectification tasks: each row is one line of the 问题/任务/责任 lists for a problem fed back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.findings.models import Problem
from xuncha.org.models import Cadre, Unit
from xuncha.rounds.models import Inspection, Round


class TaskKind(models.TextChoices):
    IMMEDIATE = "immediate", _("rectify immediately")
    TIME_LIMITED = "time_limited", _("rectify within a time limit")
    LONG_TERM = "long_term", _("keep up in the long term")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("on the ledger")
    IN_PROGRESS = "in_progress", _("in progress")
    AWAITING_REVIEW = "awaiting_review", _("awaiting check")
    CLOSED = "closed", _("closed")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("being drafted")
    SUBMITTED = "submitted", _("submitted to the office")
    RETURNED = "returned", _("returned for revision")
    ACCEPTED = "accepted", _("accepted")


class RectificationPlan(models.Model):
    """整改方案: the unit's three lists (问题、任务、责任清单) for one inspection, reviewed by the office."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="rectification_plans")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rectification_plans")
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField(_("office comments"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["inspection_id", "unit_id"]
        verbose_name = _("rectification plan")
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], name="one_plan_per_unit_inspection")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.inspection}"


class Task(models.Model):
    # Tasks planned during 进驻 for 立行立改 problems run outside any plan; the rest belong to the unit's plan.
    plan = models.ForeignKey(RectificationPlan, verbose_name=_("rectification plan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="tasks")
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
    # 销号 is signed: the reviewer's name as signed, next to closed_by and closed_on.
    closed_signature = models.CharField(_("signed by"), max_length=50, blank=True)
    # Times a closed task was reopened (a failed 随机抽查 or a confirmed recurrence).
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
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


class EvidenceFile(models.Model):
    """A file offered as evidence or as a scanned page. Its type is read from its content; SHA-256 is stored.

    Files are stored content-addressed under MEDIA_ROOT/evidence/ and served only through scoped views.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        DOCX = "docx", "Word (.docx)"
        XLSX = "xlsx", "Excel (.xlsx)"

    task = models.ForeignKey(Task, verbose_name=_("rectification task"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="evidence")
    note = models.ForeignKey(ProgressNote, verbose_name=_("progress report"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="files")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField(_("file type"), max_length=8, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    storage_name = models.CharField(max_length=120)
    metadata_stripped = models.BooleanField(_("metadata stripped"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")

    def __str__(self) -> str:
        return self.original_name


class FeedbackForm(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary feedback")
    ESCALATED = "escalated", _("feedback to the level above (提级反馈)")
    JOINT = "joint", _("joint feedback (联合反馈)")


class JointOrgan(models.TextChoices):
    DISCIPLINE = "discipline", _("discipline inspection")
    ORGANISATION = "organisation", _("organisation department")
    WORKING_COMMITTEE = "working_committee", _("working committee")
    PETITION = "petition", _("letters and visits")
    INSPECTION = "inspection", _("inspection office")


class FeedbackMeeting(models.Model):
    """反馈会: the group tells the unit what it found. The unit head signs the feedback and the plan (签字背书)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="feedback_meetings")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="feedback_meetings")
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    form = models.CharField(_("form of feedback"), max_length=16, choices=FeedbackForm.choices,
                            default=FeedbackForm.ORDINARY)
    escalated_to = models.CharField(_("given to (level above)"), max_length=120, blank=True)
    joint_organs = models.JSONField(_("organs taking part"), default=list, blank=True)
    attendees = models.TextField(_("attendees"))
    presided_by = models.CharField(_("presided by"), max_length=50, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.CharField(_("signed by the unit head"), max_length=50, blank=True)
    signed_scan = models.ForeignKey(EvidenceFile, verbose_name=_("scanned signed page"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("feedback meeting")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="one_feedback_per_unit_inspection"),
            models.CheckConstraint(name="escalated_feedback_names_level",
                                   condition=~models.Q(form="escalated") | ~models.Q(escalated_to="")),
            models.CheckConstraint(name="signature_has_signer",
                                   condition=models.Q(signed_on__isnull=True) | ~models.Q(signed_by="")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.held_on}"


class RectificationReport(models.Model):
    """The unit's written 整改情况报告, received by the office (due N months after feedback)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="rectification_reports")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(EvidenceFile, verbose_name=_("report document"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    disclosed_on = models.DateField(_("made public on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("rectification report")
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], name="one_report_per_unit_inspection")]

    def __str__(self) -> str:
        return f"{self.unit} {self.received_on}"


class AccountabilityKind(models.TextChoices):
    TALK = "talk", _("admonishing talk (约谈)")
    ADMONITION = "admonition", _("admonition (诫勉)")
    CIRCULAR = "circular", _("circulated criticism (通报)")
    ORGANISATIONAL = "organisational", _("organisational measure (组织处理)")


class Accountability(models.Model):
    """问责: a measure taken against a person for a task not done, or done on paper only."""

    task = models.ForeignKey(Task, verbose_name=_("rectification task"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="accountabilities")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="accountabilities")
    person_name = models.CharField(_("person held to account"), max_length=50)
    kind = models.CharField(_("measure"), max_length=16, choices=AccountabilityKind.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by"), max_length=100)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("accountability record")

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_kind_display()}"


class RecheckDraw(models.Model):
    """随机抽查: a reproducible random sample of a round's closed tasks for on-site re-verification.

    The population (sorted task ids) and the seed are stored, so the same sample can be drawn again.
    """

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="recheck_draws")
    sample_size = models.PositiveIntegerField(_("sample size"))
    seed = models.CharField(_("seed"), max_length=64)
    population = models.JSONField(default=list)
    sample = models.JSONField(default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("random re-check")

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"


class RecheckResult(models.TextChoices):
    PENDING = "pending", _("to be re-checked")
    PASSED = "passed", _("confirmed rectified")
    FAILED = "failed", _("not really rectified")


class RecheckItem(models.Model):
    draw = models.ForeignKey(RecheckDraw, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(Task, verbose_name=_("rectification task"), on_delete=models.PROTECT,
                             related_name="rechecks")
    result = models.CharField(_("result"), max_length=16, choices=RecheckResult.choices,
                              default=RecheckResult.PENDING, db_index=True)
    finding = models.TextField(_("what was found on site"), blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["draw_id", "id"]
        verbose_name = _("re-check item")
        constraints = [models.UniqueConstraint(fields=["draw", "task"], name="recheck_task_once_per_draw")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.result}"


class FlagKind(models.TextChoices):
    COPIED_MEASURE = "copied_measure", _("measure copied from another unit")
    RESTATED_PROBLEM = "restated_problem", _("measure only restates the problem")
    REUSED_EVIDENCE = "reused_evidence", _("evidence file reused")
    RECURRENCE = "recurrence", _("problem came back after closing")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("to be looked at")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class IntegrityFlag(models.Model):
    """A sign of 纸上整改 found by the platform, for a person to confirm or dismiss."""

    kind = models.CharField(_("kind"), max_length=24, choices=FlagKind.choices, db_index=True)
    task = models.ForeignKey(Task, verbose_name=_("rectification task"), on_delete=models.CASCADE,
                             related_name="flags")
    other_task = models.ForeignKey(Task, verbose_name=_("compared with"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    # For a recurrence: the problem recorded later at the same unit.
    problem = models.ForeignKey(Problem, verbose_name=_("problem"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="integrity_flags")
    sha256 = models.CharField(max_length=64, blank=True)
    score = models.FloatField(_("similarity"), default=0)
    detail = models.TextField(_("detail"), blank=True)
    key = models.CharField(max_length=160, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN,
                              db_index=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolution_note = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("paper-rectification flag")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task_id}"
