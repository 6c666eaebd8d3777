"""The documents of the daily board, in the GB/T 9704 layout of rectification.documents:

* the 立行立改通知书: the group tells the unit what to put right, by when, and how to report back;
* the 边汇报: the group's report to the leading group on what it found in a day or a period and how it sorted it;
* the 边通报: the 立行立改 items put right, in words fit for the unit and the public.

The text is Chinese (the official layout, not UI chrome). No document names a reporter or carries a report's or a
talk's own words beyond what the group wrote into the problem; a 高密 clue is only ever counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xuncha.core.official_document import (
    DOCUMENT_LANGUAGE,
    OfficialDocument,
    chinese_date,
    chinese_numeral,
    hide_names,
    names_longest_first,
    sentence,
    split_names,
)
from xuncha.fieldwork.models import TriageItem, TriageSource
from xuncha.fieldwork.selectors import TriagePeriod
from xuncha.fieldwork.triage import short_summary
from xuncha.org.models import Cadre
from xuncha.rectification.models import TaskStatus
from xuncha.rounds.document_words import (
    fieldwork_words,
    leading_group,
    party_organisation_full,
    round_words,
    tour_word,
    units_words,
)
from xuncha.rounds.models import Inspection

SOURCE_WORDS = {TriageSource.REPORT: "信访举报", TriageSource.TALK: "个别谈话", TriageSource.RECORDS: "调阅资料",
                TriageSource.VISIT: "走访调研", TriageSource.OTHER: "其他渠道"}


def _signer(inspection: Inspection) -> str:
    return f"{inspection.round.committee.name}{inspection.group.name}"


def notice_reference(item: TriageItem) -> str:
    """发文字号 of a 立行立改通知书: 第二巡察组立改〔2026〕3号."""
    year = (item.sorted_on or item.found_on).year
    return f"{item.inspection.group.name}立改〔{year}〕{item.notice_number}号"


def _period_words(start: datetime.date, end: datetime.date) -> str:
    return chinese_date(start) if start == end else f"{chinese_date(start)}至{chinese_date(end)}"


def _names_in(inspection: Inspection, items: Iterable[TriageItem]) -> list[str]:
    """Names a public text must not carry: the units' cadres, the persons named on problems and tasks."""
    names = set(Cadre.objects.filter(unit__in=inspection.units.all()).values_list("name", flat=True))
    for item in items:
        if item.problem_id:
            names.update(split_names(item.problem.key_person_names))
        if item.task_id:
            names.update({item.task.responsible_leader, item.task.responsible_person})
    return names_longest_first(names)


def _hide(text: str, names: list[str]) -> str:
    return short_summary(hide_names(text, names), 10_000)  # and no phone or ID number either


def _requirement(item: TriageItem) -> str:
    return item.task.measure if item.task_id else (item.problem.description if item.problem_id else item.summary)


# --- 立行立改通知书 --------------------------------------------------------------------------------------------

def immediate_notice_docx(*, item: TriageItem) -> bytes:
    """The notice of one item sorted 立行立改: numbered, to the unit, what to put right, by when, how to report back."""
    with translation.override(DOCUMENT_LANGUAGE):
        inspection = item.inspection
        committee = inspection.round.committee
        tour = tour_word(committee)
        group = inspection.group.name
        signer = _signer(inspection)
        unit = item.unit or item.problem.unit
        doc = OfficialDocument()
        doc.properties(title=f"{signer}立行立改通知书", author=signer)
        doc.paragraph(notice_reference(item), indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)  # 发文字号
        doc.blank()
        doc.title("立行立改通知书")
        doc.addressee(f"{party_organisation_full(unit)}：")
        doc.body(f"根据{committee.name}统一部署，{signer}{fieldwork_words(inspection)}对{units_words(inspection)}"
                 f"开展{round_words(inspection)}。{tour}组在工作中发现你单位存在以下问题，群众反映强烈、能够立即解决，"
                 f"现通知你单位立行立改。")
        doc.heading1("一、发现的问题")
        doc.body(sentence(item.problem.description if item.problem_id else item.summary))
        doc.heading1("二、整改要求")
        doc.body(sentence(_requirement(item)))
        doc.body(f"请你单位主要负责人亲自督办，明确责任人，立即组织整改，于{chinese_date(item.notice_due_on)}前整改到位。")
        doc.heading1("三、反馈方式")
        contact = []
        if inspection.report_phone:
            contact.append(f"联系电话：{inspection.report_phone}")
        if inspection.report_address:
            contact.append(f"地址：{inspection.report_address}")
        doc.body(f"整改完成后，请于{chinese_date(item.notice_due_on)}前将整改情况书面报送{group}，写明采取的措施和整改结果，"
                 f"附照片、票据、制度文件等佐证材料，并注明本通知编号（{notice_reference(item)}）。"
                 + ("；".join(contact) + "。" if contact else ""))
        doc.body(f"{tour}组将对整改情况进行核实，逐项对账销号。对整改不及时、不到位的，将按有关规定严肃处理。")
        doc.signature(signer, chinese_date(item.sorted_on))
        return doc.save()


# --- 边汇报 ---------------------------------------------------------------------------------------------------

def progress_report_docx(*, period: TriagePeriod) -> bytes:
    """边汇报: to the leading group, what was found in the period and how each item was sorted."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _progress_report(period)


def _state(item: TriageItem, on: datetime.date) -> str:
    task = item.task
    if task is None:
        return "未建立整改任务"
    if task.status == TaskStatus.CLOSED and task.closed_on:
        return f"已于{chinese_date(task.closed_on)}整改到位"
    if task.deadline and task.deadline < on:
        return "已超过整改时限，正在督促"
    return "正在整改"


def _progress_report(period: TriagePeriod) -> bytes:
    inspection = period.inspection
    committee = inspection.round.committee
    tour = tour_word(committee)
    group = inspection.group.name
    signer = _signer(inspection)
    when = _period_words(period.start, period.end)
    counts = period.counts
    doc = OfficialDocument()
    title = f"{signer}关于{when}{tour}发现问题及处置情况的报告"
    doc.properties(title=title, author=signer)
    doc.title(title)
    doc.addressee(f"{leading_group(committee)}：")
    doc.body(f"按照“边巡察、边汇报、边整改、边办案、边完善制度、边通报”的要求，{group}坚持“昼巡夜结”，对每天发现的问题"
             f"当天梳理分类、分析研判。现将{when}对{units_words(inspection)}{tour}中发现问题及分类处置情况报告如下。")

    doc.heading1("一、发现问题总体情况")
    total = len(period.items)
    if total:
        sources = "、".join(f"{SOURCE_WORDS[s]}{n}个" for s, n in period.sources.items() if n)
        same_day = sum(1 for i in period.items if i.outcome and i.sorted_on == i.found_on)
        later = sum(1 for i in period.items if i.outcome and i.sorted_on != i.found_on)
        doc.body(f"{when}，{tour}组共梳理发现问题{total}个，其中来自{sources}。当日研判分类{same_day}个，"
                 f"隔日分类{later}个，尚未分类{counts['unsorted']}个（其中隔夜未结{counts['overnight']}个）。")
        doc.body(f"分类处置情况：立行立改{counts['immediate']}个，问题线索{counts['clue']}个，一般性问题{counts['general']}个，"
                 f"转交有关部门{counts['forward']}个，存档{counts['archive']}个。")
    else:
        doc.body(f"{when}，{tour}组未发现新的问题。")

    number = 1
    if period.immediate:
        number += 1
        doc.heading1(f"{chinese_numeral(number)}、立行立改情况")
        issued, closed = len(period.immediate), period.immediate_closed
        doc.body(f"对影响群众生产生活的问题，{tour}组下发立行立改通知书{issued}份，截至{chinese_date(period.on)}"
                 f"已整改到位{closed}项，正在整改{issued - closed}项。")
        for position, item in enumerate(period.immediate, start=1):
            unit = str(item.unit) if item.unit_id else ""
            doc.numbered(position, f"{notice_reference(item)}，{unit}：{sentence(_requirement(item))}"
                                   f"整改时限{chinese_date(item.notice_due_on)}，{_state(item, period.on)}。")
    clue_total = len(period.clues) + period.secret_clues
    if clue_total:
        number += 1
        doc.heading1(f"{chinese_numeral(number)}、问题线索移交情况")
        text = f"对指向具体、违纪违法问题明显的线索坚持快查快办，共移交问题线索{clue_total}件"
        if period.clue_organs:
            text += "，其中" + "、".join(f"移交{organ}{n}件" for organ, n in period.clue_organs.items())
        text += "。"
        if period.secret_clues:
            text += f"另有高密线索{period.secret_clues}件，按规定单独报告。"
        doc.body(text)
        for position, item in enumerate(period.clues, start=1):
            unit = str(item.unit) if item.unit_id else ""
            doc.numbered(position, f"{unit}问题线索1件，于{chinese_date(item.clue.handed_over_on)}移交"
                                   f"{item.clue.organ.name}。")
    if period.general:
        number += 1
        doc.heading1(f"{chinese_numeral(number)}、一般性问题")
        doc.body(f"形成一般性问题清单{len(period.general)}个，将在{tour}反馈时一并交被{tour}单位，整改后对账销号。")
        for position, item in enumerate(period.general, start=1):
            unit = str(item.unit) if item.unit_id else ""
            doc.numbered(position, f"{unit}：{sentence(item.problem.description if item.problem_id else '')}")
    if counts["forward"] or counts["archive"]:
        number += 1
        doc.heading1(f"{chinese_numeral(number)}、转交和存档情况")
        text = f"不属于{tour}职责范围的问题转交有关部门{counts['forward']}件"
        if period.forwarded:
            text += "（" + "、".join(f"{name}{n}件" for name, n in period.forwarded.items()) + "）"
        doc.body(text + f"；经研判无需进一步处理、予以存档{counts['archive']}件。")
    number += 1
    doc.heading1(f"{chinese_numeral(number)}、下一步工作")
    doc.note("（此处填写下一步工作安排。）")
    doc.signature(signer, chinese_date(period.on))
    return doc.save()


# --- 边通报 ---------------------------------------------------------------------------------------------------

def bulletin_docx(*, period: TriagePeriod) -> bytes:
    """边通报: the 立行立改 items put right in the period. No reporter, no source, no clue."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _bulletin(period)


def _bulletin(period: TriagePeriod) -> bytes:
    inspection = period.inspection
    committee = inspection.round.committee
    tour = tour_word(committee)
    signer = _signer(inspection)
    when = _period_words(period.start, period.end)
    names = _names_in(inspection, period.put_right)
    doc = OfficialDocument()
    title = f"{signer}关于立行立改问题整改情况的通报"
    doc.properties(title=title, author=signer)
    doc.title(title)
    doc.body(f"{signer}{fieldwork_words(inspection)}对{units_words(inspection)}开展{round_words(inspection)}。"
             f"按照“边巡察、边整改、边通报”的要求，{tour}组对发现的群众身边的急难愁盼问题，及时向有关单位下发立行立改"
             f"通知，督促立行立改。现将{when}立行立改问题整改情况通报如下。")
    if period.put_right:
        doc.body(f"{when}，共有{len(period.put_right)}个立行立改问题整改到位：")
        for position, item in enumerate(period.put_right, start=1):
            unit = str(item.unit if item.unit_id else item.problem.unit)
            problem = sentence(_hide(item.problem.description if item.problem_id else "", names))
            measure = _hide(item.task.measure, names).rstrip("。；;")
            doc.numbered(position, f"{unit}：{problem}整改措施：{measure}。"
                                   f"已于{chinese_date(item.task.closed_on)}整改到位。")
    else:
        doc.body(f"{when}暂无整改到位的立行立改问题。")
    if period.still_open:
        doc.body(f"另有{period.still_open}个立行立改问题正在整改中，{tour}组将跟踪督促，确保整改到位。")
    channels = "、".join(c for c in (f"电话{inspection.report_phone}" if inspection.report_phone else "",
                                      f"来信寄{inspection.report_mailbox}" if inspection.report_mailbox else "") if c)
    doc.body(f"欢迎广大干部群众继续向{tour}组反映问题{('（' + channels + '）') if channels else ''}，监督整改落实。")
    doc.signature(signer, chinese_date(period.on))
    return doc.save()
