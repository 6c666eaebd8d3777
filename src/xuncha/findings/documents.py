"""The 移交函: the letter that hands a problem clue over to the receiving organ (GB/T 9704 layout).

The page set-up and the wording helpers are the rectification documents' (one 公文 layout for the platform).
"""

from __future__ import annotations

import datetime

from django.utils import translation

from xuncha.core.official_document import (
    DOCUMENT_LANGUAGE,
    HEADING1_FONT,
    OfficialDocument,
    chinese_date,
    chinese_numeral,
    clean_text,
    sentence,
)
from xuncha.findings.models import Clue
from xuncha.rounds.document_words import leading_group, round_words, tour_word

TITLE = "关于移交问题线索的函"
SECRET_MARK = "高密"


def clue_transfer_letter_docx(*, clue: Clue, issued_on: datetime.date) -> bytes:
    """The letter from the leading group's office to the organ: the clue, the persons involved, the answer due."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _transfer_letter(clue=clue, issued_on=issued_on)


def _transfer_letter(*, clue: Clue, issued_on: datetime.date) -> bytes:
    inspection = clue.inspection
    committee = inspection.round.committee
    tour = tour_word(committee)
    office = f"{leading_group(committee)}办公室"
    months = committee.clue_answer_months

    doc = OfficialDocument()
    doc.properties(title=TITLE, author=office)
    if clue.top_secret:
        # 密级 in the top-left corner, 3号黑体 (GB/T 9704 7.2.2).
        doc.paragraph(SECRET_MARK, font=HEADING1_FONT, indent=False)
        doc.blank()
    doc.title(TITLE)
    doc.addressee(f"{clue.organ.name}：")
    doc.body(
        f"根据{committee.name}{tour}工作统一部署，{committee.name}{inspection.group.name}对{clue.unit.name}开展了"
        f"{round_words(inspection)}。{tour}期间发现以下问题线索，经{leading_group(committee)}研究，"
        f"按照有关规定移交你单位处置。"
    )
    doc.heading1(f"{chinese_numeral(1)}、线索摘要")
    doc.body(sentence(clue.summary))
    doc.heading1(f"{chinese_numeral(2)}、涉及人员")
    doc.body(sentence(clean_text(clue.persons_involved) or "暂未明确具体人员"))
    doc.heading1(f"{chinese_numeral(3)}、有关要求")
    doc.body(
        f"请按照有关规定及时研究处置，并于收到本函后{months}个月内将处置情况书面反馈{office}。"
        f"处置过程中如有重要情况，请及时沟通。"
    )
    doc.body(f"本线索于{chinese_date(clue.handed_over_on)}移交，请注意保密。")
    doc.signature(office, chinese_date(issued_on))
    return doc.save()

