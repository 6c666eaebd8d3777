"""The committee tree, the units it manages, their cadres, and the accounts that use the platform."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city/prefecture")
    COUNTY = "county", _("county/district")


class Committee(models.Model):
    """A party committee that runs 巡视/巡察 over the units it manages (省 → 市/州 → 县/市/区/旗)."""

    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=CommitteeLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent committee"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/7/42/": a subtree is one indexed prefix match, on SQLite and PostgreSQL.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    # Deadline rules, configurable per committee (county regulations differ).
    notice_days_before_entry = models.PositiveSmallIntegerField(_("notice days before entry"), default=10)
    report_months_after_fieldwork = models.PositiveSmallIntegerField(_("report months after fieldwork"), default=1)
    rectify_report_months_after_feedback = models.PositiveSmallIntegerField(
        _("rectification report months after feedback"), default=2
    )
    # The rectification ledger's lights: red below this many days left (0: once overdue), yellow at or below the next.
    task_red_days = models.SmallIntegerField(_("red when fewer days left than"), default=0)
    task_yellow_days = models.PositiveSmallIntegerField(_("yellow when days left at most"), default=7)
    # Days before a deadline on which the responsible person is reminded, e.g. "7,3,1".
    # The receiving organ answers on a clue handed over within this many months (督办 after that).
    clue_answer_months = models.PositiveSmallIntegerField(_("clue answer months"), default=3)
    reminder_days = models.CharField(_("reminder days before the deadline"), max_length=40, default="7,3,1")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["path"]
        verbose_name = _("committee")

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("party/government department")
    STATE_ENTERPRISE = "state_enterprise", _("state-owned enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("public institution")
    TOWNSHIP = "township", _("township/subdistrict party committee")
    VILLAGE = "village", _("village/community party organisation")


class Unit(models.Model):
    """An inspectable party organisation: department, enterprise, institution, township or village."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices, db_index=True)
    committee = models.ForeignKey(
        Committee, verbose_name=_("managing committee"), on_delete=models.PROTECT, related_name="units"
    )
    # Villages hang under their township; departments may have subordinate units.
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["committee_id", "kind", "name"]
        verbose_name = _("unit")
        constraints = [
            models.UniqueConstraint(fields=["committee", "parent", "name"], name="unit_name_unique_in_parent",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        if self.parent_id and self.kind == UnitKind.VILLAGE:
            return f"{self.parent.name}{self.name}"
        return self.name

    def known_names(self) -> list[str]:
        """The names people type for this unit: its full name, and its own name unless it is a village (village
        names repeat from township to township, so "东关村" alone names no one unit)."""
        return [str(self)] if self.kind == UnitKind.VILLAGE else list(dict.fromkeys([str(self), self.name]))


class Cadre(models.Model):
    """A member of a unit's leadership (班子). The 一把手 is the unit's principal leader."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="cadres")
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=80)
    is_principal = models.BooleanField(_("principal leader"), default=False)
    manages_people_money_assets = models.BooleanField(_("manages people, money or assets"), default=False)
    since = models.DateField(_("in post since"), null=True, blank=True)
    # The platform account of this cadre, if any: overdue rectification escalates (催办) to the principal's account.
    account = models.ForeignKey("User", verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="cadre_posts")

    class Meta:
        ordering = ["unit_id", "-is_principal", "id"]
        verbose_name = _("cadre")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(is_principal=True), name="one_principal_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）"


class ReceivingOrgan(models.Model):
    """An organ that receives clues and results: 纪委监委, 公安, 组织部 of a committee."""

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", _("discipline inspection and supervision commission")
        POLICE = "police", _("public security bureau")
        ORGANISATION = "organisation", _("organisation department")
        AUDIT = "audit", _("audit bureau")

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="organs")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["committee_id", "kind"]
        verbose_name = _("receiving organ")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    LEADER = "leader", _("leading group")
    OFFICE = "office", _("inspection office")
    INSPECTOR = "inspector", _("inspection group")
    UNIT = "unit", _("inspected unit")
    RECEIVER = "receiver", _("receiving organ")


class User(AbstractUser):
    """An account, bound to what its role serves: a committee subtree, a unit, or an organ.

    Inspectors are bound to groups through rounds.GroupMembership.
    """

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="accounts")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="accounts")
    organ = models.ForeignKey(ReceivingOrgan, verbose_name=_("receiving organ"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="accounts")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_notifications = models.BooleanField(_("e-mail notifications"), default=False)
    # The office head (巡察办主任) approves requests to see a reporter's identity.
    heads_office = models.BooleanField(_("head of the office"), default=False)

    class Meta:
        verbose_name = _("account")
        constraints = [
            models.CheckConstraint(
                name="role_binding",
                condition=(
                    models.Q(role="admin")
                    | models.Q(role__in=["leader", "office", "inspector"], committee__isnull=False)
                    | models.Q(role="unit", unit__isnull=False)
                    | models.Q(role="receiver", organ__isnull=False)
                    | models.Q(role="")
                ),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"token of {self.user}"
