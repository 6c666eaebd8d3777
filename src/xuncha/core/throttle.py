"""Login throttling, counted in the cache only (never in the database, never by IP)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def login_locked(username: str) -> bool:
    return cache.get(_key(username), 0) >= settings.LOGIN_MAX_FAILURES


def login_failed(username: str) -> None:
    key = _key(username)
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(username: str) -> None:
    cache.delete(_key(username))
