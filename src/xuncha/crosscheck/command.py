"""`xuncha crosscheck …`: run the rules over a folder of rosters, or list and check rules."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="crosscheck_command", required=True)
    p_run = sub.add_parser("run", help="run the rules over <kind>.csv / <kind>.xlsx files and write hits.csv etc.")
    p_run.add_argument("--data", required=True, help="folder with one file per roster: deaths.csv, dibao.xlsx, …")
    p_run.add_argument("--out", required=True, help="folder for hits.csv, evidence.csv, review.csv, rejected.csv")
    p_run.add_argument("--rules", default="builtin", help="'builtin' (default) or a folder of YAML rule files")
    p_run.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                       help="duckdb (embedded, default) or spark (needs pyspark and Java 17+)")
    p_run.add_argument("--spark-master", default=None, help="Spark master URL (default: local[THREADS])")
    p_run.add_argument("--memory-limit", default="4GB",
                       help="DuckDB memory limit (Spark local: driver memory), default 4GB")
    p_run.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    p_run.add_argument("--temp-dir", default=None,
                       help="DuckDB's spill folder and Spark's Parquet copies (default: OUT/.spill)")
    p_run.add_argument("--quiet", action="store_true", help="print only the totals")
    p_rules = sub.add_parser("rules", help="list (and so validate) the rules of a folder, optionally with their SQL")
    p_rules.add_argument("--rules", default="builtin", help="'builtin' (default) or a folder of YAML rule files")
    p_rules.add_argument("--sql", choices=("duckdb", "spark"), default=None, help="also print the compiled SQL")


def run_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    from xuncha.crosscheck.rules import RuleError, compile_rule, load_rules

    if args.crosscheck_command == "rules":
        try:
            rules = load_rules(args.rules)
        except RuleError as exc:
            print(f"规则有误：{exc}", file=sys.stderr)
            return 2
        for rule in rules:
            print(f"{rule.id} v{rule.version} [{rule.severity}] {rule.title}", file=out)
            if args.sql:
                print(f"  {compile_rule(rule, args.sql).sql}", file=out)
        return 0

    from xuncha.crosscheck.runner import EngineNotAvailable, run_crosscheck

    progress = None if args.quiet else (lambda msg: print(msg, file=out, flush=True))
    try:
        summary = run_crosscheck(args.data, args.out, rules=args.rules, engine=args.engine,
                                 memory_limit=args.memory_limit, threads=args.threads, temp_directory=args.temp_dir,
                                 spark_master=args.spark_master, progress=progress)
    except (RuleError, EngineNotAvailable, FileNotFoundError) as exc:
        print(f"无法运行：{exc}", file=sys.stderr)
        return 2
    for note in summary.notes:
        print(f"提示：{note}", file=out)
    print(f"命中 {summary.hits} 条（hits.csv），证据 {summary.evidence} 行（evidence.csv），"
          f"待复核 {summary.review} 条（review.csv），未参与比对 {summary.rejected} 条（rejected.csv）；"
          f"用时 {summary.seconds:.1f} 秒。输出目录：{summary.out_dir}", file=out)
    return 0
