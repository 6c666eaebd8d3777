"""Background jobs on the task queue (huey; see settings.HUEY). The consumer finds them here by autodiscovery."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task


@db_periodic_task(crontab(minute=f"*/{max(1, settings.REMINDER_JOB_EVERY_MINUTES)}"), retries=2, retry_delay=60)
@lock_task("deadline-reminders")
def deadline_reminders() -> dict:
    from xuncha.rectification.reminders import send_deadline_reminders

    run = send_deadline_reminders()
    return {"due": run.tasks_due, "overdue": run.tasks_overdue, "sent": dict(run.sent)}


@db_task(retries=1, retry_delay=30)
@lock_task("integrity-scan")
def integrity_scan() -> dict:
    """Look for copied measures and measures that only restate the problem, across all units."""
    from xuncha.rectification.integrity import scan_copied_measures

    return scan_copied_measures()


@db_periodic_task(crontab(minute="20", hour="2"))
def nightly_integrity_scan() -> dict:
    return integrity_scan.call_local()
