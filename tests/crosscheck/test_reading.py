"""Reading rosters: encodings, Excel, header finding, and rejected.csv (nothing dropped silently)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.crosscheck.rosterdata import headers, hits_of, id15, pid, run, write_csv, write_xlsx, wrong_check
from xuncha.crosscheck.reader import detect_encoding, read_folder, read_roster
from xuncha.crosscheck.rosters import ROSTERS


@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_encodings_are_detected(tmp_path, encoding, detected):
    path = write_csv(tmp_path, "deaths", [["張三", pid(1), "2023-05-01"], ["买买提·艾力", pid(2), "2023年5月1日"]],
                     encoding=encoding)
    assert detect_encoding(str(path)) == detected
    roster, rejected = read_roster(str(path), "deaths")
    assert rejected == []
    assert list(roster.frame["name"]) == ["张三", "买买提·艾力"]
    assert list(roster.frame["death_date"]) == ["2023-05-01", "2023-05-01"]


def test_rosters_in_different_encodings_and_id_forms_still_join(tmp_path):
    d = tmp_path / "data"
    old = pid(5, "19520704")
    write_csv(d, "deaths", [["張三", id15(old), "2023-05-01"]], encoding="gbk")          # 15 digits, GBK
    write_csv(d, "pension", [["张三", old.lower(), "2023-08", "900", ""]], encoding="utf-16")
    result = run(tmp_path)
    assert hits_of(result, "pension_after_death") == {old}
    (hit,) = [h for h in result["hits"] if h["rule_id"] == "pension_after_death"]
    assert hit["person_name"] == "张三"
    death = next(e for e in result["evidence"] if e["roster"] == "deaths")
    assert f"身份证号={old}（原文{id15(old)}）" in death["content"]


def test_xlsx_with_a_title_row_date_cells_and_number_cells(tmp_path):
    d = tmp_path / "data"
    a, b, c = pid(1, "19500101"), pid(2), pid(3)
    write_xlsx(d, "deaths", [
        ["甲", int(id15(a)), dt.datetime(2023, 5, 1)],     # a 15-digit number cell, a date cell
        ["乙", b, 45047],                                  # an Excel serial number
        ["丙", int(c[:17] + "0") if c[17] != "X" else 1, "2023-05-01"],   # 18 digits as a number: precision lost
    ], title="某县2023年死亡人员名册")
    write_xlsx(d, "pension", [["甲", a, dt.datetime(2023, 8, 1), 100, "某县"], ["乙", b, "2023-08", 100, "某县"],
                              ["丙", c, "2023-08", 100, "某县"]])
    result = run(tmp_path)
    assert hits_of(result, "pension_after_death") == {a, b}
    (rej,) = result["rejected"]
    assert rej["file"] == "deaths.xlsx" and rej["row"] == "5" and rej["column"] == "身份证号"
    assert "丢失精度" in rej["reason"]


def test_rejected_rows_with_row_numbers_columns_and_reasons(tmp_path):
    d = tmp_path / "data"
    good, bad = pid(1), pid(2)
    write_csv(d, "deaths", [
        ["甲", good, "2023-05-01"],
        ["乙", wrong_check(bad), "2023-05-01"],
        ["", "", ""],                         # a blank line is not a row
        ["丙", pid(3), "2023-02-30"],
        ["丁", pid(4), ""],
        ["戊", "", "2023-05-01"],
        ["己", pid(6, "19901331"), "2023-05-01"],
    ], header=["姓名", "身份证号码", "死亡日期"])
    roster, rejected = read_roster(str(d / "deaths.csv"), "deaths")
    assert list(roster.frame["_row"]) == [2]
    reasons = [(r.row, r.column, r.reason) for r in rejected]
    assert reasons == [
        (3, "身份证号码", "身份证号校验位错误（应为" + bad[17] + "）"),
        (5, "死亡日期", "日期不存在（2023-02-30）"),
        (6, "死亡日期", "「死亡日期」为空"),
        (7, "身份证号码", "身份证号为空"),
        (8, "身份证号码", "身份证号中的出生日期无效"),
    ]
    assert roster.rows_read == 6  # every row is either used or rejected
    assert {r.row for r in rejected} | set(roster.frame["_row"]) == {2, 3, 5, 6, 7, 8}


def test_a_missing_column_rejects_every_row_of_the_file(tmp_path):
    d = tmp_path / "data"
    write_csv(d, "deaths", [["甲", pid(1)], ["乙", pid(2)]], header=["姓名", "身份证号"])
    write_csv(d, "pension", [["甲", pid(1), "2023-09", "1", ""]])
    result = run(tmp_path)
    assert result["hits"] == []
    rows = [(r["file"], r["row"]) for r in result["rejected"]]
    assert rows == [("deaths.csv", "1"), ("deaths.csv", "2"), ("deaths.csv", "3")]
    assert all(r["reason"] == "缺少必需列「死亡日期」，本文件未参与比对" for r in result["rejected"])


def test_optional_columns_may_be_absent_and_unknown_files_are_noted(tmp_path):
    d = tmp_path / "data"
    write_csv(d, "dibao", [["甲", pid(1), "2023-05"]], header=["姓名", "身份证号", "发放年月"])
    (d / "readme.md").write_text("x")
    (d / "deaths.xls").write_bytes(b"old excel")
    write_csv(d, "dibao", [["乙", pid(2), "2023-05"]], name="dibao.xlsx")   # a second dibao roster
    write_csv(d, "dibao", [["乙", pid(2), "2023-05"]], name="cars.csv")
    rosters, rejected, notes = read_folder(str(d))
    assert len(rosters["dibao"].frame) == 1 and list(rosters) == ["dibao"]
    assert [(r.file, r.reason) for r in rejected] == [
        ("cars.csv", "文件名不是已知的名册（" + "、".join(ROSTERS) + "），本文件未使用"),
        ("deaths.xls", "不支持 .xls 格式，请另存为 .xlsx 或 .csv，本文件未使用"),
        ("dibao.xlsx", "同一名册已读取 dibao.csv，本文件未使用"),
    ]
    assert any(n.startswith("未使用的文件：readme.md") for n in notes)
    assert any("缺少列「金额」" in n for n in notes)


def test_tab_separated_and_ragged_files(tmp_path):
    path = tmp_path / "deaths.csv"
    rows = ["\t".join(headers("deaths")), f"甲\t{pid(1)}\t2023-05-01", f"乙\t{pid(2)}\t2023-05-01\t多余"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    roster, rejected = read_roster(str(path), "deaths")
    assert rejected == [] and len(roster.frame) == 2


def test_an_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "deaths.xlsx"
    path.write_bytes(b"not a workbook")
    roster, rejected = read_roster(str(path), "deaths")
    assert len(roster.frame) == 0
    assert rejected[0].reason.startswith("无法打开Excel文件")
