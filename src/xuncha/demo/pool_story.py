"""巡察人才库 of the demo: the pools of 青峪县, of 澜州市 above it (for 以上巡下) and of the two sibling counties (for
交叉), with the ties that give recusal its work, the 考评 of everyone who served on a group of a finished inspection,
and two draws made through the services.

* Every inspector account of a committee is a pool member linked by `account` (so the groups they served on, and
  "inspected the unit in the last round", come from their memberships); the county adds about seventy people who
  have not served yet: cadres of 纪检, 组织, 人事, 审计, 财税, 政法 and other lines, retired cadres, accountants,
  auditors, lawyers, 人大代表 and 政协委员.
* Ties are data, as a real pool would hold them: 2–4 past posts each (and the 驻村 posts county cadres hold beside
  their own), relatives with valid ID numbers working in the county's units and villages, home townships and
  villages, declared conflicts with a unit's leaders and 回避申请. The units a demo user picks first — those of the
  round in preparation, and 双溪乡 with its villages — get several ties of each kind on purpose.
* 考评: the group leader (of the other members) and the office (of everyone) assess each member of a group whose
  inspections are past feedback; the office's latest recommendation sets the standing (recommended, in the pool,
  reminded, removed).
* Draws, through `draw_commit` / `draw_run` so that `xuncha pool verify-draw` replays them: one drawn (with the
  witnesses' words) for a village of the round in preparation, one committed and waiting to be drawn. The seed of a
  draw is secret and fresh by design: the group picked differs from build to build, who is excluded and why does
  not.

Rows are written in bulk with the builder's Writer (one `demo.build` audit event per kind); the draws go through
the services and are audited as any draw.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from xuncha.core.dates import today
from xuncha.core.id_numbers import check_digit
from xuncha.demo import names
from xuncha.demo.builder import Row, Writer
from xuncha.org.models import Cadre, Committee, Role, Unit, UnitKind, User
from xuncha.pool import services as pool_services
from xuncha.pool.models import (
    Assessment,
    AssessorRole,
    Declaration,
    DeclarationKind,
    Gender,
    Grade,
    Rank,
    Recommendation,
    Relative,
    Speciality,
    Standing,
    Talent,
    TalentKind,
    WorkPeriod,
)
from xuncha.rounds.models import GroupMembership, GroupRole, Inspection, InspectionGroup, Stage

SEED = "qingyu-demo-pool"
FEMININE = set("英红芳丽梅秀兰娟霞燕玲萍敏静婷琴娜莉凤艳翠慧淑珍")
# Invented area codes (province 99 does not exist): the first six digits of the ID numbers of each place's people.
REGION_CODES = {"青峪县": "990121", "望川县": "990122", "梧溪县": "990123", "澜州市": "990102", "江北省": "990100"}
COUNTY_EXTRA = 70  # people in 青峪县's pool beyond its inspector accounts
CITY_EXTRA = 6
SIBLING_EXTRA = 4
PAST = (Stage.RECTIFY, Stage.FOLLOW_UP, Stage.ARCHIVED)

SPECIALITY_WEIGHTS = {Speciality.DISCIPLINE: 24, Speciality.ORGANISATION: 13, Speciality.PERSONNEL: 9,
                      Speciality.AUDIT: 12, Speciality.FINANCE: 15, Speciality.LAW: 11, Speciality.OTHER: 16}
# Current posts by speciality: (where, positions). `where` is a unit-name ending of the committee's own units,
# "township", "department", "institution", or "@…" for a body outside the managed units ({r}: the region).
POSTS = {
    Speciality.DISCIPLINE: [
        ("@{r}纪委监委机关", ["第一纪检监察室副主任", "第二纪检监察室科员", "党风政风监督室副主任", "案件审理室主任",
                          "信访室副主任", "第三纪检监察室四级主任科员"]),
        ("@{r}纪委监委第一派驻纪检监察组", ["副组长", "一级科员"]),
        ("@{r}纪委监委第三派驻纪检监察组", ["副组长", "四级主任科员"]),
        ("township", ["纪委副书记", "纪委专职委员", "纪检干事"]),
    ],
    Speciality.ORGANISATION: [
        ("组织部", ["干部监督股股长", "组织股副股长", "干部股一级科员", "党员教育中心主任"]),
        ("township", ["组织委员", "党建工作办公室主任"]),
    ],
    Speciality.PERSONNEL: [
        ("人力资源和社会保障局", ["人事股股长", "工资福利股一级科员", "事业单位人事管理股副股长"]),
        ("机构编制委员会办公室", ["机构编制股股长", "一级科员"]),
        ("组织部", ["干部教育股股长", "公务员管理股一级科员"]),
    ],
    Speciality.AUDIT: [
        ("审计局", ["经济责任审计股股长", "财政审计股副股长", "审计员", "内审指导股股长", "固定资产投资审计股股长"]),
        ("@{r}审计局", ["审计员", "经济责任审计股股长"]),
    ],
    Speciality.FINANCE: [
        ("财政局", ["预算股股长", "国库股副股长", "会计核算中心主任", "农业股一级科员", "政府采购股股长"]),
        ("@国家税务总局{r}税务局", ["征收管理股股长", "第一税务分局副局长", "纳税服务股一级科员"]),
        ("township", ["财政所所长", "经管站站长"]),
    ],
    Speciality.LAW: [
        ("政法委员会", ["执法监督股股长", "综治中心副主任"]),
        ("公安局", ["法制大队副大队长", "经侦大队民警", "治安大队教导员"]),
        ("人民法院", ["审判员", "审判管理办公室主任", "执行局副局长"]),
        ("人民检察院", ["检察官", "第一检察部副主任"]),
        ("司法局", ["法律援助中心主任", "公共法律服务管理股股长"]),
    ],
    Speciality.OTHER: [
        ("department", ["办公室主任", "综合股股长", "一级科员", "规划股副股长", "四级主任科员"]),
        ("township", ["党政综合办公室主任", "农业综合服务中心主任", "党委宣传委员"]),
        ("institution", ["办公室主任", "党委办公室副主任", "办公室干事"]),
    ],
}
INSPECTION_OFFICE_POSTS = ["巡察组组长", "巡察组副组长", "综合室主任", "巡察组一级科员", "巡察组四级主任科员"]
PAST_POSTS = {
    UnitKind.TOWNSHIP: (["党政办科员", "农业服务中心干部", "扶贫工作站干部", "社会事务办科员"],
                        ["党政办副主任", "纪委委员", "财政所副所长", "党委委员、副{head}", "组织委员"]),
    UnitKind.DEPARTMENT: (["科员", "办公室科员", "业务股科员"], ["副股长", "股长", "办公室主任", "四级主任科员"]),
    UnitKind.STATE_ENTERPRISE: (["财务部职员", "综合部职员"], ["财务部副部长", "综合部部长", "审计部部长"]),
    UnitKind.PUBLIC_INSTITUTION: (["办公室干事", "财务科科员"], ["财务科科长", "办公室主任"]),
}
RANK_AGES = {Rank.CLERK: (28, 40), Rank.DEPUTY_SECTION: (31, 52), Rank.SECTION: (36, 60), Rank.DEPUTY_DIVISION: (45, 60)}
MOBILE_PREFIXES = ["139", "138", "137", "136", "135", "158", "159", "187", "188", "151", "152", "183", "177", "180",
                   "189", "133", "153", "199"]

ACCOUNTING_FIRMS = ["江北正信会计师事务所{r}分所", "澜州诚和会计师事务所有限公司", "江北华审会计师事务所（普通合伙）"]
AUDIT_FIRMS = ["江北正衡工程造价咨询有限公司", "澜州中审工程项目管理有限公司", "江北天衡税务师事务所有限公司"]
LAW_FIRMS = ["江北明正律师事务所", "{r}公平律师事务所", "澜州法衡律师事务所", "{r}天平律师事务所"]
ENTERPRISES = ["{r}绿源农业开发有限公司", "{r}鸿达建材有限责任公司", "{r}山泉茶业专业合作社", "{r}益民医药连锁有限公司",
               "{r}兴旺种养殖专业合作社", "澜州顺通物流有限公司"]
OUTSIDE_JOBS = ["务农", "个体经营（农资店）", "个体经营（餐馆）", "在外务工（广东）", "自由职业", "家务"]
STUDYING = [(6, "学龄前"), (12, "在读（城关第一小学）"), (18, "在读（县第一中学）"),
            (23, "在读（江北大学）"), (26, "在读研究生（江北师范大学）")]  # (below age, words)
# Posts a junior (科员) holds, and those that want at least 正科.
JUNIOR_WORDS = ("科员", "干事", "民警", "审计员", "审判员", "检察官")
SENIOR_WORDS = ("股长", "主任", "所长", "站长", "副组长", "组长", "委员", "副局长", "大队长", "教导员", "书记")
UNAVAILABLE = ["产假（至{m}）", "病休（至{m}）", "参加省委党校中青年干部培训班（至{m}）", "借调市纪委监委专案组",
               "本单位承担全县重点项目攻坚任务，单位申请暂缓抽调", "援疆（至{m}）"]
LEADER_CONFLICTS = [
    "与该单位主要负责人{leader}系大学同班同学，私交较密",
    "曾与{leader}在同一科室共事多年，关系密切",
    "配偶与{leader}的配偶系亲姐妹",
    "与{leader}之子合伙经营过茶叶生意（已于两年前退出）",
    "{leader}系本人初中班主任，多年往来密切",
]
RECUSAL_REQUESTS = [
    "本人岳父在该村经营农家乐，与村集体签有土地流转合同，申请回避。",
    "本人表弟任该单位会计，平时往来较多，为避免影响巡察公正，申请回避。",
    "本人曾参与该单位项目的评审工作，申请回避。",
    "本人爱人的舅舅在该村任村民小组长，申请回避。",
    "本人近期与该单位一名班子成员存在民事纠纷（已诉至法院），申请回避。",
]
WITNESS_WORDS = "见证人：县人大代表{a}、县政协委员{b}当场报数 {n}"
OFFICE_COMMENTS = {
    Grade.EXCELLENT: ["政治站位高，发现问题精准，撰写的专题报告质量高，建议优先使用。",
                      "熟悉财务审计业务，查阅资料细致，发现重要问题线索，表现突出。",
                      "严守巡察纪律，个别谈话准备充分，多次得到领导小组肯定。"],
    Grade.COMPETENT: ["认真履行职责，按时完成组内分工任务。", "遵守巡察纪律，工作扎实，业务水平有待进一步提升。",
                      "能够完成交办任务，问题底稿规范。"],
    Grade.BASIC: ["巡察期间两次未按规定请假，工作日志记录不全，予以提醒。",
                  "问题底稿证据不够扎实，被多次退回修改，予以提醒。"],
    Grade.INCOMPETENT: ["巡察期间违规向被巡察单位打探与巡察无关事项，经组务会研究调整出巡察组，移出人才库。",
                        "多次无故缺席组务会和个别谈话，不服从组内工作安排，移出人才库。"],
}
LEADER_COMMENTS = {
    Grade.EXCELLENT: ["工作主动，谈话技巧好，发现问题多、质量高。", "业务精通，带头查阅资料，对组内帮助很大。"],
    Grade.COMPETENT: ["工作认真，服从安排，按时完成任务。", "遵守纪律，完成个别谈话和资料调阅任务。"],
    Grade.BASIC: ["工作积极性不高，日志记录不全。", "对巡察业务不够熟悉，需加强学习。"],
    Grade.INCOMPETENT: ["不服从组内安排，纪律意识淡薄。"],
}
RECOMMENDATION_STANDING = {Recommendation.RECOMMEND: Standing.RECOMMENDED, Recommendation.KEEP: Standing.ACTIVE,
                           Recommendation.REMIND: Standing.REMINDED, Recommendation.REMOVE: Standing.REMOVED}


def _fitting(positions: list[str], rank: int) -> list[str]:
    """The positions that suit a rank: no 科员 post for a 正科, no 股长 for a 科员 (all of them if none suits)."""
    if rank >= Rank.SECTION:
        suits = [p for p in positions if not p.endswith(JUNIOR_WORDS)]
    elif rank == Rank.CLERK:
        suits = [p for p in positions if not any(w in p for w in SENIOR_WORDS)]
    else:
        suits = positions
    return suits or positions


def _years_before(day: datetime.date, years: float) -> datetime.date:
    return day - datetime.timedelta(days=round(years * 365.25))


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@dataclass
class Person:
    """A pool member in the making, with the rows that hang on them."""

    row: Row
    age: int
    male: bool
    surname: str
    region_code: str
    periods: list[Row] = field(default_factory=list)
    relatives: list[Row] = field(default_factory=list)
    declarations: list[Row] = field(default_factory=list)
    planted: set[int] = field(default_factory=set)  # target units tied on purpose
    placed: bool = False  # home or present post set for a tie


class Pool:
    """One committee's pool."""

    def __init__(self, story: PoolStory, committee: Committee, office: User | None):
        self.story, self.committee, self.office = story, committee, office
        self.rng, self.on = story.rng, story.on
        self.region = committee.region
        self.code = REGION_CODES.get(self.region, "990199")
        self.units = list(Unit.objects.filter(committee=committee, is_active=True).select_related("parent")
                          .order_by("id"))
        self.by_kind: dict[str, list[Unit]] = defaultdict(list)
        for u in self.units:
            self.by_kind[u.kind].append(u)
        self.villages_of: dict[int, list[Unit]] = defaultdict(list)
        for v in self.by_kind[UnitKind.VILLAGE]:
            self.villages_of[v.parent_id].append(v)
        self.people: list[Person] = []

    # --- places ---
    def unit_ending(self, ending: str) -> Unit | None:
        return next((u for u in self.units if u.kind != UnitKind.VILLAGE and u.name.endswith(ending)), None)

    def place(self, where: str) -> tuple[Unit | None, str]:
        rng = self.rng
        if where.startswith("@"):
            return None, where[1:].format(r=self.region)
        if where == "township":
            pool = self.by_kind[UnitKind.TOWNSHIP]
        elif where == "department":
            pool = self.by_kind[UnitKind.DEPARTMENT]
        elif where == "institution":
            pool = self.by_kind[UnitKind.PUBLIC_INSTITUTION] + self.by_kind[UnitKind.STATE_ENTERPRISE]
        else:
            u = self.unit_ending(where)
            return (u, str(u)) if u else (None, f"{self.region}{where}")
        if not pool:
            pool = self.by_kind[UnitKind.DEPARTMENT]
        u = rng.choice(pool)
        return u, str(u)

    def managed(self, kinds=(UnitKind.DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.PUBLIC_INSTITUTION,
                             UnitKind.STATE_ENTERPRISE), weights=(6, 4, 1, 1)) -> Unit:
        rng = self.rng
        choices = [(k, w) for k, w in zip(kinds, weights, strict=True) if self.by_kind[k]]
        kind = rng.choices([k for k, _w in choices], weights=[w for _k, w in choices])[0]
        return rng.choice(self.by_kind[kind])

    # --- people ---
    def id_number(self, born: datetime.date, male: bool, code: str | None = None) -> str:
        rng = self.rng
        while True:
            serial = rng.randint(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
            first = f"{code or self.code}{born:%Y%m%d}{serial:03d}"
            number = first + check_digit(first)
            if number not in self.story.taken_ids:
                self.story.taken_ids.add(number)
                return number

    def born(self, age: int) -> datetime.date:
        return _years_before(self.on, age) - datetime.timedelta(days=self.rng.randint(0, 360))

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99999999):08d}"

    def person(self, *, name: str | None = None, kind: str = TalentKind.CADRE, speciality: str | None = None,
               rank: int | None = None, account: User | None = None, lead: bool = False,
               male: bool | None = None) -> Person:
        rng, on = self.rng, self.on
        name = name or names.person_name(rng)
        if male is None:
            # A given name with a character mostly given to girls is a woman's; the others are men a little more often than not.
            male = False if any(c in FEMININE for c in name[1:]) else rng.random() < 0.55

        speciality = speciality or rng.choices(list(SPECIALITY_WEIGHTS), weights=list(SPECIALITY_WEIGHTS.values()))[0]
        if kind in (TalentKind.CADRE, TalentKind.RETIRED):
            if rank is None:
                rank = rng.choices([Rank.CLERK, Rank.DEPUTY_SECTION, Rank.SECTION, Rank.DEPUTY_DIVISION],
                                   weights=[28, 32, 32, 8])[0]
            if lead:
                rank = max(rank, Rank.SECTION)
        else:
            rank = Rank.NONE
        if kind == TalentKind.RETIRED:
            age = rng.randint(60, 62) if male else rng.randint(56, 62)
            rank = max(rank, Rank.DEPUTY_SECTION)
        elif rank:
            low, high = RANK_AGES[rank]
            age = rng.randint(low, high if male else min(high, 56))  # women cadres retire earlier
        else:
            age = rng.randint(30, 58)
        born = self.born(age)
        row = Row(committee_id=self.committee.pk, name=name, id_number=self.id_number(born, male),
                  gender=Gender.MALE if male else Gender.FEMALE, birth_date=born, kind=kind, speciality=speciality,
                  rank=int(rank), unit_id=None, unit_name="", position="", home_township_id=None,
                  home_village_id=None, phone=self.phone(), can_lead=False, available=True, unavailable_reason="",
                  standing=Standing.ACTIVE, account_id=account.pk if account else None, notes="",
                  created_at=timezone.make_aware(datetime.datetime.combine(
                      on - datetime.timedelta(days=rng.randint(30, 900)), datetime.time(9, rng.randint(0, 59)))),
                  version=1)
        p = Person(row=row, age=age, male=male, surname=name[0], region_code=self.code)
        self.post(p)
        self.home(p)
        self.history(p)
        self.family(p)
        self.people.append(p)
        return p

    def post(self, p: Person, *, inspection_office: bool = False) -> None:
        """The current post (for a retired cadre, the last one held)."""
        rng, row = self.rng, p.row
        kind = row.kind
        if inspection_office:
            row.unit_id, row.unit_name = None, f"中共{self.region}委巡察工作领导小组办公室"
            row.position = INSPECTION_OFFICE_POSTS[0] if row.can_lead else rng.choice(INSPECTION_OFFICE_POSTS[1:])
            return
        if kind in (TalentKind.CADRE, TalentKind.RETIRED):
            where, positions = rng.choice(POSTS[row.speciality])
            unit, unit_name = self.place(where)
            position = rng.choice(_fitting(positions, row.rank))
            if kind == TalentKind.RETIRED:
                p.periods.append(self.period(unit, unit_name, position, _years_before(self.on, p.age - 52),
                                             _years_before(self.on, p.age - (60 if p.male else 55))))
                row.unit_id, row.unit_name = None, f"{unit_name}（已退休）"
                row.position = f"原{position}"
                return
            row.unit_id, row.unit_name, row.position = (unit.pk if unit else None), unit_name, position
            return
        if kind == TalentKind.ACCOUNTANT:
            row.speciality = Speciality.FINANCE
            row.unit_name = rng.choice(ACCOUNTING_FIRMS).format(r=self.region)
            row.position = rng.choice(["注册会计师", "项目经理、注册会计师", "合伙人、注册会计师"])
        elif kind == TalentKind.AUDITOR:
            row.speciality = Speciality.AUDIT
            row.unit_name = rng.choice(AUDIT_FIRMS)
            row.position = rng.choice(["造价工程师", "审计项目经理", "注册税务师"])
        elif kind == TalentKind.LAWYER:
            row.speciality = Speciality.LAW
            row.unit_name = rng.choice(LAW_FIRMS).format(r=self.region)
            row.position = rng.choice(["律师", "合伙人、律师", "主任、律师"])
        else:  # 人大代表, 政协委员: their own job, in a managed unit or outside
            row.speciality = rng.choice([Speciality.OTHER, Speciality.OTHER, Speciality.FINANCE, Speciality.LAW])
            title = "县人大代表" if kind == TalentKind.NPC_DEPUTY else "县政协委员"
            if self.committee.level == "city":
                title = title.replace("县", "市")
            roll = rng.random()
            if roll < 0.35 and self.by_kind[UnitKind.VILLAGE]:
                village = rng.choice(self.by_kind[UnitKind.VILLAGE])
                row.unit_id, row.unit_name = village.pk, str(village)
                row.position = f"村党支部书记（{title}）"
            elif roll < 0.65:
                unit = rng.choice(self.by_kind[UnitKind.PUBLIC_INSTITUTION] or self.by_kind[UnitKind.DEPARTMENT])
                row.unit_id, row.unit_name = unit.pk, str(unit)
                job = (["主治医师", "副主任医师"] if unit.name.endswith("医院") else
                       ["高级教师", "一级教师"] if unit.name.endswith(("中学", "学校", "学院", "大学")) else
                       ["高级工程师", "工程师", "主任科员"])
                row.position = f"{rng.choice(job)}（{title}）"
            else:
                row.unit_name = rng.choice(ENTERPRISES).format(r=self.region)
                row.position = f"{rng.choice(['董事长', '总经理', '理事长'])}（{title}）"

    def home(self, p: Person) -> None:
        rng = self.rng
        towns = self.by_kind[UnitKind.TOWNSHIP]
        if not towns or rng.random() < 0.15:
            return  # born elsewhere
        town = rng.choice(towns)
        p.row.home_township_id = town.pk
        villages = self.villages_of.get(town.pk)
        if villages and rng.random() < 0.75:
            p.row.home_village_id = rng.choice(villages).pk

    def period(self, unit: Unit | None, unit_name: str, position: str, start: datetime.date,
               end: datetime.date | None, *, keep: bool = False) -> Row:
        """A post; `keep` marks one placed for a tie, which trimming the history to four posts must not drop."""
        return Row(unit_id=unit.pk if unit else None, unit_name=unit_name[:120], position=position[:80],
                   started_on=_month(start), ended_on=_month(end) if end else None, keep=keep)

    @staticmethod
    def trim(p: Person) -> None:
        """At most four posts (驻村 posts held beside one's own aside): a post placed for a tie replaces the
        earliest of the others."""
        while True:
            own = [r for r in p.periods if not r.position.startswith("驻村")]
            if len(own) <= 4:
                break
            p.periods.remove(next(r for r in sorted(own, key=lambda r: r.started_on) if not r.keep))
        p.periods.sort(key=lambda r: r.started_on)

    def history(self, p: Person) -> None:
        """2–4 past posts before the present one (a retired cadre's last post is already there), and, for a serving
        cadre now and then, a 驻村 post held beside their own."""
        rng, on, row = self.rng, self.on, p.row
        start = _years_before(on, p.age - rng.randint(22, 24))
        if row.kind == TalentKind.RETIRED:
            end = p.periods[0].started_on
        else:
            end = _years_before(on, rng.uniform(0.8, min(8, max(1.0, (p.age - 26) / 2))))
        span = (end - start).days
        count = max(2, min(4, 2 + span // (365 * 6), rng.randint(2, 4)))
        if row.kind == TalentKind.RETIRED:
            count = min(count, 3)  # with the last post held, 2–4 in all
        cuts = [start] + [start + datetime.timedelta(days=round(span * i / count) + rng.randint(-60, 60))
                          for i in range(1, count)] + [end]
        expert = row.kind in (TalentKind.ACCOUNTANT, TalentKind.AUDITOR, TalentKind.LAWYER)
        posts: list[Row] = []
        for i in range(count):
            senior = i >= count / 2
            if expert and i == 0 and rng.random() < 0.5:
                # Lawyers from the courts and procuratorates, accountants and auditors from finance and audit.
                ending = {TalentKind.LAWYER: rng.choice(["人民法院", "人民检察院", "司法局"]),
                          TalentKind.ACCOUNTANT: "财政局", TalentKind.AUDITOR: "审计局"}[row.kind]
                unit, unit_name = self.place(ending)
                position = rng.choice(["科员", "助理审判员", "书记员"]) if row.kind == TalentKind.LAWYER else "科员"
            elif expert:
                firms = {TalentKind.LAWYER: LAW_FIRMS, TalentKind.ACCOUNTANT: ACCOUNTING_FIRMS,
                         TalentKind.AUDITOR: AUDIT_FIRMS}[row.kind]
                unit, unit_name = None, rng.choice(firms).format(r=self.region)
                position = ({TalentKind.LAWYER: "执业律师", TalentKind.ACCOUNTANT: "注册会计师",
                             TalentKind.AUDITOR: "审计项目经理"} if senior else
                            {TalentKind.LAWYER: "实习律师", TalentKind.ACCOUNTANT: "审计助理",
                             TalentKind.AUDITOR: "造价员"})[row.kind]
            else:
                unit = self.managed(weights=(6, 5, 1, 1) if i == 0 else (7, 3, 1, 1))
                unit_name = str(unit)
                junior, seniors = PAST_POSTS[unit.kind]
                position = rng.choice(seniors if senior else junior)
                head = names.township_head(unit.name) if unit.kind == UnitKind.TOWNSHIP else "局长"
                position = position.format(head=head)
            posts.append(self.period(unit, unit_name, position, cuts[i], cuts[i + 1] - datetime.timedelta(days=1)))
        p.periods = posts + p.periods
        if row.kind == TalentKind.CADRE and p.age < 55 and rng.random() < 0.22 and self.by_kind[UnitKind.VILLAGE]:
            village = rng.choice(self.by_kind[UnitKind.VILLAGE])
            self.stationed(p, village, current=rng.random() < 0.3)

    def stationed(self, p: Person, village: Unit, *, current: bool) -> None:
        """驻村第一书记 / 驻村工作队: a post in a village held beside one's own."""
        rng, on = self.rng, self.on
        if current:
            start, end = on - datetime.timedelta(days=rng.randint(120, 600)), None
        else:
            start = datetime.date(rng.randint(on.year - 6, on.year - 3), rng.choice([3, 5, 9]), 1)
            end = start + datetime.timedelta(days=rng.randint(700, 1000))
        p.periods.append(self.period(village, str(village), rng.choice(["驻村第一书记", "驻村工作队队员"]),
                                     start, end))
        p.planted.add(village.pk)

    def relative_row(self, p: Person, relation: str, *, unit: Unit | None = None, name: str | None = None,
                     job: str | None = None) -> Row:
        rng, on = self.rng, self.on
        male = {"父亲": True, "母亲": False, "儿子": True, "女儿": False, "哥哥": True, "弟弟": True,
                "姐姐": False, "妹妹": False}.get(relation, not p.male)
        age = {"父亲": p.age + rng.randint(24, 32), "母亲": p.age + rng.randint(22, 30),
               "儿子": p.age - rng.randint(24, 32), "女儿": p.age - rng.randint(24, 32),
               "哥哥": p.age + rng.randint(1, 6), "姐姐": p.age + rng.randint(1, 6),
               "弟弟": p.age - rng.randint(1, 6), "妹妹": p.age - rng.randint(1, 6)}.get(relation,
                                                                                    p.age + rng.randint(-4, 4))
        age = max(1, age)
        if name is None:
            same = relation in ("父亲", "哥哥", "弟弟", "姐姐", "妹妹") or (relation in ("儿子", "女儿") and p.male)
            name = names.person_name(rng)
            if same:
                name = p.surname + name[1:]
        born = _years_before(on, age) - datetime.timedelta(days=rng.randint(0, 360))
        if unit is not None:
            unit_name = str(unit)
        elif job is not None:
            unit_name = job
        elif age < 26 and (age < 23 or rng.random() < 0.3):
            unit_name = next(words for below, words in STUDYING if age < below)
        elif age >= 62:
            unit_name = rng.choice(["退休", "务农", "退休"])
        else:
            unit_name = rng.choice(OUTSIDE_JOBS + [rng.choice(ENTERPRISES).format(r=self.region)])
        return Row(name=name, id_number=self.id_number(born, male, p.region_code), relation=relation,
                   unit_id=unit.pk if unit else None, unit_name=unit_name[:120])

    def family(self, p: Person) -> None:
        rng = self.rng
        relations = ["配偶"] if rng.random() < 0.92 else []
        if p.age < 55:
            relations += rng.sample(["父亲", "母亲"], k=rng.randint(0, 2))
        if p.age >= 30:
            relations += rng.sample(["儿子", "女儿"], k=1 if rng.random() < 0.8 else 0)
        relations += rng.sample(["哥哥", "姐姐", "弟弟", "妹妹"], k=rng.choices([0, 1, 2], weights=[4, 4, 2])[0])
        for relation in relations[:4] or ["配偶"]:
            working = relation == "配偶" or (relation in ("哥哥", "姐姐", "弟弟", "妹妹")) or (
                relation in ("儿子", "女儿") and p.age >= 50)
            unit = None
            if working and rng.random() < 0.55:
                unit = self.managed(kinds=(UnitKind.DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.PUBLIC_INSTITUTION,
                                           UnitKind.STATE_ENTERPRISE, UnitKind.VILLAGE), weights=(5, 3, 4, 1, 2))
            elif relation in ("父亲", "母亲") and p.row.home_village_id and rng.random() < 0.12:
                unit = next(v for v in self.by_kind[UnitKind.VILLAGE] if v.pk == p.row.home_village_id)
            p.relatives.append(self.relative_row(p, relation, unit=unit))

    # --- ties placed on purpose ---
    def plant(self, target: Unit, kinds: list[str], among: list[Person]) -> int:
        """Tie distinct people of `among` to `target`, one kind each; returns how many were tied."""
        rng, on = self.rng, self.on
        free = [p for p in among if target.pk not in p.planted]
        rng.shuffle(free)
        cadres = self.story.cadres.get(target.pk, [])
        principal = next((c for c in cadres if c.is_principal), None)
        tied = 0
        for kind in kinds:
            # A home or a present post placed for one unit is not moved again for another.
            p = next((q for q in free if kind not in ("home", "works") or not q.placed), None)
            if p is None:
                break
            free.remove(p)
            p.planted.add(target.pk)
            if kind in ("home", "works"):
                p.placed = True
            tied += 1
            if kind == "works":
                p.row.unit_id, p.row.unit_name = target.pk, str(target)
                p.row.position = rng.choice(["纪委副书记", "党政综合办公室主任", "财政所所长"]) \
                    if target.kind == UnitKind.TOWNSHIP else "一级科员"
            elif kind == "worked":
                if target.kind == UnitKind.VILLAGE:
                    self.stationed(p, target, current=rng.random() < 0.4)
                else:
                    start = datetime.date(rng.randint(on.year - 12, on.year - 5), rng.randint(1, 12), 1)
                    head = names.township_head(target.name) if target.kind == UnitKind.TOWNSHIP else "局长"
                    p.periods.append(self.period(target, str(target), rng.choice(
                        ["党政办科员", f"党委委员、副{head}", "纪委委员"]), start,
                        start + datetime.timedelta(days=rng.randint(700, 1500)), keep=True))
            elif kind == "relative":
                relation = rng.choice(["哥哥", "姐姐", "弟弟", "配偶"] + (["父亲"] if p.age < 40 else []))
                unit = target
                if target.kind == UnitKind.TOWNSHIP and self.villages_of.get(target.pk) and rng.random() < 0.6:
                    unit = rng.choice(self.villages_of[target.pk])  # a subordinate village counts too
                other = [c for c in self.story.cadres.get(unit.pk, []) if not c.is_principal]
                name = None
                if other and rng.random() < 0.6:  # one of the unit's own leaders
                    name = rng.choice(other).name
                    if name[0] != p.surname:
                        relation = "配偶"
                    elif relation == "配偶":
                        relation = "哥哥"
                p.relatives.append(self.relative_row(p, relation, unit=unit, name=name))
            elif kind == "home":
                if target.kind == UnitKind.VILLAGE:
                    p.row.home_township_id, p.row.home_village_id = target.parent_id, target.pk
                else:
                    p.row.home_township_id = target.pk
                    villages = self.villages_of.get(target.pk)
                    p.row.home_village_id = rng.choice(villages).pk if villages else None
            elif kind in ("declared", "request"):
                leader = principal.name if principal else ""
                if kind == "declared":
                    reason = rng.choice(LEADER_CONFLICTS).format(leader=leader or "该单位主要负责人")
                    dkind = DeclarationKind.LEADER_CONFLICT
                else:
                    reason, dkind, leader = rng.choice(RECUSAL_REQUESTS), DeclarationKind.RECUSAL_REQUEST, ""
                p.declarations.append(Row(kind=dkind, unit_id=target.pk, leader=leader, reason=reason,
                                          declared_on=on - datetime.timedelta(days=rng.randint(2, 200)),
                                          recorded_by_id=self.office.pk if self.office else None))
        return tied

    # --- the 组长库 and availability ---
    def leaders_and_availability(self, forced: set[int], share: float = 0.2) -> None:
        rng = self.rng
        for p in self.people:
            if p.row.account_id in forced:
                p.row.can_lead = True
        wanted = round(len(self.people) * share) - sum(p.row.can_lead for p in self.people)
        eligible = [p for p in self.people if not p.row.can_lead and p.row.rank in (Rank.SECTION, Rank.DEPUTY_DIVISION)
                    and p.row.kind in (TalentKind.CADRE, TalentKind.RETIRED)]
        for p in rng.sample(eligible, k=max(0, min(wanted, len(eligible)))):
            p.row.can_lead = True
        others = [p for p in self.people if not p.row.can_lead and p.row.account_id not in self.story.serving]
        for p in rng.sample(others, k=min(len(others), max(1, len(self.people) // 30))):
            until = self.on + datetime.timedelta(days=rng.randint(40, 200))
            p.row.available = False
            p.row.unavailable_reason = rng.choice(UNAVAILABLE).format(m=f"{until.year}年{until.month}月")

    def write(self, writer: Writer) -> list[Row]:
        rows = writer.insert(Talent, [p.row for p in self.people])
        periods, relatives, declarations = [], [], []
        for p in self.people:
            self.trim(p)
            for r in p.periods:
                r.talent_id = p.row.id
                periods.append(r)
            for r in p.relatives:
                r.talent_id = p.row.id
                relatives.append(r)
            for r in p.declarations:
                r.talent_id = p.row.id
                declarations.append(r)
        writer.insert(WorkPeriod, periods)
        writer.insert(Relative, relatives)
        writer.insert(Declaration, declarations)
        return rows


class PoolStory:
    def __init__(self, county: Committee, office: User):
        self.county, self.office = county, office
        self.rng = random.Random(SEED)
        self.on = today()
        self.writer = Writer()
        self.taken_ids: set[str] = set()
        self.cadres: dict[int, list[Cadre]] = defaultdict(list)
        # Accounts on a group whose inspection has not reached feedback: not to be removed or marked unavailable.
        self.serving = set(GroupMembership.objects.filter(
            group__inspections__stage__in=[Stage.PREPARE, Stage.FIELDWORK, Stage.REPORT]).values_list(
            "user_id", flat=True))

    def run(self) -> dict:
        county = self.county
        for c in Cadre.objects.filter(unit__committee=county).order_by("unit_id", "-is_principal", "id"):
            self.cadres[c.unit_id].append(c)
        preparing = list(Inspection.objects.filter(round__committee=county, stage=Stage.PREPARE)
                         .prefetch_related(Prefetch("units", queryset=Unit.objects.select_related("parent")))
                         .order_by("id"))
        drawn_inspection, drawn_unit, waiting = self._targets(preparing)

        pools = {county.pk: self._county_pool(preparing, drawn_unit)}
        city = county.parent
        if city is not None:
            pools[city.pk] = self._other_pool(city, CITY_EXTRA, leaders=0.35)
            for sibling in Committee.objects.filter(parent=city, level="county").exclude(pk=county.pk).order_by("id"):
                pools[sibling.pk] = self._other_pool(sibling, SIBLING_EXTRA, leaders=0.25)
        assessments = self._assessments(pools)  # sets the standing of the people assessed
        for pool in pools.values():
            pool.write(self.writer)
        for person, row in assessments:
            row.talent_id = person.row.id
        self.writer.insert(Assessment, [row for _p, row in assessments])
        root = Committee.objects.get(pk=int(county.path.strip("/").split("/")[0]))
        self.writer.finish()
        self.writer.audit(root=root, scale="county", on=self.on)

        counts = {"talents": self.writer.counts[Talent], "work_periods": self.writer.counts[WorkPeriod],
                  "relatives": self.writer.counts[Relative], "declarations": self.writer.counts[Declaration],
                  "assessments": self.writer.counts[Assessment]}
        counts["draws"] = self._draws(drawn_inspection, drawn_unit, waiting)
        return counts

    # --- which units the story is about ---
    @staticmethod
    def _targets(preparing: list[Inspection]):
        """The drawn draw: a village of the round in preparation, one under 双溪乡 if there is one. The waiting draw:
        a unit of another inspection of that round, in another township if there is one."""
        pairs = [(i, u) for i in preparing for u in sorted(i.units.all(), key=lambda u: u.pk)]
        if not pairs:
            return None, None, None
        drawn = next(((i, u) for i, u in pairs if u.parent_id and u.parent.name == "双溪乡"), pairs[0])
        waiting = next(((i, u) for i, u in pairs if i.pk != drawn[0].pk and u.parent_id != drawn[1].parent_id),
                       next(((i, u) for i, u in pairs if i.pk != drawn[0].pk), None))
        return drawn[0], drawn[1], waiting

    # --- the pools ---
    def _county_pool(self, preparing: list[Inspection], drawn_unit: Unit | None) -> Pool:
        rng, county = self.rng, self.county
        pool = Pool(self, county, self.office)
        accounts = list(User.objects.filter(committee=county, role=Role.INSPECTOR).order_by("id"))
        leads = self._current_leaders(county) | {a.pk for a in accounts if a.username == "inspector"}
        # The inspection office's own staff lead some groups; the others come from their units.
        office_staff = {a.pk for a in accounts if a.username == "inspector"} | set(sorted(leads)[:3])
        genders = {"inspector": True, "inspector2": False}  # 刘建军, 吴秀英
        for account in accounts:
            lead = account.pk in leads
            fixed = account.username == "inspector"
            kind = TalentKind.CADRE if rng.random() < 0.93 or lead else rng.choice(
                [TalentKind.RETIRED, TalentKind.ACCOUNTANT, TalentKind.AUDITOR])
            p = pool.person(name=account.display_name or account.username, kind=kind, account=account, lead=lead,
                            speciality=Speciality.DISCIPLINE if fixed else None, rank=Rank.SECTION if fixed else None,
                            male=genders.get(account.username))
            if account.pk in office_staff:
                p.row.can_lead = lead
                pool.post(p, inspection_office=True)
        extra = ([TalentKind.CADRE] * 40 + [TalentKind.RETIRED] * 8 + [TalentKind.ACCOUNTANT] * 5
                 + [TalentKind.AUDITOR] * 4 + [TalentKind.LAWYER] * 5 + [TalentKind.NPC_DEPUTY] * 4
                 + [TalentKind.CPPCC_MEMBER] * 4)[:COUNTY_EXTRA]
        for kind in extra:
            pool.person(kind=kind)

        # Ties on purpose with the units a demo user picks first. For the unit of the demo draw, people free to
        # serve, so that recusal (and not only "already serving") is what keeps them out.
        people = pool.people
        free = [p for p in people if p.row.account_id not in self.serving]
        if drawn_unit is not None:
            pool.plant(drawn_unit, ["relative", "home", "worked", "declared", "request", "relative", "home", "worked"],
                       free)
        for inspection in preparing:
            for unit in inspection.units.all():
                if drawn_unit is None or unit.pk != drawn_unit.pk:
                    kinds = ["relative", "home", "worked", "declared", "request"]
                    pool.plant(unit, rng.sample(kinds, k=rng.randint(2, 4)), people)
        township = pool.unit_ending("双溪乡")
        if township is not None:
            pool.plant(township, ["works", "worked", "relative", "relative", "home", "declared", "request"], free)
            for village in pool.villages_of.get(township.pk, []):
                pool.plant(village, [rng.choice(["relative", "home", "worked"])], people)
        pool.leaders_and_availability(leads)
        return pool

    def _other_pool(self, committee: Committee, extra: int, *, leaders: float) -> Pool:
        """A smaller pool: the committee's inspector accounts and a few more. Some people of the city came up from
        青峪县, and a few of a sibling county come from it or have family there: ties that 以上巡下 and 交叉 still
        catch."""
        rng = self.rng
        pool = Pool(self, committee, User.objects.filter(committee=committee, role=Role.OFFICE).order_by("id").first())
        accounts = list(User.objects.filter(committee=committee, role=Role.INSPECTOR).order_by("id"))
        leads = self._current_leaders(committee)
        for account in accounts:
            rank = rng.choice([Rank.SECTION, Rank.DEPUTY_DIVISION]) if committee.level == "city" else None
            pool.person(name=account.display_name or account.username, account=account, lead=account.pk in leads,
                        rank=rank)
        for kind in [TalentKind.RETIRED, TalentKind.ACCOUNTANT, TalentKind.LAWYER, TalentKind.CADRE,
                     TalentKind.AUDITOR, TalentKind.CADRE][:extra]:
            pool.person(kind=kind)
        county = Pool(self, self.county, self.office)  # the demo county's units, for the ties across
        for p in rng.sample(pool.people, k=min(len(pool.people), 5)):
            roll = rng.random()
            if roll < 0.4:
                unit = county.managed()
                start = datetime.date(rng.randint(self.on.year - 15, self.on.year - 6), rng.randint(1, 12), 1)
                p.periods.append(county.period(unit, str(unit), rng.choice(["副股长", "股长", "党政办副主任"]), start,
                                               start + datetime.timedelta(days=rng.randint(900, 2000)), keep=True))
            elif roll < 0.7 and county.by_kind[UnitKind.VILLAGE]:
                village = rng.choice(county.by_kind[UnitKind.VILLAGE])
                p.row.home_township_id, p.row.home_village_id = village.parent_id, village.pk
            else:
                p.relatives.append(pool.relative_row(p, rng.choice(["哥哥", "姐姐", "父亲"]), unit=county.managed()))
        pool.leaders_and_availability(leads, share=leaders)
        return pool

    @staticmethod
    def _current_leaders(committee: Committee) -> set[int]:
        """Leaders of the groups of rounds under way or in preparation: they are in the 组长库."""
        return set(GroupMembership.objects.filter(
            role=GroupRole.LEADER, group__round__committee=committee,
            group__inspections__stage__in=[Stage.PREPARE, Stage.FIELDWORK]).values_list("user_id", flat=True))

    # --- 考评 ---
    def _assessments(self, pools: dict[int, Pool]) -> list[tuple[Person, Row]]:
        """The group leader's and the office's assessment of each member of a group whose inspections are all past
        feedback; the office's latest recommendation sets the person's standing."""
        rng, on = self.rng, self.on
        talent_of = {p.row.account_id: p for pool in pools.values() for p in pool.people if p.row.account_id}
        finished = list(InspectionGroup.objects.filter(round__committee_id__in=list(pools), inspections__isnull=False)
                        .exclude(inspections__stage__in=[s for s in Stage.values if s not in PAST])
                        .distinct().order_by("id").values_list("pk", "round__committee_id"))
        groups = [pk for pk, _c in finished]
        feedback: dict[int, datetime.date] = {}
        for group_id, day in (Inspection.objects.filter(group_id__in=groups).order_by("feedback_on", "id")
                              .values_list("group_id", "feedback_on")):
            if day:
                feedback[group_id] = day  # the group's last feedback
        memberships = defaultdict(list)
        for m in GroupMembership.objects.filter(group_id__in=groups).order_by("group_id", "id"):
            memberships[m.group_id].append(m)
        out: list[tuple[Person, Row]] = []
        latest: dict[int, tuple[datetime.date, Person, Row]] = {}
        for group_id, committee_id in finished:
            day = feedback.get(group_id)
            if day is None or (on - day).days < 30:
                continue  # fed back lately: left for the office to assess
            members = memberships[group_id]
            leader = next((m.user_id for m in members if m.role == GroupRole.LEADER), None)
            office = pools[committee_id].office
            for m in members:
                p = talent_of.get(m.user_id)
                if p is None:
                    continue
                grade = rng.choices([Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC], weights=[28, 68, 4])[0]
                if m.role != GroupRole.LEADER and leader is not None:
                    out.append((p, Row(group_id=group_id, assessor_role=AssessorRole.GROUP_LEADER, assessor_id=leader,
                                       grade=grade, recommendation=self._recommend(grade),
                                       comments=rng.choice(LEADER_COMMENTS[grade]),
                                       assessed_on=min(on, day + datetime.timedelta(days=rng.randint(2, 10))))))
                office_grade = grade if rng.random() < 0.85 else rng.choice([Grade.EXCELLENT, Grade.COMPETENT])
                assessed_on = min(on, day + datetime.timedelta(days=rng.randint(12, 25)))
                row = Row(group_id=group_id, assessor_role=AssessorRole.OFFICE, assessor_id=office.pk if office else None,
                          grade=office_grade, recommendation=self._recommend(office_grade),
                          comments=rng.choice(OFFICE_COMMENTS[office_grade]), assessed_on=assessed_on)
                out.append((p, row))
                key = id(p)
                if key not in latest or latest[key][0] <= assessed_on:
                    latest[key] = (assessed_on, p, row)
        self._standing_examples(out, latest)
        for _day, p, row in latest.values():
            p.row.standing = RECOMMENDATION_STANDING[row.recommendation]
        return out

    def _recommend(self, grade: str) -> str:
        if grade == Grade.EXCELLENT:
            return Recommendation.RECOMMEND if self.rng.random() < 0.7 else Recommendation.KEEP
        return {Grade.COMPETENT: Recommendation.KEEP, Grade.BASIC: Recommendation.REMIND,
                Grade.INCOMPETENT: Recommendation.REMOVE}[grade]

    def _standing_examples(self, out: list[tuple[Person, Row]], latest: dict) -> None:
        """In the county, exactly three removed and five reminded, among people not serving now, by their latest
        office assessment (and the group leader's on the same group)."""
        rng = self.rng
        county = sorted((v for v in latest.values() if v[1].row.committee_id == self.county.pk),
                        key=lambda v: v[1].row.account_id)
        for _day, _p, row in county:
            if row.recommendation in (Recommendation.REMIND, Recommendation.REMOVE):
                row.grade, row.recommendation = Grade.COMPETENT, Recommendation.KEEP
                row.comments = rng.choice(OFFICE_COMMENTS[Grade.COMPETENT])
        candidates = [v for v in county if v[1].row.account_id not in self.serving]
        rng.shuffle(candidates)
        for i, (_day, p, row) in enumerate(candidates[:8]):
            grade = Grade.INCOMPETENT if i < 3 else Grade.BASIC
            row.grade, row.recommendation = grade, self._recommend(grade)
            row.comments = OFFICE_COMMENTS[grade][i % len(OFFICE_COMMENTS[grade])]
            for q, other in out:
                if q is p and other.group_id == row.group_id and other.assessor_role == AssessorRole.GROUP_LEADER:
                    other.grade, other.recommendation = grade, self._recommend(grade)
                    other.comments = LEADER_COMMENTS[grade][i % len(LEADER_COMMENTS[grade])]

    # --- draws ---
    def _draws(self, inspection: Inspection | None, unit: Unit | None, waiting) -> int:
        """Through the services, as the office would: commit, then draw before the witnesses; and one committed
        draw left for the user to make."""
        if inspection is None or unit is None:
            return 0
        rng, office = self.rng, self.office
        draw = pool_services.draw_commit(actor=office, unit=unit, inspection=inspection)
        words = WITNESS_WORDS.format(a=names.person_name(rng), b=names.person_name(rng), n=rng.randint(10, 99))
        pool_services.draw_run(actor=office, draw=draw, witness_words=words, expected_version=draw.version)
        if waiting is None:
            return 1
        pool_services.draw_commit(actor=office, unit=waiting[1], inspection=waiting[0],
                                  constraints={"size": 6, "work_years": 10})
        return 2


def tell_pool_story(*, county: Committee, office: User) -> dict:
    return PoolStory(county, office).run()
