"""Reads of the pool and its draws, scoped to the viewer. The pool holds personal data (ID numbers, relatives): the
office of a committee reads the pools of its subtree, admin reads all, and every other role reads nothing (404)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from xuncha.org.models import Committee, Role, Unit, User
from xuncha.org.scoping import committee_path, is_active_viewer
from xuncha.pool.models import Draw, Talent


def pool_q(viewer: User, to_committee: str = "committee__") -> Q:
    """A Q over a model reaching Committee through `to_committee`, limited to the pools the viewer manages."""
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    if viewer.role == Role.ADMIN:
        return Q()
    if viewer.role == Role.OFFICE and viewer.committee_id:
        return Q(**{f"{to_committee}path__startswith": committee_path(viewer)})
    return Q(pk__in=[])


def may_manage_pool(viewer: User | None) -> bool:
    return is_active_viewer(viewer) and (viewer.role == Role.ADMIN or (
        viewer.role == Role.OFFICE and bool(viewer.committee_id)))


def talent_list(*, viewer: User, committee_id: int | None = None, speciality: str | None = None,
                can_lead: bool | None = None, standing: str | None = None, search: str = "") -> QuerySet[Talent]:
    qs = (Talent.objects.filter(pool_q(viewer))
          .select_related("committee", "unit", "unit__parent", "home_township", "home_village", "account")
          .annotate(n_assessments=Count("assessments", distinct=True)))
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    if speciality:
        qs = qs.filter(speciality=speciality)
    if can_lead is not None:
        qs = qs.filter(can_lead=can_lead)
    if standing:
        qs = qs.filter(standing=standing)
    if search.strip():
        qs = qs.filter(Q(name__contains=search.strip()) | Q(unit_name__contains=search.strip())
                       | Q(unit__name__contains=search.strip()))
    return qs.order_by("committee__path", "name", "id")


def talent_get(*, viewer: User, pk: int) -> Talent:
    return get_object_or_404(Talent.objects.filter(pool_q(viewer)).select_related(
        "committee", "unit", "unit__parent", "home_township", "home_village", "home_village__parent", "account"),
        pk=pk)


def draw_list(*, viewer: User, unit_id: int | None = None) -> QuerySet[Draw]:
    qs = Draw.objects.filter(pool_q(viewer)).select_related("committee", "unit", "unit__parent", "inspection",
                                                           "committed_by", "drawn_by")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-committed_at", "-id")


def draw_get(*, viewer: User, pk: int) -> Draw:
    return get_object_or_404(draw_list(viewer=viewer), pk=pk)


def mask_id_number(number: str) -> str:
    """330102********1234: enough to tell two people apart on screen, not enough to use."""
    return f"{number[:6]}{'*' * 8}{number[14:]}" if len(number) == 18 else number


# ---------------------------------------------------------------- the pool's pages and the assessments (考评)

def pool_committees(*, viewer: User):
    """The committees whose pools the viewer manages (their own and those below), top first."""
    from xuncha.org.models import Committee

    if not may_manage_pool(viewer):
        return Committee.objects.none()
    return Committee.objects.filter(pool_q(viewer, to_committee="")).order_by("path")


def talent_counts(qs: QuerySet[Talent]) -> dict[str, int]:
    """How many people a list holds, in the 组长库, available, and in each standing."""
    base = Talent.objects.filter(pk__in=qs.values("pk"))
    return base.aggregate(
        total=Count("pk"), leaders=Count("pk", filter=Q(can_lead=True)),
        available=Count("pk", filter=Q(available=True)),
        active=Count("pk", filter=Q(standing="active")), recommended=Count("pk", filter=Q(standing="recommended")),
        reminded=Count("pk", filter=Q(standing="reminded")), removed=Count("pk", filter=Q(standing="removed")))


def talent_memberships(talent: Talent) -> list:
    """The groups the person served on: the memberships of their account, latest round first."""
    from xuncha.rounds.models import GroupMembership

    if not talent.account_id:
        return []
    return list(GroupMembership.objects.filter(user_id=talent.account_id)
                .select_related("group", "group__round", "group__round__committee")
                .prefetch_related("group__inspections__units__parent")
                .order_by("-group__round__year", "-group__round__number", "group__name"))


def talent_assessments(talent: Talent):
    return (talent.assessments.select_related("group", "group__round", "group__round__committee", "assessor")
            .order_by("-assessed_on", "-id"))


def pool_group_q(viewer: User) -> Q:
    """A Q over InspectionGroup: the groups whose members the viewer assesses or reads the assessments of — the office
    of the subtree running the round, admin, and the group's own leader once they signed the pledge."""
    if not is_active_viewer(viewer):
        return Q(pk__in=[])
    if viewer.role == Role.ADMIN:
        return Q()
    if viewer.role == Role.OFFICE and viewer.committee_id:
        return Q(round__committee__path__startswith=committee_path(viewer))
    if viewer.role == Role.INSPECTOR:
        return Q(memberships__user=viewer, memberships__role="leader", memberships__pledge_signed_at__isnull=False)
    return Q(pk__in=[])


def pool_group_list(*, viewer: User):
    from xuncha.rounds.models import InspectionGroup

    ids = InspectionGroup.objects.filter(pool_group_q(viewer)).values("pk")
    return (InspectionGroup.objects.filter(pk__in=ids).select_related("round", "round__committee")
            .prefetch_related("inspections__units__parent")
            .annotate(n_members=Count("memberships", distinct=True),
                      n_assessed=Count("assessments", filter=Q(assessments__assessor_role="office"), distinct=True))
            .order_by("-round__year", "-round__number", "round__committee__path", "name"))


def pool_group_get(*, viewer: User, pk: int):
    return get_object_or_404(pool_group_list(viewer=viewer), pk=pk)


def group_members(group) -> list[tuple]:
    """(membership, pool record or None) for each member, leader first."""
    order = {"leader": 0, "deputy": 1, "liaison": 2, "member": 3}
    rows = list(group.memberships.select_related("user"))
    talents = {t.account_id: t for t in Talent.objects.filter(account_id__in=[m.user_id for m in rows])
               .select_related("committee")}
    rows.sort(key=lambda m: (order.get(m.role, 9), str(m.user)))
    return [(m, talents.get(m.user_id)) for m in rows]


def group_assessments(group) -> dict[tuple[int, str], object]:
    """{(talent id, assessor role): assessment} of the group."""
    from xuncha.pool.models import Assessment

    return {(a.talent_id, a.assessor_role): a
            for a in Assessment.objects.filter(group=group).select_related("assessor")}


def group_evaluation(group) -> dict:
    """The 巡察后评估 of the group's inspections, counted by surveys.tally: each survey's answers, 满意率 and
    suggestions, and the whole group's (favourable rated answers over rated answers, all surveys together)."""
    from xuncha.core.rates import percentage
    from xuncha.surveys.models import Survey, SurveyPurpose
    from xuncha.surveys.selectors import survey_tally

    rows = []
    for survey in (Survey.objects.filter(inspection__group=group, purpose=SurveyPurpose.EVALUATION)
                   .select_related("inspection", "unit").order_by("opens_on", "id")):
        rows.append({"survey": survey, "tally": survey_tally(survey)})
    rated = sum(r["tally"].rated_answers for r in rows)
    favourable = sum(r["tally"].favourable_answers for r in rows)
    return {"surveys": rows, "responses": sum(r["tally"].responses for r in rows),
            "suggestions": sum(r["tally"].suggestions for r in rows), "rated": rated, "favourable": favourable,
            "satisfaction": percentage(favourable, rated)}


def pool_units(committee: Committee) -> QuerySet[Unit]:
    """The units of the pool's committee subtree: where declarations point, home places, ties checked."""
    return (Unit.objects.filter(committee__path__startswith=committee.path)
            .select_related("parent").order_by("committee__path", "kind", "parent__name", "name"))


def linkable_accounts(*, viewer: User, talent: Talent | None = None) -> QuerySet[User]:
    """Inspector accounts the viewer may link to a pool member: in their subtree, not yet linked to someone else."""
    if not may_manage_pool(viewer):
        return User.objects.none()
    qs = (User.objects.filter(pool_q(viewer), role=Role.INSPECTOR, is_active=True).select_related("committee"))
    linked = Talent.objects.filter(account__isnull=False)
    if talent is not None:
        linked = linked.exclude(pk=talent.pk)
    return qs.exclude(pk__in=linked.values("account_id")).order_by("committee__path", "display_name", "username")
