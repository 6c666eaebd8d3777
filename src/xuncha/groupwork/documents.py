"""The month's sign-in sheet (考勤表) of a group as .xlsx: members × days, a mark per day, the totals per member."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xuncha.core.official_document import DOCUMENT_LANGUAGE
from xuncha.findings.xlsx import _BORDER, _cell_value
from xuncha.groupwork.models import Attendance, Presence
from xuncha.groupwork.selectors import MonthGrid
from xuncha.rounds.models import InspectionGroup

FONT = "宋体"
_HEAD = PatternFill("solid", fgColor="E8EEF5")
_WEEKEND = PatternFill("solid", fgColor="F3F3F3")
PRESENCE_ORDER = [Presence.PRESENT, Presence.ON_LEAVE, Presence.AWAY, Presence.ABSENT]


def presence_marks() -> dict[str, str]:
    """The one-character mark of each kind of day, on the page and in the sheet."""
    return {Presence.PRESENT: pgettext("attendance mark", "P"), Presence.ON_LEAVE: pgettext("attendance mark", "L"),
            Presence.AWAY: pgettext("attendance mark", "B"), Presence.ABSENT: pgettext("attendance mark", "A")}


def cell_mark(record: Attendance | None) -> str:
    return "" if record is None else presence_marks().get(record.presence, "?")


def attendance_xlsx(*, group: InspectionGroup, grid: MonthGrid) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return _attendance_xlsx(group, grid)


def _attendance_xlsx(group: InspectionGroup, grid: MonthGrid) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Sign-in %(year)s-%(month)02d") % {"year": grid.year, "month": grid.month}
    n_days = len(grid.days)
    totals = [Presence(p).label for p in PRESENCE_ORDER]
    last_col = 2 + n_days + len(totals)
    title = _("%(round)s %(group)s: sign-in of %(year)s-%(month)02d") % {
        "round": group.round, "group": group.name, "year": grid.year, "month": grid.month}
    marks = presence_marks()
    legend = _("Marks: %(present)s signed in, %(leave)s on leave, %(away)s away on group business, %(absent)s absent; "
               "empty: nothing recorded. Exported %(when)s.") % {
        "present": marks[Presence.PRESENT], "leave": marks[Presence.ON_LEAVE], "away": marks[Presence.AWAY],
        "absent": marks[Presence.ABSENT], "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    ws.cell(row=1, column=1, value=_cell_value(title)).font = Font(name=FONT, size=14, bold=True)
    ws.cell(row=2, column=1, value=_cell_value(legend)).font = Font(name=FONT, size=9)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    header = [_("Member"), _("Role in group")] + [str(d.day) for d in grid.days] + totals
    for c, value in enumerate(header, start=1):
        cell = ws.cell(row=3, column=c, value=_cell_value(value))
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.fill = _HEAD
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(grid.rows, start=4):
        values = [str(row.membership.user), row.membership.get_role_display()]
        values += [cell_mark(cell) for cell in row.cells]
        values += [row.counts.get(p, 0) for p in PRESENCE_ORDER]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=_cell_value(value))
            cell.font = Font(name=FONT, size=10)
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="left" if c <= 2 else "center", vertical="center")
            day_index = c - 3
            if 0 <= day_index < n_days and grid.days[day_index].weekday() >= 5:
                cell.fill = _WEEKEND
    notes_row = 5 + len(grid.rows)
    ws.cell(row=notes_row, column=1, value=_("Notes")).font = Font(name=FONT, size=10, bold=True)
    r = notes_row + 1
    for row in grid.rows:
        for cell in row.cells:
            if cell is not None and cell.note:
                text = f"{row.membership.user} {cell.on_date.isoformat()} {cell.get_presence_display()}：{cell.note}"
                ws.cell(row=r, column=1, value=_cell_value(text)).font = Font(name=FONT, size=10)
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
                r += 1
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 11
    for c in range(3, 3 + n_days):
        ws.column_dimensions[get_column_letter(c)].width = 4
    for c in range(3 + n_days, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 9
    ws.freeze_panes = ws.cell(row=4, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
