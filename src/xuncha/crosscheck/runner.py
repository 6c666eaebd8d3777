"""A whole run: read, normalise, match without valid IDs, run every rule, write the output files.

The engines only return match rows; hits, evidence and review are built here, in Python, the same way
whatever the engine, and sorted, so two engines that find the same matches write the same files.

Output (UTF-8 with BOM, for Excel):
- hits.csv: one row per rule and person (valid IDs only);
- evidence.csv: the source rows behind each hit (every roster of the rule, every row of a group);
- review.csv: matches that needed a row without a valid ID, with a score and an explanation;
- rejected.csv: every row that could not take part, and why;
- summary.json: counts, timings, engine settings and notes.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xuncha.crosscheck import normalize as nz
from xuncha.crosscheck.reader import REJECTED_COLUMNS, Rejection, Roster, empty_frame, read_folder
from xuncha.crosscheck.review import add_proxy_rows
from xuncha.crosscheck.rosters import ROSTERS
from xuncha.crosscheck.rules import BUILTIN, Rule, _Checker, compile_rule, load_rules

HITS_COLUMNS = ("rule_id", "rule_version", "rule_title", "severity", "person_id", "person_name", "matches",
                "detail", "sources")
EVIDENCE_COLUMNS = ("rule_id", "person_id", "roster", "file", "row", "content")
REVIEW_COLUMNS = ("rule_id", "rule_title", "person_id", "person_name", "score", "explanation", "detail", "sources")
DETAIL_LIMIT = 20
ENGINES = ("duckdb", "spark")


class EngineNotAvailable(RuntimeError):
    pass


@dataclass
class RunSummary:
    out_dir: str
    hits: int = 0
    evidence: int = 0
    review: int = 0
    rejected: int = 0
    rosters: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    engine: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def make_engine(name: str, *, memory_limit: str = "4GB", threads: int | None = None,
                temp_directory: str | None = None, spark_master: str | None = None):
    if name == "duckdb":
        from xuncha.crosscheck.engine_duckdb import DuckDBEngine

        return DuckDBEngine(memory_limit=memory_limit, threads=threads, temp_directory=temp_directory)
    if name == "spark":
        from xuncha.crosscheck.engine_spark import SparkEngine

        try:
            return SparkEngine(master=spark_master, work_dir=os.path.join(temp_directory or ".", "spark"),
                               memory_limit=memory_limit, threads=threads)
        except ImportError as exc:
            raise EngineNotAvailable("Spark 引擎需要 pyspark（pip install pyspark）和 Java 17 或更高版本") from exc
        except Exception as exc:  # noqa: BLE001 - no JVM, an unreachable master: say so instead of a traceback
            raise EngineNotAvailable(f"无法启动 Spark（{type(exc).__name__}: {str(exc)[:300]}）") from exc
    raise EngineNotAvailable(f"未知的引擎：{name}")


# --- formatting ----------------------------------------------------------------------------------------------

def _format(value: Any, field_type: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if field_type == "month":
        return nz.month_text(int(value))
    if field_type == "money":
        return f"{float(value):.2f}"
    if field_type == "number":
        return f"{float(value):g}"
    if field_type == "year":
        return str(int(value))
    return str(value)


class _Renderer:
    """Row contents for evidence.csv, looked up by (roster kind, row number), a roster at a time."""

    def __init__(self, rosters: dict[str, Roster]):
        self.rosters = rosters

    def contents(self, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
        by_kind: dict[str, set[int]] = defaultdict(set)
        for kind, row in wanted:
            by_kind[kind].add(row)
        out: dict[tuple[str, int], str] = {}
        for kind, rows in by_kind.items():
            if kind not in self.rosters:
                continue
            frame = self.rosters[kind].frame
            picked = frame[frame["_row"].isin(rows) & ~frame["_proxy"]]
            columns = ROSTERS[kind].columns
            for record in picked.to_dict("records"):
                parts = []
                for column in columns:
                    value = record[column.field]
                    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                        continue
                    text = _format(value, column.type)
                    if column.type == "id":
                        raw = record.get(column.field + "__raw")
                        if isinstance(raw, str) and raw:
                            text += f"（原文{raw}）"
                    parts.append(f"{column.header}={text}")
                out[(kind, int(record["_row"]))] = "；".join(parts)
        return out


# --- turning matches into hits -----------------------------------------------------------------------------

@dataclass
class _Person:
    names: Counter = field(default_factory=Counter)
    details: set[str] = field(default_factory=set)
    sources: set[tuple[str, int]] = field(default_factory=set)
    matches: int = 0
    scores: list[float] = field(default_factory=list)
    whys: set[str] = field(default_factory=set)


def _collect(rule: Rule, aliases: list[str], group_columns: list[str], columns: list[str],
             rows: list[tuple]) -> tuple[dict[str, _Person], dict[str, _Person]]:
    """Matches → (valid hits, review) per person."""
    at = {c: i for i, c in enumerate(columns)}
    checker = _Checker(rule.id, rule.rosters)
    detail_types = [_detail_type(checker, node) for node in rule.detail_refs]
    proxy_col = at["_group_proxy"] if group_columns else at["_proxy"]
    groups: dict[tuple, dict[str, Any]] = defaultdict(lambda: {"sources": set(), "whys": {}})
    hits: dict[str, _Person] = defaultdict(_Person)
    review: dict[str, _Person] = defaultdict(_Person)
    for row in rows:
        person_id = row[at["_subject_id"]]
        if person_id is None:
            continue
        target = review if row[proxy_col] else hits
        person = target[person_id]
        person.matches += 1
        name = row[at["_subject_name"]]
        if name:
            person.names[name] += 1
        values = [_format(row[at[f"_d{i}"]], t) for i, t in enumerate(detail_types)]
        person.details.add(_render_detail(rule.detail, values))
        sources = {(row[at[f"{a}___kind"]], int(row[at[f"{a}___row"]])) for a in aliases}
        whys = {}
        for a in aliases:
            if row[at[f"{a}___proxy"]]:
                whys[row[at[f"{a}___why"]]] = float(row[at[f"{a}___score"]])
        person.sources |= sources
        for why, score in whys.items():
            person.whys.add(why)
            person.scores.append(score)
        if group_columns:
            key = (bool(row[proxy_col]), *(row[at[g]] for g in group_columns))
            groups[key]["sources"] |= sources
            groups[key]["whys"].update(whys)
            groups[key].setdefault("people", set()).add(person_id)
    # Every row of a group is evidence for every person of the group (e.g. all payees of one plot).
    for key, group in groups.items():
        target = review if key[0] else hits
        for person_id in group["people"]:
            person = target[person_id]
            person.sources |= group["sources"]
            for why, score in group["whys"].items():
                person.whys.add(why)
                person.scores.append(score)
    return dict(hits), dict(review)


def _detail_type(checker: _Checker, node) -> str:
    return checker.field_type(*node.value)


def _render_detail(template: str, values: list[str]) -> str:
    out, i = [], 0
    pieces = template.split("{")
    out.append(pieces[0])
    for piece in pieces[1:]:
        _placeholder, _brace, rest = piece.partition("}")
        out.append(values[i] if i < len(values) else "")
        out.append(rest)
        i += 1
    return "".join(out)


def _detail_text(details: set[str]) -> str:
    ordered = sorted(details)
    text = "；".join(ordered[:DETAIL_LIMIT])
    if len(ordered) > DETAIL_LIMIT:
        text += f"；……共{len(ordered)}条"
    return text


def _person_name(person: _Person) -> str:
    if not person.names:
        return ""
    best = max(person.names.values())
    return min(n for n, c in person.names.items() if c == best)


def _sources_text(sources: set[tuple[str, int]], files: dict[str, str]) -> str:
    return "; ".join(f"{files.get(kind, kind)}:{row}" for kind, row in sorted(sources))


# --- writing ----------------------------------------------------------------------------------------------

def _write_csv(path: str, header: tuple[str, ...], rows) -> int:
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def run_crosscheck(data_dir: str, out_dir: str, *, rules: str = BUILTIN, engine: str = "duckdb",
                   memory_limit: str = "4GB", threads: int | None = None, temp_directory: str | None = None,
                   spark_master: str | None = None, progress: Callable[[str], None] | None = None) -> RunSummary:
    """Run every rule over the rosters of `data_dir` and write the output files into `out_dir`."""
    say = progress or (lambda _msg: None)
    started = time.monotonic()
    rule_list = load_rules(rules)
    os.makedirs(out_dir, exist_ok=True)
    runner = make_engine(engine, memory_limit=memory_limit, threads=threads,
                         temp_directory=temp_directory or os.path.join(out_dir, ".spill"), spark_master=spark_master)
    summary = RunSummary(out_dir=out_dir)
    try:
        summary.engine = {"name": engine, **runner.settings()}
        t = time.monotonic()
        rosters, rejections, notes = read_folder(data_dir)
        summary.notes.extend(notes)
        say(f"读取名册 {len(rosters)} 个，{time.monotonic() - t:.1f} 秒")
        proxies = add_proxy_rows(rosters)
        if proxies:
            say(f"无有效身份证号、按姓名+出生日期+地区匹配的行：{proxies}")
        for kind, roster in rosters.items():
            summary.rosters[kind] = {"file": roster.file, "encoding": roster.encoding, "rows": roster.rows_read,
                                     "used": int((~roster.frame["_proxy"]).sum()),
                                     "review_copies": int(roster.frame["_proxy"].sum())}
        needed = set().union(*(r.kinds for r in rule_list))
        for kind in sorted(needed | set(rosters)):
            frame = rosters[kind].frame if kind in rosters else empty_frame(ROSTERS[kind])
            runner.load(kind, frame)
        files = {kind: r.file for kind, r in rosters.items()}
        renderer = _Renderer(rosters)

        hit_rows, evidence_rows, review_rows = [], [], []
        for rule in rule_list:
            t = time.monotonic()
            missing = sorted(rule.kinds - set(rosters))
            if missing:
                summary.notes.append(f"规则 {rule.id}：缺少名册 {'、'.join(missing)}，相关部分没有数据可比")
            compiled = compile_rule(rule, runner.dialect)
            columns, rows = runner.matches(compiled)
            hits, review = _collect(rule, compiled.aliases, compiled.group_columns, columns, rows)
            for person_id in sorted(hits):
                person = hits[person_id]
                hit_rows.append((rule.id, rule.version, rule.title, rule.severity, person_id, _person_name(person),
                                 person.matches, _detail_text(person.details), _sources_text(person.sources, files)))
                for kind, row in sorted(person.sources):
                    evidence_rows.append([rule.id, person_id, kind, files.get(kind, kind), row, None])
            for person_id in sorted(review):
                person = review[person_id]
                score = min(person.scores) if person.scores else 0.0
                review_rows.append((rule.id, rule.title, person_id, _person_name(person), f"{score:.2f}",
                                    "；".join(sorted(person.whys)), _detail_text(person.details),
                                    _sources_text(person.sources, files)))
            seconds = time.monotonic() - t
            rows_in = sum(int((~rosters[k].frame["_proxy"]).sum()) for k in rule.kinds if k in rosters)
            summary.rules[rule.id] = {"version": rule.version, "matches": len(rows), "hits": len(hits),
                                      "review": len(review), "seconds": round(seconds, 3), "rows_in": rows_in,
                                      "source": rule.source}
            say(f"规则 {rule.id}：命中 {len(hits)} 人，待复核 {len(review)} 人，{seconds:.2f} 秒")

        contents = renderer.contents({(e[2], e[4]) for e in evidence_rows})
        for e in evidence_rows:
            e[5] = contents.get((e[2], e[4]), "")
        summary.hits = _write_csv(os.path.join(out_dir, "hits.csv"), HITS_COLUMNS, hit_rows)
        summary.evidence = _write_csv(os.path.join(out_dir, "evidence.csv"), EVIDENCE_COLUMNS, evidence_rows)
        summary.review = _write_csv(os.path.join(out_dir, "review.csv"), REVIEW_COLUMNS, review_rows)
        summary.rejected = _write_csv(os.path.join(out_dir, "rejected.csv"), REJECTED_COLUMNS,
                                      (_rejection_row(r) for r in rejections))
    finally:
        runner.close()
    summary.seconds = round(time.monotonic() - started, 3)
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary.__dict__, f, ensure_ascii=False, indent=2)
    return summary


def _rejection_row(r: Rejection) -> tuple:
    return (r.file, "" if r.row is None else r.row, r.column, r.value, r.reason)
