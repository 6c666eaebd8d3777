"""One folder of rosters with a planted hit (and a near miss) for every built-in rule, plus the traps:
15-digit numbers, wrong check digits, traditional names, middle-dot variants, GBK / UTF-16 / xlsx files,
Excel serial dates. `write_planted` returns exactly the (rule_id, person_id) pairs hits.csv must hold,
and the pairs review.csv must hold.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.crosscheck.rosterdata import id15, pid, write_csv, write_xlsx, wrong_check


def write_planted(folder: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    p = {i: pid(i, "19600101" if i < 50 else "19750615") for i in range(1, 100)}
    hits: set[tuple[str, str]] = set()
    review: set[tuple[str, str]] = set()

    # deaths (GBK; a 15-digit number; an Excel serial date; a wrong check digit for review)
    write_csv(folder, "deaths", [
        ["張三", id15(p[1]), "2023-05-01"],         # pension 2023-08: hit; 2023-07: miss
        ["李四", p[2], "45047"],                     # 2023-05-01 as an Excel serial; dibao 2023-07: miss
        ["王五", p[3], "2023年5月31日"],             # dibao 2023-08: hit
        ["赵六", p[4], "20230510"],                  # payroll 2023-06: hit; 2023-05: miss
        ["买买提．艾力", wrong_check(p[5]), "2023-01-10"],   # review: pension 2023-06 of 买买提·艾力
    ], encoding="gbk")
    hits |= {("pension_after_death", p[1]), ("dibao_after_death", p[3]), ("payroll_after_death", p[4])}
    review |= {("pension_after_death", p[5])}

    # pension (UTF-16)
    write_csv(folder, "pension", [
        ["张三", p[1], "2023-07", "1200", "东乡"],
        ["张三", p[1], "2023-08", "1200", "东乡"],
        ["买买提·艾力", p[5], "2023-06", "1000", "西乡"],
        ["钱七", p[6], "2023-04", "900", "西乡"],          # in prison: hit (prisoner_paid)
    ], encoding="utf-16")
    hits |= {("prisoner_paid", p[6])}

    # dibao (xlsx with a title row and date cells)
    write_xlsx(folder, "dibao", [
        ["李四", p[2], "2023-07", 300, "东乡"],
        ["王五", p[3], dt.datetime(2023, 8, 1), 300, "东乡"],
        ["孙八", p[7], "2023-03", 300, "东乡"],               # employee (inclusive start month): hit
        ["周九", p[8], "2023-06", 300, "南乡"],               # cadre in term: hit
        ["吴十", p[9], "2023-06", 300, "南乡"],               # cadre's relative: hit
        ["郑一", p[10], "2023-06", 300, "南乡"],              # paid twice in one month: hit
        ["郑一", p[10], "2023年6月", 300, "南乡"],
        ["冯二", p[11], "2023-06", 300, "北乡"],              # owns a car: hit
        ["陈三", p[12], "2023-06", 300, "北乡"],              # owns a motorcycle: miss
        ["钱七", p[6], "2023-03", 300, "西乡"],               # the month of 入狱: miss
    ], title="某县低保发放名册")
    hits |= {("employee_on_dibao", p[7]), ("cadre_on_dibao", p[8]), ("cadre_relative_on_dibao", p[9]),
             ("duplicate_dibao", p[10]), ("dibao_with_car", p[11])}

    write_csv(folder, "public_employees", [
        ["孫八", p[7], "县民政局", "科员", "2023-03-31", ""],
        ["褚四", p[13], "县水利局", "科员", "2015-01-01", ""],        # runs a company: hit
        ["卫五", p[14], "县农业局", "科员", "2020-01-01", "2021-02-01"],  # machinery 2021: hit
        ["蒋六", p[15], "县财政局", "科员", "2010-01-01", "2023-04-15"],  # payroll 2023-05: hit
        ["赵六", p[4], "县财政局", "科员", "2000-01-01", ""],
    ])
    hits |= {("employee_runs_company", p[13]), ("machinery_employee", p[14]), ("payroll_after_leaving", p[15])}

    write_csv(folder, "village_cadres", [
        ["周九", p[8], "东村", "主任", "2021-01-01", "2023-06-30"],
        ["沈七", p[16], "西村", "书记", "2022-01-01", ""],
    ])
    write_csv(folder, "relatives", [[p[16], "吴十", p[9], "配偶"]])
    write_csv(folder, "company_roles", [
        ["甲公司", "91340100MA2XXXXX1", "褚四", p[13], "股东", "2019-01-01", ""],
        ["乙公司", "91340100MA2XXXXX2", "卫五", p[14], "监事", "2019-01-01", ""],
    ])
    write_csv(folder, "vehicles", [
        ["皖A00001", "冯二", p[11], "小型轿车", "2023-06-30"],
        ["皖A00002", "陈三", p[12], "摩托车", "2020-01-01"],
    ])
    write_csv(folder, "prisoners", [["钱七", p[6], "2023-03-01", "2023-09-30"]])
    write_csv(folder, "machinery_subsidies", [
        ["韩八", p[17], "J-1", "5000", "2023"], ["韩八", p[17], "J-2", "5000", "2023"],
        ["韩八", p[17], "J-3", "5000", "2023"],                         # three machines: hit
        ["杨九", p[18], "K-1", "5000", "2023"], ["杨九", p[18], "K-2", "5000", "2023"],   # two: miss
        ["卫五", p[14], "L-1", "5000", "2021年度"],
    ], encoding="utf-8")
    hits |= {("machinery_many", p[17])}
    write_csv(folder, "payroll", [
        ["赵六", p[4], "县财政局", "2023-05", "5000"], ["赵六", p[4], "县财政局", "2023-06", "5000"],
        ["蒋六", p[15], "县财政局", "2023-04", "5000"], ["蒋六", p[15], "县财政局", "2023-05", "5000"],
    ])
    write_csv(folder, "farmland_subsidies", [
        ["朱一", p[19], "P-1", "2.0", "2023", "200"], ["秦二", p[20], "P-1", "2.0", "2023", "200"],   # both hit
        ["尤三", p[21], "P-2", "1.0", "2022", "100"], ["尤三", p[21], "P-2", "1.0", "2023", "100"],   # miss
    ])
    hits |= {("farmland_double", p[19]), ("farmland_double", p[20])}
    return hits, review
