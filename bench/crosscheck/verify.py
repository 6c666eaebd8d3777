"""Check a generated set's ground truth with plain DuckDB SQL, written independently of xuncha.crosscheck.

Reads DIR/data the way a stranger would (byte-order marks, GBK/GB18030, UTF-16, the header line found by
its names, an .xlsx through openpyxl), normalises IDs, dates, months and years in SQL, writes the 14
rules of issue 6 as SQL joins and groups, and compares with DIR/expected_hits.csv, expected_rejected.csv
and expected_review.csv. Rows without a valid ID are matched on name + birth date + area code (names
normalised with OpenCC t2s, NFKC and one middle dot) and take part under the matched person's ID as
flagged "proxy" rows; a match that needs one is a review match, never a hit.

Values are normalised once per distinct value (IDs, dates, months) and joined back, which keeps a
province-size check to a few minutes on two cores.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import shutil
import tempfile
import time
import unicodedata
from pathlib import Path

import duckdb
from roster_spec import DATES, HEADERS, KINDS, MONTHS, OTHER_IDS, PERSON, WEIGHTS, YEARS

EXEMPT = ("摩托车", "三轮汽车", "低速货车", "拖拉机")
DOT_VARIANTS = "\u00b7\u2022\u30fb\u2027.\uff0e\uff65\u0387\u2219\u22c5"


# --- reading ---------------------------------------------------------------------------------------------------

def _encoding(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(1 << 22)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _to_utf8(path: Path, enc: str, tmp: Path) -> Path:
    """A UTF-8, LF copy of a file in another encoding (streamed); the file itself when it is UTF-8 already."""
    if enc in ("utf-8", "utf-8-sig"):
        with open(path, "rb") as f:
            if b"\r\n" not in f.read(1 << 16):
                return path
    target = tmp / (path.stem + ".utf8.csv")
    with open(path, encoding=enc, newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        carry = ""
        while block := src.read(1 << 23):
            block = carry + block
            carry = "\r" if block.endswith("\r") else ""   # a CRLF split between two blocks
            dst.write(block[: len(block) - len(carry)].replace("\r\n", "\n"))
        dst.write(carry)
    return target


def _header(path: Path, kind: str) -> tuple[int, str, list[str]]:
    """(0-based line of the header, delimiter, header cells)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        for i in range(10):
            line = f.readline().rstrip("\r\n")
            delim = "\t" if line.count("\t") > line.count(",") else ","
            cells = [c.strip().strip('"') for c in line.split(delim)]
            if all(h in cells for h in HEADERS[kind]):
                return i, delim, cells
    raise ValueError(f"{path.name}: no header line with {HEADERS[kind]}")


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def load(con, data: Path, tmp: Path) -> dict[str, dict]:
    """raw_<kind> tables (every cell VARCHAR, columns named by header) and, per kind, file and first line."""
    info = {}
    for kind in KINDS:
        cols = {h: f"c{i}" for i, h in enumerate(HEADERS[kind])}
        csv_path, xlsx_path = data / f"{kind}.csv", data / f"{kind}.xlsx"
        if xlsx_path.exists():
            from openpyxl import load_workbook

            wb = load_workbook(xlsx_path, read_only=True, data_only=True)
            rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            wb.close()
            hdr = next(i for i, r in enumerate(rows[:10]) if all(h in [str(c) for c in r] for h in HEADERS[kind]))
            pos = [[str(c) for c in rows[hdr]].index(h) for h in HEADERS[kind]]
            body = [[_cell_text(r[p]) if p < len(r) else None for p in pos] for r in rows[hdr + 1:]]
            con.execute(f"CREATE TABLE raw_{kind} ({', '.join(f'{c} VARCHAR' for c in cols.values())})")
            if body:
                con.executemany(f"INSERT INTO raw_{kind} VALUES ({', '.join('?' * len(cols))})", body)
            info[kind] = {"file": xlsx_path.name, "first": hdr + 2}
            continue
        enc = _encoding(csv_path)
        path = _to_utf8(csv_path, enc, tmp)
        hdr, delim, cells = _header(path, kind)
        names = {f"x{i}": "VARCHAR" for i in range(len(cells))}
        select = ", ".join(f"x{cells.index(h)} AS {c}" for h, c in cols.items())
        con.execute(f"""CREATE TABLE raw_{kind} AS SELECT {select} FROM read_csv('{path}', header = false,
                        skip = {hdr + 1}, delim = '{delim}', quote = '"', escape = '"', auto_detect = false,
                        columns = {names}, null_padding = true)""")
        info[kind] = {"file": csv_path.name, "first": hdr + 2}
    return info


# --- normalisation ---------------------------------------------------------------------------------------------

def _check_sql(body: str) -> str:
    terms = " + ".join(f"(ascii(substr({body}, {k + 1}, 1)) - 48) * {w}" for k, w in enumerate(WEIGHTS))
    return f"substr('10X98765432', (({terms}) % 11)::INTEGER + 1, 1)"


def normalise(con, info: dict[str, dict]) -> None:
    cols = {k: {h: f"c{i}" for i, h in enumerate(HEADERS[k])} for k in KINDS}
    id_cols = [(k, cols[k][h]) for k in KINDS for h in [PERSON[k][0], *OTHER_IDS.get(k, [])]]
    union = " UNION ".join(f"SELECT DISTINCT {c} AS raw FROM raw_{k}" for k, c in id_cols)
    con.execute(f"""
        CREATE TABLE idmap AS
        WITH a AS (SELECT raw, upper(regexp_replace(translate(raw, '０１２３４５６７８９Ｘｘ', '0123456789XX'),
                                               '[\\s\\-\u3000]', '', 'g')) AS t FROM ({union}) WHERE raw IS NOT NULL),
        b AS (SELECT raw, t,
                     CASE WHEN regexp_full_match(t, '[0-9]{{15}}') THEN substr(t, 1, 6) || '19' || substr(t, 7)
                          WHEN regexp_full_match(t, '[0-9]{{17}}[0-9X]') THEN substr(t, 1, 17) END AS body FROM a),
        c AS (SELECT *, try_strptime(substr(body, 7, 8), '%Y%m%d')::DATE AS birth,
                     try_strptime(substr(coalesce(body, t), 7, 8), '%Y%m%d')::DATE AS birth_read,
                     CASE WHEN length(t) = 15 THEN {_check_sql('body')} ELSE substr(t, 18, 1) END AS given,
                     {_check_sql('body')} AS expected FROM b)
        SELECT raw,
               CASE WHEN body IS NULL THEN 'id_format'
                    WHEN birth IS NULL OR birth < DATE '1900-01-01' OR birth > current_date THEN 'id_birth'
                    WHEN given <> expected THEN 'id_check' END AS reason,
               CASE WHEN body IS NOT NULL AND birth BETWEEN DATE '1900-01-01' AND current_date AND given = expected
                    THEN body || expected END AS id,
               CASE WHEN regexp_full_match(substr(coalesce(body, t), 1, 14), '[0-9]{{14}}')
                         AND birth_read BETWEEN DATE '1900-01-01' AND current_date
                    THEN substr(coalesce(body, t), 1, 14) END AS key14
        FROM c
    """)
    date_cols = [(k, cols[k][h]) for k in KINDS for h, _r in DATES.get(k, [])]
    union = " UNION ".join(f"SELECT DISTINCT {c} AS raw FROM raw_{k}" for k, c in date_cols)
    con.execute(f"""
        CREATE TABLE datemap AS SELECT raw,
            CASE WHEN regexp_full_match(trim(raw), '[0-9]{{5}}') THEN DATE '1899-12-30' + trim(raw)::INTEGER
                 ELSE try_strptime(trim(raw), ['%Y-%m-%d', '%Y/%m/%d', '%Y年%m月%d日', '%Y%m%d'])::DATE END AS d
        FROM ({union}) WHERE raw IS NOT NULL""")
    union = " UNION ".join(f"SELECT DISTINCT {cols[k][h]} AS raw FROM raw_{k}" for k, h in MONTHS.items())
    con.execute(f"""
        CREATE TABLE monthmap AS SELECT raw, year(d) * 12 + month(d) - 1 AS m FROM (
            SELECT raw, try_strptime(trim(raw), ['%Y-%m', '%Y/%m', '%Y年%m月', '%Y%m'])::DATE AS d
            FROM ({union}) WHERE raw IS NOT NULL)""")

    rejected_parts = []
    for kind in KINDS:
        c = cols[kind]
        f, first = info[kind]["file"], info[kind]["first"]
        joins, fields, problems = [], [], []
        idh, nameh = PERSON[kind]
        for n, h in enumerate([idh, *OTHER_IDS.get(kind, [])]):
            alias = f"i{n}"
            joins.append(f"LEFT JOIN idmap {alias} ON {alias}.raw = r.{c[h]}")
            fields.append(f"{alias}.id AS {'id' if n == 0 else 'cadre_id'}")
            problems.append((h, f"CASE WHEN r.{c[h]} IS NULL THEN 'id_empty' ELSE {alias}.reason END"))
        fields.append(f"r.{c[nameh]} AS name")
        for n, (h, required) in enumerate(DATES.get(kind, [])):
            alias = f"d{n}"
            joins.append(f"LEFT JOIN datemap {alias} ON {alias}.raw = r.{c[h]}")
            fields.append(f"{alias}.d AS {_field(h)}")
            empty = "'required'" if required else "NULL"
            problems.append((h, f"CASE WHEN r.{c[h]} IS NULL THEN {empty} WHEN {alias}.d IS NULL THEN 'date' END"))
        if kind in MONTHS:
            h = MONTHS[kind]
            joins.append(f"LEFT JOIN monthmap mm ON mm.raw = r.{c[h]}")
            fields.append("mm.m AS m")
            problems.append((h, f"CASE WHEN r.{c[h]} IS NULL THEN 'required' WHEN mm.m IS NULL THEN 'month' END"))
        if kind in YEARS:
            h = YEARS[kind]
            fields.append(f"CASE WHEN regexp_full_match(trim(r.{c[h]}), '[0-9]{{4}}') THEN trim(r.{c[h]})::INTEGER "
                          f"END AS y")
            problems.append((h, f"CASE WHEN r.{c[h]} IS NULL THEN 'required' "
                                f"WHEN NOT regexp_full_match(trim(r.{c[h]}), '[0-9]{{4}}') THEN 'year' END"))
        for h in HEADERS[kind]:
            if h not in (idh, nameh, *OTHER_IDS.get(kind, []), *[x for x, _ in DATES.get(kind, [])],
                         MONTHS.get(kind), YEARS.get(kind)):
                fields.append(f"trim(r.{c[h]}) AS {_field(h)}")
        probs = ", ".join(f"{sql} AS p{n}" for n, (_h, sql) in enumerate(problems))
        con.execute(f"""
            CREATE TABLE full_{kind} AS
            SELECT r.rowid + {first} AS line, {', '.join(fields)}, {probs}
            FROM raw_{kind} r {' '.join(joins)}""")
        ok = " AND ".join(f"p{n} IS NULL" for n in range(len(problems)))
        con.execute(f"CREATE TABLE n_{kind} AS SELECT *, false AS proxy, NULL::VARCHAR AS pref "
                    f"FROM full_{kind} WHERE {ok}")
        for n, (h, _sql) in enumerate(problems):
            rejected_parts.append(f"SELECT '{f}' AS file, line, '{h}' AS col, p{n} AS reason FROM full_{kind} "
                                  f"WHERE p{n} IS NOT NULL")
        # only the person's ID is wrong, and its birth date and area code are readable: a review candidate
        others = " AND ".join(f"p{n} IS NULL" for n in range(1, len(problems))) or "true"
        con.execute(f"""
            CREATE TABLE cand_{kind} AS SELECT f.*, i.key14 FROM full_{kind} f
            JOIN raw_{kind} r ON r.rowid + {first} = f.line JOIN idmap i ON i.raw = r.{c[idh]}
            WHERE f.p0 IS NOT NULL AND {others} AND i.key14 IS NOT NULL""")
    con.execute("CREATE TABLE rejected AS " + " UNION ALL ".join(rejected_parts))


_FIELDS = {"死亡日期": "death", "入职日期": "start_d", "离职日期": "stop_d", "任职开始": "start_d",
           "任职结束": "stop_d",
           "起始日期": "start_d", "终止日期": "stop_d", "登记日期": "reg", "入狱日期": "start_d", "出狱日期": "stop_d",
           "单位": "unit", "职务": "post", "村": "village", "关系": "relation", "企业名称": "company",
           "统一社会信用代码": "uscc", "角色": "role", "车牌号": "plate", "车辆类型": "vtype", "机具编号": "machine",
           "补贴金额": "amount", "金额": "amount", "地区": "region", "地块编码": "plot", "面积": "mu"}


def _field(header: str) -> str:
    return _FIELDS[header]


_t2s = None


def norm_name(name: str | None) -> str:
    global _t2s
    if _t2s is None:
        import opencc

        _t2s = opencc.OpenCC("t2s")
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    text = _t2s.convert(text)
    text = re.sub(f"[{re.escape(DOT_VARIANTS)}]+", "·", text).strip("·")
    return text


def add_proxies(con) -> int:
    """Copies of review candidates under the ID of the one person (or each person) with the same
    normalised name, birth date and area code among the rows with a valid ID."""
    keys = set()
    cands = {}
    for kind in KINDS:
        rows = con.execute(f"SELECT line, name, key14 FROM cand_{kind}").fetchall()
        cands[kind] = rows
        keys.update(r[2] for r in rows)
    if not keys:
        return 0
    con.execute("CREATE TEMP TABLE keys14 (k VARCHAR)")
    con.executemany("INSERT INTO keys14 VALUES (?)", [(k,) for k in keys])
    registry: dict[tuple[str, str], set[str]] = {}
    for kind in KINDS:
        for pid, name in con.execute(f"SELECT DISTINCT id, name FROM n_{kind} WHERE left(id, 14) IN "
                                     "(SELECT k FROM keys14)").fetchall():
            registry.setdefault((pid[:14], norm_name(name)), set()).add(pid)
    added = 0
    for kind, rows in cands.items():
        for line, name, key in rows:
            for pid in sorted(registry.get((key, norm_name(name)), ())):
                con.execute(f"""INSERT INTO n_{kind} BY NAME
                                SELECT * EXCLUDE (id, key14), ? AS id, true AS proxy, ? AS pref
                                FROM cand_{kind} WHERE line = ?""", [pid, f"{kind}:{line}", line])
                added += 1
    return added


# --- the rules ------------------------------------------------------------------------------------------------------

def M(d: str) -> str:
    return f"(year({d}) * 12 + month({d}) - 1)"


def P(*aliases: str) -> str:
    """The proxy rows behind a match (empty for a pure match)."""
    return "list_filter([" + ", ".join(f"{a}.pref" for a in aliases) + "], lambda x: x IS NOT NULL)"


RULES = {
    "pension_after_death": f"""SELECT p.id AS pid, {P('d', 'p')} AS px FROM n_deaths d JOIN n_pension p ON p.id = d.id
        WHERE p.m >= {M('d.death')} + 3""",
    "dibao_after_death": f"""SELECT b.id, {P('d', 'b')} FROM n_deaths d JOIN n_dibao b ON b.id = d.id
        WHERE b.m >= {M('d.death')} + 3""",
    "employee_on_dibao": f"""SELECT b.id, {P('e', 'b')} FROM n_public_employees e JOIN n_dibao b ON b.id = e.id
        WHERE b.m >= {M('e.start_d')} AND (e.stop_d IS NULL OR b.m <= {M('e.stop_d')})""",
    "cadre_on_dibao": f"""SELECT b.id, {P('c', 'b')} FROM n_village_cadres c JOIN n_dibao b ON b.id = c.id
        WHERE b.m >= {M('c.start_d')} AND (c.stop_d IS NULL OR b.m <= {M('c.stop_d')})""",
    "cadre_relative_on_dibao": f"""SELECT b.id, {P('c', 'r', 'b')} FROM n_village_cadres c
        JOIN n_relatives r ON r.cadre_id = c.id JOIN n_dibao b ON b.id = r.id
        WHERE b.m >= {M('c.start_d')} AND (c.stop_d IS NULL OR b.m <= {M('c.stop_d')})""",
    "duplicate_dibao": """SELECT b.id, g.px FROM n_dibao b JOIN (
            SELECT id, m, CASE WHEN count(*) FILTER (WHERE NOT proxy) >= 2 THEN []
                               ELSE list(pref) FILTER (WHERE proxy) END AS px
            FROM n_dibao GROUP BY id, m HAVING count(*) >= 2) g ON g.id = b.id AND g.m = b.m""",
    "dibao_with_car": f"""SELECT b.id, {P('b', 'v')} FROM n_dibao b JOIN n_vehicles v ON v.id = b.id
        WHERE {M('v.reg')} <= b.m AND v.vtype NOT IN {EXEMPT}""",
    "employee_runs_company": f"""SELECT e.id, {P('e', 'c')} FROM n_public_employees e
        JOIN n_company_roles c ON c.id = e.id
        WHERE c.role IN ('法定代表人', '股东') AND (c.start_d IS NULL OR e.stop_d IS NULL OR c.start_d <= e.stop_d)
          AND (c.stop_d IS NULL OR c.stop_d >= e.start_d)""",
    "prisoner_paid": f"""SELECT pay.id, {P('p', 'pay')} FROM n_prisoners p JOIN (
            SELECT id, m, pref FROM n_dibao UNION ALL SELECT id, m, pref FROM n_pension) pay ON pay.id = p.id
        WHERE pay.m > {M('p.start_d')} AND (p.stop_d IS NULL OR pay.m < {M('p.stop_d')})""",
    "machinery_many": """SELECT id, CASE WHEN count(DISTINCT machine) FILTER (WHERE NOT proxy) >= 3 THEN []
                                   ELSE list(pref) FILTER (WHERE proxy) END
        FROM n_machinery_subsidies GROUP BY id, y HAVING count(DISTINCT machine) >= 3""",
    "machinery_employee": f"""SELECT m.id, {P('m', 'e')} FROM n_machinery_subsidies m
        JOIN n_public_employees e ON e.id = m.id
        WHERE year(e.start_d) <= m.y AND (e.stop_d IS NULL OR year(e.stop_d) >= m.y)""",
    "payroll_after_death": f"""SELECT p.id, {P('d', 'p')} FROM n_deaths d JOIN n_payroll p ON p.id = d.id
        WHERE p.m > {M('d.death')}""",
    "payroll_after_leaving": f"""SELECT p.id, {P('e', 'p')} FROM n_public_employees e
        JOIN n_payroll p ON p.id = e.id AND p.unit = e.unit
        WHERE e.stop_d IS NOT NULL AND p.m > {M('e.stop_d')}
          AND NOT EXISTS (SELECT 1 FROM n_public_employees e2 WHERE e2.id = p.id AND e2.unit = p.unit
                          AND p.m >= {M('e2.start_d')} AND (e2.stop_d IS NULL OR p.m <= {M('e2.stop_d')}))""",
    "farmland_double": """SELECT f.id, CASE WHEN g.pure AND NOT f.proxy THEN [] ELSE g.px END
        FROM n_farmland_subsidies f
        JOIN (SELECT plot, y, count(*) FILTER (WHERE NOT proxy) >= 2 AS pure,
                     coalesce(list(pref) FILTER (WHERE proxy), []) AS px
              FROM n_farmland_subsidies GROUP BY plot, y HAVING count(*) >= 2) g ON g.plot = f.plot AND g.y = f.y""",
}


# Near misses in the whole set (background and planted): the thresholds the data exercises without a hit.
NEAR = {
    "pension paid 1-2 months after the month of death (rows)": f"""SELECT count(*) FROM n_deaths d
        JOIN n_pension p ON p.id = d.id WHERE p.m BETWEEN {M('d.death')} + 1 AND {M('d.death')} + 2""",
    "低保 recipients owning an exempt vehicle": f"""SELECT count(DISTINCT b.id) FROM n_dibao b
        JOIN n_vehicles v ON v.id = b.id WHERE v.vtype IN {EXEMPT}""",
    "低保 recipients with a car registered after their last payment month": """SELECT count(*) FROM (
        SELECT b.id FROM n_dibao b JOIN n_vehicles v ON v.id = b.id WHERE v.vtype NOT IN ('摩托车', '三轮汽车',
        '低速货车', '拖拉机') GROUP BY b.id HAVING max(b.m) < min(year(v.reg) * 12 + month(v.reg) - 1))""",
    "public employees in company_roles (other roles or periods)": """SELECT count(DISTINCT e.id)
        FROM n_public_employees e JOIN n_company_roles c ON c.id = e.id""",
    "people paid by a new unit after leaving the old one": f"""SELECT count(DISTINCT p.id) FROM n_public_employees e
        JOIN n_payroll p ON p.id = e.id AND p.unit <> e.unit WHERE e.stop_d IS NOT NULL AND p.m > {M('e.stop_d')}""",
    "buyers with exactly two machines in a year": """SELECT count(*) FROM (SELECT id FROM n_machinery_subsidies
        GROUP BY id, y HAVING count(DISTINCT machine) = 2)""",
    "plots paid in both years to different people": """SELECT count(*) FROM (SELECT plot FROM n_farmland_subsidies
        GROUP BY plot HAVING count(DISTINCT y) = 2 AND count(DISTINCT id) = 2)""",
}


def run_rules(con) -> tuple[set, set, dict]:
    hits, review, timing = set(), set(), {}
    for rule, sql in RULES.items():
        t0 = time.perf_counter()
        rows = con.execute(f"""
            SELECT pid, bool_or(len(px) = 0) AS pure, flatten(list(px)) AS proxies
            FROM ({sql}) t(pid, px) GROUP BY pid""").fetchall()
        timing[rule] = time.perf_counter() - t0
        for pid, pure, proxies in rows:
            if pure:
                hits.add((rule, pid))
            else:
                for ref in set(proxies):
                    kind, line = ref.rsplit(":", 1)
                    review.add((rule, pid, kind, int(line)))
    return hits, review, timing


# --- the comparison ----------------------------------------------------------------------------------------------

def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _diff(what: str, expected: set, found: set) -> bool:
    missing, extra = sorted(expected - found), sorted(found - expected)
    status = "ok" if not missing and not extra else "MISMATCH"
    print(f"  {what:10s} expected {len(expected):>6,d}  found {len(found):>6,d}  {status}")
    for label, items in (("missing", missing), ("unexpected", extra)):
        for item in items[:15]:
            print(f"    {label}: {item}")
        if len(items) > 15:
            print(f"    … {len(items) - 15} more {label}")
    return not missing and not extra


def verify(out: Path, *, memory_limit: str = "3GB") -> bool:
    started = time.perf_counter()
    data = out / "data"
    tmp = Path(tempfile.mkdtemp(prefix=".check-", dir=out))
    try:
        con = duckdb.connect(str(tmp / "check.duckdb"))
        con.execute(f"SET enable_progress_bar = false; SET threads = 2; SET memory_limit = '{memory_limit}'; "
                    f"SET temp_directory = '{tmp / 'spill'}'; SET preserve_insertion_order = true")
        info = load(con, data, tmp)
        t_load = time.perf_counter() - started
        normalise(con, info)
        proxies = add_proxies(con)
        t_norm = time.perf_counter() - started - t_load
        hits, review, timing = run_rules(con)
        near = {label: con.execute(sql).fetchone()[0] for label, sql in NEAR.items()}
        rejected = {(f, int(line), col, reason) for f, line, col, reason in
                    con.execute("SELECT file, line, col, reason FROM rejected").fetchall()}
        rows = sum(con.execute(f"SELECT count(*) FROM raw_{k}").fetchone()[0] for k in KINDS)
        con.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kind_of = {f"{k}.{ext}": k for k in KINDS for ext in ("csv", "xlsx")}
    review = {(rule, pid, info[kind]["file"], line) for rule, pid, kind, line in review}
    exp_hits = {(r["rule_id"], r["person_id"]) for r in _read(out / "expected_hits.csv")}
    exp_rej = {(r["file"], int(r["row"]), r["column"], r["reason"]) for r in _read(out / "expected_rejected.csv")}
    exp_rev = {(r["rule_id"], r["person_id"], r["file"], int(r["row"])) for r in _read(out / "expected_review.csv")}
    assert all(f in kind_of for f, *_ in exp_rej)
    seconds = time.perf_counter() - started
    print(f"check {out}: {rows:,d} rows read in {t_load:.1f} s, normalised in {t_norm:.1f} s ({proxies} proxy rows), "
          f"rules in {sum(timing.values()):.1f} s; {seconds:.1f} s in all")
    by_rule: dict[str, int] = {}
    for rule, _pid in hits:
        by_rule[rule] = by_rule.get(rule, 0) + 1
    print("  hits per rule: " + ", ".join(f"{r} {by_rule.get(r, 0)}" for r in RULES))
    print("  near misses: " + "; ".join(f"{label} {n:,d}" for label, n in near.items()))
    ok = _diff("hits", exp_hits, hits) & _diff("rejected", exp_rej, rejected) & _diff("review", exp_rev, review)
    print("ground truth verified" if ok else "GROUND TRUTH DOES NOT MATCH THE FILES")
    return ok
