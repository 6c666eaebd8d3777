"""The embedded engine: DuckDB, in memory, with a memory limit, a thread count and a folder to spill to."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from xuncha.crosscheck.rules import CompiledRule


class DuckDBEngine:
    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, *, memory_limit: str = "4GB", threads: int | None = None, temp_directory: str | None = None):
        import duckdb

        config: dict[str, Any] = {
            "memory_limit": memory_limit,
            "threads": int(threads or os.cpu_count() or 1),
            # Output order is fixed by the runner, not the engine: letting DuckDB reorder saves memory.
            "preserve_insertion_order": False,
        }
        self._made_temp = None
        if temp_directory:
            if not os.path.isdir(temp_directory):
                os.makedirs(temp_directory)
                self._made_temp = temp_directory
            config["temp_directory"] = temp_directory
        self.con = duckdb.connect(":memory:", config=config)

    def settings(self) -> dict[str, str]:
        names = ("memory_limit", "threads", "temp_directory")
        row = self.con.execute(f"SELECT {', '.join(f'current_setting({n!r})' for n in names)}").fetchall()[0]
        return dict(zip(names, (str(v) for v in row), strict=True))

    def load(self, table: str, frame: pd.DataFrame) -> None:
        """Copy a normalised roster into a DuckDB table (DuckDB then owns it and may spill it)."""
        self.con.register("_incoming", frame)
        try:
            self.con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def matches(self, compiled: CompiledRule) -> tuple[list[str], list[tuple]]:
        cursor = self.con.execute(compiled.sql)
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()

    def close(self) -> None:
        self.con.close()
        if self._made_temp and os.path.isdir(self._made_temp) and not os.listdir(self._made_temp):
            os.rmdir(self._made_temp)
