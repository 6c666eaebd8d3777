"""Benchmark the reminder job (提醒、逾期、催办) over a province-scale database.

    .venv/bin/python bench/reminders.py [--db sqlite|postgres] [--reuse]

Builds the province demo (≈100 counties) into its own database (SQLite under var/bench-reminders, or
postgres://…/xuncha_bench_reminders), then runs the job three times: the first run on a day on which
it sends the reminders due, a second run the same day (which must send nothing new: the job is
idempotent), and a run a week later (new reminders and a new week's escalations). Target: under 30 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-reminders"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/xuncha_bench_reminders"
TARGET_S = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--reuse", action="store_true", help="keep an already built database")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(reuse=args.reuse)
        return
    VAR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, XUNCHA_VAR=str(VAR), PYTHONPATH=str(ROOT / "src"))
    env.pop("XUNCHA_TODAY", None)
    if args.db == "postgres":
        env["DATABASE_URL"] = POSTGRES_URL
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tc",
                        "SELECT 1 FROM pg_database WHERE datname='xuncha_bench_reminders'"], check=True,
                       capture_output=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "xuncha_bench_reminders"],
                       capture_output=True)
    else:
        env.pop("DATABASE_URL", None)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker"] + (["--reuse"] if args.reuse else [])
    raise SystemExit(subprocess.call(command, env=env, cwd=ROOT))


def worker(*, reuse: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xuncha.demo.builder import build_demo, demo_is_built
    from xuncha.notifications.models import Notification
    from xuncha.rectification.models import Task, TaskStatus
    from xuncha.rectification.reminders import send_deadline_reminders

    call_command("migrate", interactive=False, verbosity=0)
    if not (reuse and demo_is_built()):
        started = time.monotonic()
        print("building the province-scale demo …", flush=True)
        build_demo(scale="province", reset=True)
        print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
    Notification.objects.all().delete()
    # The province demo gives liaison accounts to the demo county only; a real province has one per unit.
    from django.contrib.auth.hashers import make_password

    from xuncha.org.models import Role, Unit, User

    units = (Unit.objects.filter(problems__tasks__isnull=False).exclude(accounts__role=Role.UNIT)
             .distinct().values_list("pk", "committee_id"))
    unusable = make_password(None)
    User.objects.bulk_create([User(username=f"bench_ll_{pk}", role=Role.UNIT, unit_id=pk, password=unusable)
                              for pk, _c in units], batch_size=2000, ignore_conflicts=True)
    open_tasks = Task.objects.exclude(status=TaskStatus.CLOSED).count()
    print(f"database: {connection.vendor}; tasks {Task.objects.count():,}, not closed {open_tasks:,}")
    today = datetime.date.today()
    for label, day in (("first run", today), ("same day again", today),
                       ("a week later", today + datetime.timedelta(days=7))):
        started = time.monotonic()
        run = send_deadline_reminders(on=day)
        seconds = time.monotonic() - started
        verdict = "ok" if seconds < TARGET_S else "OVER TARGET"
        print(f"{label:<16} {seconds:6.2f} s  due {run.tasks_due:>6,}  overdue {run.tasks_overdue:>6,}  "
              f"sent {run.total:>7,} {dict(run.sent)}  [{verdict}, target {TARGET_S:.0f} s]", flush=True)


if __name__ == "__main__":
    main()
