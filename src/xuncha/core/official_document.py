"""The layout of a Chinese official document (公文, GB/T 9704-2012) as a python-docx Word file, shared by every .docx
the platform generates (反馈意见, 整改报告, 巡察通知/公告, 移交函, 立行立改通知书, 1+5 reports, survey slips), and the
small wording helpers those documents have in common. No model imports: the words about committees, units and
inspections are in xuncha.rounds.document_words.

The document text is Chinese: it is the official layout, not UI chrome, so documents render in DOCUMENT_LANGUAGE
whatever the request's language.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence

import segno
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_LANGUAGE = "zh-hans"

# GB/T 9704-2012 fonts and sizes (号 → pt): 2号 22pt, 3号 16pt, 4号 14pt.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
PAGE_NUMBER_SIZE = Pt(14)
LINE_SPACING = Pt(28.9)  # 22 lines in the 225 mm type area
TITLE_LINE_SPACING = Pt(35)
INDENT = Pt(32)  # two characters of 3号

_DIGITS = "零一二三四五六七八九"


# --- Wording helpers --------------------------------------------------------------------------------------

def chinese_date(day: datetime.date) -> str:
    """2026年11月22日 (GB/T 9704 writes the date of a document in Arabic numerals)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (for 「一、」「（一）」)."""
    if n < 0 or n >= 100:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def clean_text(text: str) -> str:
    return re.sub(r"[ \t\r\f\v]+", " ", (text or "").strip())


def sentence(text: str) -> str:
    """Text ending with a full stop, unless it already ends with punctuation."""
    text = clean_text(text).replace("\n", "")
    if text and text[-1] not in "。！？；.!?;”」）)":
        text += "。"
    return text


_NAME_SPLIT = re.compile(r"[、，,；;/\s]+")


def split_names(text: str) -> list[str]:
    """「张三、李四；王五」 → the names, as a problem's key persons are written."""
    return [name for name in _NAME_SPLIT.split(text or "") if name]


def names_longest_first(names: Iterable[str]) -> list[str]:
    """Names to hide, longest first so a full name goes before a part of it; one character is no name."""
    cleaned = {(n or "").strip() for n in names}
    return sorted((n for n in cleaned if len(n) >= 2), key=len, reverse=True)


def hide_names(text: str, names: Sequence[str]) -> str:
    """Each name (longest first, see names_longest_first) replaced by ×× for a public text."""
    for name in names:
        text = text.replace(name, "××")
    return text


def qr_png(url: str) -> bytes:
    """A QR code of the URL as PNG, large enough to scan from a printed A4 page."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


# --- The Word document ------------------------------------------------------------------------------------

def tight(paragraph, *, center: bool = False, space_pt: float = 1) -> None:
    """A paragraph for a table cell or a slip: no first-line indent, single spacing, little space around."""
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = None
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(space_pt)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def set_fonts(rpr, font: str, ascii_font: str | None = None) -> None:
    """Fonts for every script. Theme fonts are dropped: in Word they win over named ones."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), ascii_font or font)
    fonts.set(qn("w:hAnsi"), ascii_font or font)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:cs"), ascii_font or font)
    fonts.set(qn("w:hint"), "eastAsia")


class OfficialDocument:
    """A python-docx document set up as a 公文 page: A4, GB/T 9704 margins, 仿宋 3号 body, page numbers."""

    def __init__(self) -> None:
        self.doc = Document()
        self._defaults()
        self._page()

    def _defaults(self) -> None:
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                set_fonts(rpr, BODY_FONT)
                lang = rpr.find(qn("w:lang"))
                if lang is not None:
                    lang.set(qn("w:val"), "en-US")
                    lang.set(qn("w:eastAsia"), "zh-CN")
        normal = self.doc.styles["Normal"]
        set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        normal.font.size = BODY_SIZE
        fmt = normal.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_SPACING
        fmt.widow_control = False

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(23)
        # Odd pages: number on the right, one character in; even pages: on the left.
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    @staticmethod
    def _page_number(paragraph: Paragraph, alignment) -> None:
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = PAGE_NUMBER_SIZE
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE

        def run(text: str = ""):
            r = paragraph.add_run(text)
            r.font.size = PAGE_NUMBER_SIZE
            set_fonts(r._r.get_or_add_rPr(), PAGE_NUMBER_FONT)
            return r

        def field_char(kind: str) -> None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run()._r.append(element)

        run("— ")
        field_char("begin")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = " PAGE "
        run()._r.append(instruction)
        field_char("separate")
        run("1")
        field_char("end")
        run(" —")

    def paragraph(self, text: str, *, font: str = BODY_FONT, size=BODY_SIZE, indent: bool = True,
                   alignment=None, outline_level: int | None = None, keep_with_next: bool = False) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if alignment is not None:
            paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        if indent:
            fmt.first_line_indent = INDENT
            paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
        if keep_with_next:
            fmt.keep_with_next = True
        if outline_level is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline_level))
            paragraph._p.get_or_add_pPr().append(level)
        if text:
            run = paragraph.add_run(text)
            run.font.size = size
            set_fonts(run._r.get_or_add_rPr(), font)
        return paragraph

    def title(self, text: str) -> None:
        paragraph = self.paragraph(text, font=TITLE_FONT, size=TITLE_SIZE, indent=False,
                                    alignment=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
        paragraph.paragraph_format.line_spacing = TITLE_LINE_SPACING
        self.blank()

    def blank(self) -> None:
        self.paragraph("", indent=False)

    def addressee(self, text: str) -> None:
        self.paragraph(text, indent=False)

    def body(self, text: str) -> None:
        for line in [part for part in clean_text(text).split("\n") if part.strip()] or [""]:
            self.paragraph(line.strip())

    def heading1(self, text: str) -> None:
        self.paragraph(text, font=HEADING1_FONT, outline_level=0, keep_with_next=True)

    def heading2(self, text: str) -> None:
        self.paragraph(text, font=HEADING2_FONT, outline_level=1, keep_with_next=True)

    def numbered(self, number: int, text: str) -> None:
        lines = [part.strip() for part in clean_text(text).split("\n") if part.strip()] or [""]
        self.paragraph(f"{number}.{lines[0]}")
        for line in lines[1:]:
            self.paragraph(line)

    def note(self, text: str) -> None:
        """A placeholder the unit replaces: 楷体, so it stands out from the text around it."""
        self.paragraph(text, font=HEADING2_FONT)

    def signature(self, *lines: str) -> None:
        """落款: one blank line, then the signer and the date, right-aligned two characters in.

        The last paragraph of the text keeps with it: a 落款 alone on a page is not allowed.
        """
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.paragraph("", indent=False, keep_with_next=True)
        for position, line in enumerate(lines, start=1):
            paragraph = self.paragraph(line, indent=False, alignment=WD_ALIGN_PARAGRAPH.RIGHT,
                                        keep_with_next=position < len(lines))
            paragraph.paragraph_format.right_indent = INDENT

    def properties(self, *, title: str, author: str) -> None:
        core = self.doc.core_properties
        core.title = title
        core.author = author
        core.last_modified_by = author
        core.language = "zh-CN"

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
