"""Normalisation shared by every engine: done once, in Python, before any engine sees the data.

Each function takes one cell as read from a CSV (a string) or an .xlsx file (str, int, float, datetime)
and returns ``(value, reason)``: the normalised value and ``None``, or ``None`` and the reason (in
Chinese, for rejected.csv) why the cell cannot be used. An empty cell gives ``(None, None)`` except for
ID numbers, whose absence is itself a reason.

Decisions (docs/crosscheck.md):
- Chinese string work (traditional → simplified, middle dots, full-width forms) happens here and never
  in an engine: DuckDB's and Spark's string functions disagree on what a character is.
- Dates are kept as ISO strings ``YYYY-MM-DD`` (they sort and compare the same in every engine) and
  months as a month number ``year * 12 + month - 1`` (month arithmetic is integer arithmetic).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import math
import os
import re
import unicodedata
from typing import Any

from xuncha.core.id_numbers import check_digit as id_check_digit  # plain Python, no Django

Result = tuple[Any, str | None]

# --- ID numbers (GB 11643-1999) -------------------------------------------------------------------------

# Separators and wrappers people and spreadsheets put around numbers: spaces, every kind of hyphen or dash,
# quotes, and the ="…" / '… tricks used to keep Excel from mangling long numbers.
_ID_JUNK = re.compile(r"[\s\u200b\u200c\u200d\ufeff\-\u2010-\u2015\u2212\ufe58\ufe63'\"=\u2018\u2019\u201c\u201d`]")
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+")
_FLOAT_TAIL = re.compile(r"([0-9]+)\.0+")
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")

TODAY = dt.date.today


def clean_id(value: Any) -> str:
    """The ID text with formatting removed (full-width → ASCII, no separators, x → X); not validated."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:E}" if math.isfinite(value) else ""
    text = _ID_JUNK.sub("", unicodedata.normalize("NFKC", str(value))).upper()
    m = _FLOAT_TAIL.fullmatch(text)
    return m.group(1) if m else text


def _birth(yyyymmdd: str) -> dt.date | None:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    return born if dt.date(1900, 1, 1) <= born <= TODAY() else None


def normalize_id(value: Any) -> Result:
    """An 18-digit ID number (15-digit ones upgraded), or None and the reason it is not valid."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) >= 1e15:
        return None, "身份证号被保存为数字，已丢失精度"
    text = clean_id(value)
    if not text:
        return None, "身份证号为空"
    if _SCIENTIFIC.fullmatch(text):
        return None, "身份证号以科学计数法保存，已丢失精度"
    if _ID15.fullmatch(text):
        if _birth("19" + text[6:12]) is None:
            return None, "身份证号中的出生日期无效"
        body = text[:6] + "19" + text[6:]
        return body + id_check_digit(body), None
    if not _ID18.fullmatch(text):
        return None, f"身份证号位数或字符不正确（{len(text)}位）"
    if _birth(text[6:14]) is None:
        return None, "身份证号中的出生日期无效"
    expected = id_check_digit(text[:17])
    if text[17] != expected:
        return None, f"身份证号校验位错误（应为{expected}）"
    return text, None


def id_birth_and_area(value: Any) -> tuple[str | None, str | None]:
    """From an ID that failed validation: its birth date (ISO) and 6-digit area code, where readable."""
    text = clean_id(value)
    if _ID15.fullmatch(text):
        text = text[:6] + "19" + text[6:]
    if len(text) < 14 or not text[:14].isascii() or not text[:14].isdigit():
        return None, None
    born = _birth(text[6:14])
    return (born.isoformat() if born else None), text[:6]


# --- names and text ------------------------------------------------------------------------------------

# The middle dot of minority names (买买提·艾力) and the characters typed in its place. After NFKC the
# full-width forms (．, ･) have become "." and "・".
MIDDLE_DOT = "\u00b7"
_DOTS = "\u00b7\u0387\u2022\u2027\u2219\u22c5\u2e31\u30fb\ua78f\ufe52\uff0e\uff65.\u16eb"
_DOT_RUN = re.compile(MIDDLE_DOT + "+")
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


@functools.cache
def _t2s_table() -> dict[int, str]:
    """Traditional (and Taiwan/Hong Kong variant) characters → simplified, character by character.

    Built from OpenCC's dictionaries (opencc-python-reimplemented, Apache-2.0). Names are matched, not
    displayed, so a character with several simplified readings always takes the first one: both sides of a
    join convert the same way.
    """
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("opencc-python-reimplemented is required for traditional → simplified names")
    folder = os.path.join(list(spec.submodule_search_locations)[0], "dictionary")

    def read(name: str) -> dict[str, str]:
        pairs = {}
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                key, _tab, values = line.rstrip("\n").partition("\t")
                if len(key) == 1 and values:
                    pairs[key] = values.split(" ")[0]
        return pairs

    variants = {**read("HKVariantsRev.txt"), **read("TWVariantsRev.txt")}
    chars = read("TSCharacters.txt")
    table = {ord(k): chars.get(v, v) for k, v in variants.items()}
    for k, v in chars.items():
        table.setdefault(ord(k), v)
    for dot in _DOTS:
        table[ord(dot)] = MIDDLE_DOT
    return table


def to_simplified(text: str) -> str:
    return text.translate(_t2s_table())


def normalize_name(value: Any) -> Result:
    """A person's name as a join key: simplified, one middle dot, no white space."""
    if value is None:
        return None, None
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))
    text = _DOT_RUN.sub(MIDDLE_DOT, to_simplified(text)).strip(MIDDLE_DOT)
    return (text or None), None


def normalize_text(value: Any) -> Result:
    """Free text used as a key (单位, 车辆类型, 角色): full-width → half-width, simplified, no white space."""
    if value is None:
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACE.sub("", to_simplified(unicodedata.normalize("NFKC", str(value))))
    return (text or None), None


def normalize_code(value: Any) -> Result:
    """Codes (机具编号, 地块编码, 车牌号, 统一社会信用代码): half-width, upper case, no white space."""
    if value is None:
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACE.sub("", to_simplified(unicodedata.normalize("NFKC", str(value)))).upper()
    return (text or None), None


# --- dates, months, years --------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_DATE8 = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"(\d{5})(\.\d+)?")
_TIME_TAIL = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?")
_MONTH6 = re.compile(r"(\d{4})(\d{2})")
_YEAR = re.compile(r"(\d{4})\s*(?:年度|年)?")
MIN_YEAR, MAX_YEAR = 1900, 2100


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


def _make_date(y: int, m: int, d: int) -> Result:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None, f"年份{y}超出范围"
    try:
        return dt.date(y, m, d), None
    except ValueError:
        return None, f"日期不存在（{y}-{m:02d}-{d:02d}）"


def excel_serial_date(serial: float) -> Result:
    """Excel's 1900 date system (day 60 is the non-existent 1900-02-29)."""
    day = int(serial)
    if day == 60 or day < 1:
        return None, f"Excel日期序号{day}无效"
    base = dt.date(1899, 12, 30) if day > 60 else dt.date(1899, 12, 31)
    return _make_date(*(base + dt.timedelta(days=day)).timetuple()[:3])


def parse_date(value: Any) -> Result:
    """A `datetime.date` from 2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501, an Excel serial or a cell."""
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return _make_date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day)
    text = _TIME_TAIL.sub("", _cell_text(value))
    if not text:
        return None, None
    if m := _DATE.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DATE8.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if _SERIAL.fullmatch(text):
        return excel_serial_date(float(text))
    return None, f"日期格式无法识别（{text[:20]}）"


def month_number(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_text(number: int | None) -> str:
    if number is None:
        return ""
    y, m = divmod(int(number), 12)
    return f"{y:04d}-{m + 1:02d}"


def parse_month(value: Any) -> Result:
    """A month number from 2023-05, 2023/5, 2023年5月, 202305, a full date or a date cell."""
    if value is None:
        return None, None
    if isinstance(value, dt.date):
        day, reason = parse_date(value)
        return (month_number(day.year, day.month) if day else None), reason
    text = _TIME_TAIL.sub("", _cell_text(value))
    if not text:
        return None, None
    m = _MONTH.fullmatch(text) or _MONTH6.fullmatch(text)
    if m:
        y, mo = int(m[1]), int(m[2])
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None, f"年份{y}超出范围"
        if not 1 <= mo <= 12:
            return None, f"月份不存在（{y}年{mo}月）"
        return month_number(y, mo), None
    day, reason = parse_date(text)
    if day is None:
        return None, (f"年月格式无法识别（{text[:20]}）" if reason and reason.startswith("日期格式") else reason)
    return month_number(day.year, day.month), None


def parse_year(value: Any) -> Result:
    """A year from 2023, 2023年, 2023年度, 2023.0 or a date cell."""
    if value is None:
        return None, None
    if isinstance(value, dt.date):
        return value.year, None
    text = _cell_text(value)
    if not text:
        return None, None
    m = _YEAR.fullmatch(text)
    if not m:
        return None, f"年度格式无法识别（{text[:20]}）"
    y = int(m[1])
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None, f"年份{y}超出范围"
    return y, None


# --- money and numbers ------------------------------------------------------------------------------------

_MONEY_JUNK = re.compile(r"[\s,¥￥元$]|人民币")


def parse_money(value: Any) -> Result:
    """An amount in yuan from 1,234.50, ¥1234, 1234元, full-width digits; a float."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, "金额无法识别"
    if isinstance(value, int | float):
        return (float(value), None) if math.isfinite(value) else (None, "金额无法识别")
    text = _MONEY_JUNK.sub("", unicodedata.normalize("NFKC", str(value)))
    if not text:
        return None, None
    try:
        number = float(text)
    except ValueError:
        return None, f"数值无法识别（{text[:20]}）"
    if not math.isfinite(number):
        return None, f"数值无法识别（{text[:20]}）"
    return number, None


parse_number = parse_money
