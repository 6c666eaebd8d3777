"""Bearer tokens: POST /auth/token trades a user name and password for a token; every other call sends it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from xuncha.api.errors import ErrorOut, LoginLocked
from xuncha.core.throttle import login_failed, login_locked, login_succeeded
from xuncha.org.models import User
from xuncha.org.services import api_token_expires_at, api_token_issue, api_token_revoke, api_token_user


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>. Only the token's SHA-256 is stored; expired tokens are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token) if token else None
        if user is None:
            request._xuncha_bad_token = True  # type: ignore[attr-defined]  # lets the 401 say why
            return None
        request._xuncha_token = token  # type: ignore[attr-defined]
        return user


def viewer(request: HttpRequest) -> User:
    """The account the bearer token belongs to: every selector and service call acts as this user."""
    return request.auth  # type: ignore[attr-defined]


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime.datetime


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    committee_id: int | None
    committee_name: str | None
    unit_id: int | None
    unit_name: str | None
    organ_id: int | None
    organ_name: str | None


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
             summary="Trade a user name and password for a bearer token")
def token_issue(request: HttpRequest, payload: TokenIn):
    username = payload.username.strip()
    if login_locked(username):
        raise LoginLocked(settings.LOGIN_LOCKOUT_SECONDS)
    user = authenticate(request, username=username, password=payload.password)
    if user is None:
        login_failed(username)
        return Status(401, {"detail": _("Wrong user name or password."), "code": "bad_credentials"})
    login_succeeded(username)
    token = api_token_issue(user=user)
    return Status(200, {"token": token, "token_type": "Bearer", "expires_at": api_token_expires_at(token)})


@router.delete("/token", response={204: None}, summary="Revoke the token this request is sent with")
def token_revoke(request: HttpRequest):
    api_token_revoke(actor=viewer(request), token=request._xuncha_token)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/me", response=MeOut, summary="The account the token belongs to")
def me(request: HttpRequest):
    user = viewer(request)
    return {
        "id": user.pk, "username": user.username, "display_name": str(user), "role": user.role,
        "role_label": str(user.get_role_display()),
        "committee_id": user.committee_id, "committee_name": user.committee.name if user.committee_id else None,
        "unit_id": user.unit_id, "unit_name": str(user.unit) if user.unit_id else None,
        "organ_id": user.organ_id, "organ_name": user.organ.name if user.organ_id else None,
    }
