"""考评: the group leader (who signed the pledge) and the office assess each member of a group once its inspections
have given feedback; the office's recommendation sets the person's standing in the pool; a person with no pool record
cannot be assessed; the group's page shows both assessments and the 巡察后评估 of its inspections."""

from __future__ import annotations

import pytest

from tests.pool.test_members import id_number
from tests.world import PASSWORD, answers_for, issue, make_survey, sign_pledges
from xuncha.core.errors import StaleWrite, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.org import services as org
from xuncha.pool import members
from xuncha.pool.members import FieldErrors
from xuncha.pool.models import Assessment, Talent
from xuncha.rounds.models import GroupMembership
from xuncha.surveys import services as surveys
from xuncha.surveys.selectors import survey_tally


def join(world, group, username: str, role: str = "member", *, sign: bool = True):
    user = org.account_create(actor=None, username=username, password=PASSWORD, role="inspector",
                              display_name=username, committee=world.county_a)
    GroupMembership.objects.create(group=group, user=user, role=role)
    if sign:
        sign_pledges(group)
    return user


def pool_record(world, user, serial: int, **extra) -> Talent:
    return members.talent_create(actor=None, committee=world.county_a, name=str(user), account=user,
                                 id_number=id_number("19800101", serial), kind="cadre", speciality="audit", **extra)


@pytest.fixture
def group(world):
    """Group 1 (inspection_a1, past feedback): its leader inspector_a and two members with pool records."""
    g = world.inspection_a1.group
    world.member_1 = join(world, g, "成员甲")
    world.member_2 = join(world, g, "成员乙")
    world.leader_talent = pool_record(world, world.user("inspector_a"), 11, can_lead=True)
    world.talent_1 = pool_record(world, world.member_1, 13)
    world.talent_2 = pool_record(world, world.member_2, 15)
    return g


def assess(world, group, member, role="office", actor=None, **kw):
    values = {"grade": "competent", "recommendation": "keep", "comments": ""}
    values.update(kw)
    actor = actor or (world.user("office_a") if role == "office" else world.user("inspector_a"))
    return members.assessment_record(actor=actor, group=group, member=member, role=role, **values)


@pytest.mark.parametrize("recommendation,standing", [("recommend", "recommended"), ("keep", "active"),
                                                     ("remind", "reminded"), ("remove", "removed")])
def test_the_office_recommendation_sets_the_standing_in_the_same_transaction(world, group, recommendation, standing):
    assess(world, group, world.member_1, recommendation=recommendation, comments="工作认真" if recommendation in (
        "remind", "remove") else "")
    world.talent_1.refresh_from_db()
    assert world.talent_1.standing == standing
    record = AuditEvent.objects.get(action="pool.assessment_record")
    assert record.after["recommendation"] == recommendation and record.actor == world.user("office_a")
    if standing != "active":
        event = AuditEvent.objects.get(action="pool.standing")
        assert event.before == {"standing": "active"} and event.after["standing"] == standing
        assert event.object_id == str(world.talent_1.pk) and event.committee_path == world.county_a.path


def test_the_group_leaders_recommendation_does_not_move_the_standing(world, group):
    assess(world, group, world.member_1, role="group_leader", grade="excellent", recommendation="recommend")
    world.talent_1.refresh_from_db()
    assert world.talent_1.standing == "active"
    assert Assessment.objects.get().assessor_role == "group_leader"


def test_a_later_office_assessment_changes_the_standing_again(world, group):
    first = assess(world, group, world.member_2, recommendation="remove", comments="多次违反工作纪律",
                   grade="incompetent")
    world.talent_2.refresh_from_db()
    assert world.talent_2.standing == "removed"
    assess(world, group, world.member_2, recommendation="keep", expected_stamp=members.assessment_stamp(first))
    world.talent_2.refresh_from_db()
    assert world.talent_2.standing == "active" and Assessment.objects.count() == 1
    assert AuditEvent.objects.filter(action="pool.assessment_update").count() == 1


def test_a_reminder_or_a_removal_needs_comments(world, group):
    with pytest.raises(FieldErrors) as exc:
        assess(world, group, world.member_1, recommendation="remove")
    assert exc.value.errors[0].field == "comments" and "评语" in exc.value.message
    world.talent_1.refresh_from_db()
    assert world.talent_1.standing == "active" and not Assessment.objects.exists()


def test_someone_with_no_pool_record_cannot_be_assessed(world, group):
    outsider = join(world, group, "未入库者")
    with pytest.raises(ValidationFailed, match="在人才库中没有记录"):
        assess(world, group, outsider)
    assert not Assessment.objects.exists()


def test_only_the_signed_group_leader_assesses_as_leader_and_not_themselves(world, group):
    with pytest.raises(ValidationFailed, match="组长不对本人考评"):
        assess(world, group, world.user("inspector_a"), role="group_leader")
    with pytest.raises(ValidationFailed, match="组长"):
        assess(world, group, world.member_2, role="group_leader", actor=world.member_1)  # a member, not the leader
    with pytest.raises(ValidationFailed):
        assess(world, group, world.member_2, role="office", actor=world.user("inspector_a"))
    GroupMembership.objects.filter(group=group, user=world.user("inspector_a")).update(pledge_signed_at=None)
    with pytest.raises(ValidationFailed, match="保密承诺"):
        assess(world, group, world.member_2, role="group_leader")
    # The office assesses the leader.
    assess(world, group, world.user("inspector_a"), recommendation="recommend")
    world.leader_talent.refresh_from_db()
    assert world.leader_talent.standing == "recommended"


def test_another_countys_office_cannot_assess(world, group):
    for name in ("office_b", "leader_a", "unit_a"):
        with pytest.raises(ValidationFailed):
            assess(world, group, world.member_1, actor=world.user(name))
    assess(world, group, world.member_1, actor=world.user("office_city"))  # the city's office: its subtree


def test_assessing_waits_for_the_feedback(world):
    g2 = world.inspection_a2.group  # inspection_a2 is still in 进驻
    pool_record(world, world.user("inspector_a2"), 17)
    member = join(world, g2, "二组成员")
    pool_record(world, member, 19)
    with pytest.raises(ValidationFailed, match="完成反馈后"):
        assess(world, g2, member)
    assert members.assessment_closed_reason(world.inspection_a1.group) is None


def test_a_stale_assessment_form_is_refused_and_loses_nothing(world, group):
    stamp = members.assessment_stamp(None)
    assess(world, group, world.member_1, grade="excellent", recommendation="recommend", expected_stamp=stamp)
    with pytest.raises(StaleWrite):
        assess(world, group, world.member_1, grade="basic", recommendation="remind", comments="作风漂浮",
               expected_stamp=stamp)
    kept = Assessment.objects.get()
    assert kept.grade == "excellent"


def _evaluation(world, *, favourable: int, unfavourable: int, suggestion: str):
    survey = make_survey(world, purpose="evaluation", inspection=world.inspection_a1, actor=world.user("office_a"))
    codes = issue(survey, favourable + unfavourable)
    for i, code in enumerate(codes):
        choice = 0 if i < favourable else 2
        surveys.response_submit(code=code, answers=answers_for(survey, choice=choice,
                                                               text=suggestion if i == 0 else ""))
    return survey


def test_the_group_page_shows_both_assessments_and_the_post_inspection_evaluation(world, group, client):
    survey = _evaluation(world, favourable=3, unfavourable=1, suggestion="建议加强回访")
    figures = survey_tally(survey)
    assert str(figures.satisfaction) == "75.00"  # three answer sheets of four favourable on every rated question
    assess(world, group, world.member_1, role="group_leader", grade="excellent", recommendation="recommend",
           comments="熟悉财务审计业务")
    assess(world, group, world.member_1, grade="competent", recommendation="keep")
    outsider = join(world, group, "未入库者")
    client.force_login(world.user("office_a"))
    page = client.get(f"/pool/groups/{group.pk}/")
    assert page.status_code == 200
    assert f'href="/pool/groups/{group.pk}/"' in client.get(f"/inspections/{world.inspection_a1.pk}/").content.decode()
    text = page.content.decode()
    assert "巡察后评估" in text and "75.00%" in text and "满意率" in text
    assert '<span class="figure" id="evaluation-suggestions">1</span>' in text
    assert '<span class="figure" id="evaluation-responses">4</span>' in text
    assert "熟悉财务审计业务" in text and "优秀" in text and "称职" in text and "留库使用" in text
    assert "未入人才库" in text and str(outsider) in text
    assert "巡察办考评" in text
    # The leader sees the page and may assess as leader; another group's leader does not see it.
    client.force_login(world.user("inspector_a"))
    text = client.get(f"/pool/groups/{group.pk}/").content.decode()
    assert "修改组长考评" in text and "巡察办考评" in text
    assert client.get("/pool/groups/").status_code == 200
    link = f'href="/pool/groups/{group.pk}/"'
    assert link in client.get(f"/inspections/{world.inspection_a1.pk}/").content.decode()
    # A member who is not the leader has no link, and the page does not exist for them.
    client.force_login(world.member_1)
    assert link not in client.get(f"/inspections/{world.inspection_a1.pk}/").content.decode()
    assert client.get(f"/pool/groups/{group.pk}/").status_code == 404
    client.force_login(world.user("inspector_a2"))
    assert client.get(f"/pool/groups/{group.pk}/").status_code == 404
    client.force_login(world.user("office_b"))
    assert client.get(f"/pool/groups/{group.pk}/").status_code == 404


def test_assessing_through_the_page(world, group, client):
    client.force_login(world.user("office_a"))
    page = client.get(f"/pool/groups/{group.pk}/")
    prefix = f"m{world.member_2.pk}-office"
    stamp = page.content.decode().split(f'name="{prefix}-stamp" value="', 1)[1].split('"', 1)[0]
    refused = client.post(f"/pool/groups/{group.pk}/assess/", {
        "member": world.member_2.pk, "role": "office", f"{prefix}-grade": "basic",
        f"{prefix}-recommendation": "remind", f"{prefix}-comments": "", f"{prefix}-stamp": stamp})
    assert refused.status_code == 400 and "须填写评语" in refused.content.decode()
    done = client.post(f"/pool/groups/{group.pk}/assess/", {
        "member": world.member_2.pk, "role": "office", f"{prefix}-grade": "basic",
        f"{prefix}-recommendation": "remind", f"{prefix}-comments": "请假较多", f"{prefix}-stamp": stamp},
        follow=True)
    assert "已保存" in done.content.decode()
    world.talent_2.refresh_from_db()
    assert world.talent_2.standing == "reminded"
    # The same form sent again (a double click, or another tab) does not overwrite silently.
    again = client.post(f"/pool/groups/{group.pk}/assess/", {
        "member": world.member_2.pk, "role": "office", f"{prefix}-grade": "excellent",
        f"{prefix}-recommendation": "recommend", f"{prefix}-comments": "", f"{prefix}-stamp": stamp})
    assert again.status_code == 409 and "他人已登记" in again.content.decode()
    assert '<option value="excellent" selected>' in again.content.decode()  # the input is still in the form
    world.talent_2.refresh_from_db()
    assert world.talent_2.standing == "reminded"
    # The member's pool page lists the assessment and the group served on.
    text = client.get(f"/pool/{world.talent_2.pk}/").content.decode()
    assert "请假较多" in text and "第一巡察组" in text and "提醒" in text
