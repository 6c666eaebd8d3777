from __future__ import annotations

import pytest
from django.test import Client

from tests.api.test_api import Caller
from tests.world import World
from xuncha.org.services import api_token_issue


@pytest.fixture
def as_user(world: World):
    """An API caller with a fresh bearer token of one of the world's accounts: as_user("office_a")."""

    def _as(name: str) -> Caller:
        return Caller(Client(), api_token_issue(user=world.user(name)))

    return _as
