"""Rules as data: the YAML format, its predicate language, and its compiler to SQL.

A rule (docs/crosscheck.md has the full description)::

    id: pension_after_death
    version: 1
    title: 死亡后仍领取养老金
    severity: high
    rosters: {d: deaths, p: pension}          # alias: roster kind, or alias: [kind, kind] (a union)
    keys: [[d.id, p.id]]                      # equality joins on normalised fields
    predicate: p.month >= month(d.death_date) + 3
    subject: p                                # whose id and name the hit is about
    detail: 死亡日期{d.death_date}，养老金发放年月{p.month}

Optional: ``group: {by: [b.id, b.month], having: count(*) >= 2}`` (every row of a qualifying group is a
match), ``unless: [{rosters: {e2: public_employees}, keys: [...], predicate: ...}]`` (no match when such a
row exists). The predicate language is small on purpose: references ``alias.field``, integer and
'string' literals, ``month(x)``, ``year(x)``, ``date('2023-05-01')``, ``month('2023-05')``,
``coalesce(a, b)``, ``+ -``, comparisons, ``and or not``, ``is [not] null``, ``[not] in (…)``,
``between … and …``; in ``having`` also ``count(*)``, ``count([distinct] x)``, ``sum``, ``min``, ``max``.
It is type-checked against the roster columns (a month is not compared with a date) and compiles to the
SQL of each engine; nothing of the YAML reaches SQL except validated names and literals.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from xuncha.crosscheck import normalize as nz
from xuncha.crosscheck.rosters import ROSTERS

SEVERITIES = ("high", "medium", "low")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")
BUILTIN = "builtin"


class RuleError(ValueError):
    pass


# --- the predicate language ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>'[^'\\]*')
  | (?P<op><=|>=|!=|<>|==|=|<|>|\+|-|\*|\(|\)|,|\.)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)
_KEYWORDS = {"and", "or", "not", "is", "null", "in", "between", "distinct", "true", "false"}
_FUNCS = {"month", "year", "date", "coalesce"}
_AGGREGATES = {"count", "sum", "min", "max"}
_CMP = {"=": "=", "==": "=", "!=": "<>", "<>": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


@dataclass(frozen=True)
class Node:
    op: str                 # ref, lit, func, agg, bin, cmp, and, or, not, isnull, in
    args: tuple = ()
    value: Any = None       # ref: (alias, field); lit: python value; func/agg: name; bin/cmp: operator


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise RuleError(f"无法识别的字符：{text[pos:pos + 10]!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            kind = m.lastgroup
            value = m.group()
            if kind == "word" and value.lower() in _KEYWORDS:
                kind, value = "kw", value.lower()
            out.append((kind, value))
    out.append(("end", ""))
    return out


class _Parser:
    def __init__(self, text: str, *, aggregates: bool = False):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.aggregates = aggregates

    def peek(self, k: int = 0) -> tuple[str, str]:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if (kind and tok[0] != kind) or (value and tok[1] != value):
            want = value or {"end": "结尾", "word": "名称", "num": "数字"}.get(kind, kind)
            raise RuleError(f"表达式「{self.text}」：此处应为 {want}，实际为 {tok[1] or '结尾'}")
        self.i += 1
        return tok

    def accept(self, kind: str, value: str | None = None) -> bool:
        tok = self.peek()
        if tok[0] == kind and (value is None or tok[1] == value):
            self.i += 1
            return True
        return False

    def parse(self) -> Node:
        node = self.or_expr()
        self.take("end")
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.accept("kw", "or"):
            node = Node("or", (node, self.and_expr()))
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.accept("kw", "and"):
            node = Node("and", (node, self.not_expr()))
        return node

    def not_expr(self) -> Node:
        if self.accept("kw", "not"):
            return Node("not", (self.not_expr(),))
        return self.comparison()

    def comparison(self) -> Node:
        left = self.additive()
        tok = self.peek()
        if tok[0] == "op" and tok[1] in _CMP:
            self.i += 1
            return Node("cmp", (left, self.additive()), _CMP[tok[1]])
        if self.accept("kw", "is"):
            negate = self.accept("kw", "not")
            self.take("kw", "null")
            node = Node("isnull", (left,))
            return Node("not", (node,)) if negate else node
        negate = False
        if tok == ("kw", "not") and self.peek(1)[0] == "kw" and self.peek(1)[1] in ("in", "between"):
            self.i += 1
            negate = True
        if self.accept("kw", "in"):
            self.take("op", "(")
            items = [self.literal()]
            while self.accept("op", ","):
                items.append(self.literal())
            self.take("op", ")")
            node = Node("in", (left, *items))
            return Node("not", (node,)) if negate else node
        if self.accept("kw", "between"):
            low = self.additive()
            self.take("kw", "and")
            high = self.additive()
            node = Node("and", (Node("cmp", (left, low), ">="), Node("cmp", (left, high), "<=")))
            return Node("not", (node,)) if negate else node
        return left

    def additive(self) -> Node:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = Node("bin", (node, self.unary()), op)
        return node

    def unary(self) -> Node:
        if self.accept("op", "-"):
            tok = self.take("num")
            return Node("lit", (), -_number(tok[1]))
        return self.primary()

    def literal(self) -> Node:
        if self.accept("op", "-"):
            return Node("lit", (), -_number(self.take("num")[1]))
        tok = self.peek()
        if tok[0] == "num":
            self.i += 1
            return Node("lit", (), _number(tok[1]))
        if tok[0] == "str":
            self.i += 1
            return Node("lit", (), tok[1][1:-1])
        if tok[0] == "word" and tok[1] in ("month", "date"):
            node = self.primary()
            if node.op == "lit":
                return node
        raise RuleError(f"表达式「{self.text}」：in (…) 中只能是常量")

    def primary(self) -> Node:
        tok = self.peek()
        if tok[0] in ("num", "str"):
            return self.literal()
        if self.accept("op", "("):
            node = self.or_expr()
            self.take("op", ")")
            return node
        if tok[0] == "kw" and tok[1] in ("true", "false"):
            self.i += 1
            return Node("lit", (), tok[1] == "true")
        if tok[0] == "word":
            self.i += 1
            name = tok[1]
            if self.accept("op", "."):
                return Node("ref", (), (name, self.take("word")[1]))
            lname = name.lower()
            if lname in _AGGREGATES:
                if not self.aggregates:
                    raise RuleError(f"表达式「{self.text}」：{name}() 只能用于 group.having")
                self.take("op", "(")
                if lname == "count" and self.accept("op", "*"):
                    self.take("op", ")")
                    return Node("agg", (), ("count", False))
                distinct = self.accept("kw", "distinct")
                arg = self.additive()
                self.take("op", ")")
                return Node("agg", (arg,), (lname, distinct))
            if lname in _FUNCS:
                self.take("op", "(")
                args = [self.additive()]
                while self.accept("op", ","):
                    args.append(self.additive())
                self.take("op", ")")
                return _function(lname, args, self.text)
            raise RuleError(f"表达式「{self.text}」：未知的函数或名称 {name}（字段请写成 别名.字段）")
        raise RuleError(f"表达式「{self.text}」：此处不应出现 {tok[1] or '结尾'}")


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _function(name: str, args: list[Node], text: str) -> Node:
    if name in ("month", "date") and len(args) == 1 and args[0].op == "lit" and isinstance(args[0].value, str):
        if name == "month":
            value, reason = nz.parse_month(args[0].value)
            if reason or value is None:
                raise RuleError(f"表达式「{text}」：month('{args[0].value}') 不是有效的年月")
            return Node("lit", (), value)
        day, reason = nz.parse_date(args[0].value)
        if reason or day is None:
            raise RuleError(f"表达式「{text}」：date('{args[0].value}') 不是有效的日期")
        return Node("lit", (), ("date", day.isoformat()))
    if name in ("month", "year") and (len(args) != 1 or args[0].op != "ref"):
        raise RuleError(f"表达式「{text}」：{name}() 的参数应为一个字段")
    if name == "date":
        raise RuleError(f"表达式「{text}」：date() 的参数应为 'YYYY-MM-DD' 常量")
    if name == "coalesce" and len(args) < 2:
        raise RuleError(f"表达式「{text}」：coalesce() 至少需要两个参数")
    return Node("func", tuple(args), name)


def parse_expression(text: Any, *, aggregates: bool = False) -> Node:
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise RuleError(f"表达式应为文本：{text!r}")
    return _Parser(str(text), aggregates=aggregates).parse()


# --- rules ---------------------------------------------------------------------------------------------------

@dataclass
class Unless:
    alias: str
    kind: str
    keys: list[tuple[Node, Node]]
    predicate: Node | None


@dataclass
class Rule:
    id: str
    version: int
    title: str
    severity: str
    rosters: dict[str, tuple[str, ...]]
    keys: list[tuple[Node, Node]]
    predicate: Node | None
    subject_id: Node
    subject_name: Node | None
    detail: str
    detail_refs: list[Node]
    group_by: list[Node] = field(default_factory=list)
    having: Node | None = None
    unless: list[Unless] = field(default_factory=list)
    description: str = ""
    source: str = ""

    @property
    def kinds(self) -> set[str]:
        kinds = {k for ks in self.rosters.values() for k in ks}
        return kinds | {u.kind for u in self.unless}


_TYPE_OF_FIELD = {"id": "str", "name": "str", "text": "str", "code": "str", "date": "date", "month": "month",
                  "year": "year", "money": "num", "number": "num"}
_NUMERIC = {"month", "year", "num", "int"}


class _Checker:
    """Type-checks expressions against the aliases in scope."""

    def __init__(self, rule_id: str, scope: dict[str, tuple[str, ...]]):
        self.rule_id = rule_id
        self.scope = scope

    def fail(self, message: str) -> RuleError:
        return RuleError(f"规则 {self.rule_id}：{message}")

    def field_type(self, alias: str, name: str) -> str:
        if alias not in self.scope:
            raise self.fail(f"未定义的名册别名 {alias}（可用：{'、'.join(self.scope)}）")
        types = set()
        for kind in self.scope[alias]:
            column = ROSTERS[kind].column(name)
            if column is None:
                fields = "、".join(ROSTERS[kind].fields)
                raise self.fail(f"名册 {kind} 没有字段 {name}（可用：{fields}）")
            types.add(column.type)
        if len(types) > 1:
            raise self.fail(f"{alias}.{name} 在合并的名册中类型不一致")
        return types.pop()

    def type(self, node: Node) -> str:
        op = node.op
        if op == "ref":
            return _TYPE_OF_FIELD[self.field_type(*node.value)]
        if op == "lit":
            v = node.value
            if isinstance(v, tuple):
                return "date"
            if isinstance(v, bool):
                return "bool"
            if isinstance(v, str):
                if "'" in v or "\\" in v:
                    raise self.fail("常量中不能含有引号或反斜杠")
                return "str"
            return "int" if isinstance(v, int) else "num"
        if op == "func":
            name = node.value
            if name in ("month", "year"):
                raw = self.field_type(*node.args[0].value)
                allowed = ("date", "month") if name == "month" else ("date", "month", "year")
                if raw not in allowed:
                    raise self.fail(f"{name}() 不能用于 {raw} 类型的字段 {'.'.join(node.args[0].value)}")
                return name
            types = {self.type(a) for a in node.args}
            if len(types - {"int"}) > 1:
                raise self.fail("coalesce() 的参数类型不一致")
            return (types - {"int"}).pop() if types - {"int"} else "int"
        if op == "agg":
            name, _distinct = node.value
            if node.args:
                t = self.type(node.args[0])
                if name == "sum" and t not in ("num", "int"):
                    raise self.fail("sum() 只能用于金额或数值")
                return "int" if name == "count" else t
            return "int"
        if op == "bin":
            a, b = (self.type(x) for x in node.args)
            if a in ("month", "year") and b == "int":
                return a
            if b in ("month", "year") and a == "int" and node.value == "+":
                return b
            if a == b and a in ("month", "year") and node.value == "-":
                return "int"
            if a in ("num", "int") and b in ("num", "int"):
                return "int" if a == b == "int" else "num"
            raise self.fail(f"不能对 {a} 和 {b} 做 {node.value} 运算")
        if op == "cmp":
            a, b = (self.type(x) for x in node.args)
            self.comparable(a, b)
            return "bool"
        if op in ("and", "or", "not"):
            for a in node.args:
                if self.type(a) != "bool":
                    raise self.fail(f"{op} 的两边应为条件")
            return "bool"
        if op == "isnull":
            self.type(node.args[0])
            return "bool"
        if op == "in":
            a = self.type(node.args[0])
            for item in node.args[1:]:
                self.comparable(a, self.type(item))
            return "bool"
        raise self.fail(f"无法识别的表达式 {op}")

    def comparable(self, a: str, b: str) -> None:
        if a == b or (a in _NUMERIC and b == "int") or (b in _NUMERIC and a == "int") or {a, b} == {"num", "int"}:
            return
        raise self.fail(f"不能比较 {a} 与 {b}（例如年月应与 month(日期) 比较）")

    def condition(self, node: Node | None, what: str) -> Node | None:
        if node is not None and self.type(node) != "bool":
            raise self.fail(f"{what} 应为条件")
        return node


def _refs(node: Node | None):
    if node is None:
        return
    if node.op == "ref":
        yield node
    for a in node.args:
        yield from _refs(a)


def _aliases(node: Node | None) -> set[str]:
    return {r.value[0] for r in _refs(node)}


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _keys(raw: Any, checker: _Checker) -> list[tuple[Node, Node]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise checker.fail("keys 应为列表，例如 [[d.id, p.id]]")
    keys = []
    for pair in raw:
        if isinstance(pair, str) and "=" in pair:
            pair = [p.strip() for p in pair.split("=", 1)]
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise checker.fail(f"keys 的每一项应为两个字段：{pair!r}")
        left, right = (parse_expression(p) for p in pair)
        ta, tb = checker.type(left), checker.type(right)
        checker.comparable(ta, tb)
        keys.append((left, right))
    return keys


def rule_from_dict(data: Any, source: str = "") -> Rule:
    """Validate a rule read from YAML; raises RuleError (in Chinese) saying what is wrong."""
    if not isinstance(data, dict):
        raise RuleError(f"{source}：规则文件应为键值对（YAML 映射）")
    rule_id = str(data.get("id") or "")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,60}", rule_id):
        raise RuleError(f"{source}：id 应为小写字母、数字和下划线，实际为 {rule_id!r}")
    unknown = set(data) - {"id", "version", "title", "severity", "rosters", "keys", "predicate", "subject", "detail",
                           "group", "unless", "description"}
    if unknown:
        raise RuleError(f"规则 {rule_id}：无法识别的项 {'、'.join(sorted(unknown))}")
    try:
        version = int(data.get("version", 1))
    except (TypeError, ValueError) as exc:
        raise RuleError(f"规则 {rule_id}：version 应为整数") from exc
    severity = str(data.get("severity", "medium"))
    if severity not in SEVERITIES:
        raise RuleError(f"规则 {rule_id}：severity 应为 {'/'.join(SEVERITIES)}")
    title = str(data.get("title") or "").strip()
    if not title:
        raise RuleError(f"规则 {rule_id}：缺少 title")
    rosters: dict[str, tuple[str, ...]] = {}
    raw_rosters = data.get("rosters")
    if not isinstance(raw_rosters, dict) or not raw_rosters:
        raise RuleError(f"规则 {rule_id}：rosters 应为 别名: 名册 的映射")
    for alias, kinds in raw_rosters.items():
        alias = str(alias)
        if not _NAME.fullmatch(alias):
            raise RuleError(f"规则 {rule_id}：别名 {alias!r} 应为小写字母开头")
        kinds = tuple(kinds) if isinstance(kinds, list) else (kinds,)
        for kind in kinds:
            if kind not in ROSTERS:
                raise RuleError(f"规则 {rule_id}：未知的名册 {kind!r}（可用：{'、'.join(ROSTERS)}）")
        rosters[alias] = kinds
    checker = _Checker(rule_id, rosters)
    keys = _keys(data.get("keys"), checker)
    predicate = None
    if data.get("predicate") not in (None, ""):
        predicate = checker.condition(parse_expression(data["predicate"]), "predicate")

    # Every alias must be joined to the first by keys: no accidental cross joins.
    joined = {next(iter(rosters))}
    changed = True
    while changed:
        changed = False
        for left, right in keys:
            sides = _aliases(left) | _aliases(right)
            if sides & joined and not sides <= joined:
                joined |= sides
                changed = True
    if joined != set(rosters):
        missing = "、".join(sorted(set(rosters) - joined))
        raise RuleError(f"规则 {rule_id}：名册 {missing} 没有通过 keys 与其他名册关联")

    group_by, having = [], None
    if data.get("group") is not None:
        group = data["group"]
        if not isinstance(group, dict) or not group.get("by") or group.get("having") in (None, ""):
            raise RuleError(f"规则 {rule_id}：group 应有 by（字段列表）和 having（条件）")
        by = group["by"] if isinstance(group["by"], list) else [group["by"]]
        group_by = [parse_expression(b) for b in by]
        for b in group_by:
            checker.type(b)
        having = checker.condition(parse_expression(group["having"], aggregates=True), "group.having")

    unless = []
    for block in data.get("unless") or []:
        if not isinstance(block, dict) or not isinstance(block.get("rosters"), dict) or len(block["rosters"]) != 1:
            raise RuleError(f"规则 {rule_id}：unless 的每一项应有 rosters（一个名册）、keys 和可选的 predicate")
        ((u_alias, u_kind),) = block["rosters"].items()
        if u_kind not in ROSTERS or u_alias in rosters or not _NAME.fullmatch(str(u_alias)):
            raise RuleError(f"规则 {rule_id}：unless 中的名册 {u_alias}: {u_kind} 无效")
        inner = _Checker(rule_id, {**rosters, u_alias: (u_kind,)})
        u_keys = _keys(block.get("keys"), inner)
        if not u_keys:
            raise RuleError(f"规则 {rule_id}：unless 需要 keys")
        u_pred = None
        if block.get("predicate") not in (None, ""):
            u_pred = inner.condition(parse_expression(block["predicate"]), "unless.predicate")
        unless.append(Unless(str(u_alias), u_kind, u_keys, u_pred))

    subject = data.get("subject")
    if isinstance(subject, str) and subject in rosters:
        subject_id, subject_name = Node("ref", (), (subject, "id")), Node("ref", (), (subject, "name"))
    elif isinstance(subject, dict) and subject.get("id"):
        subject_id = parse_expression(subject["id"])
        subject_name = parse_expression(subject["name"]) if subject.get("name") else None
    else:
        raise RuleError(f"规则 {rule_id}：subject 应为名册别名，或 {{id: 别名.字段, name: 别名.字段}}")
    if subject_id.op != "ref" or checker.field_type(*subject_id.value) != "id":
        raise RuleError(f"规则 {rule_id}：subject 的 id 应为身份证号字段")
    if subject_name is not None:
        checker.type(subject_name)

    detail = str(data.get("detail") or "")
    detail_refs = []
    for placeholder in _PLACEHOLDER.findall(detail):
        node = parse_expression(placeholder)
        if node.op != "ref":
            raise RuleError(f"规则 {rule_id}：detail 中的 {{{placeholder}}} 应为 别名.字段")
        checker.type(node)
        detail_refs.append(node)
    return Rule(rule_id, version, title, severity, rosters, keys, predicate, subject_id, subject_name, detail,
                detail_refs, group_by, having, unless, str(data.get("description") or ""), source)


def load_rule_file(path: str) -> Rule:
    with open(path, encoding="utf-8-sig") as f:
        try:
            data = yaml.safe_load(f)
        except yaml.YAMLError as exc:
            raise RuleError(f"{os.path.basename(path)}：YAML 格式错误：{exc}") from exc
    return rule_from_dict(data, os.path.basename(path))


def builtin_rules_dir() -> str:
    return str(resources.files("xuncha.crosscheck") / "builtin_rules")


def load_rules(where: str = BUILTIN) -> list[Rule]:
    """The rules of a folder (``*.yaml`` / ``*.yml``, in file-name order), or the built-in ones."""
    folder = builtin_rules_dir() if where == BUILTIN else where
    if not os.path.isdir(folder):
        raise RuleError(f"规则目录不存在：{folder}")
    rules = [load_rule_file(os.path.join(folder, name)) for name in sorted(os.listdir(folder))
             if name.endswith((".yaml", ".yml")) and not name.startswith(".")]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"规则 id 重复：{rule.id}")
        seen.add(rule.id)
    if not rules:
        raise RuleError(f"规则目录中没有 .yaml 文件：{folder}")
    return rules


# --- compiling to SQL ----------------------------------------------------------------------------------------

@dataclass
class CompiledRule:
    rule: Rule
    sql: str
    aliases: list[str]           # evidence aliases, in select order
    detail_columns: list[str]    # _d0, _d1, … for rule.detail_refs
    group_columns: list[str]     # _g0, … for grouped rules


class _SqlWriter:
    def __init__(self, rule: Rule, dialect: str, ref_sql=None):
        self.rule = rule
        self.dialect = dialect
        self.ref_sql = ref_sql or (lambda alias, col: f"{alias}.{col}")

    def expr(self, node: Node) -> str:
        op = node.op
        if op == "ref":
            return self.ref_sql(node.value[0], node.value[1])
        if op == "lit":
            v = node.value
            if isinstance(v, tuple):
                return f"'{v[1]}'"
            if isinstance(v, bool):
                return "TRUE" if v else "FALSE"
            if isinstance(v, str):
                return f"'{v}'"
            return repr(v)
        if op == "func":
            if node.value in ("month", "year"):
                alias, fld = node.args[0].value
                field_type = _Checker(self.rule.id, self.rule_scope()).field_type(alias, fld)
                if field_type == node.value:
                    return self.ref_sql(alias, fld)
                return self.ref_sql(alias, f"{fld}__m" if node.value == "month" else f"{fld}__y")
            return f"coalesce({', '.join(self.expr(a) for a in node.args)})"
        if op == "agg":
            name, distinct = node.value
            if not node.args:
                return "count(*)"
            return f"{name}({'DISTINCT ' if distinct else ''}{self.expr(node.args[0])})"
        if op == "bin":
            return f"({self.expr(node.args[0])} {node.value} {self.expr(node.args[1])})"
        if op == "cmp":
            return f"({self.expr(node.args[0])} {node.value} {self.expr(node.args[1])})"
        if op in ("and", "or"):
            return f"({self.expr(node.args[0])} {op.upper()} {self.expr(node.args[1])})"
        if op == "not":
            return f"(NOT {self.expr(node.args[0])})"
        if op == "isnull":
            return f"({self.expr(node.args[0])} IS NULL)"
        if op == "in":
            return f"({self.expr(node.args[0])} IN ({', '.join(self.expr(a) for a in node.args[1:])}))"
        raise RuleError(f"无法编译 {op}")

    def rule_scope(self) -> dict[str, tuple[str, ...]]:
        return {**self.rule.rosters, **{u.alias: (u.kind,) for u in self.rule.unless}}


def compile_rule(rule: Rule, dialect: str = "duckdb") -> CompiledRule:
    """The SQL returning one row per match: subject, proxy flag, each alias's kind/row, detail values.

    Grouped rules return every row of each qualifying group, with the group's key (``_g0``…) and whether
    any row of the group was matched without a valid ID (``_group_proxy``).
    """
    if dialect not in ("duckdb", "spark"):
        raise RuleError(f"未知的 SQL 方言 {dialect}")
    aliases = list(rule.rosters)
    used: dict[str, set[str]] = {a: {"_row", "_proxy", "_score", "_why"} for a in aliases}

    def ref_sql(alias: str, column: str) -> str:
        used.setdefault(alias, set()).add(column)
        return f"{alias}.{column}"

    w = _SqlWriter(rule, dialect, ref_sql)

    # FROM … JOIN … ON keys, in an order where each join has at least one key to what came before.
    order = [aliases[0]]
    pending = list(rule.keys)
    joins: list[tuple[str, str]] = []
    while len(order) < len(aliases):
        for alias in aliases:
            if alias in order:
                continue
            usable = [k for k in pending
                      if alias in (_aliases(k[0]) | _aliases(k[1]))
                      and (_aliases(k[0]) | _aliases(k[1])) <= set(order) | {alias}]
            if usable:
                joins.append((alias, " AND ".join(f"{w.expr(a)} = {w.expr(b)}" for a, b in usable)))
                pending = [k for k in pending if k not in usable]
                order.append(alias)
                break
        else:  # pragma: no cover - rule_from_dict refuses unconnected rosters
            raise RuleError(f"规则 {rule.id}：名册没有全部关联")
    where = [f"{w.expr(a)} = {w.expr(b)}" for a, b in pending]
    if rule.predicate is not None:
        where.append(w.expr(rule.predicate))
    anti = []
    for u in rule.unless:
        cond = [f"{w.expr(a)} = {w.expr(b)}" for a, b in u.keys]
        if u.predicate is not None:
            cond.append(w.expr(u.predicate))
        if dialect == "duckdb":
            where.append(f"NOT EXISTS (SELECT 1 FROM {u.kind} AS {u.alias} WHERE {' AND '.join(cond)})")
        else:  # Spark plans correlated NOT EXISTS with inequalities poorly: an anti join says the same
            anti.append(f"LEFT ANTI JOIN {u.kind} AS {u.alias} ON {' AND '.join(cond)}")

    select = [f"{w.expr(rule.subject_id)} AS _subject_id",
              f"{w.expr(rule.subject_name) if rule.subject_name else 'NULL'} AS _subject_name",
              f"({' OR '.join(f'{a}._proxy' for a in aliases)}) AS _proxy"]
    for a in aliases:
        kind = f"{a}._kind" if len(rule.rosters[a]) > 1 else f"'{rule.rosters[a][0]}'"
        select += [f"{kind} AS {a}___kind", f"{a}._row AS {a}___row", f"{a}._proxy AS {a}___proxy",
                   f"{a}._score AS {a}___score", f"{a}._why AS {a}___why"]
    detail_columns = [f"_d{i}" for i in range(len(rule.detail_refs))]
    select += [f"{w.expr(node)} AS _d{i}" for i, node in enumerate(rule.detail_refs)]
    group_columns = [f"_g{i}" for i in range(len(rule.group_by))]
    having_sql = ""
    if rule.group_by:
        select += [f"{w.expr(node)} AS _g{i}" for i, node in enumerate(rule.group_by)]
        having_cols: dict[tuple[str, str], str] = {}

        def having_ref(alias: str, column: str) -> str:
            ref_sql(alias, column)
            return having_cols.setdefault((alias, column), f"_h{len(having_cols)}")

        having_sql = _SqlWriter(rule, dialect, having_ref).expr(rule.having)
        select += [f"{a}.{c} AS {name}" for (a, c), name in having_cols.items()]

    def source(alias: str) -> str:
        kinds = rule.rosters[alias]
        if len(kinds) == 1:
            return f"{kinds[0]} AS {alias}"
        cols = ", ".join(sorted(used[alias] - {"_kind"}))
        parts = [f"SELECT '{k}' AS _kind, {cols} FROM {k}" for k in kinds]
        return f"({' UNION ALL '.join(parts)}) AS {alias}"

    sql = f"SELECT {', '.join(select)} FROM {source(order[0])}"
    for alias, on in joins:
        sql += f" JOIN {source(alias)} ON {on}"
    for a in anti:
        sql += f" {a}"
    if where:
        sql += f" WHERE {' AND '.join(where)}"
    if rule.group_by:
        not_null = " AND ".join(f"{g} IS NOT NULL" for g in group_columns)
        on = " AND ".join(f"_m.{g} = _g.{g}" for g in group_columns)
        sql = (f"WITH _m AS ({sql}), _g AS (SELECT {', '.join(group_columns)}, bool_or(_proxy) AS _gproxy "
               f"FROM _m WHERE {not_null} GROUP BY {', '.join(group_columns)} HAVING {having_sql}) "
               f"SELECT _m.*, _g._gproxy AS _group_proxy FROM _m JOIN _g ON {on}")
    return CompiledRule(rule, sql, aliases, detail_columns, group_columns)
