from __future__ import annotations

import pytest

from tests.world import PASSWORD, World, build_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; the world has a dozen accounts. Production hashing is tested on its own.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as one of the world's accounts: login(world.user('office_a'))."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password() -> str:
    return PASSWORD
