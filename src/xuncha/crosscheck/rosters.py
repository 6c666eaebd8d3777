"""The roster kinds, their Chinese headers and the type of each column.

Field types (what a rule may do with them is in `rules.py`):
- ``id``: an 18-digit ID number (a join key); ``name``: a person's name;
- ``text``: free text compared for equality (单位, 车辆类型, 角色); ``code``: a code (机具编号, 地块编码);
- ``date``: ISO ``YYYY-MM-DD``; ``month``: a month number; ``year``: an integer year;
- ``money`` / ``number``: a float.

``header_required``: without that column the file cannot take part (every row goes to rejected.csv).
``value_required``: a row with that cell empty cannot take part. Every roster's person is in the fields
``id`` and ``name``; relatives also carry the cadre's ID in ``cadre_id``.
"""

from __future__ import annotations

from dataclasses import dataclass

FIELD_TYPES = ("id", "name", "text", "code", "date", "month", "year", "money", "number")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    type: str
    header_required: bool = True
    value_required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RosterKind:
    kind: str
    title: str
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)


_ID_ALIASES = ("身份证号码", "公民身份号码", "身份证", "证件号码")


def _name(header: str = "姓名", *aliases: str) -> Column:
    return Column("name", header, "name", header_required=True, aliases=aliases)


def _id(header: str = "身份证号", *aliases: str, field: str = "id") -> Column:
    return Column(field, header, "id", value_required=True, aliases=aliases or _ID_ALIASES)


def _payment(kind: str, title: str) -> RosterKind:
    return RosterKind(kind, title, (
        _name(),
        _id(),
        Column("month", "发放年月", "month", value_required=True, aliases=("发放月份", "发放时间")),
        Column("amount", "金额", "money", header_required=False, aliases=("发放金额",)),
        Column("region", "地区", "text", header_required=False, aliases=("所属地区", "地址")),
    ))


ROSTERS: dict[str, RosterKind] = {r.kind: r for r in (
    RosterKind("deaths", "死亡人员", (
        _name(),
        _id(),
        Column("death_date", "死亡日期", "date", value_required=True, aliases=("死亡时间",)),
    )),
    _payment("dibao", "低保发放"),
    _payment("pension", "养老金发放"),
    RosterKind("public_employees", "公职人员", (
        _name(),
        _id(),
        Column("unit", "单位", "text", aliases=("工作单位", "单位名称")),
        Column("post", "职务", "text", header_required=False),
        Column("start_date", "入职日期", "date", value_required=True, aliases=("参加工作时间", "入职时间")),
        Column("end_date", "离职日期", "date", aliases=("离职时间",)),
    )),
    RosterKind("village_cadres", "村干部", (
        _name(),
        _id(),
        Column("village", "村", "text", header_required=False, aliases=("村名", "所在村")),
        Column("post", "职务", "text", header_required=False),
        Column("term_start", "任职开始", "date", value_required=True, aliases=("任职开始日期", "任职时间")),
        Column("term_end", "任职结束", "date", aliases=("任职结束日期", "离任时间")),
    )),
    RosterKind("relatives", "干部亲属", (
        _id("干部身份证号", "干部身份证号码", field="cadre_id"),
        _name("亲属姓名"),
        _id("亲属身份证号", "亲属身份证号码"),
        Column("relation", "关系", "text", header_required=False, aliases=("亲属关系", "与干部关系")),
    )),
    RosterKind("company_roles", "企业人员", (
        Column("company", "企业名称", "text", header_required=False, aliases=("企业", "公司名称")),
        Column("uscc", "统一社会信用代码", "code", header_required=False),
        _name("人员姓名", "姓名"),
        _id("人员身份证号", "人员身份证号码", "身份证号", "身份证号码"),
        Column("role", "角色", "text", value_required=True, aliases=("职务", "身份")),
        Column("start_date", "起始日期", "date", aliases=("开始日期",)),
        Column("end_date", "终止日期", "date", aliases=("结束日期",)),
    )),
    RosterKind("vehicles", "车辆登记", (
        Column("plate", "车牌号", "code", header_required=False, aliases=("号牌号码", "车牌号码")),
        _name("车主姓名", "所有人", "姓名"),
        _id("车主身份证号", "车主身份证号码", "身份证号", "身份证号码"),
        Column("vehicle_type", "车辆类型", "text", value_required=True),
        Column("reg_date", "登记日期", "date", value_required=True, aliases=("注册日期", "初次登记日期")),
    )),
    RosterKind("prisoners", "服刑人员", (
        _name(),
        _id(),
        Column("in_date", "入狱日期", "date", value_required=True, aliases=("入监日期",)),
        Column("out_date", "出狱日期", "date", aliases=("出监日期", "释放日期")),
    )),
    RosterKind("machinery_subsidies", "农机购置补贴", (
        _name("购机人姓名", "姓名"),
        _id("购机人身份证号", "购机人身份证号码", "身份证号", "身份证号码"),
        Column("machine_no", "机具编号", "code", value_required=True, aliases=("出厂编号",)),
        Column("amount", "补贴金额", "money", header_required=False),
        Column("year", "补贴年度", "year", value_required=True),
    )),
    RosterKind("payroll", "工资发放", (
        _name(),
        _id(),
        Column("unit", "单位", "text", value_required=True, aliases=("工作单位", "单位名称")),
        Column("month", "发放年月", "month", value_required=True, aliases=("发放月份",)),
        Column("amount", "金额", "money", header_required=False, aliases=("实发金额", "应发金额")),
    )),
    RosterKind("farmland_subsidies", "耕地地力保护补贴", (
        _name("农户姓名", "姓名"),
        _id(),
        Column("plot", "地块编码", "code", value_required=True, aliases=("地块编号",)),
        Column("area", "面积", "number", header_required=False),
        Column("year", "补贴年度", "year", value_required=True),
        Column("amount", "金额", "money", header_required=False, aliases=("补贴金额",)),
    )),
)}


def field_type(kind: str, field: str) -> str | None:
    roster = ROSTERS.get(kind)
    column = roster.column(field) if roster else None
    return column.type if column else None
