"""An office's own rules in YAML, their validation, the SQL they compile to, and the command."""

from __future__ import annotations

import sys
import textwrap

import pytest

from tests.crosscheck.rosterdata import hits_of, pid, read_out, run, write_csv
from xuncha.cli import main
from xuncha.crosscheck.rules import RuleError, compile_rule, load_rules, rule_from_dict


def _rule(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_custom_rule_from_a_yaml_folder(tmp_path):
    rules = tmp_path / "myrules"
    _rule(rules, "big_dibao.yaml", """
        id: big_dibao
        version: 2
        title: 单月低保金额过高
        severity: low
        rosters: {b: dibao}
        predicate: b.amount > 1000 and b.region in ('东乡', '西乡')
        subject: b
        detail: "{b.region} {b.month} 金额{b.amount}"
    """)
    _rule(rules, "late_dibao.yml", """
        id: dibao_long_after_death
        title: 死亡一年后仍领低保
        rosters:
          d: deaths
          b: dibao
        keys: ["d.id = b.id"]
        predicate: b.month - month(d.death_date) >= 12 and b.month between month('2023-01') and month('2024年12月')
        subject: {id: b.id, name: d.name}
        detail: "死亡{d.death_date}，发放{b.month}"
    """)
    d = tmp_path / "data"
    big, small, other, dead = pid(1), pid(2), pid(3), pid(4)
    write_csv(d, "dibao", [["甲", big, "2023-05", "1000.01", "东乡"], ["乙", small, "2023-05", "1000", "东乡"],
                           ["丙", other, "2023-05", "5000", "南乡"], ["丁", dead, "2024-05", "10", "东乡"],
                           ["丁", dead, "2025-05", "10", "东乡"]])
    write_csv(d, "deaths", [["丁某", dead, "2023-05-20"]])
    result = run(tmp_path, rules=str(rules))
    assert hits_of(result, "big_dibao") == {big}
    assert hits_of(result, "dibao_long_after_death") == {dead}
    late = next(h for h in result["hits"] if h["rule_id"] == "dibao_long_after_death")
    assert late["person_name"] == "丁某" and late["detail"] == "死亡2023-05-20，发放2024-05"
    big_hit = next(h for h in result["hits"] if h["rule_id"] == "big_dibao")
    assert big_hit["rule_version"] == "2" and big_hit["severity"] == "low"
    assert big_hit["detail"] == "东乡 2023-05 金额1000.01"


@pytest.mark.parametrize("change, message", [
    ({"predicate": "p.month >= d.death_date"}, "不能比较 month 与 date"),
    ({"predicate": "p.month >= month(d.birthday)"}, "名册 deaths 没有字段 birthday"),
    ({"predicate": "x.month > 1"}, "未定义的名册别名 x"),
    ({"keys": []}, "名册 p 没有通过 keys 与其他名册关联"),
    ({"rosters": {"d": "deaths", "p": "pensions"}}, "未知的名册 'pensions'"),
    ({"predicate": "p.month >= month(d.death_date) + 3; DROP TABLE deaths"}, "无法识别的字符"),
    ({"predicate": "p.name = 'a''b'"}, "此处应为 结尾，实际为 'b'"),
    ({"predicate": "count(*) > 1"}, "只能用于 group.having"),
    ({"subject": "q"}, "subject 应为名册别名"),
    ({"severity": "urgent"}, "severity 应为"),
    ({"detail": "{month(p.month)}"}, "detail 中的 {month(p.month)} 应为 别名.字段"),
    ({"extra": 1}, "无法识别的项 extra"),
])
def test_rules_are_checked_before_they_run(change, message):
    rule = {"id": "t", "title": "测试", "rosters": {"d": "deaths", "p": "pension"}, "keys": [["d.id", "p.id"]],
            "predicate": "p.month >= month(d.death_date) + 3", "subject": "p", **change}
    with pytest.raises(RuleError) as caught:
        rule_from_dict(rule, "t.yaml")
    assert message in str(caught.value)


def test_builtin_rules_compile_for_spark_too():
    for rule in load_rules():
        duck, spark = compile_rule(rule, "duckdb").sql, compile_rule(rule, "spark").sql
        if rule.unless:
            assert "NOT EXISTS" in duck and "LEFT ANTI JOIN" in spark and "NOT EXISTS" not in spark
        else:
            assert duck == spark


def test_the_command_runs_and_says_what_spark_needs(tmp_path, capsys, monkeypatch):
    d = tmp_path / "data"
    a = pid(1)
    write_csv(d, "deaths", [["甲", a, "2023-05-01"]])
    write_csv(d, "payroll", [["甲", a, "县财政局", "2023-06", "5000"]], encoding="gbk")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as done:
        main(["crosscheck", "run", "--data", str(d), "--out", str(out), "--threads", "1", "--memory-limit", "256MB"])
    assert done.value.code == 0
    assert "命中 1 条" in capsys.readouterr().out
    (hit,) = read_out(out, "hits.csv")
    assert (hit["rule_id"], hit["person_id"]) == ("payroll_after_death", a)
    assert (out / "hits.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    monkeypatch.setitem(sys.modules, "pyspark", None)    # as on a machine without pyspark
    with pytest.raises(SystemExit) as done:
        main(["crosscheck", "run", "--data", str(d), "--out", str(out), "--engine", "spark",
              "--spark-master", "spark://x:7077"])
    assert done.value.code == 2
    assert "Spark 引擎需要 pyspark" in capsys.readouterr().err

    bad = tmp_path / "bad"
    _rule(bad, "x.yaml", "id: x\ntitle: x\nrosters: {d: deaths}\nsubject: d\npredicate: d.death_date > 3\n")
    with pytest.raises(SystemExit) as done:
        main(["crosscheck", "run", "--data", str(d), "--out", str(out), "--rules", str(bad)])
    assert done.value.code == 2
    assert "不能比较 date 与 int" in capsys.readouterr().err
