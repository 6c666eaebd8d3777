"""The generated documents of rectification, opened as a user would: LibreOffice prints them, and the page text
must show what a reader checks. Conversions are slow, so each test converts one document once."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.utils.translation import gettext as _
from docx import Document

from tests.office import compact, pdf_text
from xuncha.core.dates import today
from xuncha.findings.models import Problem
from xuncha.findings.xlsx import ImportFileError
from xuncha.rectification import services as rect
from xuncha.rectification.documents import (
    disclosure_text,
    feedback_opinion_docx,
    rectification_report_docx,
)
from xuncha.rectification.models import Task
from xuncha.rectification.plan_xlsx import (
    PlanImportRejected,
    parse_plan_xlsx,
    plan_template_xlsx,
    reconciliation_xlsx,
    three_lists_xlsx,
)
from xuncha.rounds.document_words import party_organisation_full

pytestmark = pytest.mark.django_db

CLUE_TEXT = "违规发放津补贴"  # world.problem_a2 is a clue: it goes to the 纪委监委, never to the unit
EVIDENCE = "接待清单12份"


@dataclass
class Rectification:
    """world.inspection_a1 with a second problem in another category group, and tasks of every kind."""

    problems: list[Problem]
    tasks: list[Task]
    integrity: Problem
    long_term: Task
    closed: Task
    overdue: Task


def _rectification(world) -> Rectification:
    t = today()
    inspection = world.inspection_a1
    integrity = Problem.objects.create(
        inspection=inspection, unit=world.dept_a, description="公务接待超标准，未执行事前审批程序。",
        evidence_summary=EVIDENCE, category="integrity", status="fed_back", key_person=True,
        key_person_names="李红", found_on=inspection.entry_on, fed_back_on=inspection.feedback_on,
    )
    long_term = rect.task_create(actor=None, problem=integrity, measure="由孙倩牵头修订公务接待管理办法",
                                 responsible_leader="李红", responsible_department="财务股",
                                 responsible_person="孙倩", deadline=None, kind="long_term")
    closed = rect.task_create(actor=None, problem=integrity, measure="清退超标准接待费用",
                              responsible_leader="李红", responsible_department="财务股", responsible_person="周强",
                              deadline=t + datetime.timedelta(days=10), kind="immediate")
    overdue = rect.task_create(actor=None, problem=integrity, measure="开展接待工作专项检查",
                               responsible_leader="李红", responsible_department="纪检组", responsible_person="吴刚",
                               deadline=t - datetime.timedelta(days=5), kind="time_limited")
    _close(world, closed, on=t - datetime.timedelta(days=1))
    problems = list(inspection.problems.all())
    tasks = list(Task.objects.filter(problem__inspection=inspection))
    return Rectification(problems=problems, tasks=tasks, integrity=integrity, long_term=long_term, closed=closed,
                         overdue=overdue)


def _close(world, task: Task, *, on: datetime.date) -> Task:
    rect.task_report_progress(actor=world.user("unit_a"), task=task, text="已按要求完成整改。")
    rect.task_submit_for_review(actor=world.user("unit_a"), task=task)
    rect.task_close(actor=world.user("office_a"), task=task, note="与佐证材料核对一致。", on_date=on)
    task.refresh_from_db()
    return task


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- 反馈意见


def test_feedback_opinion_is_an_official_document_without_clues(world):
    r = _rectification(world)
    issued = datetime.date(2026, 11, 22)
    content = feedback_opinion_docx(inspection=world.inspection_a1, unit=world.dept_a, problems=r.problems,
                                    suggestions=list(world.inspection_a1.suggestions.all()), issued_on=issued)

    # The GB/T 9704 page: A4, margins 37/35/28/26 mm; fonts named for East-Asian text, not only for ASCII.
    doc = Document(io.BytesIO(content))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm]
    assert [round(m) for m in margins] == [37, 35, 28, 26]
    xml = doc.element.xml
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{font}"' in xml
    title = doc.paragraphs[0]
    assert title.alignment == 1 and title.runs[0].font.size.pt == 22  # centred, 2号
    body = next(p for p in doc.paragraphs if p.text.startswith("根据"))
    assert body.paragraph_format.first_line_indent.pt == 32
    assert 28 <= doc.styles["Normal"].paragraph_format.line_spacing.pt <= 29

    text = pdf_text(content, ".docx")
    flat = compact(text)
    assert "中共甲县县委第一巡察组关于巡察甲县财政局党组的反馈意见" in flat
    assert "中共甲县财政局党组：" in flat
    assert f"{world.round_a.year}年第{world.round_a.number}轮巡察" in flat
    assert _date(world.inspection_a1.entry_on) + "至" + _date(world.inspection_a1.fieldwork_ends_on) in flat
    # Categories in the order of CATEGORY_GROUPS: the six disciplines before party leadership.
    headings = ["一、六大纪律方面的问题", "（一）廉洁纪律方面", "1.公务接待超标准，未执行事前审批程序。",
                "二、党的领导、党的建设、全面从严治党方面的问题", "（一）全面从严治党不力方面",
                "1.落实全面从严治党主体责任不力，党组会议研究党风廉政建设仅1次。",
                "三、意见建议", "1.建立健全财政资金拨付内控制度。", "四、整改要求"]
    positions = [flat.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "2个月内" in flat and _date(datetime.date(2027, 1, 22)) in flat
    assert "中共甲县县委第一巡察组2026年11月22日" in flat  # 落款, then the date
    assert "—1—" in flat  # page number in the footer
    assert CLUE_TEXT not in flat and EVIDENCE not in flat


# ---------------------------------------------------------------- 整改情况报告


def test_rectification_report_has_the_figures_and_a_section_per_problem(world):
    r = _rectification(world)
    on, due = today(), today() + datetime.timedelta(days=30)
    _close(world, world.task_a1, on=on)  # problem_a1's only task: the problem is rectified
    tasks = list(Task.objects.filter(problem__inspection=world.inspection_a1))
    problems = list(world.inspection_a1.problems.all())
    content = rectification_report_docx(inspection=world.inspection_a1, unit=world.dept_a, tasks=tasks,
                                        problems=problems, due_on=due, on=on)

    flat = compact(pdf_text(content, ".docx"))
    assert "中共甲县财政局党组关于巡察整改情况的报告" in flat
    assert "中共甲县县委巡察工作领导小组：" in flat
    # 2 problems fed back (the clue is not), 1 rectified; 4 tasks, 2 closed, 1 overdue, 1 long-term.
    assert "巡察反馈问题2个，已完成整改1个，正在整改1个，整改率50.00%" in flat
    assert "共制定整改任务4项，已对账销号2项，逾期未完成1项，需长期坚持1项" in flat
    for task in (world.task_a1, r.long_term, r.closed, r.overdue):
        assert f"整改措施：{task.measure}" in flat
    assert "完成时限：长期坚持" in flat and "（已逾期）" in flat
    assert f"整改状态：已完成整改（{_date(on)}）" in flat and "整改状态：正在整改" in flat
    assert "（此处填写" in flat
    assert _date(due) in flat
    assert f"中共甲县财政局党组{_date(on)}" in flat
    assert CLUE_TEXT not in flat and EVIDENCE not in flat


# ---------------------------------------------------------------- 整改公开


def test_disclosure_names_nobody_and_keeps_clues_and_evidence_back(world):
    r = _rectification(world)
    on = today()
    text = disclosure_text(inspection=world.inspection_a1, unit=world.dept_a, tasks=r.tasks, problems=r.problems,
                           on=on)
    assert text.startswith("中共甲县财政局党组关于巡察整改进展情况的通报")
    assert "巡察反馈的2个问题中，已完成整改0个，正在整改2个，整改率0.00%" in text
    assert "共制定整改措施4项，已完成1项，需长期坚持1项" in text
    assert "1.公务接待超标准，未执行事前审批程序。整改情况：正在整改。" in text and "清退超标准接待费用" in text
    assert "由××牵头修订公务接待管理办法" in text  # a name inside a measure is blotted out
    for name in ("张敏", "孙倩", "周强", "吴刚", "王建国", "李红"):
        assert name not in text
    assert CLUE_TEXT not in text and EVIDENCE not in text
    assert text.rstrip().endswith(f"中共甲县财政局党组\n{_date(on)}")


# ---------------------------------------------------------------- 三张清单 and 对账销号表


def test_three_lists_show_measures_and_who_answers_for_them(world):
    r = _rectification(world)
    content = three_lists_xlsx(plan_or_tasks=r.tasks, unit=world.dept_a, inspection=world.inspection_a1)

    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["整改台账（三张清单）"]
    assert [ws.cell(row=4, column=c).value for c in range(1, 10)] == [
        "序号", "问题类别", "问题描述", "整改措施", "整改类型", "完成时限", "责任领导", "责任部门", "责任人"]
    assert ws["J3"].value == "完成情况"  # over both header rows
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$4" and ws["A5"].font.name == "宋体"
    assert "A1:J1" in {str(m) for m in ws.merged_cells.ranges}

    text = pdf_text(content, ".xlsx")
    flat = compact(text)
    for heading in ("问题清单", "任务清单", "责任清单", "完成情况"):
        assert heading in flat
    measures = ("制定党组理论学习和党", "由孙倩牵头修订公务接待管理办法", "清退超标准接待费用", "开展接待工作专项检查")
    for measure in measures:
        assert measure in flat
    for word in ("王建国", "李红", "办公室", "纪检组", "张敏", "孙倩", "长期坚持", "立行立改", "限期整改"):
        assert word in flat
    assert CLUE_TEXT not in flat


def test_reconciliation_shows_who_closed_a_task_and_when(world):
    r = _rectification(world)
    r.closed.closed_signature = "刘建华"
    r.closed.save(update_fields=["closed_signature"])
    tasks = Task.objects.filter(problem__inspection=world.inspection_a1).select_related("problem", "closed_by")
    content = reconciliation_xlsx(tasks=tasks, title_unit=world.dept_a)

    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    headers = [ws.cell(row=3, column=c).value for c in range(1, 11)]
    assert headers[0] == "序号" and headers[7:] == ["销号人", "销号日期", "状态"]
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"
    row = next(n for n in range(4, ws.max_row + 1) if ws.cell(row=n, column=3).value == r.closed.measure)
    assert ws.cell(row=row, column=7).value == "与佐证材料核对一致。"  # 对账意见
    assert ws.cell(row=row, column=6).value == "已按要求完成整改。"  # 整改进展

    flat = compact(pdf_text(content, ".xlsx"))
    assert "甲县财政局巡察整改对账销号表" in flat
    assert "刘建华" in flat and r.closed.closed_on.isoformat() in flat
    assert "已销号" in flat and "挂账" in flat


# ---------------------------------------------------------------- the plan template and its import


def _fill(content: bytes, rows: dict[int, list]) -> bytes:
    """Write values from column D (整改措施) on, row by row, into a template; column A takes a 问题编号."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.active
    for row, values in rows.items():
        for column, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _template_rows(content: bytes) -> dict[int, int]:
    """问题编号 → the Excel row the template put it on."""
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    return {ws.cell(row=r, column=1).value: r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=1).value}


def test_a_filled_template_round_trips_into_task_rows(world):
    r = _rectification(world)
    a1 = world.problem_a1
    content = plan_template_xlsx(inspection=world.inspection_a1, unit=world.dept_a, problems=r.problems)

    flat = compact(pdf_text(content, ".xlsx"))
    assert "问题编号" in flat and "整改措施" in flat
    assert "公务接待超标准，未执行事前审批程序。" in flat and CLUE_TEXT not in flat

    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    assert ws["A3"].value == "问题编号" and ws["C4"].fill.fgColor.rgb.endswith("E7E6E6")
    kinds = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert kinds and "立行立改" in kinds[0].formula1 and "长期坚持" in kinds[0].formula1
    assert any(dv.type == "date" for dv in ws.data_validations.dataValidation)

    at = _template_rows(content)
    assert set(at) == {a1.pk, r.integrity.pk}  # one row per problem, no clue
    deadline = datetime.date(2027, 3, 31)
    last = max(at.values())
    filled = _fill(content, {
        at[a1.pk]: [None, None, None, "印发党风廉政建设年度计划", "限期整改", deadline, "王建国", "办公室", "张敏"],
        at[r.integrity.pk]: [None, None, None, "建立公务接待审批台账", "长期坚持", None, "李红", "财务股", "孙倩"],
        last + 2: [a1.pk, None, None, "每季度专题研究党风廉政建设", "立行立改", "2027/1/15", "王建国", "办公室",
                   "张敏"],  # a second task of the same problem, after a blank line
    })
    rows = parse_plan_xlsx(filled, problems=r.problems)
    assert [row["row"] for row in rows] == sorted([at[a1.pk], at[r.integrity.pk], last + 2])
    by_row = {row["row"]: row for row in rows}
    assert by_row[at[a1.pk]] == {
        "row": at[a1.pk], "problem": a1, "measure": "印发党风廉政建设年度计划", "kind": "time_limited",
        "deadline": deadline, "responsible_leader": "王建国", "responsible_department": "办公室",
        "responsible_person": "张敏"}
    long_term = by_row[at[r.integrity.pk]]
    assert long_term["problem"] == r.integrity and long_term["kind"] == "long_term" and long_term["deadline"] is None
    second = by_row[last + 2]
    assert second["problem"] == a1 and second["kind"] == "immediate"
    assert second["deadline"] == datetime.date(2027, 1, 15)


def test_bad_rows_are_all_reported_and_nothing_is_returned(world):
    r = _rectification(world)
    content = plan_template_xlsx(inspection=world.inspection_a1, unit=world.dept_a, problems=r.problems)
    at = _template_rows(content)
    last = max(at.values())
    good = ["一项好的整改措施", "限期整改", "2027-03-31", "王建国", "办公室", "张敏"]
    filled = _fill(content, {
        at[world.problem_a1.pk]: [None, None, None, *good],
        at[r.integrity.pk]: [None, None, None, "另一项措施", "限期整改", "下个月", "李红", "财务股", "孙倩"],
        last + 1: [999999, None, None, *good],
        last + 2: [world.problem_a2.pk, None, None, "第三项措施", *good[1:]],  # a clue is not in the plan
    })
    with pytest.raises(PlanImportRejected) as caught:
        parse_plan_xlsx(filled, problems=r.problems)
    errors = caught.value.errors
    assert [(e.row, e.column) for e in errors] == [(at[r.integrity.pk], "完成时限"), (last + 1, "问题编号"),
                                                  (last + 2, "问题编号")]
    assert errors[0].message == _("“%(value)s” is not a date; write it like 2024-03-15.") % {"value": "下个月"}
    assert errors[1].message == (_("There is no problem numbered %(value)s in this rectification plan.")
                                 % {"value": 999999})
    assert str(last + 1) in str(errors[1])


@pytest.mark.parametrize(("values", "column", "message"), [
    (["", "限期整改", "2027-03-31", "王建国", "办公室", "张敏"], "整改措施", "Describe the measure."),
    (["措施", "马上改", "2027-03-31", "王建国", "办公室", "张敏"], "整改类型", None),
    (["措施", "", "2027-03-31", "王建国", "办公室", "张敏"], "整改类型", "Choose the kind of task."),
    (["措施", "立行立改", "", "王建国", "办公室", "张敏"], "完成时限",
     "Set a deadline (only long-term tasks may go without)."),
    (["措施", "长期坚持", "", "王建国", "", "张敏"], "责任部门", "Name the responsible department."),
])
def test_each_kind_of_bad_row_is_named(world, values, column, message):
    problems = list(world.inspection_a1.problems.all())
    content = plan_template_xlsx(inspection=world.inspection_a1, unit=world.dept_a, problems=problems)
    row = _template_rows(content)[world.problem_a1.pk]
    with pytest.raises(PlanImportRejected) as caught:
        parse_plan_xlsx(_fill(content, {row: [None, None, None, *values]}), problems=problems)
    [error] = caught.value.errors
    assert (error.row, error.column) == (row, column)
    if message:
        assert error.message == _(message)


def test_a_file_that_is_no_workbook_is_refused_as_a_whole(world):
    problems = list(world.inspection_a1.problems.all())
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    template = plan_template_xlsx(inspection=world.inspection_a1, unit=world.dept_a, problems=problems)
    word = feedback_opinion_docx(inspection=world.inspection_a1, unit=world.dept_a, problems=problems,
                                 suggestions=[], issued_on=today())
    for content in (png, "问题编号,整改措施\n1,措施\n".encode(), template[: len(template) // 2], word, b""):
        with pytest.raises(ImportFileError):
            parse_plan_xlsx(content, problems=problems)


def test_party_organisation_follows_the_kind_of_unit(world):
    assert party_organisation_full(world.dept_a) == "中共甲县财政局党组"
    assert party_organisation_full(world.soe_a) == "中共甲县城投公司党委"
    assert party_organisation_full(world.township_a) == "中共城关镇党委"
    assert party_organisation_full(world.village_a) == "中共城关镇东关村党支部"
