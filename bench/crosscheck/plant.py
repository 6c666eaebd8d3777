"""Planted anomalies: a hit and its near misses at every threshold of the 14 built-in rules, and the traps.

Every planted person is new (ID sequence numbers 900-999, which the background never uses) and has a name
no background person can have (a compound surname and two given names, or a minority name from lists the
background does not use), so a planted case cannot meet the background by accident, and a row without a
valid ID can only be matched (name + birth date + area code) to the person it was planted for.

`Planter` collects the rows per roster with what each one must produce: hits (rule, person), rejections
(column, kind of reason) and review matches (rule, person). The writer places the rows among the
background rows and resolves their line numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from roster_spec import (
    DATE_FORMATS,
    FILES,
    FULLWIDTH,
    M_FIRST,
    M_LAST,
    MONTH_FORMATS,
    PERSON,
    check_digit,
    excel_serial,
    make_id,
    month_end,
    month_of,
    month_start,
    to_id15,
    valid18,
    wrong_check,
)

# Given names with a traditional form that converts back (checked with OpenCC t2s in the tests).
GIVEN = list("国华伟东丽龙军红兰凤刚飞云杰涛宝贵荣庆乐义礼胜顺兴发达辉锋强")
GIVEN_TRAD = dict(zip(GIVEN, "國華偉東麗龍軍紅蘭鳳剛飛雲傑濤寶貴榮慶樂義禮勝順興發達輝鋒強", strict=True))
COMPOUND = ["欧阳", "司马", "诸葛", "长孙", "尉迟", "东方", "上官", "皇甫", "令狐", "慕容", "宇文", "夏侯",
            "公孙", "闻人", "钟离", "端木", "万俟", "轩辕", "呼延", "南宫"]
COMPOUND_TRAD = {"欧阳": "歐陽", "司马": "司馬", "长孙": "長孫", "尉迟": "尉遲", "东方": "東方", "公孙": "公孫",
                 "闻人": "聞人", "钟离": "鍾離", "万俟": "萬俟", "轩辕": "軒轅", "南宫": "南宮"}
MINORITY_A = ["阿依古丽", "帕提古丽", "再努尔", "买买提明", "艾合买提", "阿卜杜拉", "努尔兰", "热依拉", "古丽娜尔",
              "迪丽拜尔", "阿力木", "伊力哈木", "库尔班", "巴图尔", "阿克木", "米尔扎提", "阿曼古丽", "祖力亚",
              "依帕尔", "努尔麦麦提"]
MINORITY_B = ["吐尔洪", "亚森", "艾山", "哈斯木", "尼亚孜", "塔依尔", "乌斯曼", "斯拉木", "吉力力", "赛买提",
              "阿西木", "克依木", "牙合甫", "沙吾提", "吾买尔", "居马", "阿扎提", "木沙", "排尔哈提", "玉山"]
# The middle dot and what people type instead of it; GBK files can only carry some of them.
DOTS = ["·", "•", "・", "‧", ".", "．", "･"]

EXEMPT = ["摩托车", "三轮汽车", "低速货车", "拖拉机"]
NOT_EXEMPT = ["小型轿车", "小型普通客车", "中型普通货车", "大型普通客车", "轻型普通货车"]


@dataclass
class Person:
    id: str
    name: str
    birth: dt.date
    area: str
    county: str
    town: str
    minority: bool = False

    @property
    def region(self) -> str:
        return f"{self.county}{self.town}"


@dataclass
class Row:
    kind: str
    cells: list
    label: str
    reject: list[tuple[str, str]] = field(default_factory=list)   # (header, reason kind)
    review: list[tuple[str, str]] = field(default_factory=list)   # (rule, person ID) this row causes
    line: int | None = None                                       # set by the writer


class Planter:
    def __init__(self, rng: random.Random, areas: list[tuple[str, str]], towns: list[str], units: list[str],
                 xlsx: set[str]):
        self.rng = rng
        self.areas = areas
        self.towns = towns
        self.units = units
        self.xlsx = xlsx
        self.rows: dict[str, list[Row]] = {}
        self.hits: set[tuple[str, str]] = set()
        self.cases: list[tuple[str, str, str, str]] = []   # (label, rule, person ID, expectation)
        self._bodies: set[str] = set()
        self._names = 0
        self._minority = 0
        self._serial = 0
        self.plots = 0

    # --- people ------------------------------------------------------------------------------------

    def person(self, born: tuple[int, int] = (1945, 1985), *, minority: bool = False, x: bool = False,
               area: int | None = None) -> Person:
        rng = self.rng
        code, county = self.areas[rng.randrange(len(self.areas)) if area is None else area]
        for _ in range(10000):
            birth = dt.date(rng.randint(*born), 1, 1) + dt.timedelta(days=rng.randrange(365))
            seq = rng.randint(900, 999)
            pid = make_id(code, birth, seq)
            if pid[:17] in self._bodies or (x and pid[17] != "X") or (not x and pid[17] == "X"):
                continue
            self._bodies.add(pid[:17])
            break
        else:  # pragma: no cover - 100 sequence numbers per day and area are plenty
            raise RuntimeError("no free planted ID")
        return Person(pid, self._minority_name() if minority else self._name(), birth, code, county,
                      rng.choice(self.towns), minority)

    def _name(self) -> str:
        n = self._names
        self._names += 1
        s, g = len(COMPOUND), len(GIVEN)
        if n >= s * g * g:
            raise RuntimeError("planted names exhausted; lower the number of repetitions")
        n = n * 7919 % (s * g * g)   # a permutation (7919 is prime to 18000): varied names from the start
        return COMPOUND[n % s] + GIVEN[(n // s) % g] + GIVEN[(n // s // g) % g]

    def _minority_name(self) -> str:
        n = self._minority
        self._minority += 1
        a, b = len(MINORITY_A), len(MINORITY_B)
        name = MINORITY_A[n % a] + "·" + MINORITY_B[(n // a) % b]
        if n >= a * b:
            name += "·" + MINORITY_B[(n // a // b) % b] + GIVEN[n // (a * b * b)]
        return name

    # --- cells ---------------------------------------------------------------------------------------

    def name_cell(self, kind: str, p: Person, style: str = "plain") -> str:
        """plain, trad (traditional script), dot:<c> (another middle dot), spaced."""
        if style == "trad":
            if p.minority:
                return p.name
            head, tail = p.name[:2], p.name[2:]
            return COMPOUND_TRAD.get(head, head) + "".join(GIVEN_TRAD[c] for c in tail)
        if style.startswith("dot:"):
            return p.name.replace("·", style[4:])
        if style == "spaced":
            return p.name[:2] + " " + p.name[2:]
        return p.name

    def dot_for(self, kind: str, i: int) -> str:
        enc = FILES[kind][0]
        usable = [d for d in DOTS if enc.startswith("utf") or kind in self.xlsx or _encodes(d, enc)]
        return usable[i % len(usable)]

    def id_cell(self, pid: str, style: str = "plain") -> str:
        if style == "plain":
            return pid
        if style == "id15":
            return to_id15(pid)
        if style == "fullwidth":
            return pid.translate(FULLWIDTH)
        if style == "spaced":
            return f"{pid[:6]} {pid[6:14]} {pid[14:]}"
        if style == "hyphen":
            return f"{pid[:6]}-{pid[6:14]}-{pid[14:]}"
        if style == "lowerx":
            assert pid.endswith("X")
            return pid[:17] + "x"
        if style == "padded":
            return f" {pid} "
        if style == "mixed":   # full-width digits and a full-width space in the middle
            return pid[:6].translate(FULLWIDTH) + "\u3000" + pid[6:]
        raise ValueError(style)

    def date_cell(self, kind: str, day: dt.date, style: str = "dept"):
        if style == "dept":
            if kind in self.xlsx:
                return dt.datetime(day.year, day.month, day.day)
            return _strftime(day, DATE_FORMATS[kind])
        if style == "serial":
            return excel_serial(day) if kind in self.xlsx else str(excel_serial(day))
        if style == "iso":
            return day.isoformat()
        if style == "slash":
            return f"{day.year}/{day.month}/{day.day}"
        if style == "cn":
            return f"{day.year}年{day.month}月{day.day}日"
        if style == "compact":
            return f"{day:%Y%m%d}"
        raise ValueError(style)

    def month_cell(self, kind: str, month: int, style: str = "dept") -> str:
        y, m = month_of(month)
        if style == "dept":
            return _strftime(dt.date(y, m, 1), MONTH_FORMATS[kind])
        return {"iso": f"{y}-{m:02d}", "slash": f"{y}/{m}", "cn": f"{y}年{m}月", "compact": f"{y}{m:02d}"}[style]

    def styled_date(self, kind: str, day: dt.date) -> object:
        """The department's format mostly; now and then an Excel serial or 2023年5月1日."""
        self._serial += 1
        return self.date_cell(kind, day, ("dept", "serial", "cn", "dept", "slash", "compact")[self._serial % 6])

    # --- rows ------------------------------------------------------------------------------------------

    def add(self, kind: str, cells: list, label: str, *, reject=(), review=()) -> Row:
        row = Row(kind, cells, label, list(reject), list(review))
        self.rows.setdefault(kind, []).append(row)
        return row

    def hit(self, rule: str, p: Person, label: str) -> None:
        self.hits.add((rule, p.id))
        self.cases.append((label, rule, p.id, "hit"))

    def miss(self, rule: str, p: Person, label: str) -> None:
        self.cases.append((label, rule, p.id, "no hit"))

    def death(self, p: Person, day, label: str, *, id_style="plain", name="plain", reject=()) -> Row:
        cell = day if isinstance(day, str) else self.styled_date("deaths", day)
        return self.add("deaths", [self.name_cell("deaths", p, name), self.id_cell(p.id, id_style), cell], label,
                        reject=reject)

    def pay(self, kind: str, p: Person, month: int, label: str, *, id_cell=None, name="plain", month_style="dept",
            reject=(), review=()) -> Row:
        amount = f"{self.rng.randint(300, 3000)}.00"
        return self.add(kind, [self.name_cell(kind, p, name), id_cell if id_cell is not None else p.id,
                               self.month_cell(kind, month, month_style), amount, p.region], label,
                        reject=reject, review=review)

    def employee(self, p: Person, unit: str, start: dt.date, end: dt.date | None, label: str,
                 *, id_style="plain") -> Row:
        return self.add("public_employees", [
            self.name_cell("public_employees", p), self.id_cell(p.id, id_style), unit, "科员",
            self.styled_date("public_employees", start),
            "" if end is None else self.styled_date("public_employees", end)], label)

    def cadre(self, p: Person, start: dt.date, end: dt.date | None, label: str, *, id_style="plain") -> Row:
        village = f"{p.county}{p.town}{self.rng.choice('东西南北上下前后')}{self.rng.choice('庄营寨湾岗')}村"
        return self.add("village_cadres", [
            self.name_cell("village_cadres", p), self.id_cell(p.id, id_style), village,
            self.rng.choice(["村党支部书记", "村委会主任", "村委委员"]),
            self.styled_date("village_cadres", start),
            "" if end is None else self.styled_date("village_cadres", end)], label)

    def relative(self, cadre_cell: str, p: Person, label: str, *, id_style="plain", reject=()) -> Row:
        return self.add("relatives", [cadre_cell, self.name_cell("relatives", p), self.id_cell(p.id, id_style),
                                      self.rng.choice(["配偶", "子女", "父亲", "母亲", "兄弟姐妹"])], label,
                        reject=reject)

    def company(self, p: Person, role: str, start: dt.date, end: dt.date | None, label: str,
                *, id_style="plain") -> Row:
        n = self.rng.randrange(10**10)
        return self.add("company_roles", [
            f"{p.county}{self.rng.choice(['恒通', '瑞丰', '鑫源', '宏达'])}{n % 1000:03d}商贸有限公司",
            f"91{p.area}{n:010d}", self.name_cell("company_roles", p), self.id_cell(p.id, id_style), role,
            self.styled_date("company_roles", start),
            "" if end is None else self.styled_date("company_roles", end)], label)

    def vehicle(self, p: Person, vtype: str, reg, label: str, *, id_style="plain", reject=()) -> Row:
        plate = "豫" + self.rng.choice("ABCDEFGHJKLMNPQRS") + f"Z{self.rng.randrange(10000):04d}"
        cell = reg if isinstance(reg, str) else self.styled_date("vehicles", reg)
        return self.add("vehicles", [plate, self.name_cell("vehicles", p), self.id_cell(p.id, id_style), vtype, cell],
                        label, reject=reject)

    def prisoner(self, p: Person, start: dt.date, end: dt.date | None, label: str) -> Row:
        return self.add("prisoners", [self.name_cell("prisoners", p), p.id, self.styled_date("prisoners", start),
                                      "" if end is None else self.styled_date("prisoners", end)], label)

    def machine(self, p: Person, machine_no: str, year: int, label: str, *, id_cell=None, reject=(),
                review=()) -> Row:
        return self.add("machinery_subsidies", [
            self.name_cell("machinery_subsidies", p), p.id if id_cell is None else id_cell, machine_no,
            f"{self.rng.randint(3, 60) * 1000}", str(year)], label, reject=reject, review=review)

    def payroll(self, p: Person, unit: str, month: int, label: str, *, id_cell=None, month_style="dept",
                reject=()) -> Row:
        return self.add("payroll", [self.name_cell("payroll", p), p.id if id_cell is None else id_cell, unit,
                                    self.month_cell("payroll", month, month_style),
                                    f"{self.rng.randint(4000, 9000)}.00"], label, reject=reject)

    def farmland(self, p: Person, plot: str, year: int, label: str, *, id_style="plain") -> Row:
        area = self.rng.randint(5, 80) / 10
        return self.add("farmland_subsidies", [self.name_cell("farmland_subsidies", p), self.id_cell(p.id, id_style),
                                               plot, f"{area:.1f}", str(year), f"{area * 123.5:.2f}"], label)


def _encodes(ch: str, enc: str) -> bool:
    try:
        ch.encode(enc)
    except UnicodeEncodeError:
        return False
    return True


def _strftime(day: dt.date, fmt: str) -> str:
    return (fmt.replace("%Y", f"{day.year:04d}").replace("%-m", str(day.month)).replace("%-d", str(day.day))
            .replace("%m", f"{day.month:02d}").replace("%d", f"{day.day:02d}"))


# --- broken IDs ------------------------------------------------------------------------------------------------

def typo_seq(pid: str, rng: random.Random) -> str:
    """One digit of the sequence number mistyped, the check digit left as it was: invalid, same birth and area."""
    while True:
        pos = rng.choice([14, 15, 16])
        new = str(rng.randrange(10))
        text = pid[:pos] + new + pid[pos + 1:]
        if new != pid[pos] and not valid18(text):
            return text


def swap_seq(pid: str) -> str | None:
    """Two neighbouring digits of the sequence number swapped (if that makes the number invalid)."""
    for pos in (14, 15):
        if pid[pos] != pid[pos + 1]:
            text = pid[:pos] + pid[pos + 1] + pid[pos] + pid[pos + 2:]
            if not valid18(text):
                return text
    return None


def impossible_birth(pid: str, rng: random.Random) -> str:
    """The birth date made impossible (30 February, month 13, day 32) with a correct check digit."""
    year = pid[6:10]
    mmdd = rng.choice(["0230", "1301", "0432", "0229" if int(year) % 4 else "0230", "0000"])
    body = pid[:10] + mmdd + pid[14:17]
    return body + check_digit(body)


def future_birth(pid: str) -> str:
    body = pid[:6] + "20310115" + pid[14:17]
    return body + check_digit(body)


def other_area(pid: str, areas: list[tuple[str, str]]) -> str:
    """The same birth date and sequence in another area code, with a wrong check digit."""
    code = next(a for a, _c in areas if a != pid[:6]) if len(areas) > 1 else "999999"
    body = code + pid[6:17]
    return body + ("0" if check_digit(body) != "0" else "7")


# --- the scenarios ---------------------------------------------------------------------------------------------

def _rand_day(rng: random.Random, month: int, *, last: bool = False, first: bool = False) -> dt.date:
    if last:
        return month_end(month)
    if first:
        return month_start(month)
    start = month_start(month)
    return start + dt.timedelta(days=rng.randrange((month_end(month) - start).days + 1))


def plant_after_death(P: Planter, kind: str, rep: int) -> None:
    """pension_after_death / dibao_after_death: a payment for death month + 3 hits, + 2 does not."""
    rng = P.rng
    rule = f"{kind}_after_death"
    born = (1935, 1960) if kind == "pension" else (1940, 1975)

    def died(label, *, id_style="plain", day_kind="any"):
        p = P.person(born)
        d = rng.randint(M_FIRST + 2, M_LAST - 5)
        day = _rand_day(rng, d, last=day_kind == "last", first=day_kind == "first")
        P.death(p, day, label, id_style=id_style, name="trad" if rng.random() < 0.3 else "plain")
        return p, d

    # death month + 3: a hit (death on the last day of the month: still month + 3)
    p, d = died(f"{rule}: +3 months", day_kind="last")
    for m in range(d - 2, d + 4):
        P.pay(kind, p, m, f"{rule}: +3 months")
    P.hit(rule, p, "payment 3 months after the month of death")
    # death month + 2: not a hit (death on the first day)
    p, d = died(f"{rule}: +2 months", day_kind="first")
    for m in range(d - 2, d + 3):
        P.pay(kind, p, m, f"{rule}: +2 months")
    P.miss(rule, p, "payment 2 months after the month of death")
    # the deaths roster has the old 15-digit number
    p, d = died(f"{rule}: 15-digit death record", id_style="id15")
    for m in (d, d + 1, d + 4):
        P.pay(kind, p, m, f"{rule}: 15-digit death record")
    P.hit(rule, p, "15-digit number in deaths upgraded")
    # the payment roster writes the number in other ways
    for style in ("id15", "fullwidth", "spaced", "hyphen", "padded", "mixed", "lowerx"):
        p = P.person(born, x=style == "lowerx")
        d = rng.randint(M_FIRST + 1, M_LAST - 4)
        P.death(p, _rand_day(rng, d), f"{rule}: payment ID {style}")
        P.pay(kind, p, d + 3, f"{rule}: payment ID {style}", id_cell=P.id_cell(p.id, style),
              month_style=rng.choice(["dept", "cn", "iso", "slash", "compact"]))
        P.hit(rule, p, f"payment ID written {style}")
    # a minority name written with another dot in the payment roster: the ID decides, a hit
    p = P.person(born, minority=True)
    d = rng.randint(M_FIRST + 1, M_LAST - 4)
    P.death(p, _rand_day(rng, d), f"{rule}: minority name")
    P.pay(kind, p, d + 5, f"{rule}: minority name", name="dot:" + P.dot_for(kind, rep))
    P.hit(rule, p, "minority name, other dot")

    # --- rows without a valid ID ---
    # wrong check digit / a mistyped or swapped digit, same name, birth date, area: review, never a hit;
    # the name in traditional script, or a minority name with each middle dot the file's encoding can carry
    dots = list(dict.fromkeys(P.dot_for(kind, i) for i in range(len(DOTS))))
    variants = ["wrong_check", "typo", "swap", "trad"] + [f"dot{d}" for d in dots]
    for variant in variants:
        p = P.person(born, minority=variant.startswith("dot"))
        d = rng.randint(M_FIRST + 2, M_LAST - 4)
        P.death(p, _rand_day(rng, d), f"{rule}: review {variant}")
        P.pay(kind, p, d, f"{rule}: review {variant}")
        bad = {"wrong_check": wrong_check(p.id), "typo": typo_seq(p.id, rng)}.get(variant)
        if variant == "swap":
            bad = swap_seq(p.id) or wrong_check(p.id)
        bad = bad or wrong_check(p.id)
        name = "dot:" + variant[3:] if variant.startswith("dot") else ("trad" if variant == "trad" else "plain")
        P.pay(kind, p, d + 3, f"{rule}: review {variant}", id_cell=bad, name=name,
              reject=[(_id_header(kind), "id_check")], review=[(rule, p.id)])
        P.cases.append((f"{rule}: review {variant}", rule, p.id, "review"))
    # wrong check digit, but another name: rejected, no review
    p, d = died(f"{rule}: bad ID other name")
    other = P.person(born)
    P.pay(kind, other, d + 3, f"{rule}: bad ID other name", id_cell=wrong_check(p.id),
          reject=[(_id_header(kind), "id_check")])
    P.miss(rule, p, "wrong check digit under another name: rejected only")
    # same name and birth date, other area code: rejected, no review
    p, d = died(f"{rule}: bad ID other area")
    row = P.pay(kind, p, d + 3, f"{rule}: bad ID other area", id_cell=other_area(p.id, P.areas),
                reject=[(_id_header(kind), "id_check")])
    row.cells[4] = next((c for _a, c in P.areas if c != p.county), "外省") + p.town   # 地区 of another county too
    P.miss(rule, p, "invalid ID from another area code: rejected only")
    # impossible birth date in the payment ID (check digit right): rejected, birth unreadable, no review
    p, d = died(f"{rule}: impossible birth")
    P.pay(kind, p, d + 4, f"{rule}: impossible birth", id_cell=impossible_birth(p.id, rng),
          reject=[(_id_header(kind), "id_birth")])
    P.miss(rule, p, "impossible birth date in ID: rejected only")
    # impossible death date: the death record is rejected, so nothing can hit
    p = P.person(born)
    d = rng.randint(M_FIRST + 1, M_LAST - 4)
    y, _m = month_of(d)
    P.death(p, rng.choice([f"{y}-02-30", f"{y}-04-31", f"{y}年13月1日", f"{y}0631"]), f"{rule}: impossible death date",
            reject=[("死亡日期", "date")])
    P.pay(kind, p, d + 6, f"{rule}: impossible death date")
    P.miss(rule, p, "impossible death date: rejected, no hit")


def _id_header(kind: str) -> str:
    return PERSON[kind][0]


def _term_cases(P: Planter, rule: str, make, label: str) -> None:
    """employee_on_dibao / cadre_on_dibao: the months of the start and end dates count, inclusive."""
    rng = P.rng
    # the start month counts (started on the last day of the month)
    p = P.person((1965, 1995))
    m = rng.randint(M_FIRST + 2, M_LAST - 2)
    make(p, month_end(m), None, f"{rule}: start month")
    for k in (m - 2, m - 1, m):
        P.pay("dibao", p, k, f"{rule}: start month")
    P.hit(rule, p, f"低保 in the month of {label} start (last day)")
    # the month before the start does not
    p = P.person((1965, 1995))
    m = rng.randint(M_FIRST + 3, M_LAST - 1)
    make(p, month_start(m), None, f"{rule}: month before start")
    for k in (m - 3, m - 2, m - 1):
        P.pay("dibao", p, k, f"{rule}: month before start")
    P.miss(rule, p, f"低保 only before the month of {label} start")
    # the end month counts (ended on the first day of the month)
    p = P.person((1965, 1995))
    m = rng.randint(M_FIRST, M_LAST - 3)
    make(p, dt.date(2015, 3, 1), month_start(m), f"{rule}: end month")
    for k in (m, m + 1, m + 2):
        P.pay("dibao", p, k, f"{rule}: end month")
    P.hit(rule, p, f"低保 in the month of {label} end (first day)")
    # the month after the end does not
    p = P.person((1965, 1995))
    m = rng.randint(M_FIRST, M_LAST - 3)
    make(p, dt.date(2016, 7, 1), month_end(m), f"{rule}: month after end")
    for k in (m + 1, m + 2, m + 3):
        P.pay("dibao", p, k, f"{rule}: month after end")
    P.miss(rule, p, f"低保 only after the month of {label} end")
    # open end: still serving
    p = P.person((1965, 1995))
    m = rng.randint(M_FIRST, M_LAST)
    make(p, dt.date(2012, 9, 1), None, f"{rule}: still serving")
    P.pay("dibao", p, m, f"{rule}: still serving", month_style=rng.choice(["cn", "iso", "compact"]))
    P.hit(rule, p, "open end")
    # the number written as 15 digits in the dibao roster
    p = P.person((1965, 1995))
    m = rng.randint(M_FIRST, M_LAST)
    make(p, dt.date(2018, 1, 1), None, f"{rule}: 15-digit dibao")
    P.pay("dibao", p, m, f"{rule}: 15-digit dibao", id_cell=to_id15(p.id))
    P.hit(rule, p, "15-digit number in dibao")


def plant_terms(P: Planter, rep: int) -> None:
    units = P.units

    def employee(p, start, end, label):
        P.employee(p, P.rng.choice(units), start, end, label)

    def cadre(p, start, end, label):
        P.cadre(p, start, end, label)

    _term_cases(P, "employee_on_dibao", employee, "employment")
    _term_cases(P, "cadre_on_dibao", cadre, "term")


def plant_relatives(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "cadre_relative_on_dibao"

    def case(label, start, end, months, *, expect, cadre_style="plain", rel_style="plain", x=False,
             reject_cadre=False):
        c = P.person((1960, 1985))
        r = P.person((1950, 2000), x=x)
        P.cadre(c, start, end, f"{rule}: {label}")
        cadre_cell = wrong_check(c.id) if reject_cadre else P.id_cell(c.id, cadre_style)
        P.relative(cadre_cell, r, f"{rule}: {label}", id_style=rel_style,
                   reject=[("干部身份证号", "id_check")] if reject_cadre else ())
        for k in months:
            P.pay("dibao", r, k, f"{rule}: {label}")
        (P.hit if expect else P.miss)(rule, r, label)
        P.miss("cadre_on_dibao", c, f"{label} (the cadre is not on dibao)")

    m = rng.randint(M_FIRST + 3, M_LAST - 3)
    case("within term", dt.date(2020, 1, 1), None, [m], expect=True)
    case("term end month", dt.date(2019, 5, 1), month_start(m), [m, m + 1], expect=True)
    case("after term", dt.date(2019, 5, 1), month_end(m), [m + 1, m + 2], expect=False)
    case("term start month", month_end(m), None, [m - 1, m], expect=True)
    case("before term", month_start(m), None, [m - 2, m - 1], expect=False)
    case("15-digit cadre ID", dt.date(2021, 1, 1), None, [m], expect=True, cadre_style="id15")
    case("relative ID lower x", dt.date(2021, 1, 1), None, [m], expect=True, rel_style="lowerx", x=True)
    case("relative ID full-width", dt.date(2021, 1, 1), None, [m], expect=True, rel_style="fullwidth")
    case("cadre ID wrong check digit", dt.date(2021, 1, 1), None, [m], expect=False, reject_cadre=True)


def plant_duplicate(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "duplicate_dibao"
    m = rng.randint(M_FIRST, M_LAST - 1)
    p = P.person((1940, 1990))
    P.pay("dibao", p, m, f"{rule}: twice")
    P.pay("dibao", p, m, f"{rule}: twice")
    P.hit(rule, p, "two rows in one month")
    p = P.person((1940, 1990))
    P.pay("dibao", p, m, f"{rule}: 15 and 18 digits", month_style="compact")
    P.pay("dibao", p, m, f"{rule}: 15 and 18 digits", id_cell=to_id15(p.id), month_style="cn")
    P.hit(rule, p, "same month, once as 15 digits, month written two ways")
    p = P.person((1940, 1990))
    P.pay("dibao", p, m, f"{rule}: consecutive months")
    P.pay("dibao", p, m + 1, f"{rule}: consecutive months")
    P.miss(rule, p, "consecutive months")
    p = P.person((1940, 1990))
    q = P.person((1940, 1990))
    q.name = p.name   # a namesake: another ID
    P.pay("dibao", p, m, f"{rule}: namesakes")
    P.pay("dibao", q, m, f"{rule}: namesakes")
    P.miss(rule, p, "two people of the same name")
    P.miss(rule, q, "two people of the same name")
    p = P.person((1940, 1990))
    P.pay("dibao", p, m, f"{rule}: review")
    P.pay("dibao", p, m, f"{rule}: review", id_cell=wrong_check(p.id), reject=[("身份证号", "id_check")],
          review=[(rule, p.id)])
    P.cases.append((f"{rule}: review", rule, p.id, "review"))


def plant_car(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "dibao_with_car"
    m = rng.randint(M_FIRST + 2, M_LAST - 1)
    p = P.person((1950, 1990))
    P.vehicle(p, "小型轿车", P.date_cell("vehicles", month_end(m), rng.choice(["dept", "serial", "cn"])),
              f"{rule}: registered on the last day")
    for k in (m - 2, m - 1, m):
        P.pay("dibao", p, k, f"{rule}: registered on the last day")
    P.hit(rule, p, "registered on the last day of a payment month")
    p = P.person((1950, 1990))
    P.vehicle(p, "小型轿车", P.date_cell("vehicles", month_start(m + 1), "dept"), f"{rule}: registered next month")
    for k in (m - 2, m - 1, m):
        P.pay("dibao", p, k, f"{rule}: registered next month")
    P.miss(rule, p, "registered the day after the last payment month")
    for vtype in EXEMPT:
        p = P.person((1950, 1990))
        P.vehicle(p, vtype, dt.date(2018, 6, 1), f"{rule}: exempt {vtype}")
        P.pay("dibao", p, m, f"{rule}: exempt {vtype}")
        P.miss(rule, p, f"exempt type {vtype}")
    vtype = NOT_EXEMPT[rep % len(NOT_EXEMPT)]
    p = P.person((1950, 1990))
    P.vehicle(p, vtype, dt.date(2018, 6, 1), f"{rule}: {vtype}", id_style=rng.choice(["fullwidth", "spaced", "plain"]))
    P.pay("dibao", p, m, f"{rule}: {vtype}")
    P.hit(rule, p, f"type {vtype}")
    # impossible registration date: the vehicle row is rejected, no hit
    p = P.person((1950, 1990))
    P.vehicle(p, "小型轿车", "2019-02-29", f"{rule}: impossible registration date", reject=[("登记日期", "date")])
    P.pay("dibao", p, m, f"{rule}: impossible registration date")
    P.miss(rule, p, "impossible registration date")


def plant_company(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "employee_runs_company"
    unit = rng.choice(P.units)
    start, end = dt.date(2012, 4, 16), dt.date(2022, 9, 30)

    def case(label, role, c_start, c_end, *, e_end=end, expect, id_style="plain"):
        p = P.person((1965, 1995))
        P.employee(p, unit, start, e_end, f"{rule}: {label}")
        P.company(p, role, c_start, c_end, f"{rule}: {label}", id_style=id_style)
        (P.hit if expect else P.miss)(rule, p, label)

    case("legal representative, open", "法定代表人", dt.date(2008, 1, 1), None, e_end=None, expect=True)
    case("shareholder until the start date", "股东", dt.date(2005, 1, 1), start, expect=True)
    case("shareholder until the day before", "股东", dt.date(2005, 1, 1), start - dt.timedelta(days=1), expect=False)
    case("shareholder from the day after leaving", "股东", end + dt.timedelta(days=1), None, expect=False)
    case("shareholder from the leaving date", "股东", end, None, expect=True)
    case("supervisor", "监事", dt.date(2014, 1, 1), None, expect=False)
    case("manager", "经理", dt.date(2014, 1, 1), None, e_end=None, expect=False)
    case("shareholder, 15-digit", "股东", dt.date(2016, 3, 1), dt.date(2019, 3, 1), expect=True, id_style="id15")


def plant_prison(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "prisoner_paid"
    a = rng.randint(M_FIRST, M_LAST - 7)
    b = a + 6

    def case(label, kind, months, *, out=True, adj=False, expect):
        p = P.person((1960, 1990), minority=label.startswith("paid the month after"))
        if p.minority:   # a dot GBK cannot carry: the file is GB18030 for real
            p.name = p.name.replace("·", "•")
        start = _rand_day(rng, a)
        stop = _rand_day(rng, a + 1 if adj else b) if out else None
        P.prisoner(p, start, stop, f"{rule}: {label}")
        for k in months:
            P.pay(kind, p, k, f"{rule}: {label}")
        (P.hit if expect else P.miss)(rule, p, label)

    case("paid in the months of entry and release", "dibao", [a, b], expect=False)
    case("paid the month after entry", "pension", [a + 1], expect=True)
    case("paid the month before release", "dibao", [b - 1, b], expect=True)
    case("entry and release in adjacent months", "pension", [a, a + 1], adj=True, expect=False)
    case("still serving", "pension", [a + 2], out=False, expect=True)
    case("still serving, paid in the month of entry", "dibao", [a - 1, a], out=False, expect=False)


def plant_machinery(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "machinery_many"
    y = rng.choice([2023, 2024])
    n = [0]

    def no() -> str:
        n[0] += 1
        return f"PJ{rep:03d}{y}{n[0]:04d}"

    p = P.person((1950, 1990))
    for _ in range(3):
        P.machine(p, no(), y, f"{rule}: three machines")
    P.hit(rule, p, "three distinct machines in a year")
    p = P.person((1950, 1990))
    P.machine(p, no(), y, f"{rule}: two and one")
    P.machine(p, no(), y, f"{rule}: two and one")
    P.machine(p, no(), y + 1 if y == 2023 else y - 1, f"{rule}: two and one")
    P.miss(rule, p, "two machines in one year, the third in another")
    p = P.person((1950, 1990))
    twice = no()
    P.machine(p, twice, y, f"{rule}: one machine twice")
    P.machine(p, twice, y, f"{rule}: one machine twice")
    P.machine(p, no(), y, f"{rule}: one machine twice")
    P.miss(rule, p, "three rows, two distinct machines")
    p = P.person((1950, 1990))
    P.machine(p, no(), y, f"{rule}: 15-digit")
    P.machine(p, no(), y, f"{rule}: 15-digit", id_cell=to_id15(p.id))
    P.machine(p, no(), y, f"{rule}: 15-digit", id_cell=P.id_cell(p.id, "hyphen"))
    P.hit(rule, p, "three machines, IDs written three ways")
    p = P.person((1950, 1990))
    for _ in range(4):
        P.machine(p, no(), y, f"{rule}: four machines")
    P.hit(rule, p, "four machines")
    p = P.person((1950, 1990))
    P.machine(p, no(), y, f"{rule}: review")
    P.machine(p, no(), y, f"{rule}: review")
    P.machine(p, no(), y, f"{rule}: review", id_cell=wrong_check(p.id), reject=[("购机人身份证号", "id_check")],
              review=[(rule, p.id)])
    P.cases.append((f"{rule}: review", rule, p.id, "review"))

    rule = "machinery_employee"
    unit = rng.choice(P.units)

    def case(label, start, end, year, expect):
        p = P.person((1965, 1990))
        P.employee(p, unit, start, end, f"{rule}: {label}")
        P.machine(p, f"PE{rep:03d}{len(P.cases):05d}", year, f"{rule}: {label}")
        (P.hit if expect else P.miss)(rule, p, label)

    case("left early in the subsidy year", dt.date(2020, 1, 1), dt.date(2021, 2, 1), 2021, True)
    case("left on 31 December the year before", dt.date(2018, 1, 1), dt.date(2020, 12, 31), 2021, False)
    case("started on 31 December", dt.date(2023, 12, 31), None, 2023, True)
    case("started on 1 January the year after", dt.date(2024, 1, 1), None, 2023, False)


def plant_payroll(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "payroll_after_death"
    unit = rng.choice(P.units)
    m = rng.randint(M_FIRST + 2, M_LAST - 2)
    p = P.person((1965, 1990))
    P.employee(p, unit, dt.date(2010, 1, 1), None, f"{rule}: month after")
    P.death(p, _rand_day(rng, m), f"{rule}: month after")
    for k in (m - 1, m, m + 1):
        P.payroll(p, unit, k, f"{rule}: month after")
    P.hit(rule, p, "paid the month after the month of death")
    p = P.person((1965, 1990))
    P.employee(p, unit, dt.date(2010, 1, 1), None, f"{rule}: month of death")
    P.death(p, month_end(m), f"{rule}: month of death")
    for k in (m - 2, m - 1, m):
        P.payroll(p, unit, k, f"{rule}: month of death")
    P.miss(rule, p, "paid up to the month of death")
    p = P.person((1965, 1990))
    P.death(p, _rand_day(rng, m), f"{rule}: 15-digit", id_style="id15")
    P.payroll(p, unit, m + 2, f"{rule}: 15-digit", month_style=rng.choice(["cn", "iso", "compact"]))
    P.hit(rule, p, "15-digit death record")

    rule = "payroll_after_leaving"
    a, b = rng.sample(P.units, 2)
    left = _rand_day(rng, m)

    def case(label, months, expect, *, moved=False, end_style=None):
        p = P.person((1965, 1995))
        row = P.employee(p, a, dt.date(2011, 3, 1), left, f"{rule}: {label}")
        if end_style:
            row.cells[5] = P.date_cell("public_employees", left, end_style)
        if moved:
            P.employee(p, b, left + dt.timedelta(days=1), None, f"{rule}: {label}")
            for k in (m + 1, m + 2):
                P.payroll(p, b, k, f"{rule}: {label}")
        for k in months:
            P.payroll(p, a, k, f"{rule}: {label}")
        (P.hit if expect else P.miss)(rule, p, label)

    case("paid the month after leaving", [m - 1, m, m + 1], True)
    case("paid up to the month of leaving", [m - 1, m], False)
    case("moved to another unit", [m - 1, m], False, moved=True)
    case("moved, and the old unit still pays", [m, m + 1], True, moved=True)
    case("leaving date as an Excel serial", [m + 2], True, end_style="serial")
    case("leaving date as 年月日", [m], False, end_style="cn")


def plant_farmland(P: Planter, rep: int) -> None:
    rng = P.rng
    rule = "farmland_double"
    y = rng.choice([2023, 2024])

    def plot() -> str:
        P.plots += 1
        return f"DK{P.plots:09d}"

    x = plot()
    p, q = P.person((1940, 1980)), P.person((1940, 1980))
    P.farmland(p, x, y, f"{rule}: two people")
    P.farmland(q, x, y, f"{rule}: two people")
    P.hit(rule, p, "one plot paid to two people")
    P.hit(rule, q, "one plot paid to two people")
    x = plot()
    p = P.person((1940, 1980))
    P.farmland(p, x, y, f"{rule}: one person twice")
    P.farmland(p, x, y, f"{rule}: one person twice", id_style="id15")
    P.hit(rule, p, "one plot paid twice to one person (once as 15 digits)")
    x = plot()
    p, q = P.person((1940, 1980)), P.person((1940, 1980))
    P.farmland(p, x, 2023, f"{rule}: two years")
    P.farmland(q, x, 2024, f"{rule}: two years")
    P.miss(rule, p, "one plot, two years")
    P.miss(rule, q, "one plot, two years")
    p = P.person((1940, 1980))
    P.farmland(p, plot(), y, f"{rule}: two plots")
    P.farmland(p, plot(), y, f"{rule}: two plots")
    P.miss(rule, p, "two plots, once each")


def plant_rejects(P: Planter, rep: int) -> None:
    """Rows that cannot take part for other reasons: every one in rejected.csv, none matches anything."""
    rng = P.rng
    p = P.person((1960, 1990))
    P.payroll(p, rng.choice(P.units), M_FIRST + 3, "reject: ID 17 digits", id_cell=p.id[:17],
              reject=[("身份证号", "id_format")])
    p = P.person((1960, 1990))
    P.payroll(p, rng.choice(P.units), M_FIRST + 4, "reject: empty ID", id_cell="", reject=[("身份证号", "id_empty")])
    p = P.person((1960, 1990))
    P.pay("pension", p, M_FIRST + 5, "reject: future birth date", id_cell=future_birth(p.id),
          reject=[("身份证号", "id_birth")])
    p = P.person((1960, 1990))
    P.pay("dibao", p, M_FIRST + 6, "reject: 15 digits, impossible birth",
          id_cell=p.id[:6] + p.id[8:10] + "0230" + p.id[14:17], reject=[("身份证号", "id_birth")])
    p = P.person((1960, 1990))
    P.pay("pension", p, M_FIRST + 7, "reject: letter in ID", id_cell=p.id[:10] + "A" + p.id[11:],
          reject=[("身份证号", "id_format")])
    p = P.person((1960, 1990))
    row = P.pay("dibao", p, M_FIRST, "reject: month 13")
    row.cells[2] = "2023年13月"
    row.reject.append(("发放年月", "month"))
    p = P.person((1960, 1990))
    row = P.machine(p, f"PR{rep:03d}", 2023, "reject: year unreadable")
    row.cells[4] = "二〇二三"
    row.reject.append(("补贴年度", "year"))


SCENARIOS = [
    lambda P, r: plant_after_death(P, "pension", r),
    lambda P, r: plant_after_death(P, "dibao", r),
    plant_terms, plant_relatives, plant_duplicate, plant_car, plant_company, plant_prison, plant_machinery,
    plant_payroll, plant_farmland, plant_rejects,
]


def plant(P: Planter, reps: int) -> None:
    for rep in range(reps):
        for scenario in SCENARIOS:
            scenario(P, rep)
