"""保密承诺: a member who has not signed their group's pledge reads nothing of the group and does nothing for it,
on any page or through the API; once signed, the group's work opens."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.test_api import Caller
from tests.world import PASSWORD, make_survey
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.findings import selectors as findings
from xuncha.findings import services as findings_services
from xuncha.groupwork.services import pledge_sign
from xuncha.org import selectors as org
from xuncha.org import services as accounts
from xuncha.org.services import api_token_issue
from xuncha.rounds import selectors as rounds
from xuncha.rounds.models import GroupMembership
from xuncha.surveys import selectors as surveys


@pytest.fixture
def newcomer(world):
    """A new member of group 2 (in 进驻 at 城关镇) who has not signed yet."""
    user = accounts.account_create(actor=None, username="t_newcomer", password=PASSWORD, role="inspector",
                                   committee=world.county_a)
    membership = GroupMembership.objects.create(group=world.inspection_a2.group, user=user)
    return user, membership


def test_nothing_of_the_group_opens_before_the_pledge_and_everything_after(world, newcomer):
    user, membership = newcomer
    make_survey(world, inspection=world.inspection_a2)

    def seen():
        return {
            "inspections": set(rounds.inspection_list(viewer=user).values_list("pk", flat=True)),
            "problems": set(findings.problem_list(viewer=user).values_list("pk", flat=True)),
            "units": set(org.unit_list(viewer=user).values_list("pk", flat=True)),
            "surveys": surveys.survey_list(viewer=user).count(),
        }

    assert seen() == {"inspections": set(), "problems": set(), "units": set(), "surveys": 0}
    with pytest.raises(ValidationFailed):
        findings_services.problem_record(actor=user, inspection=world.inspection_a2, unit=world.township_a,
                                         description="未签承诺即记录的问题。", category="eight_rules")

    pledge_sign(actor=user, membership=membership)

    after = seen()
    assert after["inspections"] == {world.inspection_a2.pk}
    assert world.problem_a_field.pk in after["problems"]
    assert after["units"] == {world.township_a.pk, world.village_a.pk}
    assert after["surveys"] == 1
    membership.refresh_from_db()
    assert "保密" in membership.pledge_text and world.inspection_a2.group.name in membership.pledge_text


def test_the_api_answers_404_until_the_pledge_is_signed(world, newcomer):
    user, membership = newcomer
    api = Caller(Client(), api_token_issue(user=user))
    assert api.get(f"/inspections/{world.inspection_a2.pk}").status_code == 404
    assert api.get(f"/problems/{world.problem_a_field.pk}").status_code == 404
    assert api.get("/inspections").json()["count"] == 0

    pledge_sign(actor=user, membership=membership)

    assert api.get(f"/inspections/{world.inspection_a2.pk}").status_code == 200
    assert api.get(f"/problems/{world.problem_a_field.pk}").status_code == 200


def test_only_the_member_signs_and_only_once(world, newcomer):
    user, membership = newcomer
    with pytest.raises(ValidationFailed):
        pledge_sign(actor=world.user("office_a"), membership=membership)
    pledge_sign(actor=user, membership=membership)
    with pytest.raises(TransitionRefused) as again:
        pledge_sign(actor=user, membership=membership)
    assert "已于" in str(again.value)
