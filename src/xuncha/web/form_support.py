"""What the pages share to take a form: numbers from the query, a safe `next`, one-time form tokens against a
double submit, and a service's refusal put beside its field."""

from __future__ import annotations

import secrets
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from xuncha.core.errors import FieldErrors, ServiceError, StaleWrite

FORM_TOKENS = "ledger_form_tokens"
MAX_TOKENS = 50


def int_value(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def issue_token(request: HttpRequest) -> str:
    tokens: dict = request.session.get(FORM_TOKENS, {})
    token = secrets.token_urlsafe(18)
    tokens[token] = None
    while len(tokens) > MAX_TOKENS:
        tokens.pop(next(iter(tokens)))
    request.session[FORM_TOKENS] = tokens
    return token


def claim_token(request: HttpRequest, token: str) -> tuple[str, int | None]:
    """("fresh", None) if the token was issued and never used; ("used", pk) or ("unknown", None) otherwise.

    The session remembers what each token created; the cache catches a second click racing the first.
    """
    tokens: dict = request.session.get(FORM_TOKENS, {})
    if not token or token not in tokens:
        return "unknown", None
    if tokens[token] is not None:
        return "used", tokens[token]
    key = f"xuncha:form-token:{token}"
    if cache.add(key, 0, timeout=24 * 3600):
        return "fresh", None
    for _attempt in range(30):  # the first submission is still being saved: wait for what it created
        created = cache.get(key)
        if created:
            return "used", created
        if created is None and cache.add(key, 0, timeout=24 * 3600):
            return "fresh", None  # the first submission was refused and let the token go
        time.sleep(0.1)
    return "used", None


def token_used(request: HttpRequest, token: str, pk: int) -> None:
    tokens: dict = request.session.get(FORM_TOKENS, {})
    tokens[token] = pk
    request.session[FORM_TOKENS] = tokens
    cache.set(f"xuncha:form-token:{token}", pk, timeout=24 * 3600)


def token_released(token: str) -> None:
    cache.delete(f"xuncha:form-token:{token}")


def apply_service_error(form, exc: ServiceError) -> str | None:
    """Put each refusal on its field when the form has it; return what is left for the top of the form."""
    errors = exc.errors if isinstance(exc, FieldErrors) else [exc]
    top = []
    for error in errors:
        if error.field and error.field in form.fields and not isinstance(exc, StaleWrite):
            form.add_error(error.field, error.message)
        else:
            top.append(error.message)
    return " ".join(top) or None


def service_error_status(exc: ServiceError) -> int:
    return 409 if isinstance(exc, StaleWrite) else 400
