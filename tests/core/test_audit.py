"""The audit trail is written in the write's transaction and cannot be edited or deleted."""

from __future__ import annotations

import pytest

from xuncha.core.errors import ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.findings import services as findings
from xuncha.findings.models import Problem


def test_every_write_leaves_an_event_with_actor_before_and_after(world):
    inspector = world.user("inspector_a2")
    problem = findings.problem_record(actor=inspector, inspection=world.inspection_a2, unit=world.village_a,
                                      description="东关村集体资产台账不全。", category="work")
    event = AuditEvent.objects.get(action="problem.record", object_id=str(problem.pk))
    assert event.actor == inspector and event.after["description"] == "东关村集体资产台账不全。"
    assert event.committee_path == world.county_a.path
    findings.problem_update(actor=inspector, problem=problem, expected_version=problem.version, category="integrity")
    update = AuditEvent.objects.get(action="problem.update", object_id=str(problem.pk))
    assert update.before == {"category": "work", "version": 1} and update.after == {"category": "integrity",
                                                                                    "version": 2}


def test_a_refused_write_leaves_nothing(world):
    count_problems, count_events = Problem.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        findings.problem_record(actor=world.user("inspector_a"), inspection=world.inspection_a2,
                                unit=world.township_a, description="越权登记", category="work")
    assert (Problem.objects.count(), AuditEvent.objects.count()) == (count_problems, count_events)


def test_the_trail_cannot_be_edited_or_deleted(world):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    assert AuditEvent.objects.get(pk=event.pk).action != "tampered"
