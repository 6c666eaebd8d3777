"""Benchmark the group draw: recusal over a large pool, the pick, and the replay.

    .venv/bin/python bench/draw.py [--people 5000] [--db sqlite|postgres]

Builds, in its own database (SQLite under var/bench-draw, or postgres://…/xuncha_bench_draw), one county with a
township of 30 villages and a pool of N people, each with 3 work periods and 3 relatives (a tenth of them tied to
the township), then times `draw_commit` (recusal and the snapshot), `draw_run` and `verify`, five times each,
and the pure pick alone over 100,000 candidates. Target: a draw on a 5,000-person pool in under 2 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-draw"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/xuncha_bench_draw"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.people)
        return
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "xuncha.sqlite3").unlink(missing_ok=True)
    env = dict(os.environ, XUNCHA_VAR=str(VAR), PYTHONPATH=str(ROOT / "src"))
    if args.db == "postgres":
        env["DATABASE_URL"] = POSTGRES_URL
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "xuncha_bench_draw"],
                       capture_output=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "xuncha_bench_draw"], check=True)
    else:
        env.pop("DATABASE_URL", None)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--people", str(args.people)]
    raise SystemExit(subprocess.call(command, env=env, cwd=ROOT))


def _timed(fn, times: int = 5) -> tuple[float, object]:
    spans, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = fn()
        spans.append(time.perf_counter() - started)
    return statistics.median(spans), result


def worker(people: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from xuncha.core.id_numbers import check_digit
    from xuncha.org.models import Committee, Unit
    from xuncha.pool import draw as lots
    from xuncha.pool import services
    from xuncha.pool.models import Relative, Talent, WorkPeriod

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic():
        county = Committee.objects.create(name="中共基准县委", region="基准县", level="county", path="")
        county.path = f"/{county.pk}/"
        county.save()
        township = Unit.objects.create(name="基准镇", kind="township", committee=county)
        villages = Unit.objects.bulk_create(Unit(name=f"第{i}村", kind="village", committee=county, parent=township)
                                            for i in range(30))
        depts = Unit.objects.bulk_create(Unit(name=f"基准县第{i}局", kind="department", committee=county)
                                         for i in range(60))
        talents = []
        for n in range(people):
            born = datetime.date(1965, 1, 1) + datetime.timedelta(days=n)
            first17 = f"330102{born:%Y%m%d}{n % 1000:03d}"
            talents.append(Talent(
                committee=county, name=f"人员{n}", id_number=first17 + check_digit(first17), birth_date=born,
                gender="M" if n % 1000 % 2 else "F", speciality=rng.choice(["discipline", "audit", "finance", "law",
                                                                            "organisation", "personnel", "other"]),
                rank=rng.randint(1, 5), can_lead=rng.random() < 0.2, unit=rng.choice(depts)))
        talents = Talent.objects.bulk_create(talents, batch_size=1000)
        periods, relatives = [], []
        for t in talents:
            tied = rng.random() < 0.1
            for k in range(3):
                place = rng.choice(villages) if tied and k == 0 else rng.choice(depts)
                periods.append(WorkPeriod(talent=t, unit=place, unit_name=place.name,
                                          started_on=datetime.date(2000 + 5 * k, 1, 1),
                                          ended_on=datetime.date(2004 + 5 * k, 12, 31)))
                relatives.append(Relative(talent=t, name=f"亲属{k}", relation="配偶" if k == 0 else "子女",
                                          unit_name=rng.choice(depts).name))
        WorkPeriod.objects.bulk_create(periods, batch_size=2000)
        Relative.objects.bulk_create(relatives, batch_size=2000)
    print(f"pool of {people} people, {len(periods)} work periods, {len(relatives)} relatives built in "
          f"{time.perf_counter() - started:.1f} s ({connection.vendor})")

    commit_s, draw = _timed(lambda: services.draw_commit(actor=None, unit=township))
    print(f"draw_commit (recusal over the pool, snapshot): {commit_s * 1000:.0f} ms median of 5; "
          f"{len(draw.snapshot)} eligible, {len(draw.excluded)} excluded")
    run_s, drawn = _timed(lambda: services.draw_run(
        actor=None, draw=services.draw_commit(actor=None, unit=township), witness_words="42", expected_version=1),
        times=5)
    print(f"draw_commit + draw_run: {run_s * 1000:.0f} ms median of 5")
    verify_s, result = _timed(lambda: lots.verify(services.draw_record(drawn)))
    print(f"verify (replay from the record): {verify_s * 1000:.0f} ms median of 5, ok={result.ok}")

    big = [{"id": i, "gender": "MF"[i % 2], "speciality": ["audit", "discipline", "other"][i % 3],
            "unit_key": f"u{i % 500}", "lead_ok": i % 5 == 0, "member_ok": True} for i in range(100_000)]
    pick_s, _ = _timed(lambda: lots.pick(big, {}, lots.sha256("bench")), times=3)
    print(f"pick alone over 100,000 candidates: {pick_s * 1000:.0f} ms median of 3")


if __name__ == "__main__":
    main()
