"""Creating requests sent twice: the header `Idempotency-Key` makes a retry safe.

A client that sends a key with a creating POST (register a report, reply, plan a talk, hand over a clue,
supervise) gets the write done once: the same key again, from the same account within a day, is refused
with 409 `duplicate_request`, naming the record the first request created (`existing_id`). The key is
recorded in the same transaction as the write, so a refused write leaves the key free and two requests
racing each other cannot both pass. Writes that move a record on (sort, sign for, dispose …) need no key:
their second sending is refused by the record's state (409 `transition_refused`) or its `version`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from xuncha.api.auth import viewer
from xuncha.api.errors import ErrorOut
from xuncha.api.models import RequestKey
from xuncha.core.errors import ValidationFailed

HEADER = "Idempotency-Key"
MAX_KEY_CHARS = 200
KEEP = datetime.timedelta(days=1)

T = TypeVar("T")


def openapi() -> dict:
    """The header, described in the operation's OpenAPI entry (a fresh dict for each operation)."""
    return {"parameters": [{
        "in": "header", "name": HEADER, "required": False, "schema": {"type": "string", "maxLength": MAX_KEY_CHARS},
        "description": "Optional. A new random value (e.g. a UUID) per request: the same key sent again within a "
                       "day is refused with 409 `duplicate_request` instead of creating a second record.",
    }]}


class ConflictOut(ErrorOut):
    existing_id: int | None = None


# The refusals of a creating operation: its 409 may name what the first sending created.
CREATE_ERRORS = {404: ErrorOut, 409: ConflictOut, 422: ErrorOut}


class DuplicateRequest(Exception):
    def __init__(self, key: RequestKey, operation: str):
        super().__init__(operation)
        self.key, self.operation = key, operation


def run_once(request: HttpRequest, operation: str, write: Callable[[], T]) -> T:
    """`write()` (a service call returning the created record), at most once per Idempotency-Key."""
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        return write()
    if len(key) > MAX_KEY_CHARS:
        raise ValidationFailed(_("The Idempotency-Key header is too long: at most %(n)s characters.")
                               % {"n": MAX_KEY_CHARS}, field=HEADER)
    user = viewer(request)
    digest = hashlib.sha256(key.encode()).hexdigest()
    with transaction.atomic():
        RequestKey.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
        try:
            with transaction.atomic():
                row = RequestKey.objects.create(user=user, digest=digest, operation=operation)
        except IntegrityError:
            raise DuplicateRequest(RequestKey.objects.get(user=user, digest=digest), operation) from None
        created = write()
        row.object_id = getattr(created, "pk", None)
        row.save(update_fields=["object_id"])
    return created


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DuplicateRequest)
    def duplicate_request(request: HttpRequest, exc: DuplicateRequest) -> HttpResponse:
        if exc.key.operation != exc.operation:
            detail = _("This Idempotency-Key was already used for another request (%(operation)s). "
                       "Send a new key with each new request.") % {"operation": exc.key.operation}
        else:
            detail = _("This request was already sent with the same Idempotency-Key: it was carried out once, "
                       "not twice.")
        body = {"detail": detail, "code": "duplicate_request", "field": HEADER, "existing_id": exc.key.object_id}
        return api.create_response(request, body, status=409)
