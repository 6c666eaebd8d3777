"""How refusals become HTTP answers. Every error body is {"detail": ..., "code": ..., "field": ...}."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError

from xuncha.core.errors import ServiceError, StaleWrite, TransitionRefused, ValidationFailed


class LoginLocked(Exception):
    """Too many failed sign-ins for one user name (counted by xuncha.core.throttle)."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


# The refusals an operation may answer with, for its `response=` (documented in the OpenAPI schema).
READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _answer(api: NinjaAPI, request: HttpRequest, status: int, code: str, detail: str,
            field: str | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, "field": field}, status=status)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationFailed)
    def validation_failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
        return _answer(api, request, 422, "validation_failed", exc.message, exc.field)

    @api.exception_handler(TransitionRefused)
    def transition_refused(request: HttpRequest, exc: TransitionRefused) -> HttpResponse:
        return _answer(api, request, 409, "transition_refused", exc.message, exc.field)

    @api.exception_handler(StaleWrite)
    def stale_write(request: HttpRequest, exc: StaleWrite) -> HttpResponse:
        return _answer(api, request, 409, "stale_version", exc.message, "version")

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return _answer(api, request, 422, "refused", exc.message, exc.field)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Out of scope and non-existent look the same: nothing about the record is revealed.
        return _answer(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(LoginLocked)
    def login_locked(request: HttpRequest, exc: LoginLocked) -> HttpResponse:
        minutes = max(1, exc.seconds // 60)
        detail = _("Too many failed sign-ins for this account. Try again in %(minutes)s minutes.") % {
            "minutes": minutes}
        response = _answer(api, request, 429, "throttled", detail)
        response["Retry-After"] = str(exc.seconds)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        if getattr(request, "_xuncha_bad_token", False):
            detail = _("The token is invalid or has expired. Request a new one at /api/v1/auth/token.")
        else:
            detail = _('Authentication required: send the header "Authorization: Bearer <token>".')
        response = _answer(api, request, 401, "unauthenticated", detail)
        response["WWW-Authenticate"] = 'Bearer realm="xuncha"'
        return response
