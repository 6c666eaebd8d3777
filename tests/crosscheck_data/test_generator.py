"""The roster generator of bench/crosscheck: files as departments send them, planted thresholds where they
should be, a ground truth that its independent checker confirms, and a checker that notices a wrong one."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import random
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "crosscheck"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import plant  # noqa: E402
import roster_spec as spec  # noqa: E402
import verify  # noqa: E402

RULES = ["pension_after_death", "dibao_after_death", "employee_on_dibao", "cadre_on_dibao", "cadre_relative_on_dibao",
         "duplicate_dibao", "dibao_with_car", "employee_runs_company", "prisoner_paid", "machinery_many",
         "machinery_employee", "payroll_after_death", "payroll_after_leaving", "farmland_double"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate.generate("tiny", out, 6)
    return out


def _read(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def _dicts(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _rows_of(tiny: Path, kind: str) -> list[dict[str, str]]:
    enc, delim, title, _eol = spec.FILES[kind]
    rows = _read(tiny / "data" / f"{kind}.csv", "utf-16" if enc == "utf-16" else enc, delim)
    if title:
        rows = rows[1:]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _month(text: str) -> int:
    for fmt in ("%Y-%m", "%Y/%m", "%Y年%m月", "%Y%m"):
        try:
            d = dt.datetime.strptime(text, fmt)
            return spec.mnum(d.year, d.month)
        except ValueError:
            continue
    raise ValueError(text)


def _date(text: str) -> dt.date:
    if text.isdigit() and len(text) == 5:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _person(tiny: Path, rule: str, case: str) -> str:
    return next(r["person_id"] for r in _dicts(tiny / "planted.csv") if r["rule_id"] == rule and r["case"] == case)


def test_the_files_are_written_the_way_departments_send_them(tiny):
    data = tiny / "data"
    assert sorted(p.name for p in data.iterdir()) == sorted(
        f"{k}.xlsx" if k == "village_cadres" else f"{k}.csv" for k in spec.KINDS)
    assert (data / "pension.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert not (data / "relatives.csv").read_bytes().startswith(codecs.BOM_UTF8)
    raw = (data / "dibao.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("gbk").split("\r\n")
    assert lines[0].startswith("清河县民政局城乡低保发放名册") and lines[1] == "姓名,身份证号,发放年月,金额,地区"
    vehicles = (data / "vehicles.csv").read_bytes()
    assert vehicles.startswith(codecs.BOM_UTF16_LE)
    assert vehicles[2:].decode("utf-16-le").startswith("车牌号\t车主姓名\t车主身份证号\t车辆类型\t登记日期\r\n")
    for kind in spec.KINDS:
        if kind != "village_cadres":
            assert _rows_of(tiny, kind)[0].keys() == set(spec.HEADERS[kind]), kind
    from openpyxl import load_workbook

    ws = load_workbook(data / "village_cadres.xlsx", read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[1]) == spec.HEADERS["village_cadres"]
    starts = [r[4] for r in rows[2:]]
    assert any(isinstance(v, dt.datetime) for v in starts) and any(isinstance(v, int) for v in starts)
    assert any(isinstance(v, str) and "年" in v for v in starts)


def test_the_ground_truth_is_confirmed_by_the_independent_check(tiny, capsys):
    assert verify.verify(tiny)
    out = capsys.readouterr().out
    assert "hits       expected     58  found     58  ok" in out


def test_every_rule_has_planted_hits_and_near_misses(tiny):
    cases = _dicts(tiny / "planted.csv")
    hits = {(r["rule_id"], r["person_id"]) for r in _dicts(tiny / "expected_hits.csv")}
    for rule in RULES:
        assert any(c["rule_id"] == rule and c["expect"] == "hit" for c in cases), rule
        assert any(c["rule_id"] == rule and c["expect"] == "no hit" for c in cases), rule
    assert {(c["rule_id"], c["person_id"]) for c in cases if c["expect"] == "hit"} == hits
    assert len(cases) == len({(c["rule_id"], c["person_id"]) for c in cases})
    review = {r["rule_id"] for r in _dicts(tiny / "expected_review.csv")}
    assert review == {"pension_after_death", "dibao_after_death", "duplicate_dibao", "machinery_many"}
    assert not hits & {(r["rule_id"], r["person_id"]) for r in _dicts(tiny / "expected_review.csv")}
    reasons = {r["reason"] for r in _dicts(tiny / "expected_rejected.csv")}
    assert reasons == {"id_check", "id_birth", "id_format", "id_empty", "date", "month", "year"}


def test_the_death_threshold_is_planted_exactly(tiny):
    deaths = {_norm(r["身份证号"]): r["死亡日期"] for r in _rows_of(tiny, "deaths")}
    pension = _rows_of(tiny, "pension")
    for case, gap in (("payment 3 months after the month of death", 3),
                      ("payment 2 months after the month of death", 2)):
        pid = _person(tiny, "pension_after_death", case)
        died = _date(deaths[pid])
        paid = max(_month(r["发放年月"]) for r in pension if r["身份证号"] == pid)
        assert paid - spec.mnum(died.year, died.month) == gap, case


def test_employment_months_are_planted_at_both_ends(tiny):
    employees = {r["身份证号"]: r for r in _rows_of(tiny, "public_employees")}
    dibao = _rows_of(tiny, "dibao")
    start_case = _person(tiny, "employee_on_dibao", "低保 in the month of employment start (last day)")
    start = _date(employees[start_case]["入职日期"])
    months = [_month(r["发放年月"]) for r in dibao if r["身份证号"] == start_case]
    assert start == spec.month_end(spec.mnum(start.year, start.month))   # the last day of the month
    assert max(months) == spec.mnum(start.year, start.month)
    end_case = _person(tiny, "employee_on_dibao", "低保 only after the month of employment end")
    end = _date(employees[end_case]["离职日期"])
    months = [_month(r["发放年月"]) for r in dibao if r["身份证号"] == end_case]
    assert min(months) == spec.mnum(end.year, end.month) + 1


def _norm(raw: str) -> str:
    text = raw.translate(str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")).replace(" ", "").replace("-", "")
    text = text.replace("\u3000", "").upper()
    if len(text) == 15:
        body = text[:6] + "19" + text[6:]
        return body + spec.check_digit(body)
    return text


def test_the_traps_are_there(tiny):
    ids = [r["身份证号"] for r in _rows_of(tiny, "pension") + _rows_of(tiny, "dibao")]
    assert any(len(i) == 15 for i in ids)
    assert any("１" in i or "４" in i for i in ids)
    assert any(i.endswith("x") for i in ids)
    assert any(" " in i.strip() for i in ids) and any("-" in i for i in ids)
    names = {r["姓名"] for r in _rows_of(tiny, "pension") + _rows_of(tiny, "deaths")}
    assert {d for n in names for d in plant.DOTS if d in n and d != "·"}
    assert any(c in n for n in names for c in plant.GIVEN_TRAD.values())
    dates = [r["死亡日期"] for r in _rows_of(tiny, "deaths")]
    assert any(d.isdigit() and len(d) == 5 for d in dates) and any("年" in d for d in dates)


def test_ids_names_and_encodings_of_the_generator():
    from xuncha.core.id_numbers import check_digit

    rng = random.Random(1)
    for _ in range(500):
        body = "".join(str(rng.randrange(10)) for _ in range(17))
        assert spec.check_digit(body) == check_digit(body)
    pid = spec.make_id("411421", dt.date(1962, 3, 9), 905)
    assert spec.valid18(pid) and not spec.valid18(spec.wrong_check(pid))
    assert spec.to_id15(pid) == "411421620309905"
    assert not spec.valid18(plant.impossible_birth(pid, rng)) and not spec.valid18(plant.typo_seq(pid, rng))
    import opencc

    t2s = opencc.OpenCC("t2s")
    for simplified, traditional in plant.GIVEN_TRAD.items():
        assert t2s.convert(traditional) == simplified
        traditional.encode("gbk")
    for simplified, traditional in plant.COMPOUND_TRAD.items():
        assert t2s.convert(traditional) == simplified
    for dot in plant.DOTS:
        assert verify.norm_name(f"艾力{dot}买买提") == "艾力·买买提"


def test_the_check_notices_a_wrong_ground_truth(tiny, tmp_path, capsys):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(tiny, copy)
    # a background 低保 row paid twice: a hit nobody planted
    path = copy / "data" / "dibao.csv"
    lines = path.read_bytes().decode("gbk").split("\r\n")
    background = next(line for line in lines[2:]
                      if line and line.split(",")[0][:2] not in plant.COMPOUND and "·" not in line)
    path.write_bytes(("\r\n".join(lines[:-1] + [background, ""])).encode("gbk"))
    # and a planted hit left out of the ground truth
    hits = (copy / "expected_hits.csv").read_text(encoding="utf-8").splitlines()
    (copy / "expected_hits.csv").write_text("\n".join(hits[:-1]) + "\n", encoding="utf-8")
    assert not verify.verify(copy)
    out = capsys.readouterr().out
    assert "unexpected: ('duplicate_dibao'" in out
    assert f"unexpected: {tuple(hits[-1].split(','))}" in out
