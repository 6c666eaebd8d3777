"""大数据比对: cross-check rosters from other departments with rules written as data.

A plain library: nothing here imports Django, so the same code runs in a command, in a background
job and inside Spark workers. The pieces:

- `normalize`: ID numbers, names, dates, months, years, money, text, done once in Python for every engine;
- `rosters`: the roster kinds and their Chinese headers;
- `reader`: reading `<kind>.csv` / `<kind>.xlsx` (encoding detection, header finding, rejected rows);
- `rules`: the YAML rule format, its small predicate language and its compiler to SQL;
- `review`: rows without a valid ID matched on name + birth date + region (to review.csv only);
- `engine_duckdb`: the embedded engine; `engine_spark`: the cluster engine (needs pyspark and Java);
- `runner`: the whole run and the output files; `command`: ``xuncha crosscheck …``.
"""

from __future__ import annotations

__all__ = ["run_crosscheck"]


def run_crosscheck(*args, **kwargs):
    """Shortcut for `xuncha.crosscheck.runner.run_crosscheck` (imported lazily: DuckDB loads on use)."""
    from xuncha.crosscheck.runner import run_crosscheck as _run

    return _run(*args, **kwargs)
