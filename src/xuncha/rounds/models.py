"""Term plans, rounds, inspection groups and inspections with their stages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.org.models import Committee, Unit


class TermPlan(models.Model):
    """届内巡察规划: a committee's plan to cover all the units it manages within its term."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="term_plans")
    title = models.CharField(_("title"), max_length=150)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    coverage_target = models.DecimalField(_("coverage target (%)"), max_digits=5, decimal_places=2, default=100)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("term plan")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")),
                                   name="term_plan_years_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("regular")
    SPECIAL = "special", _("special")
    MOBILE = "mobile", _("mobile")
    LOOK_BACK = "look_back", _("look-back")
    CROSS = "cross", _("cross")
    ELEVATED = "elevated", _("elevated")
    LINKED = "linked", _("linked")
    VILLAGE = "village", _("village-level")


class Round(models.Model):
    """第N轮巡察 of a committee in one year."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="rounds")
    plan = models.ForeignKey(TermPlan, verbose_name=_("term plan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("round number"))
    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind.choices, default=RoundKind.REGULAR)
    topic = models.CharField(_("special topic"), max_length=100, blank=True)
    # The 书记专题会 approves each round's list of units (巡察建议名单).
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_meeting = models.CharField(_("approving meeting"), max_length=150, blank=True)
    approval_note = models.TextField(_("approval record"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approval recorded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("round")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=~models.Q(kind="special") | ~models.Q(topic=""),
                                   name="special_round_has_topic"),
        ]

    def __str__(self) -> str:
        from django.utils.translation import gettext as _g

        label = _g("%(year)s round %(number)s") % {"year": self.year, "number": self.number}
        if self.kind != RoundKind.REGULAR:
            label += f"（{self.get_kind_display()}{'·' + self.topic if self.topic else ''}）"
        return label


class InspectionGroup(models.Model):
    """巡察组: formed for one round."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=60)
    branch_formed_on = models.DateField(_("temporary party branch formed on"), null=True, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="GroupMembership",
                                     related_name="inspection_groups")

    class Meta:
        ordering = ["round_id", "name"]
        verbose_name = _("inspection group")
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="group_name_unique_in_round")]

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    LEADER = "leader", _("group leader")
    DEPUTY = "deputy", _("deputy group leader")
    LIAISON = "liaison", _("liaison officer")
    MEMBER = "member", _("member")


class BranchRole(models.TextChoices):
    """The group's temporary party branch (临时党支部)."""

    SECRETARY = "secretary", _("branch secretary")
    COMMITTEE = "committee", _("branch committee member")
    MEMBER = "member", _("branch member")


class GroupMembership(models.Model):
    group = models.ForeignKey(InspectionGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role in group"), max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER)
    branch_role = models.CharField(_("role in the temporary party branch"), max_length=16,
                                   choices=BranchRole.choices, default=BranchRole.MEMBER)
    # 保密承诺: until it is signed, the member reads nothing of the group (rounds.selectors.member_q).
    pledge_signed_at = models.DateTimeField(_("confidentiality pledge signed at"), null=True, blank=True)
    pledge_text = models.TextField(_("pledge signed"), blank=True)

    class Meta:
        verbose_name = _("group membership")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.group} · {self.user}"


class Stage(models.TextChoices):
    PREPARE = "prepare", _("preparation")
    FIELDWORK = "fieldwork", _("stationed fieldwork")
    REPORT = "report", _("report")
    FEEDBACK = "feedback", _("feedback")
    RECTIFY = "rectify", _("rectification")
    FOLLOW_UP = "follow_up", _("follow-up visit")
    ARCHIVED = "archived", _("archived")


STAGE_ORDER = [s.value for s in Stage]


class Inspection(models.Model):
    """One group inspecting one or more units in a round."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="inspections")
    group = models.ForeignKey(InspectionGroup, verbose_name=_("inspection group"), on_delete=models.PROTECT,
                              related_name="inspections")
    units = models.ManyToManyField(Unit, verbose_name=_("inspected units"), related_name="inspections")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.PREPARE,
                             db_index=True)
    # The dates each stage brings. Planned dates are set in preparation; the others as they happen.
    notice_sent_on = models.DateField(_("notice sent on"), null=True, blank=True)
    entry_on = models.DateField(_("fieldwork starts"), null=True, blank=True)
    fieldwork_ends_on = models.DateField(_("fieldwork ends"), null=True, blank=True)
    report_heard_on = models.DateField(_("report heard on"), null=True, blank=True)
    feedback_on = models.DateField(_("feedback given on"), null=True, blank=True)
    rectify_report_received_on = models.DateField(_("rectification report received on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up visit on"), null=True, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    # 受理截止日期: the public report page takes reports until this day (inclusive).
    reports_accepted_until = models.DateField(_("reports accepted until"), null=True, blank=True)
    # What the 巡察公告 announces: the focus and the channels for letters, calls and visits.
    focus = models.TextField(_("focus of the inspection"), blank=True)
    report_phone = models.CharField(_("phone for reports"), max_length=40, blank=True)
    report_mailbox = models.CharField(_("postal box for reports"), max_length=120, blank=True)
    report_address = models.CharField(_("where reports are received in person"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["round_id", "group__name"]
        verbose_name = _("inspection")

    def __str__(self) -> str:
        names = "、".join(u.name for u in self.units.all()[:3])
        return f"{self.round} {self.group.name} · {names}"


class StageChange(models.Model):
    """Each move of an inspection between stages, with who and when."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField(auto_now_add=True)
    on_date = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage}→{self.to_stage}"
