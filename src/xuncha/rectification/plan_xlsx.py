"""The rectification plan as .xlsx: the 三张清单 ledger, the 对账销号表, the template a unit fills in, and the
import of a filled template.

Headers are the Chinese of the official layout. The import is all or nothing: file-level faults raise
findings.xlsx.ImportFileError, and every bad row is listed in PlanImportRejected.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xuncha.core.dates import today
from xuncha.core.official_document import DOCUMENT_LANGUAGE
from xuncha.core.text import comparable
from xuncha.findings.models import Disposal, Problem
from xuncha.findings.xlsx import (
    _BORDER,
    _FONT,
    _HEADER_FILL,
    MAX_IMPORT_ROWS,
    Column,
    ImportFileError,
    RowError,
    _cell_value,
    _choice_lookup,
    _header_key,
    _parse_date,
    _read_workbook,
    _write_ledger,
    data_rows,
)
from xuncha.org.models import Unit
from xuncha.rectification.documents import category_label, problem_sort_key
from xuncha.rectification.models import RectificationPlan, Task, TaskKind, TaskStatus
from xuncha.rectification.selectors import task_is_overdue
from xuncha.rounds.models import Inspection

THREE_LISTS_SHEET = "整改台账（三张清单）"
TEMPLATE_SHEET = "整改方案"
KIND_NAMES = {TaskKind.IMMEDIATE: "立行立改", TaskKind.TIME_LIMITED: "限期整改", TaskKind.LONG_TERM: "长期坚持"}
LONG_TERM_DEADLINE = "长期坚持"
TEMPLATE_EXTRA_ROWS = 200  # room under the pre-filled rows for more tasks per problem

_READ_ONLY_FILL = PatternFill("solid", fgColor="E7E6E6")
_GROUP_FILL = PatternFill("solid", fgColor="DDEBF7")


class PlanImportRejected(Exception):
    """A filled plan with bad rows: nothing is imported, every bad row is listed."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        self.message = _("The plan was not imported; correct these rows and upload it again.")
        super().__init__("\n".join([self.message, *(str(e) for e in errors)]))


# --- Shared helpers ---------------------------------------------------------------------------------------

def _round_words(inspection: Inspection) -> str:
    return f"{inspection.round.year}年第{inspection.round.number}轮 {inspection.group.name}"


def _style(cell, *, bold: bool = False, size: int = 10, wrap: bool = True, center: bool = False,
           fill: PatternFill | None = None, color: str = "000000") -> None:
    cell.font = Font(name=_FONT, size=size, bold=bold, color=color)
    cell.border = _BORDER
    cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center" if center else "top",
                               wrap_text=wrap)
    if fill is not None:
        cell.fill = fill


def _put(ws: Worksheet, row: int, column: int, value, **style) -> None:
    cell = ws.cell(row=row, column=column)
    cell.value = _cell_value(value)
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # text never becomes a formula
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    _style(cell, **style)


def _title_rows(ws: Worksheet, *, title: str, subtitle: str, width: int) -> None:
    last = get_column_letter(width)
    ws["A1"] = _cell_value(title)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 32
    ws["A2"] = _cell_value(subtitle)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=_FONT, size=10, color="555555")
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 30


def _print_setup(ws: Worksheet, *, header_rows: str) -> None:
    ws.print_title_rows = header_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text_lines(value, width: float, size: float) -> int:
    """Lines a wrapped value takes in a column `width` characters wide (CJK characters count double)."""
    if value is None or isinstance(value, int | float | datetime.date):
        return 1
    capacity = max(1.0, (width - 1) * 11 / size)
    lines = 0
    for part in str(value).split("\n"):
        units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        lines += max(1, math.ceil(units / capacity))
    return lines


def _fit_row_heights(ws: Worksheet, *, first_row: int, size: float = 10) -> None:
    """Row heights for wrapped text: neither LibreOffice nor WPS re-measures rows an .xlsx leaves unsized.

    A merged block's lines are shared out over the rows it spans.
    """
    widths = {index: ws.column_dimensions[get_column_letter(index)].width or 8.43
              for index in range(1, ws.max_column + 1)}
    merged = {(rng.min_row, rng.min_col): rng for rng in ws.merged_cells.ranges if rng.min_row >= first_row}
    needed: dict[int, float] = {}
    line_height = size * 1.4
    for row in ws.iter_rows(min_row=first_row, max_row=ws.max_row):
        for cell in row:
            if cell.value is None:
                continue
            wrapped = cell.alignment is not None and cell.alignment.wrap_text
            lines = _text_lines(cell.value, widths.get(cell.column, 8.43), size) if wrapped else 1
            block = merged.get((cell.row, cell.column))
            span = block.max_row - block.min_row + 1 if block else 1
            for r in range(cell.row, cell.row + span):
                needed[r] = max(needed.get(r, 0), lines * line_height / span + 6)
    for r, height in needed.items():
        ws.row_dimensions[r].height = round(max(height, 18), 1)


def _deadline_value(task: Task):
    return task.deadline or LONG_TERM_DEADLINE


def _state_words(task: Task) -> str:
    state = str(TaskStatus(task.status).label)
    if task.status == TaskStatus.CLOSED and task.closed_on:
        state += f"（{task.closed_on.isoformat()}）"
    elif task_is_overdue(task):
        state += "（逾期）"
    return state


# --- 三张清单 ---------------------------------------------------------------------------------------------

# (list heading, [(column header, width)])
THREE_LISTS_LAYOUT: list[tuple[str, list[tuple[str, float]]]] = [
    ("问题清单", [("序号", 6), ("问题类别", 14), ("问题描述", 36)]),
    ("任务清单", [("整改措施", 36), ("整改类型", 10), ("完成时限", 12)]),
    ("责任清单", [("责任领导", 10), ("责任部门", 12), ("责任人", 10)]),
    ("", [("完成情况", 18)]),
]


def three_lists_xlsx(*, plan_or_tasks: RectificationPlan | Iterable[Task], unit: Unit,
                     inspection: Inspection) -> bytes:
    """问题清单、任务清单、责任清单 on one sheet, a problem's cells merged over its tasks."""
    with translation.override(DOCUMENT_LANGUAGE):
        if isinstance(plan_or_tasks, RectificationPlan):
            tasks = list(plan_or_tasks.tasks.select_related("problem"))
        else:
            tasks = list(plan_or_tasks)
        tasks.sort(key=lambda t: (problem_sort_key(t.problem), t.deadline or datetime.date.max, t.pk or 0))

        wb = Workbook()
        ws = wb.active
        ws.title = THREE_LISTS_SHEET
        width = sum(len(columns) for _heading, columns in THREE_LISTS_LAYOUT)
        _title_rows(ws, title=f"{unit}巡察整改台账（问题清单、任务清单、责任清单）",
                    subtitle=f"{_round_words(inspection)}　制表日期：{today().isoformat()}　共{len(tasks)}项整改任务",
                    width=width)
        column = 1
        for heading, columns in THREE_LISTS_LAYOUT:
            first = column
            for header, column_width in columns:
                ws.column_dimensions[get_column_letter(column)].width = column_width
                _put(ws, 4, column, header, bold=True, size=11, center=True, fill=_HEADER_FILL)
                _put(ws, 3, column, heading if column == first else None, bold=True, size=11, center=True,
                     fill=_GROUP_FILL if heading else _HEADER_FILL)
                column += 1
            if heading:
                ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=column - 1)
            else:  # 完成情况 spans both header rows
                ws.merge_cells(start_row=3, start_column=first, end_row=4, end_column=first)
                ws.cell(row=3, column=first).value = columns[0][0]
        ws.row_dimensions[3].height = ws.row_dimensions[4].height = 22

        row = 5
        for number, (_pk, grouped) in enumerate(groupby(tasks, key=lambda t: t.problem_id), start=1):
            group = list(grouped)
            problem = group[0].problem
            for offset, task in enumerate(group):
                values = [number, category_label(problem.category), problem.description, task.measure,
                          KIND_NAMES.get(task.kind, task.kind), _deadline_value(task), task.responsible_leader,
                          task.responsible_department, task.responsible_person, _state_words(task)]
                for c, value in enumerate(values, start=1):
                    # A problem's own cells are written once and merged down over its tasks.
                    _put(ws, row + offset, c, value if (offset == 0 or c > 3) else None,
                         center=c in (1, 2, 5, 6, 7, 8, 9))
            if len(group) > 1:
                for c in (1, 2, 3):
                    ws.merge_cells(start_row=row, start_column=c, end_row=row + len(group) - 1, end_column=c)
            row += len(group)

        _fit_row_heights(ws, first_row=5)
        ws.freeze_panes = "A5"
        _print_setup(ws, header_rows="3:4")
        return _save(wb)


# --- 对账销号表 -------------------------------------------------------------------------------------------

RECONCILIATION_COLUMNS = [
    Column("index", "序号", 6),
    Column("problem", "问题", 34, wrap=True),
    Column("measure", "整改措施", 34, wrap=True),
    Column("deadline", "完成时限", 12),
    Column("evidence", "佐证材料（份）", 14),
    Column("progress", "整改进展", 30, wrap=True),
    Column("review_note", "对账意见", 24, wrap=True),
    Column("signer", "销号人", 10),
    Column("closed_on", "销号日期", 12),
    Column("status", "状态", 10),
]


def _latest_progress(task: Task) -> str:
    note = task.notes.filter(kind="progress").order_by("-created_at", "-id").first()
    return note.text if note else ""


def _signer(task: Task) -> str:
    if task.closed_signature:
        return task.closed_signature
    return str(task.closed_by) if task.closed_by_id else ""


def reconciliation_xlsx(*, tasks: Iterable[Task], title_unit: Unit | str) -> bytes:
    """The 对账销号表: each task with its evidence count, progress, check note and who closed it when."""
    with translation.override(DOCUMENT_LANGUAGE):
        tasks = list(tasks)

        def rows():
            for index, task in enumerate(tasks, start=1):
                yield [index, task.problem.description, task.measure, _deadline_value(task), task.evidence.count(),
                       _latest_progress(task), task.review_note, _signer(task), task.closed_on,
                       str(TaskStatus(task.status).label)]

        closed = sum(1 for t in tasks if t.status == TaskStatus.CLOSED)
        content = _write_ledger(title=f"{title_unit}巡察整改对账销号表",
                                subtitle=f"制表日期：{today().isoformat()}　共{len(tasks)}项，已销号{closed}项",
                                sheet_name="对账销号表", columns=RECONCILIATION_COLUMNS, rows=rows())
        wb = load_workbook(io.BytesIO(content))
        _fit_row_heights(wb.active, first_row=4)
        return _save(wb)


# --- The template a unit fills in -----------------------------------------------------------------------

@dataclass(frozen=True)
class _PlanColumn:
    key: str
    header: str
    width: float
    aliases: tuple[str, ...] = ()
    prefilled: bool = False
    required: bool = False


PLAN_COLUMNS = [
    _PlanColumn("problem", "问题编号", 9, ("问题序号", "问题ID", "问题id", "编号"), prefilled=True, required=True),
    _PlanColumn("category", "问题类别", 14, ("类别",), prefilled=True),
    _PlanColumn("description", "问题描述", 44, ("问题", "存在问题", "问题内容"), prefilled=True),
    _PlanColumn("measure", "整改措施", 44, ("措施", "具体整改措施", "整改任务"), required=True),
    _PlanColumn("kind", "整改类型", 12, ("类型", "整改方式", "整改性质"), required=True),
    _PlanColumn("deadline", "完成时限", 13, ("整改时限", "时限", "完成时间", "完成期限", "整改期限"), required=True),
    _PlanColumn("responsible_leader", "责任领导", 10, ("分管领导", "牵头领导", "责任领导人"), required=True),
    _PlanColumn("responsible_department", "责任部门", 14, ("责任单位", "牵头部门", "责任科室", "责任股室"),
                required=True),
    _PlanColumn("responsible_person", "责任人", 10, ("具体责任人", "经办人"), required=True),
]
PLAN_COLUMN_BY_KEY = {c.key: c for c in PLAN_COLUMNS}
_EDITABLE_KEYS = [c.key for c in PLAN_COLUMNS if not c.prefilled]
_TEMPLATE_HEADER_ROW = 3


def _template_problems(problems: Iterable[Problem], unit: Unit | None = None) -> list[Problem]:
    """The problems of a plan: no clues (a clue is not the unit's to know)."""
    chosen = [p for p in problems if p.disposal != Disposal.CLUE and (unit is None or p.unit_id == unit.pk)]
    return sorted(chosen, key=problem_sort_key)


def plan_template_xlsx(*, inspection: Inspection, unit: Unit, problems: Iterable[Problem]) -> bytes:
    """One grey pre-filled row per problem; the unit fills in the tasks, copying a row for a second task."""
    with translation.override(DOCUMENT_LANGUAGE):
        shown = _template_problems(problems, unit)
        wb = Workbook()
        ws = wb.active
        ws.title = TEMPLATE_SHEET
        width = len(PLAN_COLUMNS)
        _title_rows(
            ws, title=f"{unit}巡察整改方案（三张清单）填报表", width=width,
            subtitle=(f"{_round_words(inspection)}。灰色列为巡察反馈的问题，请勿修改；一个问题有多项整改措施的，"
                      f"复制该行并保留问题编号。整改类型从下拉列表选择；立行立改和限期整改须填写完成时限"
                      f"（如2026-03-31），长期坚持的可不填。"),
        )
        for index, column in enumerate(PLAN_COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
            _put(ws, _TEMPLATE_HEADER_ROW, index, column.header, bold=True, size=11, center=True,
                 fill=_READ_ONLY_FILL if column.prefilled else _HEADER_FILL,
                 color="C00000" if column.required and not column.prefilled else "000000")

        first = _TEMPLATE_HEADER_ROW + 1
        last = first + len(shown) + TEMPLATE_EXTRA_ROWS - 1
        for offset, problem in enumerate(shown):
            values = {"problem": problem.pk, "category": category_label(problem.category),
                      "description": problem.description}
            for index, column in enumerate(PLAN_COLUMNS, start=1):
                if column.prefilled:
                    _put(ws, first + offset, index, values[column.key], fill=_READ_ONLY_FILL, color="404040",
                         center=column.key != "description")
                else:
                    _put(ws, first + offset, index, None, center=column.key not in ("measure",))
        for r in range(first, last + 1):
            ws.cell(row=r, column=_column_index("deadline")).number_format = "yyyy-mm-dd"

        kind_letter = get_column_letter(_column_index("kind"))
        kinds = DataValidation(type="list", formula1='"' + ",".join(KIND_NAMES.values()) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle="整改类型", error="请从下拉列表中选择整改类型。")
        kinds.add(f"{kind_letter}{first}:{kind_letter}{last}")
        ws.add_data_validation(kinds)
        deadline_letter = get_column_letter(_column_index("deadline"))
        dates = DataValidation(type="date", operator="between", allow_blank=True, showErrorMessage=True,
                               formula1=str(int(to_excel(datetime.datetime(2000, 1, 1)))),
                               formula2=str(int(to_excel(datetime.datetime(2100, 12, 31)))),
                               errorTitle="完成时限", error="请填写日期，如2026-03-31。")
        dates.add(f"{deadline_letter}{first}:{deadline_letter}{last}")
        ws.add_data_validation(dates)

        _fit_row_heights(ws, first_row=first)
        ws.freeze_panes = ws.cell(row=first, column=_column_index("measure"))
        _print_setup(ws, header_rows=f"{_TEMPLATE_HEADER_ROW}:{_TEMPLATE_HEADER_ROW}")
        return _save(wb)


def _column_index(key: str) -> int:
    return [c.key for c in PLAN_COLUMNS].index(key) + 1


# --- Import -------------------------------------------------------------------------------------------------

def _plan_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for column in PLAN_COLUMNS:
        for name in (column.header, *column.aliases):
            aliases.setdefault(_header_key(name), column.key)
    # The model's own labels, in the active language, as a last resort.
    for key in _EDITABLE_KEYS:
        aliases.setdefault(_header_key(str(Task._meta.get_field(key).verbose_name)), key)
    return aliases


def _find_plan_header(wb) -> tuple[Worksheet, int, dict[int, str]]:
    aliases = _plan_aliases()
    any_content = False
    best: tuple[Worksheet, int, dict[int, str]] | None = None
    for ws in wb.worksheets:
        for row_index, row in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
            mapping: dict[int, str] = {}
            for col_index, value in enumerate(row):
                if value is None or str(value).strip() == "":
                    continue
                any_content = True
                key = aliases.get(_header_key(value))
                if key and key not in mapping.values():
                    mapping[col_index] = key
            if {"problem", "measure"} <= set(mapping.values()) and (best is None or len(mapping) > len(best[2])):
                best = (ws, row_index, mapping)
        if best is not None:
            break
    required = [c for c in PLAN_COLUMNS if c.required]
    if best is None:
        if not any_content:
            raise ImportFileError(_("The workbook is empty: there is no ledger in it."))
        raise ImportFileError(
            _("No header row was found. The first sheet must start with the template's header row: "
              "%(columns)s.") % {"columns": _(", ").join(c.header for c in required)})
    missing = [c for c in required if c.key not in best[2].values()]
    if missing:
        raise ImportFileError(_("These columns are missing: %(columns)s. Use the template's header row.")
                              % {"columns": _(", ").join(c.header for c in missing)})
    return best


def _kind_lookup() -> dict[str, str]:
    extra = {name: kind.value for kind, name in KIND_NAMES.items()}
    extra.update({"立即整改": TaskKind.IMMEDIATE.value, "即知即改": TaskKind.IMMEDIATE.value,
                  "长期整改": TaskKind.LONG_TERM.value, "持续整改": TaskKind.LONG_TERM.value})
    return _choice_lookup(TaskKind, extra=extra)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)).strip()


def _problem_number(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if float(value).is_integer():
            return int(value)
        raise ValueError
    text = comparable(value)
    match = re.fullmatch(r"(?:#|No\.?|NO\.?|第)?(\d{1,12})号?", text)
    if not match:
        raise ValueError
    return int(match.group(1))


def parse_plan_xlsx(content: bytes, *, problems: Iterable[Problem]) -> list[dict]:
    """Read a filled template into task rows for the plan's `problems`.

    Each row: {"row", "problem", "measure", "kind", "deadline", "responsible_leader", "responsible_department",
    "responsible_person"}. Raises ImportFileError for a file that is no usable workbook, PlanImportRejected
    listing every bad row; returns nothing unless every row is good.
    """
    known = {p.pk: p for p in _template_problems(problems)}
    wb = _read_workbook(content)
    rows: list[dict] = []
    errors: list[RowError] = []
    try:
        ws, header_row, mapping = _find_plan_header(wb)
        kinds = _kind_lookup()
        seen: dict[tuple[int, str], int] = {}
        too_many = _("The file has more than %(n)s rows; split it into smaller files.") % {"n": MAX_IMPORT_ROWS}
        for row_index, cells in data_rows(ws, header_row, mapping, too_many=too_many):
            row = _parse_plan_row(row_index, cells, known, kinds, errors)
            if row is None:
                continue
            key = (row["problem"].pk, comparable(row["measure"]))
            if key in seen:
                errors.append(RowError(row_index, PLAN_COLUMN_BY_KEY["measure"].header,
                                       _("The same measure for the same problem as row %(row)s.")
                                       % {"row": seen[key]}))
                continue
            seen[key] = row_index
            rows.append(row)
    finally:
        wb.close()
    if errors:
        raise PlanImportRejected(errors)
    if not rows:
        raise ImportFileError(_("The sheet has a header row but no measures under it."))
    return rows


def _parse_plan_row(row_index: int, cells: dict, known: dict[int, Problem], kinds: dict[str, str],
                    errors: list[RowError]) -> dict | None:
    before = len(errors)

    def fail(key: str, message: str) -> None:
        errors.append(RowError(row_index, PLAN_COLUMN_BY_KEY[key].header, message))

    values: dict = {"row": row_index}
    raw_problem = _text(cells.get("problem"))
    if not raw_problem:
        fail("problem", _("Give the problem's number from the template."))
    else:
        try:
            number = _problem_number(cells.get("problem"))
        except ValueError:
            fail("problem", _("“%(value)s” is not a problem number: copy it from the template.")
                 % {"value": raw_problem})
        else:
            if number in known:
                values["problem"] = known[number]
            else:
                fail("problem", _("There is no problem numbered %(value)s in this rectification plan.")
                     % {"value": number})

    if all(_text(cells.get(key)) == "" for key in _EDITABLE_KEYS if key in cells):
        fail("measure", _("No measure is planned for this problem: fill in the row or delete it."))
        return None

    values["measure"] = _text(cells.get("measure"))
    if not values["measure"]:
        fail("measure", _("Describe the measure."))

    kind_text = _text(cells.get("kind"))
    kind = kinds.get(comparable(kind_text)) or kinds.get(comparable(kind_text).lower())
    if not kind_text:
        fail("kind", _("Choose the kind of task."))
    elif kind is None:
        fail("kind", _("“%(value)s” is not a kind of rectification; use %(choices)s.")
             % {"value": kind_text, "choices": _(", ").join(KIND_NAMES.values())})
    values["kind"] = kind

    values["deadline"] = None
    deadline_text = _text(cells.get("deadline"))
    if comparable(deadline_text) in (LONG_TERM_DEADLINE, "长期", "长期整改", "持续推进"):
        pass  # 「长期坚持」 written as the deadline: none
    else:
        try:
            values["deadline"] = _parse_date(cells.get("deadline"))
        except (ValueError, OverflowError):
            fail("deadline", _("“%(value)s” is not a date; write it like 2024-03-15.") % {"value": deadline_text})
        else:
            if values["deadline"] is None and kind is not None and kind != TaskKind.LONG_TERM:
                fail("deadline", _("Set a deadline (only long-term tasks may go without)."))

    for key, message in (
        ("responsible_leader", _("Name the responsible leader.")),
        ("responsible_department", _("Name the responsible department.")),
        ("responsible_person", _("Name the responsible person.")),
    ):
        values[key] = _text(cells.get(key))
        limit = Task._meta.get_field(key).max_length
        if not values[key]:
            fail(key, message)
        elif limit and len(values[key]) > limit:
            fail(key, _("At most %(n)s characters.") % {"n": limit})

    if len(errors) > before:
        return None
    return values

