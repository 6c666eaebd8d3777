"""The cluster engine: Spark SQL over the same normalised rosters, written to Parquet.

The rosters are normalised in Python first (the same pre-pass as for DuckDB), written as Parquet into a
work folder and read by Spark as temporary views; each rule runs as the SQL of the ``spark`` dialect and
its match rows are collected. For a real cluster the work folder must be on storage every executor reads
(``--temp-dir`` on a shared file system).
"""

from __future__ import annotations

import logging
import os
import shutil
import warnings
from typing import Any

import pandas as pd

from xuncha.crosscheck.rules import CompiledRule


class SparkEngine:
    name = "spark"
    dialect = "spark"

    def __init__(self, *, master: str | None = None, work_dir: str, memory_limit: str | None = None,
                 threads: int | None = None):
        logging.getLogger("py4j").setLevel(logging.WARNING)   # its INFO lines at exit go to closed streams
        with warnings.catch_warnings():
            # pyspark warns about pandas >= 3 for its own pandas conversions, which are not used here.
            warnings.simplefilter("ignore", FutureWarning)
            from pyspark.sql import SparkSession

        master = master or f"local[{int(threads) if threads else '*'}]"
        builder = (SparkSession.builder.master(master).appName("xuncha-crosscheck")
                   .config("spark.ui.enabled", "false")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.shuffle.partitions", str(max(2, int(threads or os.cpu_count() or 2) * 2)))
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.ansi.enabled", "false"))
        if master.startswith("local"):
            builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        if memory_limit and master.startswith("local"):
            builder = builder.config("spark.driver.memory", memory_limit.lower().replace("gb", "g").replace("mb", "m"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            self.spark = builder.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        self.master = master
        self.work_dir = work_dir
        parent = os.path.dirname(os.path.abspath(work_dir))
        self._made_parent = parent if not os.path.isdir(parent) else None
        os.makedirs(work_dir, exist_ok=True)

    def settings(self) -> dict[str, Any]:
        return {"master": self.master, "work_dir": self.work_dir, "spark_version": self.spark.version}

    def load(self, table: str, frame: pd.DataFrame) -> None:
        path = os.path.join(self.work_dir, f"{table}.parquet")
        frame.to_parquet(path, index=False)
        self.spark.read.parquet(path).createOrReplaceTempView(table)

    def matches(self, compiled: CompiledRule) -> tuple[list[str], list[tuple]]:
        df = self.spark.sql(compiled.sql)
        columns = df.columns
        return columns, [tuple(row) for row in df.collect()]

    def close(self) -> None:
        # The session is kept for the process (starting a JVM is slow); the Parquet copies are removed.
        shutil.rmtree(self.work_dir, ignore_errors=True)
        if self._made_parent and os.path.isdir(self._made_parent) and not os.listdir(self._made_parent):
            os.rmdir(self._made_parent)
