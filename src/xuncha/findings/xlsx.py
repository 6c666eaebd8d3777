"""The ledgers as .xlsx files, in the layout offices keep them, and the import of a legacy problem ledger.

Export: a title row, a line with the export date and the filters, a frozen header row with Chinese
headers, column widths, wrapped text, borders, and print settings for A4 landscape.

Import: a legacy problem ledger is checked in full before anything is written. File-level faults (not an
.xlsx, a renamed Word file, a damaged zip, an empty sheet, no recognisable header row) raise
ImportFileError with one clear message; row-level faults are collected as RowError("第N行 列名: 原因")
for every row, and only a file without any goes on to findings.services.problems_import.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from xuncha.core.dates import today
from xuncha.core.errors import ValidationFailed
from xuncha.core.text import comparable
from xuncha.findings.models import Category, Disposal, Problem, ProblemStatus
from xuncha.findings.services import may_import_problems, problem_import_check
from xuncha.org.models import User
from xuncha.rectification.models import Task
from xuncha.rounds.models import Inspection

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, before openpyxl inflates it
# A sheet formatted down to row 1,048,576 is common: reading stops after this many blank rows in a row.
MAX_BLANK_RUN = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Writing ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    header: Promise
    width: float
    wrap: bool = False
    required: bool = False
    help: Promise | None = None


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_FONT = "宋体"  # the font offices' templates use; Excel falls back where it is missing


def _cell_value(value):
    """A value safe to put in a cell: no control characters, and text never becomes a formula."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _write_ledger(*, title: str, subtitle: str, sheet_name: str, columns: list[Column],
                  rows: Iterable[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "", sheet_name)[:31] or "Sheet1"
    last = get_column_letter(len(columns))

    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32

    ws.append([subtitle])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=_FONT, size=10, color="555555")
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 20

    ws.append([str(c.header) for c in columns])
    for index, _column in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=index)
        cell.font = Font(name=_FONT, size=11, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[3].height = 24

    n = 0
    for n, values in enumerate(rows, start=1):
        row_index = 3 + n
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=row_index, column=index)
            cell.value = _cell_value(value)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            cell.font = Font(name=_FONT, size=10)
            cell.border = _BORDER
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(
                horizontal="left" if column.wrap else "center", vertical="top", wrap_text=column.wrap
            )

    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A4"
    if n:
        ws.auto_filter.ref = f"A3:{last}{3 + n}"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_subtitle(*, count: int, filters: list[tuple[str, str]], on: datetime.date | None = None) -> str:
    text = _("Exported on %(date)s, %(count)s rows") % {"date": (on or today()).isoformat(), "count": count}
    if filters:
        text += _("; filters: %(filters)s") % {
            "filters": _("; ").join(f"{label} {value}" for label, value in filters)
        }
    return text


def _yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


PROBLEM_EXPORT_COLUMNS = [
    Column("index", gettext_lazy("No."), 6),
    Column("round", gettext_lazy("Inspection round"), 14),
    Column("group", gettext_lazy("Inspection group"), 12),
    Column("unit", gettext_lazy("Inspected unit"), 18, wrap=True),
    Column("description", gettext_lazy("Problem description"), 50, wrap=True),
    Column("evidence_summary", gettext_lazy("Evidence summary"), 30, wrap=True),
    Column("category", gettext_lazy("Problem category"), 16, wrap=True),
    Column("disposal", gettext_lazy("Disposal"), 12),
    Column("key_person", gettext_lazy("Key person"), 8),
    Column("key_person_names", gettext_lazy("Key person names"), 14, wrap=True),
    Column("key_matter", gettext_lazy("Key matter"), 8),
    Column("found_on", gettext_lazy("Date found"), 12),
    Column("status", gettext_lazy("Status"), 10),
    Column("fed_back_on", gettext_lazy("Date fed back"), 12),
    Column("rectified_on", gettext_lazy("Date rectified"), 12),
]


def round_label(inspection: Inspection) -> str:
    """The round as a ledger names it ("2024年第1轮"), the form the import reads back."""
    return _("%(year)s round %(number)s") % {"year": inspection.round.year, "number": inspection.round.number}


# What the inspection keeps to itself when the ledger goes to the inspected unit: how a problem is disposed
# of (a clue handed over must not be tipped off), where the evidence came from, and whom it names.
INTERNAL_COLUMNS = {"disposal", "evidence_summary", "key_person_names"}


def problem_ledger_xlsx(problems: Iterable[Problem], *, subtitle: str, internal: bool = True) -> bytes:
    """The problem ledger. internal=False (for the inspected unit) leaves out INTERNAL_COLUMNS."""
    columns = [c for c in PROBLEM_EXPORT_COLUMNS if internal or c.key not in INTERNAL_COLUMNS]
    keys = [c.key for c in columns]

    def rows():
        for index, p in enumerate(problems, start=1):
            values = {
                "index": index, "round": round_label(p.inspection), "group": p.inspection.group.name,
                "unit": str(p.unit), "description": p.description, "evidence_summary": p.evidence_summary,
                "category": p.get_category_display(), "disposal": p.get_disposal_display(),
                "key_person": _yes_no(p.key_person), "key_person_names": p.key_person_names,
                "key_matter": _yes_no(p.key_matter), "found_on": p.found_on, "status": p.get_status_display(),
                "fed_back_on": p.fed_back_on, "rectified_on": p.rectified_on,
            }
            yield [values[key] for key in keys]

    return _write_ledger(title=_("Ledger of problems found by inspection"), subtitle=subtitle,
                         sheet_name=_("Problem ledger"), columns=columns, rows=rows())


TASK_EXPORT_COLUMNS = [
    Column("index", gettext_lazy("No."), 6),
    Column("unit", gettext_lazy("Inspected unit"), 16, wrap=True),
    Column("problem", gettext_lazy("Problem"), 40, wrap=True),
    Column("measure", gettext_lazy("Rectification measure"), 40, wrap=True),
    Column("responsible_leader", gettext_lazy("Responsible leader"), 10, wrap=True),
    Column("responsible_department", gettext_lazy("Responsible department"), 14, wrap=True),
    Column("responsible_person", gettext_lazy("Responsible person"), 10, wrap=True),
    Column("deadline", gettext_lazy("Deadline for completion"), 12),
    Column("kind", gettext_lazy("Kind of rectification"), 12),
    Column("status", gettext_lazy("Status"), 10),
    Column("closed_on", gettext_lazy("Date closed"), 12),
]


def task_ledger_xlsx(tasks: Iterable[Task], *, subtitle: str) -> bytes:
    """The 对账销号表: one line per task, with the problem it rectifies and who answers for it."""

    def rows():
        for index, t in enumerate(tasks, start=1):
            yield [
                index, str(t.problem.unit), t.problem.description, t.measure, t.responsible_leader,
                t.responsible_department, t.responsible_person, t.deadline or _("long term"),
                t.get_kind_display(), t.get_status_display(), t.closed_on,
            ]

    return _write_ledger(title=_("Rectification ledger: check and close"), subtitle=subtitle,
                         sheet_name=_("Rectification ledger"), columns=TASK_EXPORT_COLUMNS, rows=rows())


# --- The import template --------------------------------------------------------------------------

IMPORT_COLUMNS = [
    Column("round", gettext_lazy("Inspection round"), 14, required=True,
           help=gettext_lazy('The round as "2024年第1轮", or the inspection\'s number from the sheet of '
                             'inspections.')),
    Column("group", gettext_lazy("Inspection group"), 12,
           help=gettext_lazy("Optional: the group's name, when one round sent two groups to the unit.")),
    Column("unit", gettext_lazy("Inspected unit"), 18, required=True,
           help=gettext_lazy("The unit's name as in the unit library; a village may be written with its "
                             "township before it.")),
    Column("description", gettext_lazy("Problem description"), 50, wrap=True, required=True,
           help=gettext_lazy("What was found.")),
    Column("evidence_summary", gettext_lazy("Evidence summary"), 30, wrap=True,
           help=gettext_lazy("Optional.")),
    Column("category", gettext_lazy("Problem category"), 16, required=True,
           help=gettext_lazy("One of the categories on the sheet of options.")),
    Column("disposal", gettext_lazy("Disposal"), 12,
           help=gettext_lazy("One of the disposals on the sheet of options; blank means a general problem.")),
    Column("key_person", gettext_lazy("Key person"), 8, help=gettext_lazy("Yes or no; blank means no.")),
    Column("key_person_names", gettext_lazy("Key person names"), 14, help=gettext_lazy("Optional.")),
    Column("key_matter", gettext_lazy("Key matter"), 8, help=gettext_lazy("Yes or no; blank means no.")),
    Column("found_on", gettext_lazy("Date found"), 12, required=True,
           help=gettext_lazy("A date, e.g. 2024-03-15.")),
    Column("status", gettext_lazy("Status"), 10,
           help=gettext_lazy("One of the statuses on the sheet of options; blank means as the inspection "
                             "stands (fed back once its feedback was given).")),
    Column("fed_back_on", gettext_lazy("Date fed back"), 12,
           help=gettext_lazy("Optional; blank means the inspection's feedback date.")),
    Column("rectified_on", gettext_lazy("Date rectified"), 12,
           help=gettext_lazy("Required when the status is rectified.")),
]
IMPORT_COLUMN_BY_KEY = {c.key: c for c in IMPORT_COLUMNS}


def _options() -> dict[str, list[str]]:
    return {
        "category": [str(c.label) for c in Category],
        "disposal": [str(d.label) for d in Disposal],
        "yes_no": [_("yes"), _("no")],
        "status": [str(s.label) for s in ProblemStatus],
    }


def problem_import_template_xlsx(*, inspections: Iterable[Inspection]) -> bytes:
    """The template the import page offers: the ledger sheet with drop-down lists, how to fill it, the
    options, and the inspections the user may import into."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Problem ledger")[:31]
    ws.append([str(c.header) for c in IMPORT_COLUMNS])
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(name=_FONT, bold=True, color="C00000" if column.required else "000000")
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"

    options = wb.create_sheet(_("Options")[:31])
    for col_index, (key, values) in enumerate(_options().items(), start=1):
        options.cell(row=1, column=col_index, value=key)
        for row_index, value in enumerate(values, start=2):
            options.cell(row=row_index, column=col_index, value=value)
        options.column_dimensions[get_column_letter(col_index)].width = 28
        letter = get_column_letter(col_index)
        ref = f"'{options.title}'!${letter}$2:${letter}${len(values) + 1}"
        targets = {"category": ["category"], "disposal": ["disposal"], "yes_no": ["key_person", "key_matter"],
                   "status": ["status"]}[key]
        for target in targets:
            position = [c.key for c in IMPORT_COLUMNS].index(target) + 1
            target_letter = get_column_letter(position)
            dv = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True)
            dv.error = _("Choose a value from the list.")
            dv.add(f"{target_letter}2:{target_letter}{MAX_IMPORT_ROWS + 1}")
            ws.add_data_validation(dv)
    for key in ("found_on", "fed_back_on", "rectified_on"):
        letter = get_column_letter([c.key for c in IMPORT_COLUMNS].index(key) + 1)
        for row_index in range(2, 502):
            ws[f"{letter}{row_index}"].number_format = "yyyy-mm-dd"

    guide = wb.create_sheet(_("How to fill in")[:31])
    guide.append([_("Column"), _("Required"), _("How to fill it in")])
    for column in IMPORT_COLUMNS:
        guide.append([str(column.header), _("yes") if column.required else "", str(column.help or "")])
    guide.append([])
    guide.append([_("The whole file is checked before anything is imported: if one row is wrong, nothing is "
                    "imported and every wrong row is listed with its column.")])
    for cell in guide[1]:
        cell.font = Font(name=_FONT, bold=True)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 8
    guide.column_dimensions["C"].width = 80

    listing = wb.create_sheet(_("Inspections you may import into")[:31])
    listing.append([_("Number"), _("Inspection round"), _("Inspection group"), _("Inspected unit"),
                    _("Stage")])
    for inspection in inspections:
        listing.append([inspection.pk, round_label(inspection), inspection.group.name,
                        "、".join(str(u) for u in inspection.units.all()), inspection.get_stage_display()])
    for cell in listing[1]:
        cell.font = Font(name=_FONT, bold=True)
    for letter, width in zip("ABCDE", (8, 14, 14, 50, 10), strict=True):
        listing.column_dimensions[letter].width = width

    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Reading ------------------------------------------------------------------------------------------

class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s %(column)s: %(message)s") % {"row": self.row, "column": self.column,
                                                            "message": self.message}


@dataclass
class ParsedLedger:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _header_key(text) -> str:
    """A header without its note in brackets or a required-mark: "重点人（是/否）*" → "重点人"."""
    name = comparable(text)
    name = re.split(r"[(\[]", name, maxsplit=1)[0]
    return name.strip("*")


def _header_aliases() -> dict[str, str]:
    aliases = {_header_key(c.header): c.key for c in IMPORT_COLUMNS}
    extra = {
        "round": [gettext_lazy("round")],
        "unit": [gettext_lazy("unit"), gettext_lazy("inspected unit")],
        "description": [gettext_lazy("description")],
        "category": [gettext_lazy("category")],
        "found_on": [gettext_lazy("found on")],
        "status": [gettext_lazy("status")],
        "evidence_summary": [gettext_lazy("evidence summary")],
        "key_matter": [gettext_lazy("key matter")],
        "fed_back_on": [gettext_lazy("fed back on")],
        "rectified_on": [gettext_lazy("rectified on")],
    }
    for key, names in extra.items():
        for name in names:
            aliases.setdefault(_header_key(name), key)
    return aliases


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text: str) -> int | None:
    """"1", "12", "十二", "二十一" → int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        value = (_CN_DIGITS.get(tens, -100) if tens else 1) * 10 + (_CN_DIGITS.get(ones, -100) if ones else 0)
        return value if value > 0 else None
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    return None


_ROUND_RE = re.compile(r"^(\d{4})(?:年|-|/|\.)?第?([0-9]+|[零一二两三四五六七八九十]+)轮?")


def _parse_round(value) -> tuple[str, tuple[int, int] | int]:
    """("id", pk) for an inspection number, ("round", (year, number)) for "2024年第1轮"."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float) and float(value).is_integer():
        return "id", int(value)
    text = comparable(value)
    if re.fullmatch(r"\d{1,9}", text) and not re.fullmatch(r"(19|20)\d\d", text):
        return "id", int(text)
    match = _ROUND_RE.match(text)
    if match:
        number = _chinese_number(match.group(2))
        if number:
            return "round", (int(match.group(1)), number)
    raise ValueError


def _parse_date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial number or text like 2024-03-15, 2024/3/15, 2024年3月15日.

    Dates before 1990 or after 2100 are refused: in a ledger they are a year or an amount typed into the
    wrong column, not a date.
    """
    day = _parse_date_value(value)
    if day is not None and not (1990 <= day.year <= 2100):
        raise ValueError
    return day


def _parse_date_value(value) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 2958466:
        converted = from_excel(value)
        return converted.date() if isinstance(converted, datetime.datetime) else converted
    text = comparable(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    raise ValueError


def _parse_yes_no(value) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ValueError
    text = comparable(value).lower()
    yes = {"是", "y", "yes", "true", "1", "√", "✓", "有", comparable(_("yes")).lower()}
    no = {"", "否", "n", "no", "false", "0", "×", "无", comparable(_("no")).lower()}
    if text in yes:
        return True
    if text in no:
        return False
    raise ValueError


def _choice_lookup(choices, *, extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {}
    for choice in choices:
        table[comparable(choice.value).lower()] = choice.value
        table[comparable(choice.label)] = choice.value
    for key, value in (extra or {}).items():
        table.setdefault(comparable(key), value)
    return table


def _category_lookup() -> dict[str, str]:
    table = _choice_lookup(Category)
    # Ledgers often write "中央八项规定精神" for "违反中央八项规定精神".
    for choice in Category:
        label = comparable(choice.label)
        for prefix in ("违反",):
            if label.startswith(prefix):
                table.setdefault(label[len(prefix):], choice.value)
    return table


def data_rows(ws, header_row: int, mapping: dict[int, str], *, too_many: str):
    """(row number, {key: raw value}) of each row under the header that is not blank. A run of MAX_BLANK_RUN blank
    rows ends the sheet (formatting often reaches row 1,048,576); more than MAX_IMPORT_ROWS rows raise
    ImportFileError(too_many)."""
    count = blank_run = 0
    for row_index, values in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        cells = {key: values[i] if i < len(values) else None for i, key in mapping.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                return
            continue
        blank_run = 0
        count += 1
        if count > MAX_IMPORT_ROWS:
            raise ImportFileError(too_many)
        yield row_index, cells


def _not_xlsx() -> str:
    return _("This is not an Excel workbook (.xlsx). Download the template, fill it in and upload it as .xlsx.")


def _read_workbook(data: bytes):
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)s MB.")
                              % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("This is an old-format Excel (.xls) or Word (.doc) file. Open it in Excel, "
                                "save it as an Excel workbook (.xlsx) and upload that."))
    if not data.startswith(b"PK"):
        raise ImportFileError(_not_xlsx())
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFileError(_("The file is damaged and cannot be opened as an Excel workbook.")) from exc
    if bad is not None:
        raise ImportFileError(_("The file is damaged and cannot be opened as an Excel workbook."))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("The workbook is too large once unpacked; split it into smaller files."))
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise ImportFileError(_("This is a Word document, not an Excel workbook (.xlsx)."))
        if "ppt/presentation.xml" in names:
            raise ImportFileError(_("This is a PowerPoint file, not an Excel workbook (.xlsx)."))
        raise ImportFileError(_not_xlsx())
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise ImportFileError(_("The workbook cannot be read: it may be damaged or protected with a password."
                                )) from exc


def _find_header(wb) -> tuple[object, int, dict[int, str]]:
    """The sheet and row holding the header, and which column index holds which field."""
    aliases = _header_aliases()
    any_content = False
    best: tuple[object, int, dict[int, str]] | None = None
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
            if "description" in mapping.values() and len(mapping) >= 3:
                if best is None or len(mapping) > len(best[2]):
                    best = (ws, row_index, mapping)
        if best is not None:
            break
    if best is None:
        if not any_content:
            raise ImportFileError(_("The workbook is empty: there is no ledger in it."))
        raise ImportFileError(
            _("No header row was found. The first sheet must start with the template's header row: "
              "%(columns)s.")
            % {"columns": _(", ").join(str(c.header) for c in IMPORT_COLUMNS if c.required)}
        )
    missing = [c for c in IMPORT_COLUMNS if c.required and c.key not in best[2].values()]
    if missing:
        raise ImportFileError(_("These columns are missing: %(columns)s. Use the template's header row.")
                              % {"columns": _(", ").join(str(c.header) for c in missing)})
    return best


class _Inspections:
    """The inspections the actor may import into, found by number or by round and unit."""

    def __init__(self, inspections: Iterable[Inspection]):
        self.by_id: dict[int, Inspection] = {}
        self.by_round: dict[tuple[int, int], list[Inspection]] = {}
        for inspection in inspections:
            self.by_id[inspection.pk] = inspection
            key = (inspection.round.year, inspection.round.number)
            self.by_round.setdefault(key, []).append(inspection)

    @staticmethod
    def unit_in(inspection: Inspection, name: str):
        wanted = comparable(name)
        for unit in inspection.units.all():
            if wanted in (comparable(unit.name), comparable(str(unit))):
                return unit
        return None

    def resolve(self, how: str, value, unit_name: str, group_name: str) -> tuple[Inspection, object]:
        if how == "id":
            inspection = self.by_id.get(value)
            if inspection is None:
                raise ValidationFailed(_("There is no inspection numbered %(id)s that you may import into.")
                                       % {"id": value}, field="inspection")
            unit = self.unit_in(inspection, unit_name)
            if unit is None:
                raise ValidationFailed(_("%(unit)s is not among the units of inspection %(id)s.")
                                       % {"unit": unit_name, "id": value}, field="unit")
            return inspection, unit
        year, number = value
        candidates = self.by_round.get((year, number), [])
        if not candidates:
            raise ValidationFailed(_("No round %(number)s of %(year)s was found among the inspections you "
                                     "may import into.") % {"year": year, "number": number},
                                   field="inspection")
        if group_name:
            candidates = [i for i in candidates if comparable(i.group.name) == comparable(group_name)]
            if not candidates:
                raise ValidationFailed(_("No group %(group)s was found in this round.")
                                       % {"group": group_name}, field="group")
        matches = [(i, u) for i in candidates if (u := self.unit_in(i, unit_name)) is not None]
        if not matches:
            raise ValidationFailed(_("%(unit)s was not inspected in this round (check the name against the "
                                     "unit library).") % {"unit": unit_name}, field="unit")
        if len(matches) > 1:
            raise ValidationFailed(_("More than one inspection of this round covers %(unit)s: give the group "
                                     "or the inspection's number.") % {"unit": unit_name},
                                   field="inspection")
        return matches[0]


# Which column a service refusal is about.
_FIELD_COLUMN = {"inspection": "round", **{c.key: c.key for c in IMPORT_COLUMNS if c.key != "round"}}


def parse_problem_ledger(data: bytes, *, actor: User, inspections: Iterable[Inspection]) -> ParsedLedger:
    """Check every row of an uploaded ledger. `inspections` are those the actor may see (a selector's list).

    Returns the rows ready for findings.services.problems_import, or the errors of every bad row.
    """
    if not may_import_problems(actor):
        raise ImportFileError(_("Only the inspection office imports problem ledgers."))
    wb = _read_workbook(data)
    try:
        ws, header_row, mapping = _find_header(wb)
        result = ParsedLedger()
        known = _Inspections(inspections)
        categories = _category_lookup()
        disposals = _choice_lookup(Disposal)
        statuses = _choice_lookup(ProblemStatus)
        seen: dict[tuple[int, int, str], int] = {}
        too_many = _("The file has more than %(n)s problems; split it into smaller files.") % {"n": MAX_IMPORT_ROWS}
        for row_index, cells in data_rows(ws, header_row, mapping, too_many=too_many):
            row = _parse_row(row_index, cells, result.errors, known, categories, disposals, statuses, actor)
            if row is None:
                continue
            key = (row["inspection"].pk, row["unit"].pk, row["description"])
            if key in seen:
                result.errors.append(RowError(row_index, str(IMPORT_COLUMN_BY_KEY["description"].header),
                                              _("The same problem as row %(row)s.") % {"row": seen[key]}))
                continue
            seen[key] = row_index
            result.rows.append(row)
    finally:
        wb.close()
    if not result.rows and not result.errors:
        raise ImportFileError(_("The sheet has a header row but no problems under it."))
    return result


def _parse_row(row_index, cells, errors, known, categories, disposals, statuses, actor) -> dict | None:
    def text(key: str) -> str:
        value = cells.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return ILLEGAL_CHARACTERS_RE.sub("", str(value)).strip()

    def fail(key: str, message: str) -> None:
        errors.append(RowError(row_index, str(IMPORT_COLUMN_BY_KEY[key].header), message))

    before = len(errors)
    values: dict = {"row": row_index}

    round_how = round_value = None
    if cells.get("round") is None or text("round") == "":
        fail("round", _("Give the round (e.g. 2024年第1轮) or the inspection's number."))
    else:
        try:
            round_how, round_value = _parse_round(cells["round"])
        except ValueError:
            fail("round", _("“%(value)s” is neither a round like 2024年第1轮 nor an inspection number.")
                 % {"value": text("round")})
    unit_name = text("unit")
    if not unit_name:
        fail("unit", _("Give the inspected unit."))
    values["description"] = text("description")
    if not values["description"]:
        fail("description", _("Describe the problem."))
    values["evidence_summary"] = text("evidence_summary")
    values["key_person_names"] = text("key_person_names")[:200]

    category = text("category")
    if not category:
        fail("category", _("Give the category."))
    elif comparable(category) not in categories and comparable(category).lower() not in categories:
        fail("category", _("“%(value)s” is not a category; use one of the sheet of options.")
             % {"value": category})
    else:
        values["category"] = categories.get(comparable(category)) or categories[comparable(category).lower()]

    disposal = text("disposal")
    if not disposal:
        values["disposal"] = Disposal.GENERAL.value
    elif comparable(disposal) in disposals or comparable(disposal).lower() in disposals:
        values["disposal"] = disposals.get(comparable(disposal)) or disposals[comparable(disposal).lower()]
    else:
        fail("disposal", _("“%(value)s” is not a disposal; use %(choices)s.")
             % {"value": disposal, "choices": _(", ").join(str(d.label) for d in Disposal)})

    for key in ("key_person", "key_matter"):
        try:
            values[key] = _parse_yes_no(cells.get(key))
        except ValueError:
            fail(key, _("Write yes or no, not “%(value)s”.") % {"value": text(key)})

    status = text("status")
    values["status"] = ""
    if status:
        if comparable(status) in statuses or comparable(status).lower() in statuses:
            values["status"] = statuses.get(comparable(status)) or statuses[comparable(status).lower()]
        else:
            fail("status", _("“%(value)s” is not a status; use %(choices)s.")
                 % {"value": status, "choices": _(", ").join(str(s.label) for s in ProblemStatus)})

    for key in ("found_on", "fed_back_on", "rectified_on"):
        try:
            values[key] = _parse_date(cells.get(key))
        except (ValueError, OverflowError):
            fail(key, _("“%(value)s” is not a date; write it like 2024-03-15.") % {"value": text(key)})
            values[key] = None
        else:
            if key == "found_on" and values[key] is None:
                fail(key, _("Give the date the problem was found."))

    if round_how is not None and unit_name:
        try:
            values["inspection"], values["unit"] = known.resolve(round_how, round_value, unit_name,
                                                                 text("group"))
        except ValidationFailed as exc:
            fail(_FIELD_COLUMN.get(exc.field or "", "round"), exc.message)
    if len(errors) > before:
        return None
    try:
        checked_input = {k: v for k, v in values.items() if k != "row"}
        problem_import_check(actor=actor, **checked_input)
    except ValidationFailed as exc:
        fail(_FIELD_COLUMN.get(exc.field or "", "description"), exc.message)
        return None
    values["description"] = values["description"].strip()
    return values
