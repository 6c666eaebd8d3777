"""The demo county, built once for the whole tests/demo package (it takes seconds): every module of the package
reads the same build. It runs inside a transaction rolled back after the package, so other packages never see it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.demo.demo_build import COUNTY, HASHERS, demo_counts, demo_digest
from xuncha.demo.builder import build_demo
from xuncha.org.models import Committee


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=HASHERS):
        block = transaction.atomic()
        block.__enter__()
        try:
            summary = build_demo(scale="county", reset=True)
            yield {"summary": summary, "counts": demo_counts(), "digest": demo_digest()}
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def county(demo, db) -> Committee:
    return Committee.objects.get(name=COUNTY)
