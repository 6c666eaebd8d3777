"""Generate roster sets for the cross-checking benchmark and conformance tests (issue 6), with ground truth.

    .venv/bin/python bench/crosscheck/generate.py --size tiny|county|province --out DIR [--seed N] [--check]
    .venv/bin/python bench/crosscheck/generate.py --check --out DIR      # verify an existing set

DIR/data/<kind>.csv (one file per roster; village_cadres.xlsx in the tiny set) holds the rosters, written
the way departments send them (UTF-8 with BOM, GBK, GB18030, UTF-16 tab-separated, a title line, CRLF).
Beside it: expected_hits.csv (rule_id, person_id: one row per rule and person), expected_rejected.csv
(file, row, column, reason), expected_review.csv (rule_id, person_id, file, row), planted.csv (every
planted case and what it must give) and manifest.json (sizes, timings).

--check re-derives all three expectations from the files with plain DuckDB SQL written independently
of xuncha.crosscheck (verify.py) and fails on any difference, so the ground truth is itself checked.
The rosters are written in chunks straight from DuckDB (COPY), so memory stays bounded at any size.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import io
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from background import SIZES, TOWNS, Background
from plant import Planter, Row, plant
from roster_spec import DATES, FILES, HEADERS, KINDS, XLSX_TINY

CHUNK_ROWS = 2_000_000


def _body_encoding(enc: str) -> tuple[str, bytes]:
    """The codec for the file body and the byte-order mark written once at the start."""
    if enc == "utf-8-sig":
        return "utf-8", codecs.BOM_UTF8
    if enc == "utf-16":
        return "utf-16-le", codecs.BOM_UTF16_LE
    return enc, b""


def _csv_lines(rows: list[list], delim: str, eol: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim, lineterminator=eol)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buf.getvalue()


def _split(items: list, parts: int) -> list[list]:
    k, r = divmod(len(items), parts)
    out, at = [], 0
    for i in range(parts):
        n = k + (1 if i < r else 0)
        out.append(items[at:at + n])
        at += n
    return out


def _chunks(parts: list[tuple[int, float, str]], size: str) -> list[str]:
    sqls = []
    for drivers, per, sql in parts:
        if size == "tiny":
            step = max(1, -(-drivers // 3))
        else:
            step = max(1, int(CHUNK_ROWS / max(per, 0.001)))
        for lo in range(0, drivers, step):
            sqls.append(sql.format(lo=lo, hi=min(drivers, lo + step)))
    return sqls


def write_csv_roster(con, kind: str, path: Path, chunks: list[str], planted: list[Row], county: str,
                     rng: random.Random, tmp: Path) -> int:
    enc, delim, title, eol = FILES[kind]
    body_enc, bom = _body_encoding(enc)
    rng.shuffle(planted)
    batches = _split(planted, len(chunks) + 1)
    line = 0
    scratch = tmp / f"{kind}.part.csv"
    with open(path, "wb") as out:
        out.write(bom)
        head = []
        if title:
            head.append([title.format(county=county)] + [""] * (len(HEADERS[kind]) - 1))
        head.append(HEADERS[kind])
        out.write(_csv_lines(head, delim, eol).encode(body_enc))
        line += len(head)

        def put(batch: list[Row]) -> None:
            nonlocal line
            for row in batch:
                line += 1
                row.line = line
            if batch:
                out.write(_csv_lines([r.cells for r in batch], delim, eol).encode(body_enc))

        for i, sql in enumerate(chunks):
            put(batches[i])
            delim_sql = "\t" if delim == "\t" else delim
            n = con.execute(f"COPY ({sql}) TO '{scratch}' (FORMAT csv, HEADER false, DELIMITER '{delim_sql}', "
                            f"QUOTE '\"')").fetchone()[0]
            line += n
            out.flush()
            if body_enc == "utf-8" and eol == "\n":
                with open(scratch, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 24)
            else:
                with open(scratch, encoding="utf-8", newline="") as src:
                    while block := src.read(1 << 23):
                        if eol != "\n":
                            block = block.replace("\n", eol)
                        out.write(block.encode(body_enc))
        put(batches[-1])
    scratch.unlink(missing_ok=True)
    return line


def write_xlsx_roster(con, kind: str, path: Path, chunks: list[str], planted: list[Row], county: str,
                      rng: random.Random) -> int:
    from openpyxl import Workbook

    date_cols = {HEADERS[kind].index(h) for h, _req in DATES.get(kind, [])}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名册")
    ws.append([f"{county}村干部名册"])
    ws.append(HEADERS[kind])
    line = 2
    rng.shuffle(planted)
    batches = _split(planted, len(chunks) + 1)

    def put(batch: list[Row]) -> None:
        nonlocal line
        for row in batch:
            line += 1
            row.line = line
            ws.append(row.cells)

    for i, sql in enumerate(chunks):
        put(batches[i])
        for rec in con.execute(sql).fetchall():
            cells = list(rec)
            for c in date_cols:
                if cells[c]:
                    cells[c] = dt.datetime.strptime(cells[c], "%Y-%m-%d")
            line += 1
            ws.append(cells)
    put(batches[-1])
    wb.save(path)
    return line


def generate(size: str, out: Path, seed: int) -> dict:
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir()
    tmp = Path(tempfile.mkdtemp(prefix=".work-", dir=out))
    con = duckdb.connect(str(tmp / "gen.duckdb"))
    con.execute("SET enable_progress_bar = false; SET threads = 2; SET memory_limit = '2GB'; "
                f"SET temp_directory = '{tmp / 'spill'}'; SET preserve_insertion_order = true")
    bg = Background(con, size, seed)
    t_people = time.perf_counter() - started
    print(f"{size}: people and their fates in {t_people:.1f} s", flush=True)
    xlsx = {XLSX_TINY} if size == "tiny" else set()
    rng = random.Random(seed)
    planter = Planter(rng, bg.areas, TOWNS, bg.units, xlsx)
    plant(planter, SIZES[size]["reps"])
    county = bg.areas[0][1]
    files: dict[str, dict] = {}
    for kind in KINDS:
        t0 = time.perf_counter()
        planted = planter.rows.get(kind, [])
        chunks = _chunks(bg.parts(kind, iso_dates=kind in xlsx), size)
        if kind in xlsx:
            path = data / f"{kind}.xlsx"
            lines = write_xlsx_roster(con, kind, path, chunks, planted, county, rng)
            header_lines = 2
        else:
            path = data / f"{kind}.csv"
            lines = write_csv_roster(con, kind, path, chunks, planted, county, rng, tmp)
            header_lines = 2 if FILES[kind][2] else 1
        rows = lines - header_lines
        seconds = time.perf_counter() - t0
        files[kind] = {"file": path.name, "rows": rows, "planted_rows": len(planted),
                       "encoding": "xlsx" if kind in xlsx else FILES[kind][0],
                       "bytes": path.stat().st_size, "seconds": round(seconds, 2)}
        print(f"  {path.name:28s} {rows:>12,d} rows {path.stat().st_size / 2**20:>9.1f} MiB "
              f"{seconds:>7.1f} s {rows / max(seconds, 1e-9):>12,.0f} rows/s", flush=True)
    con.close()
    shutil.rmtree(tmp, ignore_errors=True)
    write_truth(out, planter, files)
    total = sum(f["rows"] for f in files.values())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    manifest = {"size": size, "seed": seed, "rows": total, "seconds": round(seconds, 1),
                "rows_per_second": round(total / seconds), "people_seconds": round(t_people, 1),
                "peak_rss_mib": round(peak), "files": files, "expected_hits": len(planter.hits),
                "generated": dt.datetime.now().isoformat(timespec="seconds")}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{size}: {total:,d} rows in {seconds:.1f} s ({total / seconds:,.0f} rows/s), peak RSS {peak:,.0f} MiB; "
          f"{len(planter.hits)} expected hits -> {out}")
    return manifest


def write_truth(out: Path, planter: Planter, files: dict[str, dict]) -> None:
    def write(name: str, header: list[str], rows: list) -> None:
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(sorted(rows))

    write("expected_hits.csv", ["rule_id", "person_id"], list(planter.hits))
    rejected, review = [], []
    for kind, rows in planter.rows.items():
        for row in rows:
            for column, reason in row.reject:
                rejected.append((files[kind]["file"], row.line, column, reason, row.label))
            for rule, pid in row.review:
                review.append((rule, pid, files[kind]["file"], row.line))
    write("expected_rejected.csv", ["file", "row", "column", "reason", "label"], rejected)
    write("expected_review.csv", ["rule_id", "person_id", "file", "row"], review)
    write("planted.csv", ["rule_id", "expect", "case", "person_id"],
          [(rule, expect, label, pid) for label, rule, pid, expect in planter.cases])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES))
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--check", action="store_true", help="verify the ground truth with independent SQL")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory limit for --check")
    args = parser.parse_args(argv)
    if not args.size and not args.check:
        parser.error("give --size, --check or both")
    if args.size:
        generate(args.size, args.out, args.seed)
    if args.check:
        from verify import verify

        return 0 if verify(args.out, memory_limit=args.memory_limit) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
