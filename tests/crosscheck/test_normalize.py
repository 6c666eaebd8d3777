"""Normalisation shared by every engine: ID numbers, names, dates, months, years, money."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from tests.crosscheck.rosterdata import id15, pid, wrong_check
from xuncha.crosscheck import normalize as nz


def test_the_library_imports_no_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = ("import sys, xuncha.crosscheck, xuncha.crosscheck.runner, xuncha.crosscheck.command, "
            "xuncha.crosscheck.engine_duckdb; "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# --- ID numbers ---------------------------------------------------------------------------------------------

def test_check_digit_of_the_standard_example():
    # The example of GB 11643-1999: 11010519491231002X.
    assert nz.id_check_digit("11010519491231002") == "X"
    assert nz.normalize_id("11010519491231002X") == ("11010519491231002X", None)


@pytest.mark.parametrize("written", [
    "11010519491231002x",                   # lower-case x
    "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and letter
    "110105 19491231 002X",                 # spaces
    "110105-19491231-002X",                 # hyphens
    " 110105\u300019491231002X\t",          # ideographic space, tab
    "'11010519491231002X",                  # Excel's leading apostrophe
    '="11010519491231002X"',                # Excel's formula trick
    "110105491231002",                      # the 15-digit form
])
def test_id_forms_normalise_to_one_number(written):
    assert nz.normalize_id(written) == ("11010519491231002X", None)


def test_fifteen_digit_numbers_get_19_and_a_check_digit():
    full = pid(7, "19650228")
    short = id15(full)
    assert len(short) == 15
    assert nz.normalize_id(short) == (full, None)
    assert nz.normalize_id(int(short)) == (full, None)  # a number cell from Excel


@pytest.mark.parametrize("written, reason", [
    ("", "身份证号为空"),
    (None, "身份证号为空"),
    ("110105194912310021", "身份证号校验位错误（应为X）"),
    ("110105194902300020", "身份证号中的出生日期无效"),   # 30 February
    ("110105189912310020", "身份证号中的出生日期无效"),   # before 1900
    ("110105491331002", "身份证号中的出生日期无效"),      # 15 digits, month 13
    ("1101051949123100", "身份证号位数或字符不正确（16位）"),
    ("11010519491231002A", "身份证号位数或字符不正确（18位）"),
    ("1.10105E+17", "身份证号以科学计数法保存，已丢失精度"),
    (1.1010519491231e17, "身份证号被保存为数字，已丢失精度"),
])
def test_bad_id_numbers_come_with_a_reason(written, reason):
    assert nz.normalize_id(written) == (None, reason)


def test_a_future_birth_date_is_not_valid():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert nz.normalize_id(pid(1, tomorrow.strftime("%Y%m%d")))[0] is None


def test_birth_and_area_are_read_from_a_number_with_a_wrong_check_digit():
    assert nz.id_birth_and_area(wrong_check(pid(3, "19551231", "340123"))) == ("1955-12-31", "340123")
    assert nz.id_birth_and_area("abc") == (None, None)


# --- names and text --------------------------------------------------------------------------------------

def test_traditional_names_become_simplified():
    assert nz.normalize_name("張偉") == ("张伟", None)
    assert nz.normalize_name("劉德華") == ("刘德华", None)
    assert nz.normalize_name("陳") == nz.normalize_name("陈")


@pytest.mark.parametrize("dot", ["·", "•", "・", "‧", ".", "．", "･", "∙", "⋅"])
def test_every_middle_dot_becomes_one(dot):
    assert nz.normalize_name(f"买买提{dot}艾力") == ("买买提·艾力", None)


def test_white_space_leaves_names():
    assert nz.normalize_name(" 王  五\u3000") == ("王五", None)
    assert nz.normalize_name("阿依古丽 · 买买提") == ("阿依古丽·买买提", None)
    assert nz.normalize_name("   ") == (None, None)


def test_text_and_codes():
    assert nz.normalize_text(" 县 财政局（本级）") == ("县财政局(本级)", None)
    assert nz.normalize_text("摩托車") == ("摩托车", None)
    assert nz.normalize_code(" ｊｘ-001 ") == ("JX-001", None)


# --- dates, months, years ----------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "2023-05-01", "2023/5/1", "2023.5.1", "2023年5月1日", "20230501", "2023-05-01 00:00:00",
    "45047", "45047.0", 45047, dt.datetime(2023, 5, 1, 8, 30), dt.date(2023, 5, 1), "２０２３年５月１日",
])
def test_date_forms(written):
    assert nz.parse_date(written) == (dt.date(2023, 5, 1), None)


@pytest.mark.parametrize("written, reason", [
    ("2023-02-30", "日期不存在（2023-02-30）"),
    ("20231301", "日期不存在（2023-13-01）"),
    ("1850-01-01", "年份1850超出范围"),
    ("明年", "日期格式无法识别（明年）"),
    ("2023", "日期格式无法识别（2023）"),   # a year is not a date (and not an Excel serial)
])
def test_impossible_dates_come_with_a_reason(written, reason):
    assert nz.parse_date(written) == (None, reason)


def test_excel_serial_dates():
    assert nz.excel_serial_date(1) == (dt.date(1900, 1, 1), None)
    assert nz.excel_serial_date(61) == (dt.date(1900, 3, 1), None)
    assert nz.excel_serial_date(60)[0] is None  # Excel's 1900-02-29 never existed


@pytest.mark.parametrize("written", [
    "2023-05", "2023/5", "2023.05", "2023年5月", "2023年05月份", "202305", "2023-05-15", "2023年5月1日",
    dt.datetime(2023, 5, 1), "45047", 202305,
])
def test_month_forms(written):
    assert nz.parse_month(written) == (nz.month_number(2023, 5), None)


def test_months_are_numbers_and_print_back():
    may = nz.month_number(2023, 5)
    assert nz.month_number(2023, 8) - may == 3
    assert nz.month_number(2024, 1) - nz.month_number(2023, 12) == 1
    assert nz.month_text(may) == "2023-05"


@pytest.mark.parametrize("written, reason", [
    ("2023-13", "月份不存在（2023年13月）"), ("202300", "月份不存在（2023年0月）"),
    ("五月", "年月格式无法识别（五月）"),
])
def test_bad_months(written, reason):
    assert nz.parse_month(written) == (None, reason)


def test_years_and_money():
    for written in ("2023", "2023年", "2023年度", 2023, 2023.0, dt.date(2023, 7, 1)):
        assert nz.parse_year(written) == (2023, None)
    assert nz.parse_year("23")[0] is None
    assert nz.parse_money("1,234.50") == (1234.5, None)
    assert nz.parse_money("￥1234元") == (1234.0, None)
    assert nz.parse_money("１２３") == (123.0, None)
    assert nz.parse_money("很多")[0] is None
