from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_login_throttle():
    """Login failures are counted in the cache; each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()
