"""The deterministic demo: 江北省 → 澜州市 → 青峪县 (plus two sibling counties), or a whole province.

Everything is drawn from random.Random seeded with a fixed value per committee, and every date is
placed relative to `xuncha.core.dates.today()`, so the demo always has a round in 进驻, one in
准备, tasks overdue and tasks due this week, whatever day it is built; the same day gives the
same data.

Rows are written with bulk_create (the services would take minutes for ~30k rows), but each row
satisfies what the services enforce: a problem's status follows its tasks, fed-back problems carry
fed_back_on, a clue's disposal and disposal date go together, an inspection carries the dates of
the stages it has passed and one StageChange per move. One AuditEvent per object kind records the
build (action "demo.build").
"""

from __future__ import annotations

import datetime
import json
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from xuncha.core.audit import audit_record
from xuncha.core.dates import add_months, today
from xuncha.demo import names, texts
from xuncha.findings.models import Clue, Problem, ProblemStatus, Suggestion
from xuncha.groupwork.pledge import pledge_text
from xuncha.org.models import Cadre, Committee, ReceivingOrgan, Role, Unit, UnitKind, User
from xuncha.rectification.models import (
    FeedbackForm,
    FeedbackMeeting,
    PlanStatus,
    ProgressNote,
    RectificationPlan,
    RectificationReport,
    Task,
    TaskKind,
    TaskStatus,
)
from xuncha.rounds.models import (
    STAGE_ORDER,
    BranchRole,
    GroupMembership,
    GroupRole,
    Inspection,
    InspectionGroup,
    Round,
    Stage,
    StageChange,
    TermPlan,
)

SEED = 20221101
DEMO_PASSWORD = "xuncha-demo"
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("admin", "系统管理员：全部数据、账号管理"),
    ("leader", "青峪县委巡察工作领导小组：审定名单、听取汇报、看全县数据"),
    ("office", "青峪县委巡察办：计划、组队、进度、整改对账销号、统计"),
    ("inspector", "青峪县委第一巡察组组长：本轮巡察正在进驻"),
    ("inspector2", "青峪县委下一轮第一巡察组组长：尚未签署保密承诺，签署前看不到本组任何资料"),
    ("unit", "青峪县医疗保障局整改联络员：整改中，有逾期、本周到期和待核验的任务"),
    ("receiver", "青峪县纪委监委案件监督管理室：接收并处置问题线索"),
    ("city", "澜州市委巡察办：看全市各县汇总（上下联动）"),
    ("province", "江北省委巡视办：看全省汇总"),
]
DEMO_UNIT_SUFFIX = "医疗保障局"

# Round kinds as the profiles name them: (RoundKind value, topic).
ROUND_KINDS = {
    "regular": ("regular", ""),
    "special_rural": ("special", texts.ROUND_TOPICS["special_rural"]),
    "special_business": ("special", texts.ROUND_TOPICS["special_business"]),
    "special_medical": ("special", texts.ROUND_TOPICS["special_medical"]),
    "village": ("village", ""),
    "look_back": ("look_back", ""),
    "mobile": ("mobile", texts.ROUND_TOPICS["mobile"]),
}
# Days stationed, by round kind (regular rounds 35–62 days, a village 回头看 about 20).
FIELDWORK_DAYS = {"regular": (35, 55), "special": (30, 45), "village": (22, 35), "mobile": (15, 25),
                  "look_back": (18, 25)}
PROBLEM_WEIGHT = {UnitKind.DEPARTMENT: 3.0, UnitKind.STATE_ENTERPRISE: 3.0, UnitKind.PUBLIC_INSTITUTION: 2.5,
                  UnitKind.TOWNSHIP: 3.0, UnitKind.VILLAGE: 1.2}
LEVEL_WORD = {"county": "县", "city": "市", "province": "省"}


@dataclass(frozen=True)
class Profile:
    level: str
    departments: tuple[str, ...]
    enterprises: tuple[str, ...]
    institutions: tuple[str, ...]
    townships: int
    villages_per_township: tuple[int, int]
    finished: tuple[str, ...]  # finished rounds, oldest first (they take the most recent schedule slots)
    fieldwork: str | None
    prepare: str | None
    problems: tuple[int, int]
    pool: int
    coverage: tuple[float, float]


FULL_COUNTY = Profile(
    "county", tuple(names.COUNTY_DEPARTMENTS), tuple(names.COUNTY_STATE_ENTERPRISES),
    tuple(names.COUNTY_INSTITUTIONS), 12, (10, 15),
    ("regular", "special_rural", "village", "regular", "special_business", "look_back", "mobile", "special_medical"),
    "regular", "village", (120, 320), 80, (0.86, 0.91),
)
LIGHT_COUNTY = Profile(
    "county", tuple(names.COUNTY_DEPARTMENTS[:22]), tuple(names.COUNTY_STATE_ENTERPRISES[:2]),
    tuple(names.COUNTY_INSTITUTIONS[:2]), 4, (6, 9), ("regular", "special_rural"), None, None, (50, 110), 24,
    (0.35, 0.5),
)
CITY = Profile(
    "city", tuple(names.CITY_DEPARTMENTS), tuple(names.CITY_STATE_ENTERPRISES), tuple(names.CITY_INSTITUTIONS),
    0, (0, 0), ("regular", "special_business"), None, None, (80, 160), 24, (0.35, 0.5),
)
PROVINCE = Profile(
    "province", tuple(names.PROVINCE_DEPARTMENTS), tuple(names.PROVINCE_STATE_ENTERPRISES),
    tuple(names.PROVINCE_INSTITUTIONS), 0, (0, 0), ("regular", "special_business", "regular", "special_medical"),
    "regular", None, (150, 300), 48, (0.7, 0.8),
)


# --- public entry points ---------------------------------------------------------------------------

def demo_is_built() -> bool:
    return (Committee.objects.filter(name=names.DEMO_COUNTY[0]).exists()
            and User.objects.filter(username="office").exists())


def build_demo(scale: str = "county", reset: bool = False) -> str:
    """Build the demo tree and return a short summary. scale: "county" or "province"."""
    if scale not in ("county", "province"):
        raise ValueError(f"unknown demo scale {scale!r}")
    started = time.monotonic()
    on = today()
    with transaction.atomic():
        if reset:
            wipe_domain_data()
        elif User.objects.filter(username__in=[u for u, _d in DEMO_ACCOUNTS]).exists():
            raise RuntimeError("The database already holds demo accounts; rebuild with reset=True (--reset).")
        ctx = Context(on=on, scale=scale, password_hash=make_password(DEMO_PASSWORD))
        root = _build_tree(ctx)
        ctx.writer.finish()
        ctx.writer.audit(root=root, scale=scale, on=on)
        if scale == "county" and ctx.demo_county is not None and "office" in ctx.fixed_users:
            from xuncha.demo.rectification_story import tell_rectification_story

            ctx.story = tell_rectification_story(county=ctx.demo_county, office=ctx.fixed_users["office"],
                                                 unit_user=ctx.fixed_users.get("unit"))
            from xuncha.demo.fieldwork_story import tell_fieldwork_story

            ctx.story.update(tell_fieldwork_story(county=ctx.demo_county, office=ctx.fixed_users["office"],
                                                  inspector=ctx.fixed_users.get("inspector")))
            from xuncha.demo.survey_story import tell_survey_story

            ctx.story.update(tell_survey_story(county=ctx.demo_county, office=ctx.fixed_users["office"]))
            from xuncha.demo.triage_story import tell_triage_story

            ctx.story.update(tell_triage_story(county=ctx.demo_county, office=ctx.fixed_users["office"],
                                               inspector=ctx.fixed_users.get("inspector")))
            from xuncha.demo.groupwork_story import tell_groupwork_story
            from xuncha.demo.pool_story import tell_pool_story

            ctx.story.update(tell_groupwork_story(county=ctx.demo_county, office=ctx.fixed_users["office"],
                                                  inspector=ctx.fixed_users.get("inspector")))
            ctx.story.update(tell_pool_story(county=ctx.demo_county, office=ctx.fixed_users["office"]))
    return _summary(ctx, time.monotonic() - started)


def wipe_domain_data() -> None:
    """Delete every row of the platform's own tables, children before parents.

    Raw DELETE statements, for two reasons: the audit trail refuses deletion through the ORM (its
    queryset and model raise PermissionError, as an append-only trail should — a reset of the demo
    database is the one place where it is emptied, deliberately), and a province-scale database has
    about a million rows, which the ORM's cascade collector would load into memory first.
    """
    ordered = _models_children_first()
    with connection.cursor() as cursor:
        for model in ordered:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _models_children_first() -> list[type[models.Model]]:
    ours = [m for m in apps.get_models(include_auto_created=True)
            if m._meta.app_config.name.startswith("xuncha.") and not m._meta.proxy and m._meta.managed]
    depends: dict[type[models.Model], set[type[models.Model]]] = {m: set() for m in ours}
    for model in ours:
        for f in model._meta.concrete_fields:
            target = getattr(f.remote_field, "model", None) if f.is_relation else None
            if target is not None and target in depends and target is not model:
                depends[target].add(model)  # `model` rows must go before `target` rows
    ordered: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()

    def visit(model, trail=()):
        if model in done or model in trail:
            return
        for child in sorted(depends[model], key=lambda m: m._meta.label):
            visit(child, (*trail, model))
        done.add(model)
        ordered.append(model)

    for model in sorted(ours, key=lambda m: m._meta.label):
        visit(model)
    return ordered


# --- machinery --------------------------------------------------------------------------------------

class Row(dict):
    """One row for Writer.insert: a dict of column values (by attname) read like an object."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value) -> None:
        self[name] = value


def _same(value):
    return value


class Writer:
    """Writes rows in bulk, counting them and remembering the first of each kind for the audit event.

    `save` is bulk_create. `insert` is the fast path for the large tables (problems, tasks, notes …):
    ids are given here, values go straight to executemany (COPY on PostgreSQL), without Django's per-field machinery,
    which would spend most of a province build preparing values. Only date and datetime values need
    adapting (SQLite stores them as text in UTC). PostgreSQL's sequences are moved past the ids
    given here by `finish`.
    """

    def __init__(self) -> None:
        self.counts: dict[type[models.Model], int] = defaultdict(int)
        self.first: dict[type[models.Model], models.Model] = {}
        self._next_id: dict[type[models.Model], int] = {}
        self._statements: dict[type[models.Model], tuple[str, list]] = {}

    def save(self, model: type[models.Model], objs: list) -> list:
        if not objs:
            return objs
        created = model.objects.bulk_create(objs, batch_size=2000)
        self.counts[model] += len(created)
        self.first.setdefault(model, created[0])
        return created

    def insert(self, model: type[models.Model], rows: list[Row]) -> list[Row]:
        """Insert Rows (attname → value; fields left out take the model's defaults) and give them ids."""
        if not rows:
            return rows
        if model not in self._next_id:
            self._next_id[model] = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
            self._statements[model] = self._statement(model)
        sql, columns = self._statements[model]
        start = self._next_id[model]
        for offset, row in enumerate(rows):
            row["id"] = start + offset
        self._next_id[model] = start + len(rows)
        values = [tuple(adapt(row[a]) if a in row else default for a, adapt, default in columns) for row in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is several times faster than executemany on PostgreSQL (psycopg 3).
                with cursor.cursor.copy(sql) as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                for i in range(0, len(values), 5000):
                    cursor.executemany(sql, values[i: i + 5000])
        self.counts[model] += len(rows)
        if model not in self.first:
            first = model(**{a: rows[0].get(a, default) for a, _adapt, default in columns})
            first._state.adding = False
            self.first[model] = first
        return rows

    @staticmethod
    def _statement(model: type[models.Model]) -> tuple[str, list]:
        ops, qn = connection.ops, connection.ops.quote_name
        fields = model._meta.concrete_fields
        columns = []
        for f in fields:
            internal = f.get_internal_type()
            adapt = (ops.adapt_datetimefield_value if internal == "DateTimeField"
                     else ops.adapt_datefield_value if internal == "DateField"
                     else json.dumps if internal == "JSONField" else _same)
            # get_default() also gives "" for blank text fields without an explicit default (NOT NULL columns).
            default = None if f.primary_key else f.get_default()
            if internal == "JSONField" and default is not None:
                default = json.dumps(default)
            columns.append((f.attname, adapt, default))
        target = f"{qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
        if connection.vendor == "postgresql":
            return f"COPY {target} FROM STDIN", columns
        return f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(fields))})", columns

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids `insert` gave (SQLite's AUTOINCREMENT follows by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_id))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def audit(self, *, root: Committee, scale: str, on: datetime.date) -> None:
        for model, count in self.counts.items():
            obj, kind = self.first[model], model._meta.label_lower
            audit_record(actor=None, action="demo.build", obj=obj, committee_path=root.path,
                         after={"kind": kind, "count": count, "scale": scale, "seed": SEED, "today": on})


@dataclass
class Context:
    on: datetime.date
    scale: str
    password_hash: str
    writer: Writer = field(default_factory=Writer)
    tz: datetime.tzinfo = field(default_factory=timezone.get_current_timezone)
    fixed_users: dict[str, User] = field(default_factory=dict)
    demo_county: Committee | None = None
    story: dict = field(default_factory=dict)

    def at(self, day: datetime.date, rng: random.Random | None = None) -> datetime.datetime:
        hour, minute = (rng.randint(8, 17), rng.randint(0, 59)) if rng else (10, 0)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def account(self, username: str, role: str, display_name: str, *, committee=None, unit=None, organ=None,
                is_staff: bool = False) -> User:
        return User(username=username, role=role, display_name=display_name, committee=committee, unit=unit,
                    organ=organ, is_staff=is_staff, is_superuser=(role == Role.ADMIN), password=self.password_hash)


def _plan_years(on: datetime.date) -> tuple[int, int]:
    if on.year <= 2026:
        return min(2022, on.year - 1), 2026
    return on.year - 4, on.year


# --- the tree -----------------------------------------------------------------------------------------

def _committee(ctx: Context, name: str, region: str, level: str, parent: Committee | None) -> Committee:
    committee = Committee.objects.create(name=name, region=region, level=level, parent=parent, path="")
    committee.path = f"{parent.path if parent else '/'}{committee.pk}/"
    committee.save(update_fields=["path"])
    ctx.writer.counts[Committee] += 1
    ctx.writer.first.setdefault(Committee, committee)
    return committee


def _build_tree(ctx: Context) -> Committee:
    province = _committee(ctx, *names.PROVINCE, "province", None)
    city = _committee(ctx, *names.DEMO_CITY, "city", province)
    county = _committee(ctx, *names.DEMO_COUNTY, "county", city)
    ctx.demo_county = county
    admin = ctx.account("admin", Role.ADMIN, "系统管理员", is_staff=True)
    ctx.writer.save(User, [admin])
    ctx.fixed_users["admin"] = admin

    if ctx.scale == "county":
        CommitteeBuild(ctx, county, FULL_COUNTY, "qy", demo=True).run()
        for (name, region), code in zip(names.SIBLING_COUNTIES, ("wc", "wx"), strict=True):
            sibling = _committee(ctx, name, region, "county", city)
            CommitteeBuild(ctx, sibling, LIGHT_COUNTY, code).run()
        CommitteeBuild(ctx, city, CITY, "lz", office_username="city").run()
        CommitteeBuild(ctx, province, None, "jb", office_username="province").run()
        return province

    # Province scale: 14 cities, about 100 counties, each with a county-sized set of units and rounds.
    rng = random.Random(f"{SEED}:province")
    taken = [names.DEMO_COUNTY[1], *(r for _n, r in names.SIBLING_COUNTIES)]
    per_city = [7] * 12 + [8] * 2
    CommitteeBuild(ctx, county, FULL_COUNTY, "qy", demo=True).run()
    for (name, region), code in zip(names.SIBLING_COUNTIES, ("wc", "wx"), strict=True):
        CommitteeBuild(ctx, _committee(ctx, name, region, "county", city), FULL_COUNTY, code).run()
    regions = names.county_regions(rng, sum(per_city) - 3, taken)
    for region in regions[: per_city[0] - 3]:
        code = f"k{len(taken):03d}"
        taken.append(region)
        CommitteeBuild(ctx, _committee(ctx, f"中共{region}委", region, "county", city), FULL_COUNTY, code).run()
    CommitteeBuild(ctx, city, CITY, "lz", office_username="city").run()
    cursor = per_city[0] - 3
    for index, city_region in enumerate(names.CITY_REGIONS):
        other = _committee(ctx, f"中共{city_region}委", city_region, "city", province)
        for region in regions[cursor: cursor + per_city[index + 1]]:
            code = f"k{len(taken):03d}"
            taken.append(region)
            CommitteeBuild(ctx, _committee(ctx, f"中共{region}委", region, "county", other), FULL_COUNTY,
                           code).run()
        cursor += per_city[index + 1]
        CommitteeBuild(ctx, other, CITY, f"s{index:02d}").run()
    CommitteeBuild(ctx, province, PROVINCE, "jb", office_username="province").run()
    return province


# --- one committee -------------------------------------------------------------------------------------

@dataclass
class UnitRec:
    obj: Unit
    kind: str
    township: UnitRec | None = None
    villages: list[UnitRec] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)
    liaison: User | None = None


@dataclass
class InspectionPlan:
    units: list[UnitRec]
    group_index: int = 0
    obj: Inspection | None = None
    dates: dict[str, datetime.date | None] = field(default_factory=dict)
    stage: str = Stage.PREPARE


@dataclass
class RoundPlan:
    key: str
    state: str  # finished / fieldwork / prepare
    entry: datetime.date
    units: list[UnitRec] = field(default_factory=list)
    inspections: list[InspectionPlan] = field(default_factory=list)
    obj: Round | None = None
    groups: list[InspectionGroup] = field(default_factory=list)
    members: list[list[User]] = field(default_factory=list)
    n_groups: int = 0


@dataclass
class TaskPlan:
    problem: Row
    unit: UnitRec
    kind: str
    deadline: datetime.date | None
    created: datetime.date
    done: datetime.date | None
    status: str = TaskStatus.OPEN
    progress: list[datetime.date] = field(default_factory=list)
    submitted: datetime.date | None = None
    measure: str = ""
    leader: str = ""
    department: str = ""
    person: str = ""
    stage: str = Stage.RECTIFY


class CommitteeBuild:
    def __init__(self, ctx: Context, committee: Committee, profile: Profile | None, code: str, *,
                 demo: bool = False, office_username: str | None = None):
        self.ctx, self.committee, self.profile, self.code, self.demo = ctx, committee, profile, code, demo
        self.on = ctx.on
        self.rng = random.Random(f"{SEED}:{code}")
        self.office_username = office_username or ("office" if demo else f"{code}_office")
        self.level_word = LEVEL_WORD[committee.level]
        self.units: list[UnitRec] = []
        self.organs: dict[str, ReceivingOrgan] = {}
        self.pool: list[User] = []

    # The order of the phases is the order of the foreign keys.
    def run(self) -> None:
        self._organs()
        self._office_accounts()
        if self.profile is None:
            return
        self._units()
        self._cadres()
        self._pool()
        rounds = self._schedule()
        plan = self._plan(rounds)
        self._allocate(rounds)
        self._liaisons(rounds)
        self._rounds(rounds, plan)
        self._findings(rounds)

    # --- organs and accounts ---
    def _organs(self) -> None:
        region = self.committee.region
        lw = self.level_word
        rows = [
            ReceivingOrgan(committee=self.committee, kind="discipline", name=f"{region}纪委监委案件监督管理室"),
            ReceivingOrgan(committee=self.committee, kind="police", name=f"{region}公安局"),
            ReceivingOrgan(committee=self.committee, kind="organisation", name=f"中共{region}委组织部"),
            ReceivingOrgan(committee=self.committee, kind="audit", name=f"{region}审计{'厅' if lw == '省' else '局'}"),
        ]
        for organ in self.ctx.writer.save(ReceivingOrgan, rows):
            self.organs[organ.kind] = organ

    def _office_accounts(self) -> None:
        ctx = self.ctx
        accounts = [ctx.account(self.office_username, Role.OFFICE, _office_display(self), committee=self.committee)]
        if self.demo:
            accounts += [
                ctx.account("leader", Role.LEADER, "周卫东", committee=self.committee),
                ctx.account("receiver", Role.RECEIVER, "何志远", committee=self.committee,
                            organ=self.organs["discipline"]),
            ]
        saved = ctx.writer.save(User, accounts)
        self.office = saved[0]
        for user in saved:
            if user.username in dict(DEMO_ACCOUNTS):
                ctx.fixed_users[user.username] = user

    def _pool(self) -> None:
        """巡察人才库: the inspector accounts groups are drawn from."""
        ctx, rng = self.ctx, self.rng
        users = []
        for n in range(1, self.profile.pool + 1):
            if self.demo and n == 1:
                users.append(ctx.account("inspector", Role.INSPECTOR, "刘建军", committee=self.committee))
            else:
                users.append(ctx.account(f"{self.code}_xc{n:03d}", Role.INSPECTOR, names.person_name(rng),
                                         committee=self.committee))
        self.pool = ctx.writer.save(User, users)
        if self.demo:
            ctx.fixed_users["inspector"] = self.pool[0]

    # --- units and their leadership ---
    def _units(self) -> None:
        p, rng, region = self.profile, self.rng, self.committee.region
        rows: list[tuple[str, str]] = []
        rows += [(names.localise(n, region), UnitKind.DEPARTMENT) for n in p.departments]
        rows += [(names.localise(n, region), UnitKind.STATE_ENTERPRISE) for n in p.enterprises]
        rows += [(names.localise(n, region), UnitKind.PUBLIC_INSTITUTION) for n in p.institutions]
        towns = (list(names.DEMO_TOWNSHIPS[: p.townships]) if self.demo
                 else names.township_names(rng, p.townships)) if p.townships else []
        rows += [(t, UnitKind.TOWNSHIP) for t in towns]
        objs = [Unit(committee=self.committee, name=name, kind=kind, code=f"{self.code.upper()}{i + 1:03d}",
                     address=f"{region}{_street(rng)}") for i, (name, kind) in enumerate(rows)]
        top = [UnitRec(obj=u, kind=u.kind) for u in self.ctx.writer.save(Unit, objs)]
        villages: list[UnitRec] = []
        village_objs: list[Unit] = []
        serial = len(objs)
        for rec in top:
            if rec.kind != UnitKind.TOWNSHIP:
                continue
            count = rng.randint(*p.villages_per_township)
            for name in names.village_names(rng, rec.obj.name, count):
                serial += 1
                obj = Unit(committee=self.committee, name=name, kind=UnitKind.VILLAGE, parent=rec.obj,
                           code=f"{self.code.upper()}{serial:03d}", address=f"{region}{rec.obj.name}{name}")
                village = UnitRec(obj=obj, kind=UnitKind.VILLAGE, township=rec)
                rec.villages.append(village)
                villages.append(village)
                village_objs.append(obj)
        self.ctx.writer.save(Unit, village_objs)
        self.units = top + villages

    def _cadres(self) -> None:
        rng = self.rng
        rows: list[Cadre] = []
        for rec in self.units:
            name, kind = rec.obj.name, rec.kind
            principal = Row(unit_id=rec.obj.pk, name=names.person_name(rng), position=names.head_title(name, kind),
                              is_principal=True, manages_people_money_assets=True, since=_since(rng, self.on))
            others = {
                UnitKind.VILLAGE: names.VILLAGE_POSITIONS, UnitKind.TOWNSHIP: names.TOWNSHIP_POSITIONS,
                UnitKind.STATE_ENTERPRISE: names.SOE_POSITIONS, UnitKind.PUBLIC_INSTITUTION: names.INSTITUTION_POSITIONS,
            }.get(kind, names.DEPARTMENT_POSITIONS)
            head = (names.township_head(name) if kind == UnitKind.TOWNSHIP
                    else names.department_head(name) if kind == UnitKind.DEPARTMENT
                    else names.head_title(name, kind).split("、")[-1])
            chosen = rng.sample(others, k=min(len(others), rng.randint(2, 4)))
            rec.cadres = [principal] + [
                Row(unit_id=rec.obj.pk, name=names.person_name(rng), position=pos.format(head=head),
                      manages_people_money_assets=money, since=_since(rng, self.on)) for pos, money in chosen
            ]
            rows += rec.cadres
        self.ctx.writer.insert(Cadre, rows)

    # --- plan and schedule ---
    def _plan(self, rounds: list[RoundPlan]) -> TermPlan:
        start, end = _plan_years(self.on)
        start = min([start] + [r.entry.year for r in rounds])
        plan = TermPlan(committee=self.committee, title=f"{self.committee.name}{start}—{end}年巡察工作规划",
                        start_year=start, end_year=end, coverage_target=100,
                        notes="坚持有形覆盖与有效覆盖相统一，届内实现巡察全覆盖，对村（社区）巡察全覆盖。")
        return self.ctx.writer.save(TermPlan, [plan])[0]

    def _schedule(self) -> list[RoundPlan]:
        """Eight slots across the term for finished rounds, then one in 进驻 now and one in 准备."""
        rng, on, p = self.rng, self.on, self.profile
        last_kind = ROUND_KINDS[p.finished[-1]][0]
        last_fieldwork = sum(FIELDWORK_DAYS[last_kind]) // 2
        last_entry = on - datetime.timedelta(days=50 + 14 + 20 + last_fieldwork)
        first_entry = datetime.date(_plan_years(on)[0], 3, 15)
        if (last_entry - first_entry).days < 7 * 40:
            first_entry = last_entry - datetime.timedelta(days=7 * 40)
        spacing = (last_entry - first_entry).days / 7
        slots = [first_entry + datetime.timedelta(days=round(i * spacing)) for i in range(8)]
        slots = [d + datetime.timedelta(days=rng.randint(-12, 12)) if i < 7 else d for i, d in enumerate(slots)]
        rounds = [RoundPlan(key, "finished", slots[8 - len(p.finished) + i]) for i, key in enumerate(p.finished)]
        if p.fieldwork:
            rounds.append(RoundPlan(p.fieldwork, "fieldwork", on - datetime.timedelta(days=rng.randint(15, 24))))
        if p.prepare:
            rounds.append(RoundPlan(p.prepare, "prepare", on + datetime.timedelta(days=rng.randint(12, 16))))
        return rounds

    # --- which units each round inspects (coverage of the term) ---
    def _allocate(self, rounds: list[RoundPlan]) -> None:
        rng, p = self.rng, self.profile
        units = self.units
        target = rng.uniform(*p.coverage)
        uncovered_n = len(units) - round(len(units) * target)
        topic_names = [s for key in p.finished + ((p.fieldwork,) if p.fieldwork else ())
                       for s in names.TOPIC_UNITS.get(ROUND_KINDS[key][1], [])]
        protected = {id(u) for u in units if any(u.obj.name.endswith(s) for s in topic_names)
                     or u.kind in (UnitKind.TOWNSHIP, UnitKind.STATE_ENTERPRISE)}
        villages = [u for u in units if u.kind == UnitKind.VILLAGE]
        others = [u for u in units if u.kind != UnitKind.VILLAGE and id(u) not in protected]
        rng.shuffle(villages)
        rng.shuffle(others)
        n_villages = min(len(villages), round(uncovered_n * (0.85 if villages else 0)))
        uncovered = villages[:n_villages] + others[: max(0, uncovered_n - n_villages)]
        uncovered_ids = {id(u) for u in uncovered}
        to_cover = [u for u in units if id(u) not in uncovered_ids]

        covering = [r for r in rounds if r.state != "prepare" and r.key != "look_back"]
        assigned: set[int] = set()

        def give(r: RoundPlan, u: UnitRec) -> None:
            r.units.append(u)
            assigned.add(id(u))

        # Special rounds take the units of their topic.
        for r in covering:
            topic = ROUND_KINDS[r.key][1]
            for u in to_cover:
                if id(u) not in assigned and any(u.obj.name.endswith(s) for s in names.TOPIC_UNITS.get(topic, [])):
                    give(r, u)
        # Townships go to regular and rural rounds, each with one to three of its villages.
        town_rounds = [r for r in covering if r.key in ("regular", "special_rural")] or covering
        townships = [u for u in to_cover if u.kind == UnitKind.TOWNSHIP]
        rng.shuffle(townships)
        for i, town in enumerate(townships):
            r = town_rounds[i % len(town_rounds)]
            give(r, town)
            own = [v for v in town.villages if id(v) not in uncovered_ids and id(v) not in assigned]
            for v in own[: rng.randint(1, 3)]:
                give(r, v)
        # Villages left go to village rounds (in batches by township), else with their township's round.
        village_rounds = [r for r in covering if r.key == "village"]
        rest = [u for u in to_cover if u.kind == UnitKind.VILLAGE and id(u) not in assigned]
        rest.sort(key=lambda v: (v.township.obj.pk, v.obj.pk))
        order = {id(u): i for i, u in enumerate(units)}  # positions, not ids: ids change from build to build
        for v in rest:
            home = next((r for r in covering if v.township in r.units), None)
            if village_rounds and (home is None or rng.random() < 0.6):
                give(village_rounds[order[id(v.township)] % len(village_rounds)], v)
            else:
                give(home or covering[-1], v)
        # Departments, enterprises and institutions: spread over regular and mobile rounds.
        general = [r for r in covering if r.key in ("regular", "mobile")] or covering
        remaining = [u for u in to_cover if id(u) not in assigned]
        rng.shuffle(remaining)
        mobile = [r for r in general if r.key == "mobile"]
        for r in mobile:
            for u in remaining[: rng.randint(4, 6)]:
                give(r, u)
        remaining = [u for u in remaining if id(u) not in assigned]
        bigger = [r for r in general if r.key != "mobile"] or general
        for u in remaining:
            min(bigger, key=lambda r: len(r.units)).units.append(u)
            assigned.add(id(u))
        # A 回头看 re-inspects units of the earliest rounds; the round in preparation takes the next batch.
        for r in rounds:
            if r.key == "look_back":
                earlier = [u for q in rounds[:3] for u in q.units if u.kind != UnitKind.VILLAGE]
                r.units = rng.sample(earlier, k=min(len(earlier), rng.randint(6, 9)))
            if r.state == "prepare":
                pending = sorted((u for u in uncovered if u.kind == UnitKind.VILLAGE),
                                 key=lambda v: (v.township.obj.pk, v.obj.pk))
                r.units = pending[: min(len(pending), 16)] or uncovered[:4]
        for r in rounds:
            r.inspections = self._form_inspections(r)

    def _form_inspections(self, r: RoundPlan) -> list[InspectionPlan]:
        """A township with up to three of its villages; villages by township in twos to fours; others alone."""
        rng = self.rng
        pending = list(r.units)
        plans: list[InspectionPlan] = []
        towns = [u for u in pending if u.kind == UnitKind.TOWNSHIP]
        villages = [u for u in pending if u.kind == UnitKind.VILLAGE]
        for town in towns:
            own = [v for v in villages if v.township is town][:3]
            for v in own:
                villages.remove(v)
            plans.append(InspectionPlan([town, *own]))
        by_town: dict[int, list[UnitRec]] = defaultdict(list)
        for v in villages:
            by_town[v.township.obj.pk].append(v)
        for _pk, group in sorted(by_town.items()):
            while group:
                size = rng.randint(2, 4)
                plans.append(InspectionPlan(group[:size]))
                group = group[size:]
        singles = [u for u in pending if u.kind not in (UnitKind.TOWNSHIP, UnitKind.VILLAGE)]
        while singles:
            unit = singles.pop(0)
            if (singles and unit.kind == UnitKind.DEPARTMENT and singles[0].kind == UnitKind.DEPARTMENT
                    and rng.random() < 0.15 and not unit.obj.name.endswith(DEMO_UNIT_SUFFIX)
                    and not singles[0].obj.name.endswith(DEMO_UNIT_SUFFIX)):
                plans.append(InspectionPlan([unit, singles.pop(0)]))
            else:
                plans.append(InspectionPlan([unit]))
        rng.shuffle(plans)
        return plans

    def _liaisons(self, rounds: list[RoundPlan]) -> None:
        """In the county-scale demo every inspected unit has a liaison account (整改联络员)."""
        if self.ctx.scale != "county" and not self.demo:
            return
        if self.ctx.scale == "province":
            inspected = [u for r in rounds for u in r.units if self.demo and u.obj.name.endswith(DEMO_UNIT_SUFFIX)]
        else:
            inspected = [u for r in rounds if r.state == "finished" for u in r.units]
        seen: set[int] = set()
        rows, recs = [], []
        for n, rec in enumerate(inspected, start=1):
            if rec.obj.pk in seen:
                continue
            seen.add(rec.obj.pk)
            if self.demo and rec.obj.name.endswith(DEMO_UNIT_SUFFIX):
                user = self.ctx.account("unit", Role.UNIT, "孙丽华", committee=self.committee, unit=rec.obj)
            else:
                user = self.ctx.account(f"{self.code}_ll{n:03d}", Role.UNIT, names.person_name(self.rng),
                                        committee=self.committee, unit=rec.obj)
            rows.append(user)
            recs.append(rec)
        for rec, user in zip(recs, self.ctx.writer.save(User, rows), strict=True):
            rec.liaison = user
            if user.username == "unit":
                self.ctx.fixed_users["unit"] = user

    # --- rounds, groups, inspections, stage moves ---
    def _rounds(self, rounds: list[RoundPlan], plan: TermPlan) -> None:
        rng, on, ctx = self.rng, self.on, self.ctx
        numbers: dict[int, int] = defaultdict(int)
        round_objs = []
        for r in rounds:
            r.n_groups = max(1, min(6, len(r.inspections), len(self.pool) // 5,
                                    max(3, math.ceil(len(r.inspections) / rng.choice([2, 3])))))
            kind, topic = ROUND_KINDS[r.key]
            year = min(r.entry.year, plan.end_year)
            numbers[year] += 1
            approved = r.entry - datetime.timedelta(days=rng.randint(20, 32))
            if r.state == "prepare":
                approved = on - datetime.timedelta(days=rng.randint(3, 8))
            meeting_no = rng.randint(2, 9)
            units_n = len({u.obj.pk for u in r.units})
            focus = f"，聚焦{topic}" if topic else ""
            r.obj = Round(
                committee=self.committee, plan=plan, year=year, number=numbers[year], kind=kind, topic=topic,
                approved_on=approved,
                approval_meeting=f"{self.level_word}委书记专题会议（{approved.year}年第{meeting_no}次）",
                approval_note=(f"审定{year}年第{numbers[year]}轮巡察建议名单，同意派出{r.n_groups}"
                               f"个巡察组，对{units_n}个党组织开展{texts.KIND_LABEL[kind]}巡察{focus}。"),
                approved_by=self.office,
            )
            round_objs.append(r.obj)
        ctx.writer.save(Round, round_objs)

        # Groups: 3–6 per round, 5–7 people drawn from the pool, nobody in two groups of one round.
        group_objs, member_rows = [], []
        for r in rounds:
            n_groups = r.n_groups
            for i, plan_ in enumerate(r.inspections):
                plan_.group_index = i % n_groups
            r.groups = [InspectionGroup(round=r.obj, name=texts.GROUP_NAMES[i]) for i in range(n_groups)]
            group_objs += r.groups
            drawn = rng.sample(self.pool, k=len(self.pool))
            if self.demo and r.state == "fieldwork":
                drawn.remove(self.pool[0])
                drawn.insert(0, self.pool[0])  # the `inspector` account leads 第一巡察组 in the field
            r.members = []
            for g in range(n_groups):
                size = max(1, min(rng.randint(5, 7), len(drawn) // (n_groups - g)))
                r.members.append(drawn[:size])
                drawn = drawn[size:]
        ctx.writer.save(InspectionGroup, group_objs)
        for r in rounds:
            # Members of groups formed for rounds under way or done signed the pledge on the day before entry;
            # groups still in preparation have not, so they read nothing yet.
            signed_at = (None if r.state == "prepare" else timezone.make_aware(
                datetime.datetime.combine(r.entry - datetime.timedelta(days=1), datetime.time(9, 30))))
            for group, members in zip(r.groups, r.members, strict=True):
                deputies = 2 if len(members) >= 7 and rng.random() < 0.5 else 1
                text = pledge_text(group) if signed_at else ""
                for j, user in enumerate(members):
                    role = (GroupRole.LEADER if j == 0 else GroupRole.DEPUTY if j <= deputies
                            else GroupRole.LIAISON if j == deputies + 1 else GroupRole.MEMBER)
                    branch_role = (BranchRole.SECRETARY if j == 0 else BranchRole.COMMITTEE if j <= deputies
                                   else BranchRole.MEMBER)
                    member_rows.append(Row(group_id=group.pk, user_id=user.pk, role=role, branch_role=branch_role,
                                           pledge_signed_at=signed_at, pledge_text=text))
        ctx.writer.insert(GroupMembership, member_rows)

        # Inspections with their stage dates, cut at today.
        inspection_objs, links, changes = [], [], []
        for r in rounds:
            for plan_ in r.inspections:
                self._inspection_dates(r, plan_)
                d = plan_.dates
                plan_.obj = Inspection(
                    round=r.obj, group=r.groups[plan_.group_index], stage=plan_.stage,
                    version=1 + STAGE_ORDER.index(plan_.stage),
                    **{k: d.get(k) for k in ("notice_sent_on", "entry_on", "fieldwork_ends_on", "report_heard_on",
                                             "feedback_on", "rectify_report_received_on", "follow_up_on",
                                             "archived_on")},
                )
                inspection_objs.append(plan_.obj)
        ctx.writer.save(Inspection, inspection_objs)
        through = Inspection.units.through
        moves = [(Stage.PREPARE, Stage.FIELDWORK, "entry_on"), (Stage.FIELDWORK, Stage.REPORT, "fieldwork_ends_on"),
                 (Stage.REPORT, Stage.FEEDBACK, "report_heard_on"), (Stage.FEEDBACK, Stage.RECTIFY, "feedback_on"),
                 (Stage.RECTIFY, Stage.FOLLOW_UP, "rectify_report_received_on"),
                 (Stage.FOLLOW_UP, Stage.ARCHIVED, "archived_on")]
        for r in rounds:
            for plan_ in r.inspections:
                links += [Row(inspection_id=plan_.obj.pk, unit_id=u.obj.pk) for u in plan_.units]
                reached = STAGE_ORDER.index(plan_.stage)
                for frm, to, date_field in moves:
                    if STAGE_ORDER.index(to) > reached:
                        break
                    day = plan_.dates[date_field]
                    changes.append(Row(inspection_id=plan_.obj.pk, from_stage=frm, to_stage=to, on_date=day,
                                               actor_id=self.office.pk, at=ctx.at(day, rng), note=""))
        ctx.writer.insert(through, links)
        ctx.writer.insert(StageChange, changes)

    def _inspection_dates(self, r: RoundPlan, plan_: InspectionPlan) -> None:
        """The dates of every stage this inspection has passed, by the committee's deadline rules."""
        rng, on = self.rng, self.on
        kind = ROUND_KINDS[r.key][0]
        entry = r.entry + datetime.timedelta(days=rng.randint(0, 2))
        days = rng.randint(*FIELDWORK_DAYS.get(kind, (30, 45)))
        end = entry + datetime.timedelta(days=days)
        d: dict[str, datetime.date | None] = {
            "notice_sent_on": entry - datetime.timedelta(days=rng.randint(10, 14)),
            "entry_on": entry, "fieldwork_ends_on": end,
        }
        if r.state == "prepare":
            d["notice_sent_on"] = None  # the notice is due 10 days before entry: it shows as pending
            plan_.dates, plan_.stage = d, Stage.PREPARE
            return
        if r.state == "fieldwork":
            plan_.dates, plan_.stage = d, Stage.FIELDWORK
            return
        late = rng.random() < 0.08
        report = end + datetime.timedelta(days=rng.randint(33, 40) if late else rng.randint(12, 28))
        feedback = report + datetime.timedelta(days=rng.randint(6, 18))
        months = self.committee.rectify_report_months_after_feedback
        due = add_months(feedback, months)
        rect = feedback + datetime.timedelta(days=rng.randint(40, (due - feedback).days))
        if rng.random() < 0.08:
            rect = due + datetime.timedelta(days=rng.randint(3, 15))
        visit = rect + datetime.timedelta(days=rng.randint(90, 240))
        archived = visit + datetime.timedelta(days=rng.randint(15, 45))
        if self.demo and any(u.obj.name.endswith(DEMO_UNIT_SUFFIX) for u in plan_.units):
            rect = max(rect, on + datetime.timedelta(days=5))  # the demo unit's written report is still due
        d.update(report_heard_on=report, feedback_on=feedback)
        stage = Stage.RECTIFY
        if rect <= on:
            d["rectify_report_received_on"] = rect
            stage = Stage.FOLLOW_UP
            if visit <= on:
                d["follow_up_on"] = visit
                if archived <= on:
                    d["archived_on"] = archived
                    stage = Stage.ARCHIVED
        plan_.dates, plan_.stage = d, stage

    # --- problems, tasks, suggestions, clues ---
    def _findings(self, rounds: list[RoundPlan]) -> None:
        rng, ctx = self.rng, self.ctx
        problems: list[Row] = []
        owners: list[tuple[UnitRec, InspectionPlan, RoundPlan]] = []
        for r in rounds:
            if r.state == "prepare" or not r.inspections:
                continue
            low, high = self.profile.problems
            total = rng.randint(40, 90) if r.state == "fieldwork" else rng.randint(low, high)
            if r.key in ("look_back", "mobile") and r.state == "finished":
                total = rng.randint(low, max(low, (low + high) // 3))
            pairs = [(u, plan_) for plan_ in r.inspections for u in plan_.units]
            counts = _spread(rng, total, [PROBLEM_WEIGHT[u.kind] for u, _p in pairs],
                             minimum=1 if r.state == "fieldwork" else 2)
            for (unit, plan_), n in zip(pairs, counts, strict=True):
                members = r.members[plan_.group_index]
                for _ in range(n):
                    problems.append(self._problem(r, plan_, unit, members))
                    owners.append((unit, plan_, r))

        tasks = self._task_plans(problems, owners)
        if self.demo:
            self._force_demo_unit(tasks)
        self._settle_problems(problems, tasks)
        ctx.writer.insert(Problem, problems)
        plans = self._feedback_and_plans(rounds, tasks)
        self._write_tasks(tasks, plans)
        self._suggestions(rounds)
        self._clues(problems, owners)

    def _problem(self, r: RoundPlan, plan_: InspectionPlan, unit: UnitRec, members: list[User]) -> Row:
        rng, on = self.rng, self.on
        entry, end = plan_.dates["entry_on"], plan_.dates["fieldwork_ends_on"]
        last = min(end, on)
        found = entry + datetime.timedelta(days=rng.randint(0, max(0, (last - entry).days)))
        year = r.obj.year
        cats, weights = texts.categories_for(unit.kind)
        if r.key == "look_back" and rng.random() < 0.4:
            category = rng.choice(["strict_governance", "political"])
            description = texts.look_back_text(rng, unit.kind, year)
            key_person, s = False, texts.slots(rng, unit.kind, year, self.level_word)
        else:
            category = rng.choices(cats, weights=weights)[0]
            description, key_person, s = texts.problem_text(rng, category, unit.kind, year, self.level_word)
        key_person = (key_person and rng.random() < 0.8) or rng.random() < 0.12
        key_names = ""
        if key_person:
            people = [unit.cadres[0]] if rng.random() < 0.6 else rng.sample(unit.cadres, k=min(2, len(unit.cadres)))
            key_names = "、".join(f"{c.name}（{c.position}）" for c in people)[:200]
        roll = rng.random()
        clue_share = 0.09 if category in ("integrity", "eight_rules", "masses", "extravagance", "life") else 0.03
        disposal = "clue" if roll < clue_share else "immediate" if roll < clue_share + 0.13 else "general"
        judged = rng.random() < 0.35
        fault = depth = cognition = cause = reason = ""
        if judged:
            fault = "mistake" if rng.random() < 0.3 else "dereliction"
            depth = rng.choices(["phenomenon", "essence"], weights=[4, 1] if fault == "mistake" else [2, 3])[0]
            cognition = rng.choices(["thinking", "political_principle"], weights=[4, 1])[0]
            cause = rng.choice(["mechanism", "implementation"])
            reason = (rng.choice(texts.NATURE_REASONS[fault]).format_map(s) + "；"
                      + texts.DEPTH_REASONS[depth] + "，" + texts.CAUSE_REASONS[cause] + "。")
        source = ""
        if rng.random() < 0.25:
            source = rng.choice(["信访件", "谈话记录", "调阅资料清单", "走访记录"]) + f"第{rng.randint(1, 160)}号"
        return Row(
            inspection_id=plan_.obj.pk, unit_id=unit.obj.pk, description=description,
            evidence_summary=texts.evidence_text(rng, category, s) if rng.random() < 0.7 else "",
            category=category, key_person=key_person, key_person_names=key_names, key_matter=rng.random() < 0.12,
            disposal=disposal, fault_kind=fault, depth=depth, cognition=cognition, cause=cause, nature_reason=reason,
            status=ProblemStatus.RECORDED, found_on=found, recorded_by_id=rng.choice(members).pk, source_ref=source,
        )

    def _task_plans(self, problems: list[Row], owners) -> list[TaskPlan]:
        """1–3 tasks per fed-back problem, each with when it would be done; today cuts the story."""
        rng, on = self.rng, self.on
        plans: list[TaskPlan] = []
        never_by_round: dict[int, float] = {}
        for problem, (unit, plan_, r) in zip(problems, owners, strict=True):
            feedback = plan_.dates.get("feedback_on")
            if plan_.stage not in (Stage.RECTIFY, Stage.FOLLOW_UP, Stage.ARCHIVED) or feedback is None:
                continue
            problem.status = ProblemStatus.FED_BACK
            problem.fed_back_on = feedback
            never = never_by_round.setdefault(id(r), rng.uniform(0.015, 0.045))
            s = texts.slots(rng, unit.kind, r.obj.year, self.level_word)
            for i in range(rng.choices([1, 2, 3], weights=[55, 35, 10])[0]):
                if problem.disposal == "immediate" and i == 0:
                    kind = TaskKind.IMMEDIATE
                else:
                    kind = rng.choices([TaskKind.TIME_LIMITED, TaskKind.LONG_TERM], weights=[72, 28])[0]
                created = min(on, feedback + datetime.timedelta(days=rng.randint(2, 12)))
                if kind == TaskKind.IMMEDIATE:
                    deadline = feedback + datetime.timedelta(days=rng.randint(10, 30))
                    done = feedback + datetime.timedelta(days=rng.randint(4, 25))
                elif kind == TaskKind.TIME_LIMITED:
                    # Most deadlines fall inside the two-month report window, the rest within six months.
                    days = rng.randint(20, 60) if rng.random() < 0.5 else rng.randint(61, 180)
                    deadline = feedback + datetime.timedelta(days=days)
                    if rng.random() < 0.16:  # slips past its deadline
                        done = deadline + datetime.timedelta(days=rng.randint(3, 90))
                    else:
                        done = feedback + datetime.timedelta(days=round(days * (1 - 0.55 * rng.random() ** 2)))
                else:
                    deadline = None if rng.random() < 0.6 else feedback + datetime.timedelta(days=rng.randint(300, 365))
                    done = feedback + datetime.timedelta(days=rng.randint(90, 420))
                done = max(done, created + datetime.timedelta(days=2))
                if rng.random() < never:
                    done = None
                if plan_.stage == Stage.ARCHIVED and (done is None or done > on):
                    # What an archived inspection leaves running is a long-term measure (长期坚持), not a late one.
                    kind, deadline = TaskKind.LONG_TERM, None
                cadre = unit.cadres[0] if rng.random() < 0.4 else rng.choice(unit.cadres)
                plans.append(TaskPlan(
                    problem=problem, unit=unit, kind=kind, deadline=deadline, created=created, done=done,
                    stage=plan_.stage,
                    measure=texts.measure_text(rng, problem.category, s), leader=cadre.name,
                    department=rng.choice(texts.DEPARTMENTS_BY_KIND[unit.kind]), person=names.person_name(rng),
                ))
        for t in plans:
            self._task_state(t)
        return plans

    def _task_state(self, t: TaskPlan) -> None:
        rng, on = self.rng, self.on
        t.progress, t.submitted = [], None
        if t.done is not None and t.done <= on:
            t.status = TaskStatus.CLOSED
            span = max(1, (t.done - t.created).days)
            t.progress = [t.created + datetime.timedelta(days=max(0, span * 2 // 5))]
            t.submitted = t.done - datetime.timedelta(days=min(span // 3, rng.randint(1, 6)))
            return
        running = (on - t.created).days
        if t.done is not None and (t.done - on).days <= 12 and running > 7 and rng.random() < 0.6:
            t.status = TaskStatus.AWAITING_REVIEW
            t.progress = [t.created + datetime.timedelta(days=running // 2)]
            t.submitted = on - datetime.timedelta(days=rng.randint(0, min(5, running // 3)))
        elif running > 10 and rng.random() < 0.8:
            t.status = TaskStatus.IN_PROGRESS
            t.progress = sorted(t.created + datetime.timedelta(days=rng.randint(1, running))
                                for _ in range(rng.randint(1, 2)))
        else:
            t.status = TaskStatus.OPEN

    def _force_demo_unit(self, tasks: list[TaskPlan]) -> None:
        """The `unit` account must find an overdue task, one awaiting check, one due this week, one not begun."""
        on = self.on
        # Problems handed over as clues are withheld from the unit, so their tasks would not show.
        mine = [t for t in tasks if t.unit.obj.name.endswith(DEMO_UNIT_SUFFIX) and t.stage == Stage.RECTIFY
                and t.problem.disposal != "clue"]
        mine.sort(key=lambda t: (t.problem.found_on, t.measure))
        wanted = [("overdue", -9), ("awaiting", None), ("this_week", 4), ("open", 40)]
        used: set[int] = set()
        for label, offset in wanted:
            t = next((t for t in mine if id(t.problem) not in used), None)
            if t is None:
                return
            used.add(id(t.problem))
            t.kind = TaskKind.TIME_LIMITED
            t.done = None
            if label == "awaiting":
                t.deadline = on + datetime.timedelta(days=12)
                t.status, t.progress = TaskStatus.AWAITING_REVIEW, [t.created + datetime.timedelta(days=5)]
                t.submitted = on - datetime.timedelta(days=2)
            elif label == "open":
                t.deadline = on + datetime.timedelta(days=offset)
                t.status, t.progress, t.submitted = TaskStatus.OPEN, [], None
            else:
                t.deadline = on + datetime.timedelta(days=offset)
                t.status, t.progress, t.submitted = (TaskStatus.IN_PROGRESS, [t.created + datetime.timedelta(days=6)],
                                                     None)

    @staticmethod
    def _settle_problems(problems: list[Row], plans: list[TaskPlan]) -> None:
        """A problem's status follows its tasks, as task_close/_move keep it in the services."""
        by_problem: dict[int, list[TaskPlan]] = defaultdict(list)
        for t in plans:
            by_problem[id(t.problem)].append(t)
        for problem in problems:
            mine = by_problem.get(id(problem))
            if not mine:
                continue
            statuses = {t.status for t in mine}
            if statuses == {TaskStatus.CLOSED}:
                problem.status = ProblemStatus.RECTIFIED
                problem.rectified_on = max(t.done for t in mine)
            elif statuses != {TaskStatus.OPEN}:
                problem.status = ProblemStatus.RECTIFYING
            else:
                problem.status = ProblemStatus.FED_BACK

    def _feedback_and_plans(self, rounds: list[RoundPlan], tasks: list[TaskPlan]) -> dict[tuple[int, int], int]:
        """Each unit given feedback has its feedback meeting (signed by its head), its plan and, once the
        written report came in, its receipt. Plans whose tasks have all begun were accepted; in the
        rectification stage a unit that has started nothing has only just submitted its plan."""
        rng, ctx, on = self.rng, self.ctx, self.on
        started: dict[tuple[int, int], bool] = defaultdict(bool)
        for t in tasks:
            started[(t.problem.inspection_id, t.unit.obj.pk)] |= t.status != TaskStatus.OPEN
        meetings, plans, reports = [], [], []
        keys: list[tuple[int, int]] = []
        office_name = _office_display(self)
        unit_names = {u.obj.pk: u.obj.name for u in self.units}
        for r in rounds:
            for plan_ in r.inspections:
                feedback = plan_.dates.get("feedback_on")
                if feedback is None:
                    continue
                for unit in plan_.units:
                    key = (plan_.obj.pk, unit.obj.pk)
                    head = unit.cadres[0]
                    form, organs, escalated = FeedbackForm.ORDINARY, [], ""
                    if unit.kind == UnitKind.VILLAGE and unit.obj.parent_id and rng.random() < 0.5:
                        form, escalated = FeedbackForm.ESCALATED, f"{unit_names.get(unit.obj.parent_id, '')}党委"
                    elif r.key.startswith("special") and rng.random() < 0.4:
                        form, organs = FeedbackForm.JOINT, sorted(rng.sample(
                            ["discipline", "organisation", "working_committee", "petition", "inspection"], k=3))
                    signed = min(on, feedback + datetime.timedelta(days=rng.randint(1, 6)))
                    meetings.append(Row(
                        inspection_id=plan_.obj.pk, unit_id=unit.obj.pk, held_on=feedback,
                        location=f"{unit.obj.name}会议室", form=form, escalated_to=escalated, joint_organs=organs,
                        attendees=f"{r.groups[plan_.group_index].name}全体成员；{unit.obj.name}领导班子成员、"
                                  f"中层以上干部；{office_name}",
                        presided_by=r.members[plan_.group_index][0].display_name, signed_on=signed,
                        signed_by=head.name, recorded_by_id=self.office.pk, created_at=ctx.at(feedback, rng)))
                    status = PlanStatus.ACCEPTED
                    if plan_.stage == Stage.RECTIFY and not started[key]:
                        status = PlanStatus.SUBMITTED
                    submitted = min(on, feedback + datetime.timedelta(days=rng.randint(10, 20)))
                    reviewed = min(on, submitted + datetime.timedelta(days=rng.randint(2, 6)))
                    plans.append(Row(
                        inspection_id=plan_.obj.pk, unit_id=unit.obj.pk, status=status,
                        submitted_at=ctx.at(submitted, rng), submitted_by_id=unit.liaison.pk if unit.liaison else None,
                        reviewed_at=ctx.at(reviewed, rng) if status == PlanStatus.ACCEPTED else None,
                        reviewed_by_id=self.office.pk if status == PlanStatus.ACCEPTED else None,
                        review_comment=rng.choice(texts.PLAN_REVIEW_NOTES) if status == PlanStatus.ACCEPTED else "",
                        created_at=ctx.at(feedback, rng)))
                    keys.append(key)
                    received = plan_.dates.get("rectify_report_received_on")
                    if received:
                        reports.append(Row(inspection_id=plan_.obj.pk, unit_id=unit.obj.pk, received_on=received,
                                           received_by_id=self.office.pk, note="",
                                           disclosed_on=received + datetime.timedelta(days=rng.randint(5, 15))
                                           if received + datetime.timedelta(days=15) <= on else None,
                                           created_at=ctx.at(received, rng)))
        ctx.writer.insert(FeedbackMeeting, meetings)
        ctx.writer.insert(RectificationPlan, plans)
        ctx.writer.insert(RectificationReport, reports)
        return {key: row.id for key, row in zip(keys, plans, strict=True)}

    def _write_tasks(self, plans: list[TaskPlan], plan_ids: dict[tuple[int, int], int]) -> None:
        rng, ctx = self.rng, self.ctx
        liaison = {id(t.unit): t.unit.liaison.pk if t.unit.liaison else None for t in plans}
        signer = self.office.display_name or self.office.username
        rows = [Row(
            plan_id=plan_ids.get((t.problem.inspection_id, t.unit.obj.pk)),
            problem_id=t.problem.id, measure=t.measure, responsible_leader=t.leader,
            responsible_department=t.department, responsible_person=t.person,
            responsible_account_id=liaison[id(t.unit)], deadline=t.deadline, kind=t.kind,
            status=t.status, closed_on=t.done if t.status == TaskStatus.CLOSED else None,
            closed_by_id=self.office.pk if t.status == TaskStatus.CLOSED else None,
            review_note=rng.choice(texts.REVIEW_NOTES) if t.status == TaskStatus.CLOSED else "",
            closed_signature=signer if t.status == TaskStatus.CLOSED else "",
            created_at=ctx.at(t.created, rng),
            version=1 + len(t.progress) + (1 if t.submitted else 0) + (1 if t.status == TaskStatus.CLOSED else 0),
        ) for t in plans]
        ctx.writer.insert(Task, rows)
        notes: list[ProgressNote] = []
        for t, task in zip(plans, rows, strict=True):
            author = liaison[id(t.unit)]
            for day in t.progress:
                notes.append(Row(task_id=task.id, author_id=author, text=rng.choice(texts.PROGRESS) + "。",
                                          kind="progress", created_at=ctx.at(day, rng)))
            if t.submitted:
                notes.append(Row(task_id=task.id, author_id=author, text=rng.choice(texts.SUBMITTED),
                                          kind="submitted", created_at=ctx.at(t.submitted, rng)))
            if t.status == TaskStatus.CLOSED:
                notes.append(Row(task_id=task.id, author_id=self.office.pk, text=task.review_note,
                                          kind="closed", created_at=ctx.at(t.done, rng)))
        ctx.writer.insert(ProgressNote, notes)

    def _suggestions(self, rounds: list[RoundPlan]) -> None:
        rng, on = self.rng, self.on
        rows: list[Suggestion] = []
        for r in rounds:
            for plan_ in r.inspections:
                feedback = plan_.dates.get("feedback_on")
                if feedback is None:
                    continue
                for unit in plan_.units:
                    n = rng.randint(0, 1) if unit.kind == UnitKind.VILLAGE else rng.randint(1, 3)
                    for text in rng.sample(texts.SUGGESTIONS, k=n):
                        done = feedback + datetime.timedelta(days=rng.randint(45, 320))
                        completed = done <= on and rng.random() < 0.93
                        rows.append(Row(
                            inspection_id=plan_.obj.pk, unit_id=unit.obj.pk, text=text.format(org=texts.ORG_NAME[unit.kind]),
                            status="completed" if completed else "open", completed_on=done if completed else None,
                            completion_note=rng.choice(texts.SUGGESTION_NOTES) if completed else "",
                        ))
        self.ctx.writer.insert(Suggestion, rows)

    def _clues(self, problems: list[Row], owners) -> None:
        rng, on = self.rng, self.on
        rows: list[Clue] = []
        candidates = [(p, o) for p, o in zip(problems, owners, strict=True) if p.disposal == "clue"]
        extra = []
        for r in {id(o[2]): o[2] for o in owners}.values():
            for _ in range(rng.randint(1, 4)):
                plan_ = rng.choice(r.inspections)
                extra.append((None, (rng.choice(plan_.units), plan_, r)))
        for problem, (unit, plan_, _r) in candidates + extra:
            entry, end = plan_.dates["entry_on"], plan_.dates["fieldwork_ends_on"]
            found = problem.found_on if problem else entry + datetime.timedelta(
                days=rng.randint(0, max(0, (min(end, on) - entry).days)))
            handed = min(on, found + datetime.timedelta(days=rng.randint(1, 8)))
            cadre = rng.choice(unit.cadres)
            category = problem.category if problem else "integrity"
            if category == "organisational" and rng.random() < 0.5:
                organ, pool = self.organs["organisation"], texts.CLUES_ORGANISATION
            elif category in ("masses", "work", "life") and rng.random() < 0.3:
                organ, pool = self.organs["police"], texts.CLUES_POLICE
            else:
                organ, pool = self.organs["discipline"], texts.CLUES_DISCIPLINE
            who = f"{unit.obj.name if unit.kind != UnitKind.VILLAGE else unit.township.obj.name + unit.obj.name}" \
                  f"{cadre.position.split('、')[-1]}{cadre.name[0]}某"
            s = texts.slots(rng, unit.kind, plan_.dates["entry_on"].year, self.level_word)
            s["who"] = who
            summary = rng.choice(pool).format_map(s)
            decided = handed + datetime.timedelta(days=rng.randint(15, 110))
            disposed = decided <= on and rng.random() > 0.04
            disposal = rng.choices(["talk_inquiry", "preliminary_check", "on_hold", "closed"],
                                   weights=[40, 30, 10, 20])[0] if disposed else ""
            rows.append(Row(
                inspection_id=plan_.obj.pk, unit_id=unit.obj.pk, problem_id=problem.id if problem else None,
                summary=summary, persons_involved=f"{cadre.name}（{cadre.position}）", organ_id=organ.pk,
                handed_over_on=handed,
                disposal=disposal, disposed_on=decided if disposed else None,
                disposal_note=(rng.choice(texts.CLUE_DISPOSAL_NOTES[disposal]).format(p=cadre.name[0] + "某")
                               if disposed else ""),
            ))
        self._clue_signing_and_results(rows)
        if self.demo:
            # At least one clue answered late: handed over more than three months ago, still not disposed.
            old = [c for c in rows if (on - c.handed_over_on).days > 95]
            if old and not any(not c.disposal for c in old):
                late = max(old, key=lambda c: c.handed_over_on)
                late.disposal, late.disposed_on, late.disposal_note = "", None, ""
                late.result, late.result_on, late.result_note = "", None, ""
        self.ctx.writer.insert(Clue, rows)

    def _clue_signing_and_results(self, rows: list[Row]) -> None:
        """签收 a few days after hand-over (always before disposal) and, for clues disposed long enough ago, the
        organ's final result. A separate random stream keeps the rest of the county as it was."""
        rng, on = random.Random(f"{SEED}:{self.code}:clue-results"), self.on
        outcomes = {
            "talk_inquiry": (["criticism", "cleared", "organisational"], [50, 35, 15]),
            "preliminary_check": (["case_filed", "party_sanction", "government_sanction", "cleared"], [35, 30, 10, 25]),
            "on_hold": (["other"], [1]),
            "closed": (["cleared"], [1]),
        }
        for row in rows:
            latest = row["disposed_on"] or on
            signed = row["handed_over_on"] + datetime.timedelta(days=rng.randint(0, 5))
            if row["disposal"] or rng.random() < 0.7:
                row["signed_for_on"] = min(signed, latest)
            if not row["disposal"]:
                continue
            result_on = row["disposed_on"] + datetime.timedelta(days=rng.randint(20, 160))
            if result_on <= on and rng.random() < 0.8:
                choices, weights = outcomes[row["disposal"]]
                row["result"] = rng.choices(choices, weights=weights)[0]
                row["result_on"] = result_on
                row["result_note"] = texts.CLUE_RESULT_NOTES[row["result"]]


# --- small helpers --------------------------------------------------------------------------------------

def _spread(rng: random.Random, total: int, weights: list[float], *, minimum: int) -> list[int]:
    """Split `total` by weight (largest remainder), each share at least `minimum`."""
    whole = sum(weights) or 1.0
    raw = [total * w / whole for w in weights]
    counts = [max(minimum, math.floor(x)) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (raw[i] - math.floor(raw[i]), rng.random()), reverse=True)
    i = 0
    while sum(counts) < total and order:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts) > total and any(c > minimum for c in counts):
        j = max(range(len(counts)), key=lambda k: counts[k])
        counts[j] -= 1
    return counts


def _since(rng: random.Random, on: datetime.date) -> datetime.date:
    return datetime.date(rng.randint(on.year - 9, on.year - 1), rng.randint(1, 12), rng.randint(1, 28))


def _street(rng: random.Random) -> str:
    return rng.choice(["人民路", "建设路", "解放路", "府前路", "滨河路", "新华街", "文化路", "迎宾大道"]) + \
        f"{rng.randint(1, 188)}号"


def _office_display(build: CommitteeBuild) -> str:
    fixed = {"office": "陈晓敏", "city": "韩立新", "province": "吕文博"}
    return fixed.get(build.office_username) or names.person_name(build.rng)


def _summary(ctx: Context, seconds: float) -> str:
    from django.db.models import Q

    from xuncha.stats.selectors import coverage

    on = ctx.on
    c = {m._meta.label_lower: n for m, n in ctx.writer.counts.items()}
    county = ctx.demo_county
    open_tasks = Task.objects.exclude(status=TaskStatus.CLOSED)
    overdue = open_tasks.filter(deadline__lt=on).count()
    this_week = open_tasks.filter(deadline__gte=on, deadline__lte=on + datetime.timedelta(days=7)).count()
    awaiting = Task.objects.filter(status=TaskStatus.AWAITING_REVIEW).count()
    undisposed = Clue.objects.filter(disposal="").count()
    stages = Inspection.objects.filter(round__committee=county)
    fieldwork = stages.filter(stage=Stage.FIELDWORK).values("round").distinct().count()
    preparing = stages.filter(stage=Stage.PREPARE).values("round").distinct().count()
    cov = coverage(viewer=ctx.fixed_users["admin"], committee_id=county.pk)
    rectified = Problem.objects.filter(inspection__round__committee=county)
    fed = rectified.filter(~Q(status=ProblemStatus.RECORDED)).count()
    done = rectified.filter(status=ProblemStatus.RECTIFIED).count()
    rate = f"{done * 100 / fed:.1f}%" if fed else "—"
    return "\n".join([
        f"演示数据已生成 Demo built: scale={ctx.scale}, today={on.isoformat()}, {seconds:.1f} s",
        f"  党委 committees {c.get('org.committee', 0)} · 单位 units {c.get('org.unit', 0):,} · "
        f"班子成员 cadres {c.get('org.cadre', 0):,} · 账号 accounts {c.get('org.user', 0):,}",
        f"  巡察轮次 rounds {c.get('rounds.round', 0):,} · 巡察组 groups {c.get('rounds.inspectiongroup', 0):,} · "
        f"巡察（组×单位）inspections {c.get('rounds.inspection', 0):,}",
        f"  问题 problems {c.get('findings.problem', 0):,} · 整改任务 tasks {c.get('rectification.task', 0):,} "
        f"(逾期 overdue {overdue:,}, 本周到期 due this week {this_week:,}, 待核验 awaiting check {awaiting:,})",
        f"  问题线索 clues {c.get('findings.clue', 0):,} (未处置 not yet disposed {undisposed:,}) · "
        f"意见建议 suggestions {c.get('findings.suggestion', 0):,}",
        f"  {county.region}: 进驻中 rounds in fieldwork {fieldwork}, 准备中 in preparation {preparing}, "
        f"覆盖率 coverage {cov.coverage_rate}% ({cov.units_inspected}/{cov.units_managed}), "
        f"整改率 rectified {rate}",
    ])
