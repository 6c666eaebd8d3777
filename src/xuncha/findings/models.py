"""Problems found, suggestions made and clues handed over."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.org.models import ReceivingOrgan, Unit
from xuncha.rounds.models import Inspection


class Category(models.TextChoices):
    POLITICAL = "political", _("political discipline")
    ORGANISATIONAL = "organisational", _("organisational discipline")
    INTEGRITY = "integrity", _("integrity discipline")
    MASSES = "masses", _("discipline towards the masses")
    WORK = "work", _("work discipline")
    LIFE = "life", _("discipline in private life")
    FORMALISM = "formalism", _("formalism")
    BUREAUCRATISM = "bureaucratism", _("bureaucratism")
    HEDONISM = "hedonism", _("hedonism")
    EXTRAVAGANCE = "extravagance", _("extravagance")
    EIGHT_RULES = "eight_rules", _("central eight-point rules")
    LEADERSHIP = "leadership", _("weakened party leadership")
    PARTY_BUILDING = "party_building", _("missing party building")
    STRICT_GOVERNANCE = "strict_governance", _("lax strict governance of the party")


# The headings a ledger groups categories under.
CATEGORY_GROUPS = {
    _("the six disciplines"): [Category.POLITICAL, Category.ORGANISATIONAL, Category.INTEGRITY, Category.MASSES,
                               Category.WORK, Category.LIFE],
    _("the four undesirable work styles"): [Category.FORMALISM, Category.BUREAUCRATISM, Category.HEDONISM,
                                            Category.EXTRAVAGANCE],
    _("the eight-point rules"): [Category.EIGHT_RULES],
    _("party leadership, party building, strict governance"): [Category.LEADERSHIP, Category.PARTY_BUILDING,
                                                                Category.STRICT_GOVERNANCE],
}


class Disposal(models.TextChoices):
    IMMEDIATE = "immediate", _("rectify immediately")
    CLUE = "clue", _("problem clue")
    GENERAL = "general", _("general problem")


class FaultKind(models.TextChoices):
    MISTAKE = "mistake", _("honest mistake (tolerated)")
    DERELICTION = "dereliction", _("dereliction (held to account)")


class Depth(models.TextChoices):
    PHENOMENON = "phenomenon", _("phenomenon")
    ESSENCE = "essence", _("essence")


class Cognition(models.TextChoices):
    THINKING = "thinking", _("ideological understanding")
    POLITICAL_PRINCIPLE = "political_principle", _("political principle")


class Cause(models.TextChoices):
    MECHANISM = "mechanism", _("institutions and mechanisms")
    IMPLEMENTATION = "implementation", _("implementation of work")


class ProblemStatus(models.TextChoices):
    RECORDED = "recorded", _("recorded, not yet fed back")
    FED_BACK = "fed_back", _("fed back")
    RECTIFYING = "rectifying", _("being rectified")
    RECTIFIED = "rectified", _("rectified")


FED_BACK_STATUSES = [ProblemStatus.FED_BACK, ProblemStatus.RECTIFYING, ProblemStatus.RECTIFIED]


class Problem(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="problems")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="problems")
    description = models.TextField(_("description"))
    evidence_summary = models.TextField(_("evidence summary"), blank=True)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices, db_index=True)
    key_person = models.BooleanField(_("concerns key persons"), default=False)
    key_person_names = models.CharField(_("key persons named"), max_length=200, blank=True)
    key_matter = models.BooleanField(_("key matter"), default=False)
    disposal = models.CharField(_("disposal"), max_length=16, choices=Disposal.choices, default=Disposal.GENERAL,
                                db_index=True)
    fault_kind = models.CharField(_("mistake or dereliction"), max_length=16, choices=FaultKind.choices, blank=True)
    depth = models.CharField(_("phenomenon or essence"), max_length=16, choices=Depth.choices, blank=True)
    cognition = models.CharField(_("understanding or principle"), max_length=24, choices=Cognition.choices,
                                 blank=True)
    cause = models.CharField(_("mechanism or implementation"), max_length=16, choices=Cause.choices, blank=True)
    nature_reason = models.TextField(_("reason for the judgement"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProblemStatus.choices,
                              default=ProblemStatus.RECORDED, db_index=True)
    found_on = models.DateField(_("found on"))
    fed_back_on = models.DateField(_("fed back on"), null=True, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("problem")
        indexes = [
            models.Index(fields=["inspection", "status"]),
            models.Index(fields=["unit", "status"]),
            # The ledger sorts by date found; these serve its filters at province scale (docs/benchmarks.md).
            models.Index(fields=["category", "status", "found_on"], name="problem_cat_status_found_idx"),
            models.Index(fields=["found_on", "id"], name="problem_found_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="judgement_has_reason",
                condition=models.Q(fault_kind="") | ~models.Q(nature_reason=""),
            ),
        ]

    def __str__(self) -> str:
        text = self.description.strip().replace("\n", " ")
        return text[:40] + ("…" if len(text) > 40 else "")


class Suggestion(models.Model):
    """意见建议 made to a unit with the feedback."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        COMPLETED = "completed", _("completed")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="suggestions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="suggestions")
    text = models.TextField(_("suggestion"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_note = models.TextField(_("how it was completed"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["inspection_id", "id"]
        verbose_name = _("suggestion")

    def __str__(self) -> str:
        return self.text[:40]


class ClueDisposal(models.TextChoices):
    TALK_INQUIRY = "talk_inquiry", _("talk or written inquiry")
    PRELIMINARY_CHECK = "preliminary_check", _("preliminary verification")
    ON_HOLD = "on_hold", _("kept for later investigation")
    CLOSED = "closed", _("closed without action")


class ClueResult(models.TextChoices):
    CASE_FILED = "case_filed", _("case filed for review and investigation")
    PARTY_SANCTION = "party_sanction", _("party disciplinary sanction")
    GOVERNMENT_SANCTION = "government_sanction", _("government sanction")
    ORGANISATIONAL = "organisational", _("organisational measure")
    CRITICISM = "criticism", _("criticism and education")
    CLEARED = "cleared", _("not substantiated, cleared")
    OTHER = "other", _("other result")


class Clue(models.Model):
    """问题线索 handed over (移交) to an organ and tracked until disposed. Deepened by a later issue."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="clues")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="clues")
    problem = models.ForeignKey(Problem, verbose_name=_("problem"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="clues")
    summary = models.TextField(_("summary"))
    persons_involved = models.CharField(_("persons involved"), max_length=200, blank=True)
    organ = models.ForeignKey(ReceivingOrgan, verbose_name=_("handed over to"), on_delete=models.PROTECT,
                              related_name="clues")
    handed_over_on = models.DateField(_("handed over on"))
    disposal = models.CharField(_("disposal"), max_length=24, choices=ClueDisposal.choices, blank=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    disposal_note = models.TextField(_("disposal note"), blank=True)
    # The receiving organ signs for the clue (签收), and later reports what became of it.
    signed_for_on = models.DateField(_("signed for on"), null=True, blank=True)
    signed_for_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed for by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=24, choices=ClueResult.choices, blank=True)
    result_on = models.DateField(_("result recorded on"), null=True, blank=True)
    result_note = models.TextField(_("result note"), blank=True)
    # 高密: a clue about a unit's 一把手 is seen only by the persons named on it (and the admin).
    top_secret = models.BooleanField(_("top secret (高密)"), default=False)
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("persons who may read it"),
                                     blank=True, related_name="secret_clues")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-handed_over_on", "-id"]
        verbose_name = _("clue")
        constraints = [
            models.CheckConstraint(
                name="clue_disposed_consistent",
                condition=(models.Q(disposal="", disposed_on__isnull=True)
                           | (~models.Q(disposal="") & models.Q(disposed_on__isnull=False))),
            )
        ]

    def __str__(self) -> str:
        return self.summary[:40]


class ClueSupervision(models.Model):
    """督办: the office presses the receiving organ about a clue whose answer is late."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="supervisions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField(_("date"))
    note = models.TextField(_("what was asked"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on_date", "-id"]
        verbose_name = _("supervision of a clue")

    def __str__(self) -> str:
        return f"{self.clue_id} {self.on_date}"
