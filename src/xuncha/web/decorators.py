"""View guards. A page a role has no business with answers 404, never 403: it does not exist for them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse


def roles_only(*roles: str) -> Callable:
    """login_required, then 404 for every role not listed."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def private_no_store(response: HttpResponse) -> HttpResponse:
    """Pages with personal data (the pool, draws, a group's records): kept by no cache, the browser's included."""
    response["Cache-Control"] = "private, no-store"
    return response
