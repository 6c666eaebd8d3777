"""Read the rosters of a data folder into normalised frames, and say why each unusable row was left out.

``<kind>.csv`` or ``<kind>.xlsx`` per roster. CSV encodings: UTF-8 (with or without BOM), UTF-16 (with a
BOM, or recognised by its NUL bytes), else GB18030 (a superset of GBK and GB2312). The header row is the
first of the first ten rows that names the most known columns, so a title line above it does no harm.
Row numbers are those a person sees: the line in the CSV (header = its own line), the row in Excel.

Normalisation works on the distinct values of a column (a person appears in many payment months), so
each distinct cell goes through Python once and the column is mapped.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xuncha.crosscheck import normalize as nz
from xuncha.crosscheck.rosters import ROSTERS, RosterKind

HEADER_SEARCH_ROWS = 10
_CHUNK = 1 << 20


class UnreadableFile(Exception):
    pass


@dataclass
class Roster:
    """One roster, read and normalised.

    ``frame`` holds the rows that take part: ``_row`` (the source row number), ``_proxy`` / ``_score`` /
    ``_why`` (set on rows matched without a valid ID, see review.py), the fields of the roster kind
    (normalised), ``<date>__m`` / ``<date>__y`` / ``<month>__y`` (month number and year of dates and
    months) and ``<id>__raw`` (the ID as written, where it differs from the normalised one).
    ``invalid_ids``: rows whose only problem is the person's ID (candidates for review.csv).
    """

    kind: str
    file: str
    frame: pd.DataFrame
    rows_read: int = 0
    encoding: str = ""
    invalid_ids: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Rejection:
    file: str
    row: int | None
    column: str
    value: str
    reason: str


REJECTED_COLUMNS = ("file", "row", "column", "value", "reason")


# --- encodings and raw cells --------------------------------------------------------------------------------

def _decodes(path: str, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: str) -> str:
    """The encoding of a CSV file: utf-8-sig, utf-16 (BOM), utf-16-le/-be (no BOM), utf-8 or gb18030."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Without a BOM, UTF-16 shows itself by the NUL byte beside every ASCII digit, comma and newline.
    sample = head[: len(head) // 2 * 2]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        half = len(sample) // 2
        if odd > half // 10 and even * 4 < odd:
            return "utf-16-le"
        if even > half // 10 and odd * 4 < even:
            return "utf-16-be"
    if _decodes(path, "utf-8"):
        return "utf-8"
    if _decodes(path, "gb18030"):
        return "gb18030"
    raise UnreadableFile("无法识别文件编码（支持UTF-8、GBK/GB18030、UTF-16）")


def _csv_cells(path: str, encoding: str) -> pd.DataFrame:
    """Every cell of a CSV file as a string (no header handling yet); index = line number - 1."""
    with open(path, encoding=encoding, newline="") as f:
        first = f.readline()
    sep = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return pd.read_csv(path, encoding=encoding, sep=sep, header=None, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, quotechar='"', engine="c")
    except (pd.errors.ParserError, ValueError):
        # Ragged rows (more cells than the header): the csv module takes them as they are.
        with open(path, encoding=encoding, newline="") as f:
            rows = list(csv.reader(f, delimiter=sep))
        width = max((len(r) for r in rows), default=0)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def _xlsx_cells(path: str) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damaged workbook is reported, not raised
        raise UnreadableFile(f"无法打开Excel文件（{type(exc).__name__}）") from exc
    try:
        sheet = next((ws for ws in wb.worksheets if ws.max_row and ws.max_row > 1), wb.worksheets[0])
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)


# --- headers -------------------------------------------------------------------------------------------------

def _header_key(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split()).strip("*：:")
    return nz.to_simplified(text)


def _match_headers(cells: list[Any], roster: RosterKind) -> dict[str, int]:
    """field → column index, exact headers first, then the aliases."""
    keys = [_header_key(c) for c in cells]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for pass_aliases in (False, True):
        for column in roster.columns:
            if column.field in found:
                continue
            names = column.aliases if pass_aliases else (column.header,)
            for name in names:
                wanted = _header_key(name)
                idx = next((i for i, k in enumerate(keys) if k == wanted and i not in taken), None)
                if idx is not None:
                    found[column.field] = idx
                    taken.add(idx)
                    break
    return found


def _find_header(cells: pd.DataFrame, roster: RosterKind) -> tuple[int, dict[str, int]]:
    best = (0, {})
    for i in range(min(HEADER_SEARCH_ROWS, len(cells))):
        found = _match_headers(list(cells.iloc[i]), roster)
        if len(found) > len(best[1]):
            best = (i, found)
    return best


# --- normalisation of a column ----------------------------------------------------------------------------

_PARSERS: dict[str, Callable[[Any], nz.Result]] = {
    "id": nz.normalize_id,
    "name": nz.normalize_name,
    "text": nz.normalize_text,
    "code": nz.normalize_code,
    "date": nz.parse_date,
    "month": nz.parse_month,
    "year": nz.parse_year,
    "money": nz.parse_money,
    "number": nz.parse_number,
}


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    return isinstance(value, str) and not value.strip()


def _map_unique(column: Any, fn: Callable[[Any], Any]) -> np.ndarray:
    """fn over a column (Series or array), called once per distinct value; an object array.

    pandas.factorize hashes the column once; fn runs over the distinct values only; numpy.take spreads
    the results back (code -1, a missing cell, takes the last element: fn(None)).
    """
    codes, uniques = pd.factorize(np.asarray(column, dtype=object) if not isinstance(column, pd.Series) else column)
    results = [fn(u) for u in uniques]
    results.append(fn(None))
    table = np.empty(len(results), dtype=object)
    table[:] = results
    return table[codes]


def _blank_mask(series: pd.Series) -> np.ndarray:
    return _map_unique(series, _blank).astype(bool)


def _map_column(series: pd.Series, parse: Callable[[Any], nz.Result]) -> tuple[np.ndarray, np.ndarray]:
    pairs = _map_unique(series, lambda cell: (None, None) if _blank(cell) else parse(cell))
    values = np.empty(len(pairs), dtype=object)
    reasons = np.empty(len(pairs), dtype=object)
    if len(pairs):
        values[:] = [p[0] for p in pairs]
        reasons[:] = [p[1] for p in pairs]
    return values, reasons


def _display(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def empty_frame(roster: RosterKind) -> pd.DataFrame:
    return _typed_frame(np.array([], dtype="int64"), roster, {})


def _none_array(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _typed_frame(rows: np.ndarray, roster: RosterKind, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """The frame an engine sees: fixed (nullable) dtypes, whatever the input looked like."""
    n = len(rows)
    out = {"_row": np.asarray(rows, dtype="int64"),
           "_proxy": np.zeros(n, dtype=bool),
           "_score": pd.array(np.full(n, np.nan), dtype="Float64"),
           "_why": pd.array(_none_array(n), dtype="string")}
    for column in roster.columns:
        arr = values.get(column.field)
        if arr is None:
            arr = _none_array(n)
        if column.type == "date":
            out[column.field] = pd.array(_map_unique(arr, lambda d: d.isoformat() if d else None), dtype="string")
            out[column.field + "__m"] = pd.array(
                _map_unique(arr, lambda d: nz.month_number(d.year, d.month) if d else None), dtype="Int64")
            out[column.field + "__y"] = pd.array(_map_unique(arr, lambda d: d.year if d else None), dtype="Int64")
        elif column.type == "month":
            out[column.field] = pd.array(arr, dtype="Int64")
            out[column.field + "__y"] = pd.array(_map_unique(arr, lambda v: None if v is None else v // 12),
                                                 dtype="Int64")
        elif column.type == "year":
            out[column.field] = pd.array(arr, dtype="Int64")
        elif column.type in ("money", "number"):
            out[column.field] = pd.array(arr, dtype="Float64")
        else:
            out[column.field] = pd.array(arr, dtype="string")
        if column.type == "id":
            raw = values.get(column.field + "__raw")
            out[column.field + "__raw"] = pd.array(_none_array(n) if raw is None else raw, dtype="string")
    return pd.DataFrame(out)


# --- a roster file ---------------------------------------------------------------------------------------

TABLE_EXTENSIONS = (".csv", ".xlsx", ".xls", ".xlsm", ".et", ".tsv", ".txt")


def find_roster_files(data_dir: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """kind → path for every known roster in the folder; and (file name, why not used) for the others."""
    found: dict[str, str] = {}
    ignored: list[tuple[str, str]] = []
    for name in sorted(os.listdir(data_dir)):
        stem, ext = os.path.splitext(name)
        stem, ext = stem.strip().lower(), ext.lower()
        path = os.path.join(data_dir, name)
        if not os.path.isfile(path) or name.startswith((".", "~$")):
            continue
        if stem in ROSTERS and ext in (".csv", ".xlsx"):
            if stem in found:
                ignored.append((name, f"同一名册已读取 {os.path.basename(found[stem])}，本文件未使用"))
                continue
            found[stem] = path
        elif stem in ROSTERS:
            ignored.append((name, f"不支持 {ext} 格式，请另存为 .xlsx 或 .csv，本文件未使用"))
        else:
            ignored.append((name, f"文件名不是已知的名册（{'、'.join(ROSTERS)}），本文件未使用"))
    return found, ignored


def read_roster(path: str, kind: str) -> tuple[Roster, list[Rejection]]:
    """Read and normalise one roster file. Unusable rows come back as rejections, never silently dropped."""
    roster = ROSTERS[kind]
    file = os.path.basename(path)
    rejections: list[Rejection] = []
    encoding = "xlsx"
    try:
        if path.lower().endswith(".xlsx"):
            cells = _xlsx_cells(path)
        else:
            encoding = detect_encoding(path)
            cells = _csv_cells(path, encoding)
    except UnreadableFile as exc:
        return Roster(kind, file, empty_frame(roster), encoding=encoding), [Rejection(file, None, "", "", str(exc))]

    header_idx, columns = _find_header(cells, roster) if len(cells) else (0, {})
    data = cells.iloc[header_idx + 1:]
    if len(data):
        blank = np.ones(len(data), dtype=bool)
        for col in data.columns:
            blank &= _blank_mask(data[col])
        data = data[~blank]
    row_numbers = np.asarray(data.index, dtype="int64") + 1
    result = Roster(kind, file, empty_frame(roster), rows_read=len(data), encoding=encoding)

    missing = [c for c in roster.columns if c.header_required and c.field not in columns]
    if not len(cells) or missing:
        what = "、".join(f"「{c.header}」" for c in missing) or "表头"
        reason = f"缺少必需列{what}，本文件未参与比对"
        rejections.append(Rejection(file, header_idx + 1 if len(cells) else None, what, "", reason))
        rejections.extend(Rejection(file, int(r), what, "", reason) for r in row_numbers)
        return result, rejections
    for column in roster.columns:
        if column.field not in columns:
            result.warnings.append(f"{file}: 缺少列「{column.header}」，按空值处理")

    header_cells = list(cells.iloc[header_idx])
    n = len(data)
    values: dict[str, np.ndarray] = {}
    problems: list[tuple[np.ndarray, str, np.ndarray, np.ndarray]] = []   # (row indexes, header, raw, reasons)
    bad_rows = np.zeros(n, dtype=bool)
    id_problem = np.zeros(n, dtype=bool)   # the person's ID is wrong
    other = np.zeros(n, dtype=bool)        # something else is wrong
    for column in roster.columns:
        if column.field not in columns:
            continue
        raw = data[columns[column.field]]
        value, reason = _map_column(raw, _PARSERS[column.type])
        if column.value_required:
            empty = "身份证号为空" if column.type == "id" else f"「{column.header}」为空"
            reason[(value == None) & (reason == None)] = empty  # noqa: E711 - element-wise on object arrays
        values[column.field] = value
        if column.type == "id":
            shown = _map_unique(raw, _display)
            cleaned = _map_unique(raw, lambda c: None if _blank(c) else nz.clean_id(c))
            shown[cleaned == value] = None
            values[column.field + "__raw"] = shown
        bad = reason != None  # noqa: E711
        if bad.any():
            where = np.flatnonzero(bad)
            header = _display(header_cells[columns[column.field]]).strip()
            problems.append((where, header, np.asarray(raw, dtype=object)[where], reason[where]))
            bad_rows |= bad
            if column.field == "id":
                id_problem |= bad
            else:
                other |= bad

    if problems:
        found = [(int(row_numbers[i]), order, header, _display(cell), why)
                 for order, (where, header, cells_, whys) in enumerate(problems)
                 for i, cell, why in zip(where, cells_, whys, strict=True)]
        found.sort(key=lambda t: (t[0], t[1]))
        rejections.extend(Rejection(file, row, header, cell, why) for row, _o, header, cell, why in found)
    # Rows whose only problem is the person's ID: review.py may still match them by name + birth date.
    only_id = id_problem & ~other
    if only_id.any():
        invalid = _typed_frame(row_numbers[only_id], roster, {k: v[only_id] for k, v in values.items()})
        raw_ids = np.asarray(data[columns["id"]], dtype=object)[only_id]
        invalid["id__raw"] = pd.array([_display(c) for c in raw_ids], dtype="string")
        result.invalid_ids = invalid
    good = ~bad_rows
    result.frame = _typed_frame(row_numbers[good], roster, {k: v[good] for k, v in values.items()})
    return result, rejections


def read_folder(data_dir: str) -> tuple[dict[str, Roster], list[Rejection], list[str]]:
    """Every roster of a folder; the rejections; notes (files not used, missing optional columns)."""
    if not os.path.isdir(data_dir):
        raise FileNotFoundError(f"数据目录不存在：{data_dir}")
    files, ignored = find_roster_files(data_dir)
    rosters: dict[str, Roster] = {}
    # A table that is not read is reported like a row that is not used; other files only in the notes.
    rejections = [Rejection(name, None, "", "", why) for name, why in ignored
                  if name.lower().endswith(TABLE_EXTENSIONS)]
    notes = [f"未使用的文件：{name}（{why}）" for name, why in ignored]
    for kind, path in files.items():
        roster, rejected = read_roster(path, kind)
        rosters[kind] = roster
        rejections.extend(rejected)
        notes.extend(roster.warnings)
    return rosters, rejections, notes


def rejections_csv(rejections: list[Rejection]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REJECTED_COLUMNS)
    for r in rejections:
        writer.writerow((r.file, "" if r.row is None else r.row, r.column, r.value, r.reason))
    return out.getvalue()
