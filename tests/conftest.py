from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.browser import chromium
from tests.world import PASSWORD, World, build_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; the world has a dozen accounts. Production hashing is tested on its own.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def clean_cache():
    """Login failures, the public pages' limits and wrong codes are counted in the cache; each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def browser():
    """Headless Chromium (tests/browser.py); skips the test when it is not installed."""
    with chromium() as launched:
        yield launched
