"""Each built-in rule at its thresholds: a person one step inside hits, one step outside does not."""

from __future__ import annotations

from tests.crosscheck.rosterdata import hits_of, pid, run_rule, write_csv
from xuncha.crosscheck.rules import load_rules

BUILTIN_IDS = {
    "pension_after_death", "dibao_after_death", "employee_on_dibao", "cadre_on_dibao", "cadre_relative_on_dibao",
    "duplicate_dibao", "dibao_with_car", "employee_runs_company", "prisoner_paid", "machinery_many",
    "machinery_employee", "payroll_after_death", "payroll_after_leaving", "farmland_double",
}


def test_all_fourteen_rules_are_shipped_as_yaml():
    rules = load_rules()
    assert {r.id for r in rules} == BUILTIN_IDS
    for rule in rules:
        assert rule.source == f"{rule.id}.yaml"
        assert rule.title and rule.severity in ("high", "medium", "low") and rule.version >= 1


def _payments(rows):
    return [[name, pid_, month, "100", "某县"] for name, pid_, month in rows]


def test_pension_after_death_starts_three_months_after_the_month_of_death(tmp_path):
    d = tmp_path / "data"
    a, b, c = pid(1), pid(2), pid(3)
    write_csv(d, "deaths", [["甲", a, "2023-05-31"], ["乙", b, "2023-05-01"], ["丙", c, "2022-11-15"]])
    write_csv(d, "pension", _payments([
        ("甲", a, "2023-07"),               # two months after: no
        ("乙", b, "2023-08"),               # three months after: hit
        ("丙", c, "2023-02"),               # across the year end: Nov → Feb is three: hit
        ("丙", c, "2023-01"),
    ]))
    result = run_rule(tmp_path, "pension_after_death")
    assert hits_of(result, "pension_after_death") == {b, c}
    hit_c = next(h for h in result["hits"] if h["person_id"] == c)
    assert hit_c["matches"] == "1"
    assert "发放年月2023-02" in hit_c["detail"] and "死亡日期2022-11-15" in hit_c["detail"]


def test_dibao_after_death_same_threshold(tmp_path):
    d = tmp_path / "data"
    a, b = pid(1), pid(2)
    write_csv(d, "deaths", [["甲", a, "2023-05-10"], ["乙", b, "2023-05-10"]])
    write_csv(d, "dibao", _payments([("甲", a, "2023-07"), ("乙", b, "2023-08")]))
    assert hits_of(run_rule(tmp_path, "dibao_after_death"), "dibao_after_death") == {b}


def test_employee_on_dibao_months_inclusive(tmp_path):
    d = tmp_path / "data"
    first, last, before, after, still = (pid(i) for i in range(1, 6))
    write_csv(d, "public_employees", [
        ["甲", first, "县财政局", "科员", "2023-03-31", "2023-06-01"],
        ["乙", last, "县财政局", "科员", "2023-03-01", "2023-06-01"],
        ["丙", before, "县财政局", "科员", "2023-03-01", ""],
        ["丁", after, "县财政局", "科员", "2023-03-01", "2023-06-30"],
        ["戊", still, "县财政局", "科员", "2020-01-01", ""],
    ])
    write_csv(d, "dibao", _payments([
        ("甲", first, "2023-03"),   # the month of 入职日期: hit
        ("乙", last, "2023-06"),    # the month of 离职日期: hit
        ("丙", before, "2023-02"),  # before: no
        ("丁", after, "2023-07"),   # after: no
        ("戊", still, "2024-12"),   # still employed: hit
    ]))
    assert hits_of(run_rule(tmp_path, "employee_on_dibao"), "employee_on_dibao") == {first, last, still}


def test_cadre_on_dibao_within_the_term(tmp_path):
    d = tmp_path / "data"
    inside, outside, serving = pid(1), pid(2), pid(3)
    write_csv(d, "village_cadres", [
        ["甲", inside, "东村", "村主任", "2021-01-15", "2023-12-31"],
        ["乙", outside, "西村", "会计", "2021-01-15", "2022-12-31"],
        ["丙", serving, "南村", "书记", "2021-01-15", ""],
    ])
    write_csv(d, "dibao", _payments([("甲", inside, "2023-12"), ("乙", outside, "2023-01"), ("丙", serving, "2025-01"),
                                     ("乙", outside, "2020-12")]))
    assert hits_of(run_rule(tmp_path, "cadre_on_dibao"), "cadre_on_dibao") == {inside, serving}


def test_cadre_relative_on_dibao_names_the_relative(tmp_path):
    d = tmp_path / "data"
    cadre, wife, son, cousin = pid(1), pid(2), pid(3), pid(4)
    write_csv(d, "village_cadres", [["村长", cadre, "东村", "主任", "2021-03-01", "2023-03-31"]])
    write_csv(d, "relatives", [[cadre, "妻子", wife, "配偶"], [cadre, "儿子", son, "子女"],
                               [pid(9), "表亲", cousin, "其他"]])
    write_csv(d, "dibao", _payments([
        ("妻子", wife, "2023-03"),     # last month of the term: hit
        ("儿子", son, "2023-04"),      # after the term: no
        ("表亲", cousin, "2022-01"),   # relative of someone who is not a cadre: no
        ("村长", cadre, "2022-01"),    # the cadre himself is another rule
    ]))
    result = run_rule(tmp_path, "cadre_relative_on_dibao")
    assert hits_of(result, "cadre_relative_on_dibao") == {wife}
    (hit,) = result["hits"]
    assert hit["person_name"] == "妻子"
    assert {(e["roster"], e["row"]) for e in result["evidence"]} == {("village_cadres", "2"), ("relatives", "2"),
                                                                     ("dibao", "2")}


def test_duplicate_dibao_same_person_same_month(tmp_path):
    d = tmp_path / "data"
    twice, monthly = pid(1), pid(2)
    write_csv(d, "dibao", _payments([("甲", twice, "2023-05"), ("甲", twice, "2023年5月"), ("乙", monthly, "2023-05"),
                                     ("乙", monthly, "2023-06")]))
    result = run_rule(tmp_path, "duplicate_dibao")
    assert hits_of(result, "duplicate_dibao") == {twice}
    assert {e["row"] for e in result["evidence"]} == {"2", "3"}


def test_dibao_with_car_registered_by_the_end_of_the_month_and_not_exempt(tmp_path):
    d = tmp_path / "data"
    car, late, moto, tractor, truck = (pid(i) for i in range(1, 6))
    write_csv(d, "vehicles", [
        ["皖A12345", "甲", car, "小型轿车", "2023-05-31"],     # end of the payment month: hit
        ["皖A12346", "乙", late, "小型轿车", "2023-06-01"],    # after the month: no
        ["皖A12347", "丙", moto, "摩托车", "2020-01-01"],
        ["皖A12348", "丁", tractor, "拖拉機", "2020-01-01"],   # traditional script, still exempt
        ["皖A12349", "戊", truck, "轻型货车", "2020-01-01"],
    ])
    write_csv(d, "dibao", _payments([("甲", car, "2023-05"), ("乙", late, "2023-05"), ("丙", moto, "2023-05"),
                                     ("丁", tractor, "2023-05"), ("戊", truck, "2023-05")]))
    assert hits_of(run_rule(tmp_path, "dibao_with_car"), "dibao_with_car") == {car, truck}


def test_employee_runs_company_when_the_periods_overlap(tmp_path):
    d = tmp_path / "data"
    touching, before, shareholder, supervisor, open_start = (pid(i) for i in range(1, 6))
    write_csv(d, "public_employees", [
        [str(i), p, "县水利局", "科员", "2020-03-01", "2022-12-31"]
        for i, p in enumerate((touching, before, shareholder, supervisor, open_start))
    ])
    write_csv(d, "company_roles", [
        ["甲公司", "91340100MA2XXXXX1", "甲", touching, "法定代表人", "2018-01-01", "2020-03-01"],   # same day: hit
        ["乙公司", "91340100MA2XXXXX2", "乙", before, "法定代表人", "2018-01-01", "2020-02-29"],     # day before: no
        ["丙公司", "91340100MA2XXXXX3", "丙", shareholder, "股东", "2022-12-31", ""],               # hit
        ["丁公司", "91340100MA2XXXXX4", "丁", supervisor, "监事", "2021-01-01", ""],                # not a role: no
        ["戊公司", "91340100MA2XXXXX5", "戊", open_start, "股东", "", ""],                          # open: hit
    ])
    assert hits_of(run_rule(tmp_path, "employee_runs_company"), "employee_runs_company") == {
        touching, shareholder, open_start}


def test_prisoner_paid_strictly_between_the_months(tmp_path):
    d = tmp_path / "data"
    p = pid(1)
    serving = pid(2)
    write_csv(d, "prisoners", [["甲", p, "2023-03-20", "2023-06-05"], ["乙", serving, "2022-01-01", ""]])
    write_csv(d, "dibao", _payments([("甲", p, "2023-03"), ("甲", p, "2023-06")]))   # the months themselves: no
    write_csv(d, "pension", _payments([("甲", p, "2023-04"), ("乙", serving, "2024-01")]))
    result = run_rule(tmp_path, "prisoner_paid")
    assert hits_of(result, "prisoner_paid") == {p, serving}
    hit = next(h for h in result["hits"] if h["person_id"] == p)
    assert hit["matches"] == "1" and "发放年月2023-04" in hit["detail"]
    assert {(e["roster"], e["row"]) for e in result["evidence"] if e["person_id"] == p} == {("prisoners", "2"),
                                                                                          ("pension", "2")}


def test_prisoner_paid_only_from_dibao(tmp_path):
    d = tmp_path / "data"
    p = pid(1)
    write_csv(d, "prisoners", [["甲", p, "2023-03-20", "2023-06-05"]])
    write_csv(d, "dibao", _payments([("甲", p, "2023-05")]))
    assert hits_of(run_rule(tmp_path, "prisoner_paid"), "prisoner_paid") == {p}


def test_machinery_many_needs_three_distinct_machines_in_one_year(tmp_path):
    d = tmp_path / "data"
    three, two_dup, spread = pid(1), pid(2), pid(3)
    write_csv(d, "machinery_subsidies", [
        ["甲", three, "J-001", "5000", "2023"], ["甲", three, "J-002", "5000", "2023"],
        ["甲", three, "j 003", "5000", "2023年度"],
        ["乙", two_dup, "K-001", "5000", "2023"], ["乙", two_dup, "K-001", "5000", "2023"],
        ["乙", two_dup, "K-002", "5000", "2023"],
        ["丙", spread, "L-001", "5000", "2022"], ["丙", spread, "L-002", "5000", "2023"],
        ["丙", spread, "L-003", "5000", "2023"],
    ])
    result = run_rule(tmp_path, "machinery_many")
    assert hits_of(result, "machinery_many") == {three}
    assert result["hits"][0]["matches"] == "3"


def test_machinery_employee_any_time_in_the_year(tmp_path):
    d = tmp_path / "data"
    p, q = pid(1), pid(2)
    write_csv(d, "public_employees", [["甲", p, "县农业局", "", "2020-06-01", "2021-01-31"],
                                      ["乙", q, "县农业局", "", "2020-06-01", "2021-01-31"]])
    write_csv(d, "machinery_subsidies", [["甲", p, "J-1", "100", "2021"], ["乙", q, "J-2", "100", "2022"],
                                         ["乙", q, "J-3", "100", "2019"]])
    assert hits_of(run_rule(tmp_path, "machinery_employee"), "machinery_employee") == {p}


def test_payroll_after_death_the_month_after(tmp_path):
    d = tmp_path / "data"
    same, next_month = pid(1), pid(2)
    write_csv(d, "deaths", [["甲", same, "2023-05-02"], ["乙", next_month, "2023-05-31"]])
    write_csv(d, "payroll", [["甲", same, "县财政局", "2023-05", "5000"],
                             ["乙", next_month, "县财政局", "2023-06", "5000"]])
    assert hits_of(run_rule(tmp_path, "payroll_after_death"), "payroll_after_death") == {next_month}


def test_payroll_after_leaving_the_same_unit(tmp_path):
    d = tmp_path / "data"
    left, same_month, other_unit, rehired = pid(1), pid(2), pid(3), pid(4)
    write_csv(d, "public_employees", [
        ["甲", left, "县财政局", "", "2010-01-01", "2023-05-10"],
        ["乙", same_month, "县财政局", "", "2010-01-01", "2023-05-31"],
        ["丙", other_unit, "县财政局", "", "2010-01-01", "2023-05-31"],
        ["丙", other_unit, "县税务局", "", "2023-06-01", ""],
        ["丁", rehired, "县财政局", "", "2010-01-01", "2023-01-31"],
        ["丁", rehired, "县 财政局", "", "2023-06-01", ""],
    ])
    write_csv(d, "payroll", [
        ["甲", left, "县财政局", "2023-06", "5000"],        # the month after: hit
        ["乙", same_month, "县财政局", "2023-05", "5000"],  # the month of leaving: no
        ["丙", other_unit, "县税务局", "2023-07", "5000"],  # paid by the new unit: no
        ["丁", rehired, "县财政局", "2023-07", "5000"],     # back at the unit: no
        ["丁", rehired, "县财政局", "2023-03", "5000"],     # between the two periods: hit
    ])
    result = run_rule(tmp_path, "payroll_after_leaving")
    assert hits_of(result, "payroll_after_leaving") == {left, rehired}
    hit = next(h for h in result["hits"] if h["person_id"] == rehired)
    assert "发放年月2023-03" in hit["detail"] and "2023-07" not in hit["detail"]


def test_farmland_double_names_every_payee(tmp_path):
    d = tmp_path / "data"
    a, b, c = pid(1), pid(2), pid(3)
    write_csv(d, "farmland_subsidies", [
        ["甲", a, "P-001", "2.5", "2023", "200"], ["乙", b, "p-001", "2.5", "2023", "200"],
        ["丙", c, "P-002", "1.0", "2022", "80"], ["丙", c, "P-002", "1.0", "2023", "80"],
    ])
    result = run_rule(tmp_path, "farmland_double")
    assert hits_of(result, "farmland_double") == {a, b}
    # Each payee's evidence shows both payments for the plot.
    assert {e["row"] for e in result["evidence"] if e["person_id"] == a} == {"2", "3"}
