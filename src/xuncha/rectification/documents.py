"""The generated documents of rectification: the 反馈意见 and the skeleton of the 整改情况报告 as Word files in the
GB/T 9704 layout, and the text of the 整改公开.

The document text is Chinese: it is the official layout, not UI chrome, so labels are rendered in zh-hans whatever
the request's language. Clue problems never appear: a clue goes to the 纪委监委, not to the unit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import translation

from xuncha.core.dates import add_months
from xuncha.core.official_document import (
    DOCUMENT_LANGUAGE,
    OfficialDocument,
    chinese_date,
    chinese_numeral,
    clean_text,
    hide_names,
    names_longest_first,
    sentence,
    split_names,
)
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
from xuncha.org.models import Unit
from xuncha.rectification.models import Task, TaskKind, TaskStatus
from xuncha.rectification.selectors import task_is_overdue
from xuncha.rounds.document_words import (
    fieldwork_words,
    leading_group,
    party_organisation,
    party_organisation_full,
    round_words,
    tour_word,
)
from xuncha.rounds.models import Inspection

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
    tour = tour_word(committee)
    organisation = party_organisation(unit)
    signer = f"{committee.name}{group}"
    shown = _unit_problems(problems, unit, fed_back_only=False)
    suggestion_texts = [s.text for s in suggestions if s.unit_id == unit.pk and clean_text(s.text)]
    months = committee.rectify_report_months_after_feedback

    doc = OfficialDocument()
    title = f"{signer}关于{tour}{organisation}的反馈意见"
    doc.properties(title=title, author=signer)
    doc.title(title)
    doc.addressee(f"{party_organisation_full(unit)}：")
    fieldwork = fieldwork_words(inspection)
    doc.body(
        f"根据{committee.name}{tour}工作统一部署，{committee.name}{group}{fieldwork}对{organisation}开展了"
        f"{round_words(inspection)}。{tour}组坚持以习近平新时代中国特色社会主义思想为指导，聚焦职能责任，"
        f"通过听取汇报、个别谈话、受理信访、查阅资料、走访调研等方式，深入了解情况。"
        f"经{leading_group(committee)}审议并报{committee.name}书记专题会议研究，"
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
                    doc.numbered(position, sentence(problem.description))
    else:
        doc.body(f"本轮{tour}未发现需要向{organisation}反馈的问题。")

    if suggestion_texts:
        number += 1
        doc.heading1(f"{chinese_numeral(number)}、意见建议")
        for position, text in enumerate(suggestion_texts, start=1):
            doc.numbered(position, sentence(text))

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
        f"{leading_group(committee)}办公室，同时抄送{committee.region}纪委监委和{committee.name}组织部。"
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
    tour = tour_word(committee)
    organisation = party_organisation(unit)
    signer = party_organisation_full(unit)
    shown = _unit_problems(problems, unit, fed_back_only=True)
    by_problem = _tasks_of(shown, tasks)
    figures = rectification_figures(problems=shown, tasks=[t for ts in by_problem.values() for t in ts], on=on)

    doc = OfficialDocument()
    title = f"{signer}关于{tour}整改情况的报告"
    doc.properties(title=title, author=signer)
    doc.note(f"（报送时限：{chinese_date(due_on)}前报送{leading_group(committee)}办公室。正式报送前删除本行。）")
    doc.title(title)
    doc.addressee(f"{leading_group(committee)}：")
    fieldwork = fieldwork_words(inspection)
    feedback = f"，并于{chinese_date(inspection.feedback_on)}反馈了{tour}意见" if inspection.feedback_on else ""
    doc.body(
        f"根据{committee.name}统一部署，{committee.name}{group}{fieldwork}对{organisation}开展了"
        f"{round_words(inspection)}{feedback}。{organisation}坚决扛起整改主体责任，对照反馈问题逐条制定整改措施，"
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
        doc.body(f"问题：{sentence(problem.description)}")
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
            doc.numbered(position, f"整改措施：{sentence(task.measure)}"
                                   f"责任领导：{task.responsible_leader}；责任部门：{task.responsible_department}；"
                                   f"完成时限：{_deadline_words(task)}；完成情况：{state}。")
        doc.note("（此处填写该问题的整改落实情况、取得的成效和佐证材料。）")

    doc.heading1("三、存在的不足和下一步打算")
    doc.note("（此处填写整改中存在的不足，以及巩固整改成果、建立长效机制的下一步打算。）")

    doc.signature(signer, chinese_date(on))
    return doc.save()


# --- 整改公开 ---------------------------------------------------------------------------------------------

def _names_to_hide(problems: Iterable[Problem], tasks: Iterable[Task]) -> list[str]:
    names: set[str] = set()
    for task in tasks:
        names.update({task.responsible_person, task.responsible_leader})
    for problem in problems:
        names.update(split_names(problem.key_person_names))
    return names_longest_first(names)


def disclosure_text(*, inspection: Inspection, unit: Unit, tasks: Iterable[Task], problems: Iterable[Problem],
                    on: datetime.date) -> str:
    """The 整改公开 text: figures and, per problem, what was done. No names, no clues, no evidence."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _disclosure(inspection=inspection, unit=unit, tasks=tasks, problems=problems, on=on)


def _disclosure(*, inspection: Inspection, unit: Unit, tasks: Iterable[Task], problems: Iterable[Problem],
                on: datetime.date) -> str:
    committee = inspection.round.committee
    tour = tour_word(committee)
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
        f"根据{committee.name}统一部署，{committee.name}{inspection.group.name}{fieldwork_words(inspection)}"
        f"对{organisation}开展了{round_words(inspection)}{feedback}。按照党务公开和{tour}整改公开的有关要求，"
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
                text = f"{position}.{sentence(hide_names(problem.description, hidden))}"
                text += f"整改情况：{_problem_state(problem)}。"
                measures = [hide_names(clean_text(t.measure).replace("\n", ""), hidden).rstrip("。；;")
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
