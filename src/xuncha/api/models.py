"""What the API keeps of its own: the Idempotency-Keys of creating requests (see api/once.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RequestKey(models.Model):
    """An Idempotency-Key one account sent with a creating POST. The same key again is refused (409) and named
    what the first request created. Only the key's SHA-256 is kept, for a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    operation = models.CharField(max_length=80)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="api_request_key_once")]

    def __str__(self) -> str:
        return f"{self.operation} {self.digest[:8]}"
