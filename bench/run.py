"""Benchmark the ledger, a round's figures and coverage on a province-sized database.

    .venv/bin/python bench/run.py [--db sqlite|postgres|both] [--reuse] [--samples 200]

For each database the script runs a worker process (Django settings are per process) that builds
the province-scale demo (≈100 counties, ≈20k units, ≈150k+ problems) into a dedicated database
(SQLite: XUNCHA_VAR=var/bench; PostgreSQL: postgres://postgres@127.0.0.1:5432/xuncha_bench, created
when missing), then times each request after a warm-up, through the HTTP API with a bearer token
(django.test.Client) and through the selectors directly. It prints p50/p95 per query and database
and writes docs/benchmarks.md. --reuse keeps an already built database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/xuncha_bench"
TARGET_MS = 150.0
WARMUP = 20


# --- orchestrator ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reuse", action="store_true", help="keep an already built benchmark database")
    parser.add_argument("--samples", type=int, default=200, help="timed samples per query (after warm-up)")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, reuse=args.reuse, samples=args.samples)
        return

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    VAR.mkdir(parents=True, exist_ok=True)
    results = {}
    for db in databases:
        env = dict(os.environ, XUNCHA_VAR=str(VAR), PYTHONPATH=str(ROOT / "src"))
        env.pop("XUNCHA_TODAY", None)
        if db == "postgres":
            env["DATABASE_URL"] = POSTGRES_URL
            _create_postgres_database()
        else:
            env.pop("DATABASE_URL", None)
        out = VAR / f"result-{db}.json"
        out.unlink(missing_ok=True)
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", db, "--samples", str(args.samples)]
        if args.reuse:
            command.append("--reuse")
        print(f"[{db}] worker starting …", flush=True)
        subprocess.run(command, env=env, check=True, cwd=ROOT)
        results[db] = json.loads(out.read_text())
    print()
    print(render_table(results))
    if not args.no_docs:
        write_docs(results)
        print(f"\nWritten to {ROOT / 'docs' / 'benchmarks.md'}")


def _create_postgres_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'xuncha_bench'").fetchone()
        if not exists:
            conn.execute("CREATE DATABASE xuncha_bench")


# --- worker -------------------------------------------------------------------------------------------

def worker(db: str, *, reuse: bool, samples: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xuncha.demo.builder import build_demo
    from xuncha.org.models import Committee

    call_command("migrate", interactive=False, verbosity=0)
    build_file = VAR / f"build-{db}.json"
    built = Committee.objects.filter(level="county").count() >= 90
    if reuse and built and build_file.exists():
        build = json.loads(build_file.read_text())
        print(f"[{db}] reusing the database built on {build['built_on']} ({build['seconds']:.0f} s)", flush=True)
        with connection.cursor() as cursor:
            # A migration may have added indexes since the build; without statistics for them SQLite's
            # planner guesses (and once picked a worse plan for the county ledger).
            cursor.execute("ANALYZE")
    else:
        print(f"[{db}] building the province-scale demo …", flush=True)
        started = time.monotonic()
        summary = build_demo(scale="province", reset=True)
        seconds = time.monotonic() - started
        print(summary, flush=True)
        analyse_started = time.monotonic()
        with connection.cursor() as cursor:
            # What autovacuum does soon after a load: statistics for the planner (and, on PostgreSQL,
            # the visibility map that lets index-only scans skip the table).
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        build = {"seconds": seconds, "analyse_seconds": time.monotonic() - analyse_started,
                 "built_on": time.strftime("%Y-%m-%d"), "summary": summary}
        build_file.write_text(json.dumps(build, ensure_ascii=False, indent=1))
    result = {"db": db, "build": build, "sizes": data_sizes(), "server": server_version(), "cases": {}}
    result["load_before"] = os.getloadavg()[0]
    all_cases = cases()
    for name, call in all_cases:
        result["cases"][name] = _report(db, name, measure(call, samples))
    result["load_after"] = os.getloadavg()[0]
    (VAR / f"result-{db}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))


def _report(db: str, name: str, figures: dict) -> dict:
    print(f"[{db}] {name:<72} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
          f"({figures['queries']} queries)", flush=True)
    return figures


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0]
        cursor.execute("select sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def data_sizes() -> dict[str, int]:
    from xuncha.findings.models import Clue, Problem, Suggestion
    from xuncha.org.models import Cadre, Committee, Unit, User
    from xuncha.rectification.models import ProgressNote, Task
    from xuncha.rounds.models import Inspection, Round

    return {
        "committees": Committee.objects.count(), "counties": Committee.objects.filter(level="county").count(),
        "units": Unit.objects.count(), "cadres": Cadre.objects.count(), "accounts": User.objects.count(),
        "rounds": Round.objects.count(), "inspections": Inspection.objects.count(),
        "problems": Problem.objects.count(), "tasks": Task.objects.count(),
        "progress_notes": ProgressNote.objects.count(), "clues": Clue.objects.count(),
        "suggestions": Suggestion.objects.count(),
    }


def measure(call, samples: int) -> dict:
    from django.db import connection

    for i in range(WARMUP):
        call(i)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call(0)
    timings = []
    for i in range(samples):
        started = time.perf_counter()
        call(i)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "n": samples, "p50": statistics.median(timings), "p95": timings[max(0, round(0.95 * samples) - 1)],
        "mean": statistics.fmean(timings), "max": timings[-1], "queries": len(executed),
    }


def cases():
    """(name, call(i)) pairs; call(i) makes the i-th request of a fixed rotation of realistic requests."""
    from django.db.models import Count
    from django.test import Client

    from xuncha.demo.builder import DEMO_PASSWORD
    from xuncha.findings.models import Problem
    from xuncha.findings.selectors import problem_list
    from xuncha.org.models import Committee, User
    from xuncha.rounds.models import Round
    from xuncha.stats import selectors as stats

    office, province_office = User.objects.get(username="office"), User.objects.get(username="province")
    county, province = office.committee, province_office.committee
    rng = random.Random(7)
    client = Client()

    def token(username: str) -> str:
        response = client.post("/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD},
                               content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()["token"]

    headers = {"office": {"HTTP_AUTHORIZATION": f"Bearer {token('office')}"},
               "province": {"HTTP_AUTHORIZATION": f"Bearer {token('province')}"}}

    def filters(queryset, with_round: bool, pages_max: int) -> list[dict]:
        """Filter combinations that return rows, as an office would ask for them, with a page each."""
        keys = ["inspection__round_id", "category", "status"] if with_round else ["category", "status"]
        combos = list(queryset.values(*keys).annotate(n=Count("id")).filter(n__gte=5).order_by(*keys))
        rng.shuffle(combos)
        out = []
        for combo in combos[:60]:
            pages = max(1, min(pages_max, -(-combo["n"] // 50)))
            row = {"category": combo["category"], "status": combo["status"], "page": rng.randint(1, pages)}
            if with_round:
                row["round"] = combo["inspection__round_id"]
            out.append(row)
        return out

    county_filters = filters(Problem.objects.filter(inspection__round__committee=county), True, 3)
    province_filters = filters(Problem.objects.all(), False, 20)
    unfiltered = [{"category": None, "status": None, "page": page} for page in range(1, 6)]
    county_rounds = list(Round.objects.filter(committee=county).values_list("pk", flat=True))
    province_rounds = list(Round.objects.order_by("?").values_list("pk", flat=True)[:60])
    ordering = [*Problem._meta.ordering, "pk"]

    def api_ledger(who: str, rows: list[dict]):
        def call(i):
            params = {k: v for k, v in rows[i % len(rows)].items() if v is not None} | {"page_size": 50}
            response = client.get("/api/v1/problems", params, **headers[who])
            assert response.status_code == 200, response.content
        return call

    def selector_ledger(user, rows: list[dict]):
        def call(i):
            row = rows[i % len(rows)]
            qs = problem_list(viewer=user, round_id=row.get("round"), category=row["category"],
                              status=row["status"]).order_by(*ordering)
            start = (row["page"] - 1) * 50
            qs.count()
            list(qs[start:start + 50])
        return call

    def api_get(who: str, paths: list[str]):
        def call(i):
            response = client.get(paths[i % len(paths)], **headers[who])
            assert response.status_code == 200, response.content
        return call

    county_id = Committee.objects.get(pk=county.pk).pk
    return [
        ("ledger · county office · API (round+category+status, page)", api_ledger("office", county_filters)),
        ("ledger · county office · selector", selector_ledger(office, county_filters)),
        ("ledger · provincial office · API (category+status, page ≤20)", api_ledger("province", province_filters)),
        ("ledger · provincial office · selector", selector_ledger(province_office, province_filters)),
        ("ledger · provincial office · API (no filter, page 1–5)", api_ledger("province", unfiltered)),
        ("ledger · provincial office · selector (no filter)", selector_ledger(province_office, unfiltered)),
        ("round metrics · county office · API", api_get("office", [f"/api/v1/rounds/{r}/metrics"
                                                                   for r in county_rounds])),
        ("round metrics · county office · selector",
         lambda i: stats.metrics(viewer=office, round_id=county_rounds[i % len(county_rounds)])),
        ("round metrics · provincial office · API", api_get("province", [f"/api/v1/rounds/{r}/metrics"
                                                                         for r in province_rounds])),
        ("round metrics · provincial office · selector",
         lambda i: stats.metrics(viewer=province_office, round_id=province_rounds[i % len(province_rounds)])),
        ("coverage · county · API", api_get("office", [f"/api/v1/stats/coverage?committee={county_id}"])),
        ("coverage · county · selector", lambda i: stats.coverage(viewer=office, committee_id=county_id)),
        ("coverage · province committee · API",
         api_get("province", [f"/api/v1/stats/coverage?committee={province.pk}"])),
        ("coverage · province committee · selector",
         lambda i: stats.coverage(viewer=province_office, committee_id=province.pk)),
        ("coverage · all ~115 committees of the province · API", api_get("province", ["/api/v1/stats/coverage"])),
        ("coverage · all ~115 committees of the province · selector",
         lambda i: stats.coverage_by_committee(viewer=province_office)),
    ]


# --- output -------------------------------------------------------------------------------------------

def render_table(results: dict, key: str = "cases") -> str:
    dbs = list(results)
    names = list(next(iter(results.values()))[key])
    head = "| query | " + " | ".join(f"{db} p50 ms | {db} p95 ms" for db in dbs) + " | queries |"
    rule = "|---|" + "---:|---:|" * len(dbs) + "---:|"
    lines = [head, rule]
    for name in names:
        cells = []
        for db in dbs:
            c = results[db][key][name]
            mark = "" if c["p95"] < TARGET_MS else " ✗"
            cells.append(f"{c['p50']:.1f} | {c['p95']:.1f}{mark}")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {results[dbs[0]][key][name]['queries']} |")
    return "\n".join(lines)


def _machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")).split()[1])
        memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        memory = "unknown RAM"
    return f"{os.cpu_count()} cores ({cpu}), {memory}, Python {platform.python_version()}, {platform.system()}"


def write_docs(results: dict) -> None:
    first = next(iter(results.values()))
    sizes = first["sizes"]
    misses = [f"{name} on {db}" for db, r in results.items() for name, c in r["cases"].items()
              if c["p95"] >= TARGET_MS]
    builds = "\n".join(
        f"- {r['server']}: build {r['build']['seconds']:.0f} s "
        f"(+ ANALYZE {r['build'].get('analyse_seconds', 0):.0f} s), built on {r['build']['built_on']}"
        for r in results.values())
    notes_path = ROOT / "bench" / "NOTES.md"
    notes = notes_path.read_text().strip() if notes_path.exists() else ""
    text = f"""# Benchmarks

Measured by `bench/run.py` ({time.strftime('%Y-%m-%d')}). Re-run with
`.venv/bin/python bench/run.py [--db sqlite|postgres|both] [--reuse]` (`make bench` runs both).

**Target: p95 < {TARGET_MS:.0f} ms for every query.** {"All figures meet it." if not misses else
"Missed: " + "; ".join(misses) + "."}

## Machine
{_machine()}. The benchmark client, Django and the database run on the same machine, one request at a time.
Load average (1 min) while measuring: {"; ".join(f"{db} {r.get('load_before', 0):.1f} → {r.get('load_after', 0):.1f}"
                                              for db, r in results.items())} (other work shared the two cores;
a load above 2 inflates the figures).

## Data (the province-scale demo, `build_demo(scale="province")`)
{sizes['committees']} committees ({sizes['counties']} counties under 14 cities of one province),
{sizes['units']:,} units, {sizes['cadres']:,} cadres, {sizes['accounts']:,} accounts, {sizes['rounds']:,} rounds,
{sizes['inspections']:,} inspections, {sizes['problems']:,} problems, {sizes['tasks']:,} rectification tasks,
{sizes['progress_notes']:,} progress notes, {sizes['clues']:,} clues, {sizes['suggestions']:,} suggestions.

Build time (bulk inserts in one transaction, then `ANALYZE` — `VACUUM ANALYZE` on PostgreSQL — as
autovacuum would do after a load):
{builds}

## Results
Each figure: {first['cases'][next(iter(first['cases']))]['n']} timed requests after {WARMUP} warm-up requests,
rotating over realistic filter combinations (rounds, categories and statuses that hold rows, pages 1–3
for a county office and 1–20 for the provincial office). "API" goes through the whole stack:
URL routing, bearer-token authentication, the selector, serialisation to JSON (django.test.Client,
no network). "selector" calls the selector directly (the count and one page of 50 for the ledger).
"queries" is the number of SQL queries one request makes.

{render_table(results)}

- *county office*: account `office` of 青峪县 (its subtree: one county, ≈220 units, ≈2k problems).
- *provincial office*: account `province` (the whole province, every row).
- *coverage · province committee*: the units the provincial committee manages itself (省直 units).
- *coverage · all committees*: `GET /api/v1/stats/coverage` without a committee, the provincial
  office's table of every committee's coverage (one row per county, city and the province).

{notes}
"""
    (ROOT / "docs" / "benchmarks.md").write_text(text)


if __name__ == "__main__":
    main()
