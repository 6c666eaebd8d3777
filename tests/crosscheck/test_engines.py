"""Every planted hit and nothing else; and the same files from DuckDB and Spark."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from tests.crosscheck.planted import write_planted
from tests.crosscheck.rosterdata import read_out
from xuncha.crosscheck.runner import run_crosscheck

OUTPUTS = ("hits.csv", "evidence.csv", "review.csv", "rejected.csv")


def test_planted_hits_and_nothing_else_on_duckdb(tmp_path):
    expected_hits, expected_review = write_planted(tmp_path / "data")
    run_crosscheck(str(tmp_path / "data"), str(tmp_path / "out"), threads=2, memory_limit="512MB")
    hits = read_out(tmp_path / "out", "hits.csv")
    assert {(h["rule_id"], h["person_id"]) for h in hits} == expected_hits
    review = read_out(tmp_path / "out", "review.csv")
    assert {(r["rule_id"], r["person_id"]) for r in review} == expected_review
    (rejected,) = read_out(tmp_path / "out", "rejected.csv")
    assert rejected["file"] == "deaths.csv" and "校验位错误" in rejected["reason"]
    # Every hit has evidence from every roster of its rule.
    evidence = read_out(tmp_path / "out", "evidence.csv")
    for h in hits:
        rosters = {e["roster"] for e in evidence if (e["rule_id"], e["person_id"]) == (h["rule_id"], h["person_id"])}
        assert rosters, h
    relative = {e["roster"] for e in evidence if e["rule_id"] == "cadre_relative_on_dibao"}
    assert relative == {"village_cadres", "relatives", "dibao"}


@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                    reason="pyspark and Java are needed for the Spark engine")
def test_spark_writes_the_same_files_as_duckdb(tmp_path):
    from pyspark.sql import SparkSession

    write_planted(tmp_path / "data")
    run_crosscheck(str(tmp_path / "data"), str(tmp_path / "duck"), engine="duckdb", threads=2, memory_limit="512MB")
    try:
        run_crosscheck(str(tmp_path / "data"), str(tmp_path / "spark"), engine="spark", threads=2, memory_limit="1GB")
    finally:
        if SparkSession.getActiveSession() is not None:
            SparkSession.getActiveSession().stop()
    for name in OUTPUTS:
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "duck" / name).read_bytes(), name
    assert len(read_out(tmp_path / "spark", "hits.csv")) >= 14
