"""Optimistic locking: edited records carry a version; a stale save is refused, nothing is lost."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from xuncha.core.errors import StaleWrite


def lock_for_update(model: type[models.Model], *, pk: int, expected_version: int | None) -> models.Model:
    """Load the row under a write lock and check that nobody saved it since the editor loaded it."""
    instance = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and instance.version != expected_version:
        raise StaleWrite(
            _(
                "Someone else saved this record while you were editing it. Your changes were not "
                "saved; they are still in the form. Reload to see the current version, then apply them again."
            )
        )
    return instance


def bump_version(instance: models.Model) -> None:
    instance.version = (instance.version or 0) + 1
