"""Small rosters written by the tests into tmp_path, and readers for the output files."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from xuncha.crosscheck.normalize import id_check_digit
from xuncha.crosscheck.rosters import ROSTERS
from xuncha.crosscheck.runner import run_crosscheck


def pid(n: int, birth: str = "19800101", area: str = "110101") -> str:
    """A valid 18-digit ID: person number n (0-999) born on `birth` in `area`."""
    body = f"{area}{birth}{n % 1000:03d}"
    return body + id_check_digit(body)


def wrong_check(id18: str) -> str:
    """The same number with a wrong check digit."""
    return id18[:17] + ("0" if id18[17] != "0" else "1")


def id15(id18: str) -> str:
    """The old 15-digit form of a number born in the 1900s."""
    return id18[:6] + id18[8:17]


def headers(kind: str) -> list[str]:
    return [c.header for c in ROSTERS[kind].columns]


def write_csv(folder: Path, kind: str, rows: list[list], *, header: list[str] | None = None,
              encoding: str = "utf-8-sig", name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{kind}.csv")
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header or headers(kind))
        writer.writerows(rows)
    return path


def write_xlsx(folder: Path, kind: str, rows: list[list], *, header: list[str] | None = None,
               title: str | None = None) -> Path:
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header or headers(kind))
    for row in rows:
        ws.append(row)
    path = folder / f"{kind}.xlsx"
    wb.save(path)
    return path


def read_out(out: Path, name: str) -> list[dict[str, str]]:
    with open(out / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def run(tmp_path: Path, *, rules: str = "builtin", data: str = "data") -> dict[str, list[dict[str, str]]]:
    """Run over tmp_path/data with the rules given; the output files as lists of dicts."""
    out = tmp_path / "out"
    run_crosscheck(str(tmp_path / data), str(out), rules=rules, memory_limit="512MB", threads=1)
    result = {name: read_out(out, f"{name}.csv") for name in ("hits", "evidence", "review", "rejected")}
    assert os.path.exists(out / "summary.json")
    return result


def hits_of(result: dict, rule_id: str) -> set[str]:
    return {h["person_id"] for h in result["hits"] if h["rule_id"] == rule_id}


def run_rule(tmp_path: Path, rule_id: str) -> dict[str, list[dict[str, str]]]:
    """Run one built-in rule alone (copied into tmp_path/rules) over tmp_path/data."""
    import shutil

    from xuncha.crosscheck.rules import builtin_rules_dir

    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    shutil.copy(os.path.join(builtin_rules_dir(), f"{rule_id}.yaml"), folder)
    return run(tmp_path, rules=str(folder))
