"""What the tests of the demo share: the demo county's name, the quick password hasher it is built with, and the
figures two builds of the same day must agree on."""

from __future__ import annotations

import hashlib

from xuncha.core.models import AuditEvent
from xuncha.findings.models import Problem

COUNTY = "中共青峪县委"
# The demo's accounts are hashed once for the package; logins must check them with the same hasher.
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def demo_counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_config.name.startswith("xuncha.") and m is not AuditEvent}


def demo_digest() -> str:
    rows = Problem.objects.order_by("id").values_list("description", "category", "status", "found_on")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()
