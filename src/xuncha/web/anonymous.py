"""What the public, login-free pages (/report/ and /survey/) share: blind to who is asking.

`anonymous` blanks REMOTE_ADDR and the proxy headers before the view (or anything it calls) sees the request, gives
each browser a random cookie, and keeps answers out of caches and referrers. Limits are counters in the cache only,
keyed by a hash of that cookie (`browser_digest`), never by address.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

RATE_COOKIE = "xuncha_report"
# Everything a proxy or the server may use to pass on the client's address.
ADDRESS_KEYS = (
    "REMOTE_ADDR", "REMOTE_HOST", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_CLIENT_IP",
    "HTTP_X_CLIENT_IP", "HTTP_X_CLUSTER_CLIENT_IP", "HTTP_CF_CONNECTING_IP", "HTTP_TRUE_CLIENT_IP",
    "HTTP_X_ORIGINAL_FORWARDED_FOR", "HTTP_VIA",
)


def rate_window() -> int:
    """The seconds a limit counter lives (REPORT_RATE_WINDOW_SECONDS)."""
    return int(settings.REPORT_RATE_WINDOW_SECONDS)


def browser_digest(request: HttpRequest) -> str | None:
    """A hash of the browser's random cookie; None on a first visit (no cookie yet)."""
    cookie = request.COOKIES.get(RATE_COOKIE, "")
    return hashlib.sha256(cookie.encode()).hexdigest()[:32] if cookie else None


def count_up(key: str) -> int:
    """Add one to the counter under `key` (which lives for `rate_window()` seconds) and return it."""
    window = rate_window()
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return 1


def anonymous(view):
    """Blank the client's address, give the browser its random cookie, and keep answers out of caches and
    referrers."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        for key in ADDRESS_KEYS:
            if key in request.META:
                request.META[key] = ""
        response = view(request, *args, **kwargs)
        if RATE_COOKIE not in request.COOKIES:
            response.set_cookie(RATE_COOKIE, secrets.token_urlsafe(24), httponly=True, samesite="Lax",
                                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)))
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"  # "no-referrer" would make the Origin null and fail CSRF
        return response

    return wrapper
