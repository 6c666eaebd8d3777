"""The printed sheet of one-time codes (.docx, one slip per code with its QR code) and the results (.xlsx).

The sheet is made once, when its batch is issued: the codes are not stored, so it cannot be made again. Its
slips are cut apart along the dashed lines and handed out at random (at the 动员会, or with the 测评表); nobody
notes who took which slip.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xuncha.core.official_document import DOCUMENT_LANGUAGE, OfficialDocument, chinese_date, qr_png, set_fonts, tight
from xuncha.findings.xlsx import _BORDER, _cell_value
from xuncha.surveys.models import QuestionKind, Survey, TokenBatch
from xuncha.surveys.tally import SurveyTally
from xuncha.surveys.tokens import code_display

SLIP_COLUMNS = 3
SLIP_FONT = "黑体"
CODE_FONT = "Consolas"


# --- the sheet of codes ---------------------------------------------------------------------------------------

def _run(paragraph, text: str, *, size: float, bold: bool = False, font: str = SLIP_FONT,
         ascii_font: str | None = None) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    set_fonts(run._r.get_or_add_rPr(), font, ascii_font)


def _dashed_borders(table) -> None:
    """Dashed lines around and between the slips: where the sheet is cut."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "dashed")
        element.set(qn("w:sz"), "6")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "808080")
        borders.append(element)
    properties.append(borders)


def _keep_row_on_one_page(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    properties.append(element)


def token_sheet_docx(*, survey: Survey, batch: TokenBatch, codes: Sequence[str], url_for: Callable[[str], str],
                     start_url: str) -> bytes:
    """One slip per code: the survey's title, the QR code of the code's answer page, the code, and the address
    where the code can be typed instead."""
    with translation.override(DOCUMENT_LANGUAGE):
        doc = OfficialDocument()
        section = doc.doc.sections[0]
        section.top_margin, section.bottom_margin = Mm(14), Mm(14)
        section.left_margin, section.right_margin = Mm(14), Mm(14)
        section.footer_distance = Mm(6)
        title = _("%(title)s: one-time codes (batch %(number)s)") % {"title": survey.title, "number": batch.number}
        doc.properties(title=title, author=f"{survey.inspection.round.committee.name}{survey.inspection.group.name}")
        heading = doc.doc.add_paragraph()
        tight(heading, center=True, space_pt=1)
        _run(heading, title, size=14, bold=True)
        note = doc.doc.add_paragraph()
        tight(note, center=False, space_pt=1)
        _run(note, _("%(count)s codes, issued on %(date)s. Cut along the dashed lines and hand the slips out at "
                     "random; do not note who takes which slip. Each code can be used once; the answers are not "
                     "linked to the codes. These codes are printed only on this sheet and cannot be printed again: "
                     "if the sheet is lost, void the batch and issue a new one.")
             % {"count": len(codes), "date": chinese_date(batch.issued_on)}, size=9, font="仿宋_GB2312")
        rows = (len(codes) + SLIP_COLUMNS - 1) // SLIP_COLUMNS
        table = doc.doc.add_table(rows=rows, cols=SLIP_COLUMNS)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _dashed_borders(table)
        width = Mm(182 / SLIP_COLUMNS)
        for row in table.rows:
            _keep_row_on_one_page(row)
            for cell in row.cells:
                cell.width = width
        for n, code in enumerate(codes):
            cell = table.cell(n // SLIP_COLUMNS, n % SLIP_COLUMNS)
            first = cell.paragraphs[0]
            tight(first, center=True, space_pt=1)
            _run(first, survey.title, size=8, bold=True)
            picture = cell.add_paragraph()
            tight(picture, center=True, space_pt=1)
            picture.add_run().add_picture(io.BytesIO(qr_png(url_for(code))), width=Mm(30))
            label = cell.add_paragraph()
            tight(label, center=True, space_pt=1)
            _run(label, _("Survey code") + " ", size=9)
            _run(label, code_display(code), size=13, bold=True, ascii_font=CODE_FONT)
            hint = cell.add_paragraph()
            tight(hint, center=True, space_pt=1)
            _run(hint, _("Scan the QR code, or open %(url)s and type the code.") % {"url": start_url}, size=7,
                 font="仿宋_GB2312")
            once = cell.add_paragraph()
            tight(once, center=True, space_pt=1)
            _run(once, _("Anonymous · one answer per code · valid until %(date)s")
                 % {"date": chinese_date(survey.closes_on)}, size=7, font="仿宋_GB2312")
        return doc.save()


# --- the results ----------------------------------------------------------------------------------------------

_HEAD = PatternFill("solid", fgColor="F2DCDB")
_XLSX_FONT = "宋体"


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def _sheet_rows(ws, rows: list[list], *, header_row: int, widths: Sequence[float]) -> None:
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=_cell_value(value))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            cell.font = Font(name=_XLSX_FONT, size=10, bold=r <= header_row)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if r >= header_row and values:
                cell.border = _BORDER
            if r == header_row:
                cell.fill = _HEAD
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def results_xlsx(*, survey: Survey, figures: SurveyTally, answer_sheets: Sequence[dict]) -> bytes:
    """Three sheets: the counts per question and option, the free-text answers, and the answer sheets one per
    row (in the random order of their ids, without dates)."""
    wb = Workbook()
    summary = wb.active
    summary.title = _("Survey results")[:31]
    head = [
        [survey.title],
        [_("Answer sheets %(responses)s · tokens issued %(tokens)s · response rate %(rate)s")
         % {"responses": figures.responses, "tokens": figures.tokens_issued, "rate": _rate(figures.response_rate)}
         + ((" · " + _("satisfaction rate %(rate)s (%(favourable)s of %(answers)s rated answers)")
             % {"rate": _rate(figures.satisfaction), "favourable": figures.favourable_answers,
                "answers": figures.rated_answers}) if figures.has_rating else "")],
        [_("No."), _("Question"), _("Option"), _("Answers"), _("Share of those who answered")],
    ]
    rows = []
    for n, row in enumerate(figures.questions, start=1):
        question = row.question
        if question.kind == QuestionKind.TEXT:
            rows.append([n, question.text, _("(free text: see the sheet of written answers)"), row.answered, ""])
            continue
        for choice in row.choices:
            rows.append([n, question.text, choice.label, choice.count, _rate(choice.percent)])
        if row.rated:
            rows.append([n, question.text, _("Satisfaction rate"), f"{row.favourable}/{row.answered}",
                         _rate(row.satisfaction)])
    _sheet_rows(summary, head + rows, header_row=3, widths=(6, 48, 24, 10, 14))
    summary.merge_cells("A1:E1")
    summary.merge_cells("A2:E2")
    summary["A1"].font = Font(name=_XLSX_FONT, size=14, bold=True)

    texts = wb.create_sheet(_("Written answers")[:31])
    text_rows = [[_("No."), _("Question"), _("Answer")]]
    for n, row in enumerate(figures.questions, start=1):
        text_rows.extend([n, row.question.text, text] for text in row.texts)
    _sheet_rows(texts, text_rows, header_row=1, widths=(6, 36, 80))

    sheets = wb.create_sheet(_("Answer sheets")[:31])
    questions = [row.question for row in figures.questions]
    sheet_rows = [[_("No.")] + [f"{n}. {q.text}" for n, q in enumerate(questions, start=1)]]
    for n, answers in enumerate(answer_sheets, start=1):
        sheet_rows.append([n] + [_answer_words(q, answers.get(str(q.pk))) for q in questions])
    _sheet_rows(sheets, sheet_rows, header_row=1, widths=[6] + [18] * len(questions))

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _answer_words(question, value) -> str:
    if value is None:
        return ""
    if question.kind == QuestionKind.TEXT:
        return str(value)
    options = question.options
    positions = value if isinstance(value, list) else [value]
    return "；".join(options[p] for p in positions if isinstance(p, int) and 0 <= p < len(options))
