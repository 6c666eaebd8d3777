"""Background rows: a county's (or a province's) rosters, generated in DuckDB, none of them a hit.

Every person belongs to one population (pensioners, 低保 recipients, public employees, …) and gets an ID
from its population and index: area code, a birth date in the population's range and a sequence number
from a band of its own (0-899; planted people use 900-999), so IDs never collide and are valid by
construction. Random choices are `hash(index, tag, seed)`.

Why no background row is a hit (rule by rule; `generate.py --check` verifies it on the files):
- *_after_death: pensioners and 低保 recipients who die are paid up to death month + 0, 1 or 2;
  payroll_after_death: employees who die are paid up to the month of death.
- employee_on_dibao, cadre_on_dibao, cadre_relative_on_dibao, prisoner_paid, machinery_employee: the
  populations are disjoint (employees, cadres, relatives, prisoners, buyers are never on 低保/pension).
- duplicate_dibao: one row per person and month. farmland_double: one row per plot and year (a plot may
  change hands between years). machinery_many: at most two machines per buyer and year.
- dibao_with_car: 低保 recipients own only exempt types, or a car registered after their last payment month.
- employee_runs_company: employees appear in company_roles only in roles that are not 法定代表人/股东, or as
  股东 for a period ending before their first employment.
- payroll_after_leaving: employees are paid by a unit only within their employment there; movers are paid
  by the new unit (a different 单位) after leaving the old one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from roster_spec import DATE_FORMATS, M_FIRST, M_LAST, MONTH_FORMATS, WEIGHTS

SIZES = {
    "tiny": dict(areas=2, pension=60, dibao=50, emp=50, cadre=15, company_rows=120, company_people=80,
                 owner=120, prisoner=15, buyer=50, farmer=60, plots=120, dead=40, reps=1),
    "county": dict(areas=4, pension=160_000, dibao=20_000, emp=20_000, cadre=3_000, company_rows=100_000,
                   company_people=60_000, owner=150_000, prisoner=1_500, buyer=15_000, farmer=120_000,
                   plots=250_000, dead=10_000, reps=20),
}
SIZES["province"] = {k: (v * 10 if k not in ("areas", "reps") else v) for k, v in SIZES["county"].items()}
SIZES["province"].update(areas=40, reps=40)

COUNTY_AREAS = [("411421", "清河县"), ("411422", "柳林县"), ("411423", "石桥县"), ("411402", "东城区")]
_SYL_A = list("安永平宁长和丰泰兴福")
_SYL_B = list("阳川山城源陵丘原水林")
TOWNS = ["城关镇", "东关乡", "西关乡", "南湖镇", "北山乡", "河口镇", "杨庄乡", "李集镇", "王店乡", "白云镇",
         "高庙乡", "新集镇"]
UNIT_SUFFIX = ["财政局", "教育局", "民政局", "人力资源和社会保障局", "农业农村局", "水利局", "交通运输局",
               "卫生健康委员会", "自然资源局", "住房和城乡建设局", "市场监督管理局", "公安局", "第一高级中学",
               "人民医院", "中医院", "实验小学", "统计局", "审计局", "林业局", "城市管理局"]
UNIT_SUFFIX += [t + "人民政府" for t in TOWNS]
POSTS = ["科员", "副科长", "科长", "副局长", "办事员", "一级主任科员", "教师", "医生", "工程师", "会计"]
CADRE_POSTS = ["村党支部书记", "村委会主任", "村委委员", "村监委主任", "村文书", "妇联主任"]
VILLAGE = ["张庄村", "李楼村", "王营村", "赵寨村", "刘湾村", "陈岗村", "杨集村", "黄庙村", "周屯村", "吴堂村",
           "孙店村", "马桥村", "朱洼村", "胡庄村", "郭楼村"]
RELATIONS = ["配偶", "子女", "父亲", "母亲", "兄弟姐妹", "配偶的父母", "子女的配偶"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
                "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔")
GIVEN_BG = list("伟芳娜秀英敏静丽强磊洋艳勇军杰娟涛明超霞平刚桂玉萍红鹏辉建华琳晶志春梅燕兰海波斌宁浩凯佳欣雪晨"
                "文博宇鑫俊峰亮成康婷颖倩丹子文玲荣彬翔凤新光国庆德福生金松林")
MINORITY_A_BG = ["阿不都", "艾力", "买买提", "吐尔逊", "热合曼", "努尔", "玉素甫", "依明"]
MINORITY_B_BG = ["艾买提", "阿布拉", "卡德尔", "司马义", "托乎提", "肉孜", "买合木提", "吾守尔"]
COMPANY_A = ["恒", "鑫", "宏", "瑞", "华", "盛", "隆", "泰", "通", "达", "兴", "源", "丰", "祥", "利", "聚"]
COMPANY_B = ["商贸", "建筑工程", "农业开发", "物流", "农机", "食品", "建材", "劳务", "养殖", "电子科技"]
COMPANY_ROLES = ["股东", "监事", "执行董事", "经理", "财务负责人", "董事"]
EMP_ROLES = ["监事", "经理", "财务负责人", "执行董事"]
EXEMPT = ["摩托车", "三轮汽车", "低速货车", "拖拉机"]
# (type, cumulative percent)
VEHICLE_TYPES = [("小型轿车", 40), ("小型普通客车", 60), ("摩托车", 75), ("轻型普通货车", 83), ("三轮汽车", 88),
                 ("低速货车", 92), ("拖拉机", 95), ("中型普通货车", 98), ("重型半挂牵引车", 100)]
PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def areas_for(size: str) -> list[tuple[str, str]]:
    n = SIZES[size]["areas"]
    if n <= len(COUNTY_AREAS):
        return COUNTY_AREAS[:n]
    out = []
    for k in range(n):
        city, county = divmod(k, 4)
        out.append((f"41{city + 1:02d}{county + 21:02d}", _SYL_A[k % 10] + _SYL_B[(k // 10 + k) % 10] + "县"))
    return out


def units_for(areas: list[tuple[str, str]]) -> list[str]:
    return [county + suffix for _code, county in areas for suffix in UNIT_SUFFIX]


def _lit(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: list[str], h: str) -> str:
    return f"list_extract({_lit(values)}, (({h}) % {len(values)})::INTEGER + 1)"


# --- populations ---------------------------------------------------------------------------------------------

@dataclass
class Population:
    name: str
    count: int
    born: tuple[str, str]


POPULATIONS = [  # (name, size key, birth range)
    ("pension", "pension", ("1935-01-01", "1963-12-31")),
    ("dibao", "dibao", ("1940-01-01", "2000-12-31")),
    ("emp", "emp", ("1965-01-01", "2000-12-31")),
    ("cadre", "cadre", ("1960-01-01", "1995-12-31")),
    ("rel", None, ("1940-01-01", "2015-12-31")),
    ("company", "company_people", ("1950-01-01", "2000-12-31")),
    ("owner", "owner", ("1950-01-01", "2004-12-31")),
    ("prisoner", "prisoner", ("1960-01-01", "2003-12-31")),
    ("buyer", "buyer", ("1950-01-01", "1995-12-31")),
    ("farmer", "farmer", ("1940-01-01", "1990-12-31")),
    ("dead", "dead", ("1920-01-01", "1960-12-31")),
]


def _check_sql(body: str) -> str:
    terms = " + ".join(f"(ascii(substr({body}, {k + 1}, 1)) - 48) * {w}" for k, w in enumerate(WEIGHTS))
    return f"substr('10X98765432', (({terms}) % 11)::INTEGER + 1, 1)"


def mnum_sql(d: str) -> str:
    return f"(year({d}) * 12 + month({d}) - 1)"


def mdate_sql(m: str) -> str:
    return f"make_date(({m}) // 12, ({m}) % 12 + 1, 1)"


class Background:
    """Creates the population tables in `con` and gives, per roster, the SQL of its background rows in chunks."""

    def __init__(self, con, size: str, seed: int):
        self.con = con
        self.size = size
        self.seed = seed
        self.cfg = dict(SIZES[size])
        self.cfg["rel"] = 3 * self.cfg["cadre"] + 2 * self.cfg["emp"]
        self.areas = areas_for(size)
        self.units = units_for(self.areas)
        self.counts: dict[str, int] = {}
        self._make_populations()

    def h(self, expr: str, tag: str) -> str:
        return f"hash({expr}, '{tag}', {self.seed})"

    # --- people ----------------------------------------------------------------------------------------

    def _make_populations(self) -> None:
        A = len(self.areas)
        codes = _lit([a for a, _c in self.areas])
        seq = 0
        for name, key, (b0, b1) in POPULATIONS:
            count = self.cfg[key or name]
            days = int(self.con.execute(f"SELECT DATE '{b1}' - DATE '{b0}' + 1").fetchone()[0])
            mult = next(m for m in (7919, 104729, 15485863, 32452843) if math.gcd(m, days) == 1)
            band = max(1, math.ceil(count / (A * days)))
            if seq + band > 900:
                raise ValueError("too many people for the sequence numbers 0-899")
            h = self.h("i", "name" + name)
            given = _pick(GIVEN_BG, f"{h} // 10000")
            given2 = _pick(GIVEN_BG, f"{h} // 10000000")
            name_sql = (f"CASE WHEN {h} % 100 = 0 THEN {_pick(MINORITY_A_BG, f'{h} // 100')} || '·' || "
                        f"{_pick(MINORITY_B_BG, f'{h} // 1000')} ELSE {_pick(SURNAMES, f'{h} // 100')} || {given} || "
                        f"CASE WHEN {h} // 1000000 % 4 > 0 THEN {given2} ELSE '' END END")
            self.con.execute(f"""
                CREATE OR REPLACE TABLE pop_{name} AS
                WITH b AS (SELECT i, (i % {A})::INTEGER AS a, i // {A} AS j FROM range({count}) t(i)),
                c AS (SELECT i, a, DATE '{b0}' + ((j % {days}) * {mult} % {days})::INTEGER AS birth,
                             {seq} + j // {days} AS seq FROM b),
                d AS (SELECT i, a, birth, list_extract({codes}, a + 1) || strftime(birth, '%Y%m%d')
                             || lpad(seq::VARCHAR, 3, '0') AS body FROM c)
                SELECT i, a, birth, body || {_check_sql('body')} AS id,
                       CASE WHEN year(birth) < 2000 THEN substr(body, 1, 6) || substr(body, 9, 9) END AS id15,
                       {name_sql} AS name,
                       list_extract({_lit([c for _a, c in self.areas])}, a + 1) AS county,
                       {_pick(TOWNS, self.h('i', 'town' + name))} AS town
                FROM d ORDER BY i
            """)
            self.counts[name] = count
            seq += band
        self._fates()

    def _fates(self) -> None:
        h = self.h
        con = self.con
        # pensioners: 4 % die in the window; paid up to death month + 0..2
        con.execute(f"""
            CREATE OR REPLACE TABLE pension_fate AS
            SELECT i, dies, death,
                   CASE WHEN dies THEN {mnum_sql('death')} + ({h('i', 'pdr')} % 3)::INTEGER ELSE {M_LAST} END AS stop_m,
                   {h('i', 'p15')} % 100 < 3 AS old_id
            FROM (SELECT i, {h('i', 'pd')} % 1000 < 40 AS dies,
                         DATE '2023-01-01' + ({h('i', 'pdd')} % 731)::INTEGER AS death FROM pop_pension)
        """)
        con.execute(f"""
            CREATE OR REPLACE TABLE dibao_fate AS
            WITH a AS (
                SELECT i, {M_FIRST} + CASE WHEN {h('i', 'ds')} % 10 < 7 THEN 0
                                          ELSE ({h('i', 'ds2')} % 24)::INTEGER END AS start_m,
                       {h('i', 'de')} % 10 < 8 AS full_term, ({h('i', 'de2')} % 24)::INTEGER AS span,
                       {h('i', 'dd')} % 1000 < 20 AS dies,
                       DATE '2023-01-01' + ({h('i', 'ddd')} % 731)::INTEGER AS death,
                       ({h('i', 'ddr')} % 3)::INTEGER AS late, {h('i', 'dc')} % 100 AS car
                FROM pop_dibao),
            b AS (SELECT *, CASE WHEN full_term THEN {M_LAST} ELSE least({M_LAST}, start_m + span) END AS end_m FROM a)
            SELECT i, start_m, dies, death, car,
                   CASE WHEN dies THEN least(end_m, {mnum_sql('death')} + late) ELSE end_m END AS stop_m
            FROM b
        """)
        nu = len(UNIT_SUFFIX)
        con.execute(f"""
            CREATE OR REPLACE TABLE emp_fate AS
            WITH a AS (
                SELECT e.i, e.a, e.county, (e.birth + INTERVAL 22 YEAR)::DATE AS s22,
                       ({h('e.i', 'eu')} % {nu})::INTEGER AS u1, {h('e.i', 'ef')} % 1000 AS fate,
                       {h('e.i', 'ec')} % 100 AS co
                FROM pop_emp e),
            b AS (SELECT *, s22 + ({h('i', 'es')} % greatest(1, DATE '2024-06-30' - s22))::INTEGER AS start FROM a),
            c AS (SELECT *, greatest(start, DATE '2023-01-01') AS from_ FROM b)
            SELECT i, a, county, u1, (u1 + 1 + ({h('i', 'eu2')} % {nu - 1})::INTEGER) % {nu} AS u2, fate, co, start,
                   from_ + ({h('i', 'ee')} % greatest(1, DATE '2024-12-30' - from_))::INTEGER AS evt,
                   {_pick(POSTS, h('i', 'post'))} AS post
            FROM c
        """)
        units = _lit(UNIT_SUFFIX)
        # job 1 (leavers < 30, movers 30-49, deaths 50-51 end; the others still serve), job 2 for movers
        con.execute(f"""
            CREATE OR REPLACE TABLE jobs AS
            SELECT i, 1 AS job, county || list_extract({units}, u1 + 1) AS unit, post, start,
                   CASE WHEN fate < 52 THEN evt END AS stop FROM emp_fate
            UNION ALL
            SELECT i, 2, county || list_extract({units}, u2 + 1), post, evt + 1, NULL FROM emp_fate
            WHERE fate >= 30 AND fate < 50
        """)

    # --- rosters ------------------------------------------------------------------------------------------

    def parts(self, kind: str, *, iso_dates: bool = False) -> list[tuple[int, float, str]]:
        """[(drivers, rows per driver, SQL with {lo} and {hi} over the driver index)] for a roster."""
        h = self.h
        dfmt = "%Y-%m-%d" if iso_dates else DATE_FORMATS.get(kind, "%Y-%m-%d")
        mfmt = MONTH_FORMATS.get(kind, "%Y-%m")
        c = self.counts

        def fd(expr: str) -> str:
            return f"strftime({expr}, '{dfmt}')"

        def fm(expr: str) -> str:
            return f"strftime({mdate_sql(expr)}, '{mfmt}')"

        months = f"range({M_LAST - M_FIRST + 1}) m(k)"
        if kind == "pension":
            return [(c["pension"], 23.5, f"""
                SELECT p.name, CASE WHEN f.old_id AND p.id15 IS NOT NULL THEN p.id15 ELSE p.id END,
                       {fm(f'{M_FIRST} + k')}, (1200 + {h('p.i', 'pa')} % 2400)::VARCHAR || '.00', p.county || p.town
                FROM pop_pension p JOIN pension_fate f USING (i), {months}
                WHERE p.i >= {{lo}} AND p.i < {{hi}} AND {M_FIRST} + k <= f.stop_m ORDER BY p.i, k""")]
        if kind == "dibao":
            return [(c["dibao"], 20.0, f"""
                SELECT p.name, p.id, {fm(f'{M_FIRST} + k')},
                       (260 + {h('p.i', 'da')} % 500)::VARCHAR || '.00', p.county || p.town
                FROM pop_dibao p JOIN dibao_fate f USING (i), {months}
                WHERE p.i >= {{lo}} AND p.i < {{hi}} AND {M_FIRST} + k BETWEEN f.start_m AND f.stop_m
                ORDER BY p.i, k""")]
        if kind == "deaths":
            return [
                (c["pension"], 0.05, f"""SELECT p.name, p.id, {fd('f.death')} FROM pop_pension p JOIN pension_fate f
                    USING (i) WHERE f.dies AND p.i >= {{lo}} AND p.i < {{hi}} ORDER BY p.i"""),
                (c["dibao"], 0.03, f"""SELECT p.name, p.id, {fd('f.death')} FROM pop_dibao p JOIN dibao_fate f
                    USING (i) WHERE f.dies AND p.i >= {{lo}} AND p.i < {{hi}} ORDER BY p.i"""),
                (c["emp"], 0.01, f"""SELECT p.name, p.id, {fd('f.evt')} FROM pop_emp p JOIN emp_fate f USING (i)
                    WHERE f.fate >= 50 AND f.fate < 52 AND p.i >= {{lo}} AND p.i < {{hi}} ORDER BY p.i"""),
                (c["dead"], 1.0, f"""SELECT name, id, {fd(f"DATE '2010-01-01' + ({h('i', 'dt')} % 5479)::INTEGER")}
                    FROM pop_dead WHERE i >= {{lo}} AND i < {{hi}} ORDER BY i"""),
            ]
        if kind == "public_employees":
            return [(c["emp"], 1.02, f"""
                SELECT p.name, p.id, j.unit, j.post, {fd('j.start')}, {fd('j.stop')}
                FROM jobs j JOIN pop_emp p USING (i) WHERE j.i >= {{lo}} AND j.i < {{hi}}
                ORDER BY j.i, j.job""")]
        if kind == "payroll":
            return [(c["emp"], 23.0, f"""
                SELECT p.name, p.id, j.unit, {fm(f'{M_FIRST} + k')}, (3800 + {h('j.i', 'sal')} % 5200)::VARCHAR || '.00'
                FROM jobs j JOIN pop_emp p USING (i), {months}
                WHERE j.i >= {{lo}} AND j.i < {{hi}} AND {M_FIRST} + k >= {mnum_sql('j.start')}
                  AND (j.stop IS NULL OR {M_FIRST} + k <= {mnum_sql('j.stop')}) ORDER BY j.i, j.job, k""")]
        if kind == "village_cadres":
            start = f"DATE '2010-01-01' + ({h('i', 'cs')} % 5300)::INTEGER"
            stop = f"{start} + 1095 + ({h('i', 'ce2')} % 1500)::INTEGER"
            return [(c["cadre"], 1.0, f"""
                WITH t AS (SELECT *, {start} AS s, CASE WHEN {h('i', 'ce')} % 10 < 4 THEN {stop} END AS e
                           FROM pop_cadre WHERE i >= {{lo}} AND i < {{hi}})
                SELECT name, id, county || town || {_pick(VILLAGE, h('i', 'cv'))}, {_pick(CADRE_POSTS, h('i', 'cp'))},
                       {fd('s')}, {fd("CASE WHEN e <= DATE '2026-06-30' THEN e END")} FROM t ORDER BY i""")]
        if kind == "relatives":
            nc = c["cadre"]

            def rid(expr: str) -> str:
                return (f"CASE WHEN right({expr}, 1) = 'X' AND {h('r.i', 'rx')} % 3 = 0 "
                        f"THEN left({expr}, 17) || 'x' ELSE {expr} END")

            return [
                (nc, 3.0, f"""
                SELECT CASE WHEN {h('x.i', 'c15')} % 20 = 0 AND x.id15 IS NOT NULL THEN x.id15 ELSE x.id END,
                       r.name, {rid('r.id')}, {_pick(RELATIONS, h('r.i', 'rel'))}
                FROM pop_cadre x, range(3) q(k), pop_rel r
                WHERE x.i >= {{lo}} AND x.i < {{hi}} AND r.i = 3 * x.i + k ORDER BY x.i, k"""),
                (c["emp"], 2.0, f"""
                SELECT x.id, r.name, {rid('r.id')}, {_pick(RELATIONS, h('r.i', 'rel'))}
                FROM pop_emp x, range(2) q(k), pop_rel r
                WHERE x.i >= {{lo}} AND x.i < {{hi}} AND r.i = {3 * nc} + 2 * x.i + k ORDER BY x.i, k"""),
            ]
        if kind == "company_roles":
            ncp = c["company"]
            cname = (f"x.county || {_pick(COMPANY_A, h('r // 2', 'cn1'))} || {_pick(COMPANY_A, h('r // 2', 'cn2'))} || "
                     f"{_pick(COMPANY_B, h('r // 2', 'cn3'))} || '有限公司'")
            uscc = f"'91' || substr(x.id, 1, 6) || lpad(({h('r // 2', 'uscc')} % 10000000000)::VARCHAR, 10, '0')"
            start = f"DATE '2000-01-01' + ({h('r', 'rs')} % 9000)::INTEGER"
            stop = f"{start} + 200 + ({h('r', 're2')} % 3000)::INTEGER"
            return [
                (self.cfg["company_rows"], 1.0, f"""
                WITH t AS (SELECT r, ({h('r', 'cpp')} % {ncp})::BIGINT AS who, {start} AS s,
                                  CASE WHEN {h('r', 're')} % 5 = 0 THEN {stop} END AS e FROM range({{lo}}, {{hi}}) q(r))
                SELECT {cname}, {uscc}, x.name, x.id,
                       CASE WHEN r % 2 = 0 THEN '法定代表人' ELSE {_pick(COMPANY_ROLES, h('r', 'role'))} END,
                       {fd('s')}, {fd("CASE WHEN e <= DATE '2026-10-01' THEN e END")}
                FROM t JOIN pop_company x ON x.i = t.who ORDER BY r"""),
                (c["emp"], 0.05, f"""
                WITH t AS (SELECT f.i AS r, f.co, f.start, p.name, p.id, f.county,
                                  f.start - 1 - ({h('f.i', 'ce1')} % 1000)::INTEGER AS e
                           FROM emp_fate f JOIN pop_emp p USING (i)
                           WHERE f.co < 5 AND f.i >= {{lo}} AND f.i < {{hi}})
                SELECT county || {_pick(COMPANY_A, h('r', 'en1'))} || {_pick(COMPANY_B, h('r', 'en2'))} || '有限公司',
                       '91' || substr(id, 1, 6) || lpad(({h('r', 'eus')} % 10000000000)::VARCHAR, 10, '0'), name, id,
                       CASE WHEN co = 4 THEN '股东' ELSE {_pick(EMP_ROLES, h('r', 'erl'))} END,
                       {fd(f"CASE WHEN co = 4 THEN e - 1000 - ({h('r', 'es2')} % 2000)::INTEGER "
                           f"ELSE DATE '2005-01-01' + ({h('r', 'es3')} % 7000)::INTEGER END")},
                       {fd("CASE WHEN co = 4 THEN e END")}
                FROM t ORDER BY r"""),
            ]
        if kind == "vehicles":
            nown = c["owner"]
            vt = " ".join(f"WHEN {h('r', 'vt')} % 100 < {cum} THEN '{t}'" for t, cum in VEHICLE_TYPES)
            vt = f"CASE {vt} END"

            def plate(expr: str) -> str:
                chars = " || ".join(f"substr('{PLATE_CHARS}', (({h(expr, 'pl')} // {34 ** k}) % 34)::INTEGER + 1, 1)"
                                    for k in range(5))
                return f"'豫' || substr('ABCDEFGHJKLMNPQRS', (({h(expr, 'pc')}) % 17)::INTEGER + 1, 1) || {chars}"

            return [
                (nown + nown // 10, 1.0, f"""
                WITH t AS (SELECT r, CASE WHEN r < {nown} THEN r ELSE ({h('r', 'o2')} % {nown})::BIGINT END AS who
                           FROM range({{lo}}, {{hi}}) q(r))
                SELECT {plate('r')}, x.name, x.id, {vt},
                       {fd(f"DATE '2005-01-01' + ({h('r', 'vr')} % 7900)::INTEGER")}
                FROM t JOIN pop_owner x ON x.i = t.who ORDER BY r"""),
                (c["dibao"], 0.06, f"""
                SELECT {plate("p.i + 100000000")}, p.name, p.id, {_pick(EXEMPT, h('p.i', 'ex'))},
                       {fd(f"DATE '2008-01-01' + ({h('p.i', 'exr')} % 6000)::INTEGER")}
                FROM pop_dibao p JOIN dibao_fate f USING (i) WHERE f.car < 5 AND p.i >= {{lo}} AND p.i < {{hi}}
                ORDER BY p.i"""),
                (c["dibao"], 0.01, f"""
                SELECT {plate("p.i + 200000000")}, p.name, p.id, '小型轿车',
                       {fd(f"{mdate_sql('f.stop_m + 1')} + ({h('p.i', 'lat')} % 300)::INTEGER")}
                FROM pop_dibao p JOIN dibao_fate f USING (i)
                WHERE f.car = 5 AND NOT f.dies AND p.i >= {{lo}} AND p.i < {{hi}} ORDER BY p.i"""),
            ]
        if kind == "prisoners":
            start = f"DATE '2000-01-01' + ({h('i', 'pi')} % 9000)::INTEGER"
            return [(c["prisoner"], 1.0, f"""
                WITH t AS (SELECT *, {start} AS s, CASE WHEN {h('i', 'po')} % 10 >= 3
                                  THEN {start} + 30 + ({h('i', 'po2')} % 3000)::INTEGER END AS e
                           FROM pop_prisoner WHERE i >= {{lo}} AND i < {{hi}})
                SELECT name, id, {fd('s')}, {fd("CASE WHEN e <= DATE '2026-11-01' THEN e END")} FROM t ORDER BY i""")]
        if kind == "machinery_subsidies":
            return [(c["buyer"], 1.2, f"""
                WITH t AS (SELECT b.*, k, {h('b.i', 'mp')} % 10 AS pattern, 2023 + ({h('b.i', 'my')} % 2)::INTEGER AS y0
                           FROM pop_buyer b, range(2) q(k) WHERE b.i >= {{lo}} AND b.i < {{hi}})
                SELECT name, id, 'NJ' || substr(id, 1, 6) || lpad((i * 2 + k)::VARCHAR, 9, '0'),
                       ((3 + {h('i * 2 + k', 'ma')} % 57) * 1000)::VARCHAR,
                       (CASE WHEN k = 1 AND pattern = 9 THEN 4047 - y0 ELSE y0 END)::VARCHAR
                FROM t WHERE k = 0 OR pattern >= 8 ORDER BY i, k""")]
        if kind == "farmland_subsidies":
            nf = c["farmer"]
            codes = _lit([a for a, _c in self.areas])
            return [(self.cfg["plots"], 2.0, f"""
                WITH t AS (SELECT p, k, (CASE WHEN k = 1 AND {h('p', 'ft')} % 100 < 3 THEN {h('p', 'fo2')} % {nf}
                                             ELSE {h('p', 'fo')} % {nf} END)::BIGINT AS who,
                                  (5 + {h('p', 'fa')} % 95) / 10.0 AS mu
                           FROM range({{lo}}, {{hi}}) q(p), range(2) y(k))
                SELECT x.name, CASE WHEN {h('x.i', 'f15')} % 50 = 0 AND x.id15 IS NOT NULL THEN x.id15 ELSE x.id END,
                       list_extract({codes}, (p % {len(self.areas)})::INTEGER + 1) || lpad(p::VARCHAR, 9, '0'),
                       printf('%.1f', mu), (2023 + k)::VARCHAR, printf('%.2f', mu * 123.5)
                FROM t JOIN pop_farmer x ON x.i = t.who ORDER BY p, k""")]
        raise KeyError(kind)
