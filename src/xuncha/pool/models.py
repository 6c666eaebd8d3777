"""巡察人才库: the people a committee may put on its groups, their ties, the draws, and their assessments.

Ties (work history, relatives, home township and village, declarations) are kept as data so that recusal is
computed, not remembered: see `recusal.py`. A draw keeps everything needed to replay it: see `draw.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.org.models import Committee, Unit
from xuncha.rounds.models import Inspection, InspectionGroup


class Speciality(models.TextChoices):
    DISCIPLINE = "discipline", _("discipline inspection")
    ORGANISATION = "organisation", _("organisation work")
    PERSONNEL = "personnel", _("personnel")
    AUDIT = "audit", _("audit")
    FINANCE = "finance", _("finance and tax")
    LAW = "law", _("politics and law")
    OTHER = "other", _("other speciality")


# The specialities that satisfy "at least one member with a finance or audit speciality".
FINANCE_OR_AUDIT = frozenset({Speciality.FINANCE, Speciality.AUDIT})


class TalentKind(models.TextChoices):
    CADRE = "cadre", _("serving cadre")
    RETIRED = "retired", _("retired cadre")
    ACCOUNTANT = "accountant", _("accountant")
    AUDITOR = "auditor", _("auditor")
    LAWYER = "lawyer", _("lawyer")
    NPC_DEPUTY = "npc_deputy", _("people's congress deputy")
    CPPCC_MEMBER = "cppcc_member", _("CPPCC member")


class Rank(models.IntegerChoices):
    """职级, lowest first; outside experts have none."""

    NONE = 0, _("no rank")
    CLERK = 1, _("clerk")
    DEPUTY_SECTION = 2, _("deputy section level")
    SECTION = 3, _("section level")
    DEPUTY_DIVISION = 4, _("deputy division level")
    DIVISION = 5, _("division level")
    DEPUTY_BUREAU = 6, _("deputy bureau level")
    BUREAU = 7, _("bureau level")


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Standing(models.TextChoices):
    """Where a person stands in the pool, fed by the assessments (考评)."""

    ACTIVE = "active", _("in the pool")
    RECOMMENDED = "recommended", _("recommended")
    REMINDED = "reminded", _("reminded")
    REMOVED = "removed", _("removed from the pool")


class Talent(models.Model):
    committee = models.ForeignKey(Committee, verbose_name=_("pool of"), on_delete=models.PROTECT,
                                  related_name="talents")
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    kind = models.CharField(_("kind of person"), max_length=16, choices=TalentKind.choices, default=TalentKind.CADRE)
    speciality = models.CharField(_("speciality"), max_length=16, choices=Speciality.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank.choices, default=Rank.NONE)
    # The unit they work in now: a managed unit where there is one, else its name (a firm, a bar association).
    unit = models.ForeignKey(Unit, verbose_name=_("works at"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit_name = models.CharField(_("work unit"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=80, blank=True)
    home_township = models.ForeignKey(Unit, verbose_name=_("home township"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    home_village = models.ForeignKey(Unit, verbose_name=_("home village"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    can_lead = models.BooleanField(_("in the group-leader pool"), default=False)
    available = models.BooleanField(_("available"), default=True)
    unavailable_reason = models.CharField(_("why unavailable"), max_length=120, blank=True)
    standing = models.CharField(_("standing"), max_length=16, choices=Standing.choices, default=Standing.ACTIVE,
                                db_index=True)
    # Their platform account once they serve: the groups they served on are read from its memberships.
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="talent")
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["committee_id", "name", "id"]
        verbose_name = _("pool member")
        constraints = [
            models.UniqueConstraint(fields=["committee", "id_number"], name="talent_id_number_unique_in_pool"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def workplace(self) -> str:
        return str(self.unit) if self.unit_id else self.unit_name


class WorkPeriod(models.Model):
    """工作经历: one post held, in a managed unit or elsewhere."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="work_periods")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit_name = models.CharField(_("unit name"), max_length=120)
    position = models.CharField(_("position"), max_length=80, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["talent_id", "started_on", "id"]
        verbose_name = _("work period")

    def __str__(self) -> str:
        return self.unit_name


class Relative(models.Model):
    """主要社会关系: a relative and where they work."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="relatives")
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    relation = models.CharField(_("relation"), max_length=20)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit_name = models.CharField(_("work unit"), max_length=120, blank=True)

    class Meta:
        ordering = ["talent_id", "id"]
        verbose_name = _("relative")

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"


class DeclarationKind(models.TextChoices):
    LEADER_CONFLICT = "leader_conflict", _("conflict with the unit's leaders")
    RECUSAL_REQUEST = "recusal_request", _("recusal request")


class Declaration(models.Model):
    """What a person declares: a conflict with a unit's leaders, or a 回避申请 for a unit."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(_("kind of declaration"), max_length=20, choices=DeclarationKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    leader = models.CharField(_("leader concerned"), max_length=50, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    declared_on = models.DateField(_("declared on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["talent_id", "-declared_on", "id"]
        verbose_name = _("declaration")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit}"


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("seed committed")
    DRAWN = "drawn", _("drawn")


class Draw(models.Model):
    """A random draw of a group for a target unit, with its commitment, seed, snapshot and outcome.

    Everything `verify-draw` needs is here: the candidates as they stood (`snapshot`, with its digest
    committed before the draw), the constraints, the seed (its SHA-256 committed before), the witnesses'
    words, and the outcome. Nothing is read from the live pool when a draw is verified.
    """

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="draws")
    unit = models.ForeignKey(Unit, verbose_name=_("unit to inspect"), on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="draws")
    status = models.CharField(_("draw status"), max_length=16, choices=DrawStatus.choices,
                              default=DrawStatus.COMMITTED)
    constraints = models.JSONField(_("constraints"), default=dict)
    snapshot = models.JSONField(default=list)
    snapshot_digest = models.CharField(max_length=64)
    excluded = models.JSONField(default=list)
    commitment = models.CharField(_("seed commitment (SHA-256)"), max_length=64)
    seed = models.CharField(max_length=64)
    witness_words = models.CharField(_("witnesses' words"), max_length=100, blank=True)
    picked = models.JSONField(default=list)
    unmet = models.JSONField(default=list)
    committed_at = models.DateTimeField(auto_now_add=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-committed_at", "-id"]
        verbose_name = _("draw")

    def __str__(self) -> str:
        return f"#{self.pk} · {self.unit}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    COMPETENT = "competent", _("competent")
    BASIC = "basic", _("basically competent")
    INCOMPETENT = "incompetent", _("incompetent")


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", _("recommend for further use")
    KEEP = "keep", _("keep in the pool")
    REMIND = "remind", _("remind")
    REMOVE = "remove", _("remove from the pool")


class AssessorRole(models.TextChoices):
    GROUP_LEADER = "group_leader", _("group leader")
    OFFICE = "office", _("inspection office")


class Assessment(models.Model):
    """考评 of one person's service on one group, by the group leader or by the office."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="assessments")
    group = models.ForeignKey(InspectionGroup, verbose_name=_("inspection group"), on_delete=models.PROTECT,
                              related_name="assessments")
    assessor_role = models.CharField(_("assessed by"), max_length=16, choices=AssessorRole.choices)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices)
    comments = models.TextField(_("comments"), blank=True)
    assessed_on = models.DateField(_("assessed on"))

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        constraints = [
            models.UniqueConstraint(fields=["talent", "group", "assessor_role"], name="one_assessment_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.talent} · {self.group}"
