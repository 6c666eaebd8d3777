"""The pool's workbook: the template to fill in, and its import, all or nothing.

The workbook has four sheets with Chinese headers, as offices keep their 人才库 rosters: 人员 (one row a person),
工作经历, 亲属 and 回避申请 (one row a post, a relative, a declaration, each keyed by the person's 身份证号).

Reading reuses the platform's import pieces (findings.xlsx): the file checks (not an .xlsx, a renamed file, a damaged
zip, a zip bomb), the date and yes/no readers, the choice lookups, and RowError. Every row of every sheet is checked
before anything is written; one bad row and nothing is imported, and each bad row is listed with its sheet, row
number, column and what is wrong. A clean file goes to `members.pool_import` in one transaction.

Importing again: a person whose ID number is already in the pool is updated with the file's values; posts, relatives
and declarations are added unless already recorded (a relative of the same name and relation is updated); nothing is
deleted. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xuncha.core.errors import FieldErrors
from xuncha.core.text import comparable
from xuncha.findings.xlsx import (
    _BORDER,
    _FONT,
    _HEADER_FILL,
    MAX_IMPORT_ROWS,
    ImportFileError,
    RowError,
    _choice_lookup,
    _header_key,
    _parse_date_value,
    _parse_yes_no,
    _read_workbook,
    data_rows,
)
from xuncha.org.models import Committee, UnitKind, User
from xuncha.pool import members
from xuncha.pool.members import ImportBatch, UnitIndex
from xuncha.pool.models import DeclarationKind, Gender, Rank, Speciality, Talent, TalentKind
from xuncha.pool.selectors import may_manage_pool, pool_units

PEOPLE, WORK, RELATIVES, DECLARATIONS = "人员", "工作经历", "亲属", "回避申请"
GUIDE, OPTIONS, UNITS = "填写说明", "选项", "本级单位"
ID_HEADER = "身份证号"


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    width: float
    required: bool = False
    help: str = ""


SHEETS: dict[str, list[Col]] = {
    PEOPLE: [
        Col("name", "姓名", 10, True),
        Col("id_number", ID_HEADER, 22, True, "18位公民身份号码，单元格设为文本"),
        Col("gender", "性别", 6, False, "男/女，可不填，由身份证号得出；填写的须与身份证号一致"),
        Col("birth_date", "出生日期", 12, False, "可不填，由身份证号得出；填写的须与身份证号一致"),
        Col("kind", "人员类别", 12, True, "见“选项”表"),
        Col("speciality", "专业特长", 12, True, "见“选项”表"),
        Col("rank", "职级", 12, False, "见“选项”表，无职级可不填"),
        Col("unit_name", "工作单位", 22, False, "与本级单位名称一致的，自动关联到该单位（村写全称，如城关镇东关村）"),
        Col("position", "职务", 16),
        Col("home_township", "籍贯乡镇", 12, False, "本级管理的乡镇（街道）名称"),
        Col("home_village", "籍贯村", 12, False, "本级管理的村（社区）名称"),
        Col("phone", "联系电话", 14),
        Col("can_lead", "组长库", 8, False, "是/否"),
        Col("available", "是否可用", 8, False, "是/否，不填为是"),
        Col("unavailable_reason", "不可用原因", 16, False, "不可用时必填"),
        Col("notes", "备注", 20),
    ],
    WORK: [
        Col("id_number", ID_HEADER, 22, True, "须为“人员”表或本人才库中已有的人员"),
        Col("unit_name", "工作单位", 24, True),
        Col("position", "职务", 16),
        Col("started_on", "起始日期", 12, True, "如 2015-03-01"),
        Col("ended_on", "截止日期", 12, False, "至今的不填"),
    ],
    RELATIVES: [
        Col("id_number", ID_HEADER, 22, True, "本人的身份证号"),
        Col("name", "亲属姓名", 10, True),
        Col("relation", "关系", 10, True, "见“选项”表"),
        Col("relative_id_number", "亲属身份证号", 22, False, "可不填，填写的须正确"),
        Col("unit_name", "亲属工作单位", 24),
    ],
    DECLARATIONS: [
        Col("id_number", ID_HEADER, 22, True, "本人的身份证号"),
        Col("kind", "类别", 18, True, "回避申请 / 与被巡察单位领导有利害关系"),
        Col("unit", "单位", 22, True, "本级管理的单位名称，见“本级单位”表"),
        Col("leader", "涉及领导", 10, False, "与领导有利害关系的必填"),
        Col("reason", "事由", 30, True),
        Col("declared_on", "申请日期", 12, True),
    ],
}
SHEET_ORDER = [PEOPLE, WORK, RELATIVES, DECLARATIONS]
YES_NO = ["是", "否"]


@dataclass(frozen=True)
class SheetRowError(RowError):
    """A RowError that also names its sheet."""

    sheet: str = ""

    def __str__(self) -> str:
        return _("Sheet %(sheet)s, row %(row)s, %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedPool:
    batch: ImportBatch = field(default_factory=ImportBatch)
    errors: list[SheetRowError] = field(default_factory=list)
    new_people: int = 0
    known_people: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.batch.people or self.batch.periods or self.batch.relatives
                                        or self.batch.declarations)


# ---------------------------------------------------------------- lookups (in the platform's language)

def _lookups() -> dict[str, dict[str, Any]]:
    with translation.override(settings.LANGUAGE_CODE):
        rank = {k: int(v) for k, v in _choice_lookup(Rank, extra={
            "无": 0, "科级": 3, "正科": 3, "副科": 2, "处级": 5, "正处": 5, "副处": 4, "厅级": 7, "正厅": 7,
            "副厅": 6, "科员级": 1, "办事员": 1}).items()}
        return {
            "kind": _choice_lookup(TalentKind, extra={"干部": "cadre", "在职": "cadre", "退休": "retired",
                                                      "会计": "accountant", "注册会计师": "accountant",
                                                      "审计": "auditor", "律师": "lawyer", "人大": "npc_deputy",
                                                      "政协": "cppcc_member"}),
            "speciality": _choice_lookup(Speciality, extra={
                "纪检": "discipline", "纪检监察": "discipline", "组织": "organisation", "组织人事": "organisation",
                "人事": "personnel", "人社": "personnel", "审计": "audit", "财政": "finance", "财税": "finance",
                "财务": "finance", "税务": "finance", "政法": "law", "法律": "law", "其他": "other"}),
            "rank": rank,
            "gender": _choice_lookup(Gender, extra={"男": "M", "女": "F", "男性": "M", "女性": "F"}),
            "declaration": _choice_lookup(DeclarationKind, extra={
                "回避申请": "recusal_request", "回避": "recusal_request", "利害关系": "leader_conflict",
                "与领导有利害关系": "leader_conflict", "与单位领导有利害关系": "leader_conflict",
                "与被巡察单位领导有利害关系": "leader_conflict", "与被巡察单位领导存在利害关系": "leader_conflict",
                "与领导存在利害关系": "leader_conflict", "与单位领导存在利害关系": "leader_conflict"}),
        }


def _labels(choices) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [str(c.label) for c in choices]


# ---------------------------------------------------------------- the template

def pool_template_xlsx(committee: Committee | None = None) -> bytes:
    """The empty workbook to fill in, with lists to choose from and the units of the pool (when given)."""
    wb = Workbook()
    wb.remove(wb.active)
    options = {
        "人员类别": _labels(TalentKind), "专业特长": _labels(Speciality), "职级": _labels(Rank),
        "性别": _labels(Gender), "是/否": YES_NO, "关系": list(members.RELATIONS),
        "回避类别": _labels(DeclarationKind),
    }
    lists = {("人员", "kind"): "人员类别", ("人员", "speciality"): "专业特长", ("人员", "rank"): "职级",
             ("人员", "gender"): "性别", ("人员", "can_lead"): "是/否", ("人员", "available"): "是/否",
             ("亲属", "relation"): "关系", ("回避申请", "kind"): "回避类别"}
    for name in SHEET_ORDER:
        ws = wb.create_sheet(name)
        columns = SHEETS[name]
        for index, col in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=index, value=col.header + ("*" if col.required else ""))
            cell.font = Font(name=_FONT, bold=True, color="C00000" if col.required else "000000")
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = col.width
            if col.key in ("id_number", "relative_id_number", "phone"):
                for row in range(2, 502):  # typed as text: an 18-digit number would lose its last digits
                    ws[f"{letter}{row}"].number_format = "@"
            if col.key in ("birth_date", "started_on", "ended_on", "declared_on"):
                for row in range(2, 502):
                    ws[f"{letter}{row}"].number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    opt = wb.create_sheet(OPTIONS)
    for col_index, (title, values) in enumerate(options.items(), start=1):
        letter = get_column_letter(col_index)
        opt.cell(row=1, column=col_index, value=title).font = Font(name=_FONT, bold=True)
        for row_index, value in enumerate(values, start=2):
            opt.cell(row=row_index, column=col_index, value=value)
        opt.column_dimensions[letter].width = 22
        for (sheet, key), wanted in lists.items():
            if wanted != title:
                continue
            target = wb[sheet]
            position = [c.key for c in SHEETS[sheet]].index(key) + 1
            target_letter = get_column_letter(position)
            dv = DataValidation(type="list", formula1=f"'{OPTIONS}'!${letter}$2:${letter}${len(values) + 1}",
                                allow_blank=True, showErrorMessage=True)
            dv.error = "请从列表中选择"
            dv.add(f"{target_letter}2:{target_letter}{MAX_IMPORT_ROWS + 1}")
            target.add_data_validation(dv)
    guide = wb.create_sheet(GUIDE)
    guide.append(["表", "列", "必填", "填写说明"])
    for name in SHEET_ORDER:
        for col in SHEETS[name]:
            guide.append([name, col.header, "是" if col.required else "", col.help])
    guide.append([])
    for line in (
        "整个文件先全部检查，任何一行有误则全部不导入，并逐行列出错误（表、行号、列、原因）。",
        "“工作经历”“亲属”“回避申请”各行以本人身份证号对应“人员”表或本人才库中已有的人员。",
        "再次导入：身份证号已在本人才库中的人员按文件内容更新；工作经历、亲属、回避申请只增加尚未登记的行"
        "（同一亲属按姓名和关系更新），不删除任何已有记录。",
        "示例（人员表一行）：张三 | 身份证号 | 男 | （空） | 在职干部 | 审计 | 正科级 | 甲县审计局 | 科长",
    ):
        guide.append([line])
    for cell in guide[1]:
        cell.font = Font(name=_FONT, bold=True)
    for letter, width in zip("ABCD", (10, 14, 6, 70), strict=True):
        guide.column_dimensions[letter].width = width
    listing = wb.create_sheet(UNITS)
    listing.append(["单位名称", "类型", "上级单位"])
    for cell in listing[1]:
        cell.font = Font(name=_FONT, bold=True)
    if committee is not None:
        with translation.override(settings.LANGUAGE_CODE):
            for unit in pool_units(committee):
                listing.append([str(unit), unit.get_kind_display(), unit.parent.name if unit.parent_id else ""])
    for letter, width in zip("ABC", (30, 24, 20), strict=True):
        listing.column_dimensions[letter].width = width
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading

def _find_sheet_header(ws, columns: list[Col]) -> tuple[int, dict[int, str]] | None:
    """The header row of a sheet (within its first 5 rows) and which column holds which field."""
    by_header = {_header_key(c.header): c.key for c in columns}
    best: tuple[int, dict[int, str]] | None = None
    for row_index, row in enumerate(ws.iter_rows(min_row=1, max_row=5, values_only=True), start=1):
        mapping = {}
        for col_index, value in enumerate(row):
            key = by_header.get(_header_key(value)) if value is not None else None
            if key and key not in mapping.values():
                mapping[col_index] = key
        if mapping and (best is None or len(mapping) > len(best[1])):
            best = (row_index, mapping)
    return best


def _rows(ws, sheet: str, columns: list[Col]):
    """(row number, {key: raw value}) of each non-blank row under the header."""
    found = _find_sheet_header(ws, columns)
    if found is None:
        raise ImportFileError(_("The sheet %(sheet)s has no header row. Use the template's sheets and headers.")
                              % {"sheet": sheet})
    header_row, mapping = found
    missing = [c.header for c in columns if c.required and c.key not in mapping.values()]
    if missing:
        raise ImportFileError(_("These columns are missing from the sheet %(sheet)s: %(columns)s. Use the "
                                "template's headers.") % {"sheet": sheet, "columns": "、".join(missing)})
    yield from data_rows(ws, header_row, mapping, too_many=_(
        "The sheet %(sheet)s has more than %(n)s rows; split the file.") % {"sheet": sheet, "n": MAX_IMPORT_ROWS})


class _Row:
    """One row being checked: its cells, and the errors found in it (one per column)."""

    def __init__(self, sheet: str, row_index: int, cells: dict[str, Any], errors: list[SheetRowError]):
        self.sheet, self.row_index, self.cells, self.errors = sheet, row_index, cells, errors
        self.columns = {c.key: c.header for c in SHEETS[sheet]}
        self.bad: set[str] = set()

    def fail(self, key: str, message: str) -> None:
        if key in self.bad:
            return
        self.bad.add(key)
        self.errors.append(SheetRowError(self.row_index, self.columns.get(key, key), message, sheet=self.sheet))

    def text(self, key: str) -> str:
        value = self.cells.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.strftime("%Y-%m-%d")
        return ILLEGAL_CHARACTERS_RE.sub("", str(value)).strip()

    def id_number(self, key: str = "id_number", *, required: bool = True) -> str:
        value = self.cells.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.fail(key, _("The ID number was stored as a number, which loses its last digits: format the column "
                             "as text and type the number again."))
            return ""
        number = members.id_number_clean(self.text(key))
        if not number and not required:
            return ""
        problem = members.id_number_problem(number)
        if problem:
            self.fail(key, problem)
            return ""
        return number

    def date(self, key: str) -> datetime.date | None:
        value = self.cells.get(key)
        try:
            return _parse_date_value(value)
        except (ValueError, OverflowError):
            self.fail(key, _("“%(value)s” is not a real date (write it like 2015-03-01).") % {"value": self.text(key)})
            return None

    def choice(self, key: str, table: dict[str, Any], message: str, *, default: Any = None) -> Any:
        text = self.text(key)
        if not text:
            return default
        key_text = comparable(text)
        value = table[key_text] if key_text in table else table.get(key_text.lower())
        if value is None:
            self.fail(key, message % {"value": text})
        return value

    def yes_no(self, key: str, *, default: bool) -> bool:
        if not self.text(key):
            return default
        try:
            return _parse_yes_no(self.cells.get(key))
        except ValueError:
            self.fail(key, _("Write 是 or 否, not “%(value)s”.") % {"value": self.text(key)})
            return default

    def absorb(self, exc: FieldErrors, fields: dict[str, str] | None = None) -> None:
        """A service check's refusals, each on its column (unless the column already has an error)."""
        for error in exc.errors:
            key = (fields or {}).get(error.field or "", error.field or "")
            self.fail(key if key in self.columns else next(iter(self.columns)), error.message)


def _unit_named(row: _Row, key: str, units: UnitIndex, kind: str, *, under=None):
    name = row.text(key)
    if not name:
        return None
    found = units.find(name, kind, under=under)
    if len(found) == 1:
        return found[0]
    if not found and kind == UnitKind.TOWNSHIP:
        row.fail(key, _("No township (subdistrict) named “%(value)s” among the units of this pool's committee.")
                 % {"value": name})
    elif not found and under is not None:
        row.fail(key, _("No village (community) named “%(value)s” in %(township)s.") % {"value": name,
                                                                                      "township": under})
    elif not found:
        row.fail(key, _("No village (community) named “%(value)s” among the units of this pool's committee.")
                 % {"value": name})
    else:
        row.fail(key, _("Several units are named “%(value)s”: give the township too, or the full name.")
                 % {"value": name})
    return None


def parse_pool_workbook(data: bytes, *, committee: Committee, actor: User | None) -> ParsedPool:
    """Check every row of every sheet of an uploaded workbook for the pool of `committee`."""
    if actor is not None and not may_manage_pool(actor):
        raise ImportFileError(_("Only the inspection office imports into the talent pool."))
    wb = _read_workbook(data)
    try:
        names = {comparable(ws.title): ws for ws in wb.worksheets}
        if comparable(PEOPLE) not in names and not any(comparable(s) in names for s in SHEET_ORDER[1:]):
            raise ImportFileError(_("The workbook has none of the sheets %(sheets)s. Download the template and fill "
                                    "it in.") % {"sheets": "、".join(SHEET_ORDER)})
        result = ParsedPool()
        units = UnitIndex(committee)
        lookups = _lookups()
        existing = {t.id_number: t for t in Talent.objects.filter(committee=committee).select_related(
            "committee", "account", "account__committee")}
        in_file: dict[str, int] = {}
        sheets = {name: names.get(comparable(name)) for name in SHEET_ORDER}
        if sheets[PEOPLE] is not None:
            for row_index, cells in _rows(sheets[PEOPLE], PEOPLE, SHEETS[PEOPLE]):
                _person(_Row(PEOPLE, row_index, cells, result.errors), result, committee, units, lookups, existing,
                        in_file, actor)
        known = set(in_file) | set(existing)
        for sheet, reader in ((WORK, _work), (RELATIVES, _relative), (DECLARATIONS, _declaration)):
            if sheets[sheet] is None:
                continue
            for row_index, cells in _rows(sheets[sheet], sheet, SHEETS[sheet]):
                row = _Row(sheet, row_index, cells, result.errors)
                number = row.id_number()
                if number and number not in known:
                    row.fail("id_number", _("No person with this ID number in the sheet 人员 or in this pool."))
                    number = ""
                reader(row, number, result, units, lookups)
    finally:
        wb.close()
    if not result.errors and not result.ok:
        raise ImportFileError(_("The workbook has the template's sheets but no rows under their headers."))
    return result


def _person(row: _Row, result: ParsedPool, committee: Committee, units: UnitIndex, lookups, existing, in_file,
            actor) -> None:
    name = row.text("name")
    if not name:
        row.fail("name", _("Give the person's name."))
    number = row.id_number()
    if number and number in in_file:
        row.fail("id_number", _("The same person (same ID number) as row %(row)s.") % {"row": in_file[number]})
        return
    if number:
        in_file[number] = row.row_index
    data: dict[str, Any] = {
        "name": name, "id_number": number,
        "gender": row.choice("gender", lookups["gender"], _("“%(value)s” is not a gender: write 男 or 女."),
                             default=""),
        "birth_date": row.date("birth_date"),
        "kind": row.choice("kind", lookups["kind"], _("“%(value)s” is not a kind of person of the list.")),
        "speciality": row.choice("speciality", lookups["speciality"],
                                 _("“%(value)s” is not a speciality of the list.")),
        "rank": row.choice("rank", lookups["rank"], _("“%(value)s” is not a rank of the list."), default=0),
        "unit_name": row.text("unit_name"), "position": row.text("position"), "phone": row.text("phone"),
        "can_lead": row.yes_no("can_lead", default=False), "available": row.yes_no("available", default=True),
        "unavailable_reason": row.text("unavailable_reason"), "notes": row.text("notes"),
    }
    if not row.text("kind"):
        row.fail("kind", _("Give the kind of person."))
    if not row.text("speciality"):
        row.fail("speciality", _("Give the speciality."))
    township = _unit_named(row, "home_township", units, UnitKind.TOWNSHIP)
    data["home_township"] = township
    data["home_village"] = _unit_named(row, "home_village", units, UnitKind.VILLAGE, under=township)
    if "home_township" in row.bad and row.text("home_village"):
        data["home_village"] = None
    if not number:
        return
    talent = existing.get(number)
    try:
        if talent is None:
            members.talent_check(committee=committee, data=data, units=units, actor=actor)
        else:
            merged = members.talent_merged(talent, data)
            members.talent_check(committee=committee, data=merged, units=units, actor=actor, talent=talent)
    except FieldErrors as exc:
        row.absorb(exc)
        return
    if row.bad:
        return
    if talent is None:
        result.new_people += 1
    else:
        result.known_people += 1
    result.batch.people.append(data)


def _work(row: _Row, number: str, result: ParsedPool, units: UnitIndex, lookups) -> None:
    data = {"unit_name": row.text("unit_name"), "position": row.text("position"),
            "started_on": row.date("started_on"), "ended_on": row.date("ended_on")}
    try:
        members.work_period_check(data=data, units=units)
    except FieldErrors as exc:
        row.absorb(exc)
    if number and not row.bad:
        result.batch.periods.append((number, data))


def _relative(row: _Row, number: str, result: ParsedPool, units: UnitIndex, lookups) -> None:
    relative_number = row.id_number("relative_id_number", required=False)
    data = {"name": row.text("name"), "relation": row.text("relation"), "id_number": relative_number,
            "unit_name": row.text("unit_name")}
    if relative_number and relative_number == number:
        row.fail("relative_id_number", _("This is the person's own ID number."))
    try:
        members.relative_check(data=data, units=units)
    except FieldErrors as exc:
        row.absorb(exc, {"id_number": "relative_id_number"})
    if number and not row.bad:
        result.batch.relatives.append((number, data))


def _declaration(row: _Row, number: str, result: ParsedPool, units: UnitIndex, lookups) -> None:
    kind = row.choice("kind", lookups["declaration"],
                      _("“%(value)s” is not a kind of declaration: write 回避申请 or 与被巡察单位领导有利害关系."))
    unit_name = row.text("unit")
    unit = units.resolve(unit_name) if unit_name else None
    if unit_name and unit is None:
        row.fail("unit", _("No unit named “%(value)s” among the units of this pool's committee (see the sheet "
                           "本级单位).") % {"value": unit_name})
    data = {"kind": kind or "", "unit": unit, "leader": row.text("leader"), "reason": row.text("reason"),
            "declared_on": row.date("declared_on")}
    try:
        members.declaration_check(data=data, units=units)
    except FieldErrors as exc:
        row.absorb(exc)
    if number and not row.bad:
        result.batch.declarations.append((number, data))
