"""Deadlines remind and escalate by themselves: the job on the task queue, not a person with a phone."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.db import connection

from xuncha.core.dates import today
from xuncha.core.models import AuditEvent
from xuncha.notifications.models import Notification, NotificationKind
from xuncha.org import services as org
from xuncha.org.models import Cadre
from xuncha.rectification import services as rectification
from xuncha.rectification.models import TaskStatus
from xuncha.rectification.reminders import parse_reminder_days, send_deadline_reminders
from xuncha.rectification.selectors import task_light


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_overdue_task_is_red_and_its_responsible_unit_is_reminded_and_escalated(world):
    task = world.task_b1  # due three days ago, in county B
    assert task_light(task) == "red"
    secretary = org.account_create(actor=None, username="t_secretary_b", password="x-secret-123456", role="unit",
                                   unit=world.dept_b)
    org.cadre_add(actor=None, unit=world.dept_b, name="赵强", position="党组书记、局长", is_principal=True)
    Cadre.objects.filter(unit=world.dept_b, is_principal=True).update(account=secretary)

    run = send_deadline_reminders()

    assert run.tasks_overdue >= 1
    overdue = Notification.objects.get(recipient=world.user("unit_b"), kind=NotificationKind.OVERDUE)
    assert "建立公务用车使用登记制度" in overdue.title
    assert f"/rectification/tasks/{task.pk}/" in overdue.url
    escalation = Notification.objects.get(recipient=world.user("office_b"), kind=NotificationKind.ESCALATION)
    assert "乙县财政局" in escalation.title
    assert Notification.objects.filter(recipient=secretary, kind=NotificationKind.ESCALATION).exists()
    # Nothing of county B's task reaches county A.
    assert not Notification.objects.filter(recipient=world.user("office_a"), kind=NotificationKind.ESCALATION)
    assert AuditEvent.objects.filter(action="reminders.run").exists()


def test_the_job_sends_each_reminder_once_however_often_it_runs(world):
    send_deadline_reminders()
    first = Notification.objects.count()
    assert first > 0
    send_deadline_reminders()
    send_deadline_reminders()
    assert Notification.objects.count() == first


def test_reminders_seven_three_and_one_day_before_the_deadline(world):
    task = world.task_a1
    unit_a = world.user("unit_a")
    for days in (10, 7, 5, 3, 1):
        rectification.task_update(actor=world.user("office_a"), task=task, expected_version=None,
                                  deadline=today() + datetime.timedelta(days=days))
        send_deadline_reminders()
    reminders = Notification.objects.filter(recipient=unit_a, kind=NotificationKind.REMINDER)
    assert reminders.count() == 3, list(reminders.values_list("title", flat=True))


def test_reminder_days_are_configured_per_committee(world):
    assert parse_reminder_days("7,3,1") == {7, 3, 1}
    assert parse_reminder_days("14， 7,x, 0, 2") == {14, 7, 2}
    county_a = world.county_a
    county_a.reminder_days = "5"
    county_a.save()
    rectification.task_update(actor=world.user("office_a"), task=world.task_a1, expected_version=None,
                              deadline=today() + datetime.timedelta(days=5))
    send_deadline_reminders()
    assert Notification.objects.filter(recipient=world.user("unit_a"), kind=NotificationKind.REMINDER).count() == 1


def test_light_thresholds_are_configured_per_committee(world):
    task = world.task_a1
    rectification.task_update(actor=world.user("office_a"), task=task, expected_version=None,
                              deadline=today() + datetime.timedelta(days=10))
    task.refresh_from_db()
    assert task_light(task) == "green"
    world.county_a.task_yellow_days = 14
    world.county_a.save()
    task = type(task).objects.select_related("problem__inspection__round__committee").get(pk=task.pk)
    assert task_light(task) == "yellow"
    world.county_a.task_red_days = 12
    world.county_a.save()
    task = type(task).objects.select_related("problem__inspection__round__committee").get(pk=task.pk)
    assert task_light(task) == "red"


def test_closed_tasks_are_not_reminded(world):
    task = world.task_b1
    actor = world.user("office_b")
    rectification.task_report_progress(actor=actor, task=task, text="已建立登记制度")
    rectification.task_submit_for_review(actor=actor, task=task)
    rectification.task_close(actor=actor, task=task, note="现场核验登记簿")
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    send_deadline_reminders()
    assert not Notification.objects.filter(
        recipient=world.user("unit_b"),
        kind__in=[NotificationKind.REMINDER, NotificationKind.OVERDUE, NotificationKind.ESCALATION]).exists()


def test_email_goes_out_where_configured(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    unit_b = world.user("unit_b")
    unit_b.email, unit_b.email_notifications = "unit-b@example.org", True
    unit_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders()
    assert [m.to for m in mail.outbox] == [["unit-b@example.org"]]
    assert "建立公务用车使用登记制度" in mail.outbox[0].subject
    assert Notification.objects.get(recipient=unit_b, kind=NotificationKind.OVERDUE).emailed_at is not None


def test_the_queue_schedules_the_job_every_few_minutes():
    """The consumer's scheduler finds the reminder job due; the worker test below runs it for real."""
    from huey.contrib.djhuey import HUEY

    for minute in (0, 10, 30):
        due = HUEY.read_periodic(datetime.datetime(2026, 11, 23, 8, minute))
        assert "deadline_reminders" in {t.name for t in due}
    assert "nightly_integrity_scan" in {t.name for t in HUEY.read_periodic(datetime.datetime(2026, 11, 23, 2, 20))}


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user, host, port = s.get("USER") or "postgres", s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_sends_the_reminders(tmp_path):
    """End to end: `xuncha worker` (the huey consumer) takes the job from the queue and writes the notifications."""
    from huey.contrib.djhuey import HUEY

    from tests.world import build_world
    from xuncha.rectification.tasks import deadline_reminders

    world = build_world()
    env = {**os.environ, "DATABASE_URL": _database_url(), "XUNCHA_QUEUE_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "xuncha.cli", "worker"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        HUEY.flush()
        deadline_reminders()  # enqueue, as the scheduler does
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Notification.objects.filter(recipient=world.user("unit_b"), kind=NotificationKind.OVERDUE).exists():
                break
            time.sleep(0.5)
        else:
            pytest.fail("the worker did not send the overdue reminder within 60 s")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
