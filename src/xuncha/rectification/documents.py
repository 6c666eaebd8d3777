"""The generated documents of rectification: the 反馈意见 and the skeleton of the 整改情况报告 as Word files in the
GB/T 9704 layout, and the text of the 整改公开.

The document text is Chinese: it is the official layout, not UI chrome, so labels are rendered in zh-hans whatever
the request's language. Clue problems never appear: a clue goes to the 纪委监委, not to the unit.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from xuncha.core.dates import add_months
from xuncha.core.rates import percentage
from xuncha.findings.models import (
    CATEGORY_GROUPS,
    FED_BACK_STATUSES,
    Category,
    Disposal,
    Problem,
    ProblemStatus,
    Suggestion,
)
from xuncha.org.models import Committee, CommitteeLevel, Unit, UnitKind
from xuncha.rectification.models import Task, TaskKind, TaskStatus
from xuncha.rectification.selectors import task_is_overdue
from xuncha.rounds.models import Inspection

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


_ORG_SUFFIXES = ("党组", "党委", "党工委", "党总支", "党支部", "支部委员会", "委员会", "党组织")


def party_organisation(unit: Unit) -> str:
    """The unit's party organisation without 「中共」: 甲县财政局党组, 城关镇党委, 城关镇东关村党支部."""
    name = str(unit).strip()
    if name.startswith("中共"):
        name = name[2:]
    if name.endswith(_ORG_SUFFIXES):
        return name
    if unit.kind == UnitKind.DEPARTMENT:
        return f"{name}党组"
    if unit.kind == UnitKind.TOWNSHIP:
        return f"{name}党工委" if name.endswith("街道") else f"{name}党委"
    if unit.kind == UnitKind.VILLAGE:
        return f"{name}党支部"
    return f"{name}党委"


def party_organisation_full(unit: Unit) -> str:
    """中共甲县财政局党组 (the form of a 主送 line or a 落款)."""
    return f"中共{party_organisation(unit)}"


def _tour(committee: Committee) -> str:
    """A provincial committee runs 巡视, the others 巡察."""
    return "巡视" if committee.level == CommitteeLevel.PROVINCE else "巡察"


def _leading_group(committee: Committee) -> str:
    return f"{committee.name}{_tour(committee)}工作领导小组"


def _round_words(inspection: Inspection) -> str:
    rnd = inspection.round
    words = f"{rnd.year}年第{rnd.number}轮{_tour(rnd.committee)}"
    if rnd.topic:
        words += f"（{rnd.topic}）"
    return words


def _fieldwork_words(inspection: Inspection) -> str:
    """「于2026年3月1日至2026年4月10日」, or nothing when the dates are not recorded."""
    if inspection.entry_on and inspection.fieldwork_ends_on:
        return f"于{chinese_date(inspection.entry_on)}至{chinese_date(inspection.fieldwork_ends_on)}"
    if inspection.entry_on:
        return f"自{chinese_date(inspection.entry_on)}起"
    return ""


def _clean_text(text: str) -> str:
    return re.sub(r"[ \t\r\f\v]+", " ", (text or "").strip())


def _sentence(text: str) -> str:
    """Text ending with a full stop, unless it already ends with punctuation."""
    text = _clean_text(text).replace("\n", "")
    if text and text[-1] not in "。！？；.!?;”」）)":
        text += "。"
    return text


_CATEGORY_ORDER = [c for categories in CATEGORY_GROUPS.values() for c in categories]


def _category_rank(category: str) -> int:
    try:
        return _CATEGORY_ORDER.index(category)
    except ValueError:
        return len(_CATEGORY_ORDER)


def problem_sort_key(problem: Problem) -> tuple:
    """The order of documents and ledgers: category as in CATEGORY_GROUPS, then date found."""
    return (_category_rank(problem.category), problem.found_on or datetime.date.min, problem.pk or 0)


def category_label(value: str) -> str:
    try:
        return str(Category(value).label)
    except ValueError:
        return value


def _unit_problems(problems: Iterable[Problem], unit: Unit, *, fed_back_only: bool) -> list[Problem]:
    """The problems the unit may be told of: its own, not clues (and, for reports, fed back)."""
    chosen = [p for p in problems if p.unit_id == unit.pk and p.disposal != Disposal.CLUE
              and (not fed_back_only or p.status in FED_BACK_STATUSES)]
    return sorted(chosen, key=problem_sort_key)


def _grouped(problems: Sequence[Problem]) -> list[tuple[str, list[tuple[str, list[Problem]]]]]:
    """[(group heading, [(category label, problems)])] in the order of CATEGORY_GROUPS, empty ones left out."""
    by_category: dict[str, list[Problem]] = {}
    for problem in problems:
        by_category.setdefault(problem.category, []).append(problem)
    groups: list[tuple[str, list[tuple[str, list[Problem]]]]] = []
    for heading, categories in CATEGORY_GROUPS.items():
        entries = [(category_label(c), by_category.pop(c)) for c in categories if c in by_category]
        if entries:
            groups.append((str(heading), entries))
    if by_category:  # a category no group lists
        groups.append(("其他", [(category_label(c), ps) for c, ps in by_category.items()]))
    return groups


# --- The figures of a rectification -------------------------------------------------------------------

@dataclass(frozen=True)
class RectificationFigures:
    problems: int
    rectified: int
    rectifying: int
    tasks: int
    closed: int
    overdue: int
    long_term: int

    @property
    def rate_text(self) -> str:
        rate = percentage(self.rectified, self.problems)
        return "—" if rate is None else f"{rate}%"


def rectification_figures(*, problems: Sequence[Problem], tasks: Sequence[Task],
                          on: datetime.date) -> RectificationFigures:
    rectified = sum(1 for p in problems if p.status == ProblemStatus.RECTIFIED)
    return RectificationFigures(
        problems=len(problems), rectified=rectified, rectifying=len(problems) - rectified, tasks=len(tasks),
        closed=sum(1 for t in tasks if t.status == TaskStatus.CLOSED),
        overdue=sum(1 for t in tasks if task_is_overdue(t, on=on)),
        long_term=sum(1 for t in tasks if t.kind == TaskKind.LONG_TERM),
    )


def _tasks_of(problems: Sequence[Problem], tasks: Iterable[Task]) -> dict[int, list[Task]]:
    wanted = {p.pk for p in problems}
    by_problem: dict[int, list[Task]] = {pk: [] for pk in wanted}
    for task in tasks:
        if task.problem_id in wanted:
            by_problem[task.problem_id].append(task)
    for items in by_problem.values():
        items.sort(key=lambda t: (t.deadline or datetime.date.max, t.pk or 0))
    return by_problem


def _problem_state(problem: Problem) -> str:
    """已完成整改 or 正在整改, as the figures count them."""
    if problem.status != ProblemStatus.RECTIFIED:
        return "正在整改"
    return f"已完成整改（{chinese_date(problem.rectified_on)}）" if problem.rectified_on else "已完成整改"


def _deadline_words(task: Task) -> str:
    if task.deadline is None:
        return "长期坚持"
    return chinese_date(task.deadline)


# --- The Word document ------------------------------------------------------------------------------------

def _set_fonts(rpr, font: str, ascii_font: str | None = None) -> None:
    """Fonts for every script. Theme fonts are dropped: in Word they win over named ones."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), ascii_font or font)
    fonts.set(qn("w:hAnsi"), ascii_font or font)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:cs"), ascii_font or font)
    fonts.set(qn("w:hint"), "eastAsia")


class _OfficialDocument:
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
                _set_fonts(rpr, BODY_FONT)
                lang = rpr.find(qn("w:lang"))
                if lang is not None:
                    lang.set(qn("w:val"), "en-US")
                    lang.set(qn("w:eastAsia"), "zh-CN")
        normal = self.doc.styles["Normal"]
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
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
            _set_fonts(r._r.get_or_add_rPr(), PAGE_NUMBER_FONT)
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

    def _paragraph(self, text: str, *, font: str = BODY_FONT, size=BODY_SIZE, indent: bool = True,
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
            _set_fonts(run._r.get_or_add_rPr(), font)
        return paragraph

    def title(self, text: str) -> None:
        paragraph = self._paragraph(text, font=TITLE_FONT, size=TITLE_SIZE, indent=False,
                                    alignment=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
        paragraph.paragraph_format.line_spacing = TITLE_LINE_SPACING
        self.blank()

    def blank(self) -> None:
        self._paragraph("", indent=False)

    def addressee(self, text: str) -> None:
        self._paragraph(text, indent=False)

    def body(self, text: str) -> None:
        for line in [part for part in _clean_text(text).split("\n") if part.strip()] or [""]:
            self._paragraph(line.strip())

    def heading1(self, text: str) -> None:
        self._paragraph(text, font=HEADING1_FONT, outline_level=0, keep_with_next=True)

    def heading2(self, text: str) -> None:
        self._paragraph(text, font=HEADING2_FONT, outline_level=1, keep_with_next=True)

    def numbered(self, number: int, text: str) -> None:
        lines = [part.strip() for part in _clean_text(text).split("\n") if part.strip()] or [""]
        self._paragraph(f"{number}.{lines[0]}")
        for line in lines[1:]:
            self._paragraph(line)

    def note(self, text: str) -> None:
        """A placeholder the unit replaces: 楷体, so it stands out from the text around it."""
        self._paragraph(text, font=HEADING2_FONT)

    def signature(self, *lines: str) -> None:
        """落款: one blank line, then the signer and the date, right-aligned two characters in.

        The last paragraph of the text keeps with it: a 落款 alone on a page is not allowed.
        """
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self._paragraph("", indent=False, keep_with_next=True)
        for position, line in enumerate(lines, start=1):
            paragraph = self._paragraph(line, indent=False, alignment=WD_ALIGN_PARAGRAPH.RIGHT,
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


# --- 反馈意见 ----------------------------------------------------------------------------------------------

def feedback_opinion_docx(*, inspection: Inspection, unit: Unit, problems: Iterable[Problem],
                          suggestions: Iterable[Suggestion], issued_on: datetime.date) -> bytes:
    """The group's 反馈意见 to the unit: the problems by category, the suggestions and the requirements."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _feedback_opinion(inspection=inspection, unit=unit, problems=problems, suggestions=suggestions,
                                 issued_on=issued_on)


def _feedback_opinion(*, inspection: Inspection, unit: Unit, problems: Iterable[Problem],
                      suggestions: Iterable[Suggestion], issued_on: datetime.date) -> bytes:
    committee = inspection.round.committee
    group = inspection.group.name
    tour = _tour(committee)
    organisation = party_organisation(unit)
    signer = f"{committee.name}{group}"
    shown = _unit_problems(problems, unit, fed_back_only=False)
    suggestion_texts = [s.text for s in suggestions if s.unit_id == unit.pk and _clean_text(s.text)]
    months = committee.rectify_report_months_after_feedback

    doc = _OfficialDocument()
    title = f"{signer}关于{tour}{organisation}的反馈意见"
    doc.properties(title=title, author=signer)
    doc.title(title)
    doc.addressee(f"{party_organisation_full(unit)}：")
    fieldwork = _fieldwork_words(inspection)
    doc.body(
        f"根据{committee.name}{tour}工作统一部署，{committee.name}{group}{fieldwork}对{organisation}开展了"
        f"{_round_words(inspection)}。{tour}组坚持以习近平新时代中国特色社会主义思想为指导，聚焦职能责任，"
        f"通过听取汇报、个别谈话、受理信访、查阅资料、走访调研等方式，深入了解情况。"
        f"经{_leading_group(committee)}审议并报{committee.name}书记专题会议研究，"
        f"现将{tour}发现的主要问题和意见建议反馈如下。"
    )

    number = 0
    if shown:
        for heading, entries in _grouped(shown):
            number += 1
            doc.heading1(f"{chinese_numeral(number)}、{heading}方面的问题")
            for index, (label, items) in enumerate(entries, start=1):
                doc.heading2(f"（{chinese_numeral(index)}）{label}方面")
                for position, problem in enumerate(items, start=1):
                    doc.numbered(position, _sentence(problem.description))
    else:
        doc.body(f"本轮{tour}未发现需要向{organisation}反馈的问题。")

    if suggestion_texts:
        number += 1
        doc.heading1(f"{chinese_numeral(number)}、意见建议")
        for position, text in enumerate(suggestion_texts, start=1):
            doc.numbered(position, _sentence(text))

    number += 1
    due = add_months(issued_on, months)
    doc.heading1(f"{chinese_numeral(number)}、整改要求")
    doc.body(
        f"{organisation}要切实履行{tour}整改主体责任，主要负责人要履行第一责任人职责，领导班子成员要履行“一岗双责”，"
        f"对反馈的问题逐条认领、建立问题清单、任务清单、责任清单，明确整改措施、责任领导、责任部门、责任人和完成时限，"
        f"坚持立行立改、限期整改、长期坚持相结合，做到件件有着落、事事有回音。"
    )
    doc.body(
        f"{organisation}应在{tour}反馈后{months}个月内（即{chinese_date(due)}前），将整改情况报告报送"
        f"{_leading_group(committee)}办公室，同时抄送{committee.region}纪委监委和{committee.name}组织部。"
        f"整改进展情况按规定在党内通报、向社会公开，接受干部群众监督。"
    )

    doc.signature(signer, chinese_date(issued_on))
    return doc.save()


# --- 整改情况报告 -----------------------------------------------------------------------------------------

def rectification_report_docx(*, inspection: Inspection, unit: Unit, tasks: Iterable[Task],
                              problems: Iterable[Problem], due_on: datetime.date, on: datetime.date) -> bytes:
    """The skeleton of the unit's 整改情况报告: the figures as of `on`, one section per problem with its tasks,
    and 「（此处填写……）」 where the unit writes its account."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _rectification_report(inspection=inspection, unit=unit, tasks=tasks, problems=problems,
                                     due_on=due_on, on=on)


def _rectification_report(*, inspection: Inspection, unit: Unit, tasks: Iterable[Task],
                          problems: Iterable[Problem], due_on: datetime.date, on: datetime.date) -> bytes:
    committee = inspection.round.committee
    group = inspection.group.name
    tour = _tour(committee)
    organisation = party_organisation(unit)
    signer = party_organisation_full(unit)
    shown = _unit_problems(problems, unit, fed_back_only=True)
    by_problem = _tasks_of(shown, tasks)
    figures = rectification_figures(problems=shown, tasks=[t for ts in by_problem.values() for t in ts], on=on)

    doc = _OfficialDocument()
    title = f"{signer}关于{tour}整改情况的报告"
    doc.properties(title=title, author=signer)
    doc.note(f"（报送时限：{chinese_date(due_on)}前报送{_leading_group(committee)}办公室。正式报送前删除本行。）")
    doc.title(title)
    doc.addressee(f"{_leading_group(committee)}：")
    fieldwork = _fieldwork_words(inspection)
    feedback = f"，并于{chinese_date(inspection.feedback_on)}反馈了{tour}意见" if inspection.feedback_on else ""
    doc.body(
        f"根据{committee.name}统一部署，{committee.name}{group}{fieldwork}对{organisation}开展了"
        f"{_round_words(inspection)}{feedback}。{organisation}坚决扛起整改主体责任，对照反馈问题逐条制定整改措施，"
        f"建立问题、任务、责任“三张清单”，推动整改落实。现将整改情况报告如下。"
    )

    doc.heading1("一、整改工作总体情况")
    doc.body(
        f"截至{chinese_date(on)}，{tour}反馈问题{figures.problems}个，已完成整改{figures.rectified}个，"
        f"正在整改{figures.rectifying}个，整改率{figures.rate_text}。共制定整改任务{figures.tasks}项，"
        f"已对账销号{figures.closed}项，逾期未完成{figures.overdue}项，需长期坚持{figures.long_term}项。"
    )
    doc.note("（此处填写整改工作的组织领导、研究部署、推进落实和建章立制等情况。）")

    doc.heading1(f"二、{tour}反馈问题整改落实情况")
    if not shown:
        doc.note("（此处填写整改落实情况。）")
    for index, problem in enumerate(shown, start=1):
        doc.heading2(f"（{chinese_numeral(index)}）{category_label(problem.category)}方面的问题")
        doc.body(f"问题：{_sentence(problem.description)}")
        doc.body(f"整改状态：{_problem_state(problem)}。")
        items = by_problem.get(problem.pk, [])
        if not items:
            doc.body("整改措施：尚未制定。")
        for position, task in enumerate(items, start=1):
            state = str(TaskStatus(task.status).label)
            if task.status == TaskStatus.CLOSED and task.closed_on:
                state += f"（{chinese_date(task.closed_on)}）"
            elif task_is_overdue(task, on=on):
                state += "（已逾期）"
            doc.numbered(position, f"整改措施：{_sentence(task.measure)}"
                                   f"责任领导：{task.responsible_leader}；责任部门：{task.responsible_department}；"
                                   f"完成时限：{_deadline_words(task)}；完成情况：{state}。")
        doc.note("（此处填写该问题的整改落实情况、取得的成效和佐证材料。）")

    doc.heading1("三、存在的不足和下一步打算")
    doc.note("（此处填写整改中存在的不足，以及巩固整改成果、建立长效机制的下一步打算。）")

    doc.signature(signer, chinese_date(on))
    return doc.save()


# --- 整改公开 ---------------------------------------------------------------------------------------------

_NAME_SPLIT = re.compile(r"[、，,；;/\s]+")


def _names_to_hide(problems: Iterable[Problem], tasks: Iterable[Task]) -> list[str]:
    names: set[str] = set()
    for task in tasks:
        names.update({task.responsible_person.strip(), task.responsible_leader.strip()})
    for problem in problems:
        names.update(_NAME_SPLIT.split(problem.key_person_names or ""))
    # Longest first, so a full name goes before a part of it; one character is no name.
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def _hide_names(text: str, names: Sequence[str]) -> str:
    for name in names:
        text = text.replace(name, "××")
    return text


def disclosure_text(*, inspection: Inspection, unit: Unit, tasks: Iterable[Task], problems: Iterable[Problem],
                    on: datetime.date) -> str:
    """The 整改公开 text: figures and, per problem, what was done. No names, no clues, no evidence."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _disclosure(inspection=inspection, unit=unit, tasks=tasks, problems=problems, on=on)


def _disclosure(*, inspection: Inspection, unit: Unit, tasks: Iterable[Task], problems: Iterable[Problem],
                on: datetime.date) -> str:
    committee = inspection.round.committee
    tour = _tour(committee)
    organisation = party_organisation(unit)
    problems = list(problems)
    tasks = list(tasks)
    hidden = _names_to_hide(problems, tasks)
    shown = _unit_problems(problems, unit, fed_back_only=True)
    by_problem = _tasks_of(shown, tasks)
    figures = rectification_figures(problems=shown, tasks=[t for ts in by_problem.values() for t in ts], on=on)

    paragraphs = [f"{party_organisation_full(unit)}关于{tour}整改进展情况的通报"]
    feedback = f"，并于{chinese_date(inspection.feedback_on)}反馈了{tour}意见" if inspection.feedback_on else ""
    paragraphs.append(
        f"根据{committee.name}统一部署，{committee.name}{inspection.group.name}{_fieldwork_words(inspection)}"
        f"对{organisation}开展了{_round_words(inspection)}{feedback}。按照党务公开和{tour}整改公开的有关要求，"
        f"现将{tour}整改进展情况予以公布。"
    )
    progress = (
        f"截至{chinese_date(on)}，{tour}反馈的{figures.problems}个问题中，已完成整改{figures.rectified}个，"
        f"正在整改{figures.rectifying}个，整改率{figures.rate_text}；共制定整改措施{figures.tasks}项，"
        f"已完成{figures.closed}项"
    )
    if figures.long_term:
        progress += f"，需长期坚持{figures.long_term}项"
    progress += "。"
    if figures.overdue:
        progress += f"其中{figures.overdue}项整改措施已超过完成时限，正在督促加快推进。"
    paragraphs.append(progress)

    number = 0
    for heading, entries in _grouped(shown):
        number += 1
        count = sum(len(items) for _label, items in entries)
        done = sum(1 for _label, items in entries for p in items if p.status == ProblemStatus.RECTIFIED)
        paragraphs.append(f"{chinese_numeral(number)}、{heading}方面：反馈问题{count}个，已完成整改{done}个。")
        position = 0
        for _label, items in entries:
            for problem in items:
                position += 1
                text = f"{position}.{_sentence(_hide_names(problem.description, hidden))}"
                text += f"整改情况：{_problem_state(problem)}。"
                measures = [_hide_names(_clean_text(t.measure).replace("\n", ""), hidden).rstrip("。；;")
                            for t in by_problem.get(problem.pk, [])]
                if measures:
                    text += f"主要措施：{'；'.join(measures)}。"
                paragraphs.append(text)

    paragraphs.append(
        f"{organisation}将持续推进{tour}整改，对已完成的整改事项巩固成果、防止反弹，对需长期坚持的事项建立长效机制。"
        f"欢迎广大干部群众对{tour}整改落实情况进行监督。"
    )
    paragraphs.append(party_organisation_full(unit))
    paragraphs.append(chinese_date(on))
    return "\n".join(paragraphs) + "\n"
