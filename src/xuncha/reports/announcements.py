"""The 巡察通知 (to the inspected unit) and the 巡察公告 (to the public, with the QR code of the online
report page), as official documents in the GB/T 9704 layout of rectification.documents.
"""

from __future__ import annotations

import datetime
import io

from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from xuncha.core.official_document import DOCUMENT_LANGUAGE, OfficialDocument, chinese_date, qr_png
from xuncha.rounds.document_words import (
    fieldwork_words,
    leading_group,
    party_organisation_full,
    round_words,
    tour_word,
    units_words,
)
from xuncha.rounds.models import Inspection


def inspection_notice_docx(*, inspection: Inspection, issued_on: datetime.date) -> bytes:
    """巡察通知: tells the unit when the group comes, what it needs, and how it works."""
    with translation.override(DOCUMENT_LANGUAGE):
        committee = inspection.round.committee
        tour = tour_word(committee)
        signer = leading_group(committee) + "办公室"
        doc = OfficialDocument()
        title = f"关于{committee.name}{inspection.group.name}对{units_words(inspection)}开展{tour}的通知"
        doc.properties(title=title, author=signer)
        doc.title(title)
        for unit in inspection.units.all():
            doc.addressee(f"{party_organisation_full(unit)}：")
        doc.body(
            f"根据{committee.name}{tour}工作安排，经{committee.name}书记专题会议研究决定，{committee.name}"
            f"{inspection.group.name}{fieldwork_words(inspection)}对你单位开展{round_words(inspection)}。"
            f"现将有关事项通知如下。")
        doc.heading1("一、工作安排")
        doc.body(f"{tour}组进驻后召开{tour}工作动员会，你单位领导班子成员、中层以上干部参加。"
                 f"{tour}组将通过听取汇报、个别谈话、受理信访、调阅资料、走访调研、民主测评等方式开展工作。")
        if inspection.focus:
            doc.heading1(f"二、{tour}重点")
            doc.body(inspection.focus)
        doc.heading1(f"{'三' if inspection.focus else '二'}、工作要求")
        doc.body("请你单位于进驻前准备工作汇报材料、领导班子成员名单及分工、近三年党组（党委）会议记录、"
                 "财务账目等资料，确定一名联络员，并为巡察组提供必要的办公条件。"
                 "你单位要如实反映情况，不得干扰、阻挠巡察工作，不得打击报复反映问题的干部群众。")
        doc.signature(signer, chinese_date(issued_on))
        return doc.save()


def announcement_docx(*, inspection: Inspection, report_url: str, issued_on: datetime.date) -> bytes:
    """巡察公告: scope, focus, schedule and channels, with the QR code that opens the online report page."""
    with translation.override(DOCUMENT_LANGUAGE):
        committee = inspection.round.committee
        tour = tour_word(committee)
        signer = f"{committee.name}{inspection.group.name}"
        doc = OfficialDocument()
        title = f"{signer}公告"
        doc.properties(title=title, author=signer)
        doc.title(title)
        doc.body(f"根据{committee.name}统一部署，{signer}{fieldwork_words(inspection)}对{units_words(inspection)}"
                 f"开展{round_words(inspection)}。")
        if inspection.focus:
            doc.body(f"{tour}的重点是：{inspection.focus.strip()}")
        doc.body(f"{tour}期间，{tour}组主要受理反映{units_words(inspection)}领导班子及其成员、下一级党组织领导班子"
                 f"主要负责人和重要岗位领导干部问题的来信来电来访，重点是违反政治纪律、组织纪律、廉洁纪律、群众纪律、"
                 f"工作纪律、生活纪律等方面的举报和反映。根据有关规定，{tour}组不受理不属于{tour}职责范围的"
                 f"涉法涉诉等问题，此类问题将转交有关部门处理。")
        until = inspection.reports_accepted_until or inspection.fieldwork_ends_on
        channels = []
        if inspection.report_phone:
            channels.append(f"联系电话：{inspection.report_phone}（每天8:00—20:00）")
        if inspection.report_mailbox:
            channels.append(f"邮政信箱：{inspection.report_mailbox}")
        if inspection.report_address:
            channels.append(f"来访地点：{inspection.report_address}")
        channels.append("网上举报：扫描下方二维码，或访问 " + report_url)
        for line in channels:
            doc.body(line)
        if until:
            doc.body(f"受理时间：即日起至{chinese_date(until)}。")
        paragraph = doc.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing = None
        paragraph.add_run().add_picture(io.BytesIO(qr_png(report_url)), width=Mm(40))
        doc.paragraph("扫码在线反映问题（可匿名）", indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
        doc.signature(signer, chinese_date(issued_on))
        return doc.save()
