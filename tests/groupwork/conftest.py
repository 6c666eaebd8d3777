from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tests.world import PASSWORD, World, _walk_to, sign_pledges
from xuncha.core.dates import today
from xuncha.org import services as org
from xuncha.org.models import User
from xuncha.rounds import services as rounds
from xuncha.rounds.models import Inspection, InspectionGroup


@dataclass
class Team:
    """第三巡察组 of county A's round, in 进驻 over 甲县城投公司: a leader, a deputy, a liaison and two members.
    Nobody has signed the confidentiality pledge yet (call `sign()`)."""

    group: InspectionGroup
    inspection: Inspection
    leader: User
    deputy: User
    liaison: User
    member: User
    member2: User

    def membership(self, user: User):
        return self.group.memberships.get(user=user)

    def sign(self) -> None:
        sign_pledges(self.group)


def make_team(world: World) -> Team:
    a = world.county_a
    people = {}
    for name, display in (("leader", "赵组长"), ("deputy", "钱副组长"), ("liaison", "孙联络员"), ("member", "李组员"),
                          ("member2", "周组员")):
        people[name] = org.account_create(actor=None, username=f"t_gw_{name}", password=PASSWORD, role="inspector",
                                          committee=a, display_name=display)
    group = rounds.group_create(actor=None, round=world.round_a, name="第三巡察组", members=[
        (people["leader"], "leader"), (people["deputy"], "deputy"), (people["liaison"], "liaison"),
        (people["member"], "member"), (people["member2"], "member")])
    start = today() - datetime.timedelta(days=60)
    inspection = rounds.inspection_create(actor=None, round=world.round_a, group=group, units=[world.soe_a],
                                          entry_on=start + datetime.timedelta(days=10),
                                          fieldwork_ends_on=today() + datetime.timedelta(days=20))
    inspection = _walk_to(inspection, "fieldwork", start)
    return Team(group=group, inspection=inspection, **people)


@pytest.fixture
def team(world) -> Team:
    return make_team(world)


@pytest.fixture
def signed_team(team) -> Team:
    team.sign()
    return team
