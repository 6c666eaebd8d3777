"""Errors that services raise and views turn into clear messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused write: the message is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(ServiceError):
    pass


class TransitionRefused(ServiceError):
    pass


class StaleWrite(ServiceError):
    """Optimistic locking: someone saved the record after the editor loaded it."""


class NotVisible(Exception):
    """The object does not exist for this viewer. Views answer 404."""


class FieldErrors(ValidationFailed):
    """Several refusals at once, one per field: a form shows each beside its field, an import lists each."""

    def __init__(self, errors: list[ValidationFailed]):
        first = errors[0]
        super().__init__(first.message, field=first.field)
        self.errors = errors
