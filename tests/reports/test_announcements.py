"""The 巡察通知 and 巡察公告 open in LibreOffice and say what a unit and a citizen need to know."""

from __future__ import annotations

import datetime
import io

from PIL import Image

from tests.office import compact, pdf_text
from xuncha.core.official_document import qr_png
from xuncha.reports.announcements import announcement_docx, inspection_notice_docx

URL = "http://xuncha.example.gov.cn/report/i/abc/"


def test_the_announcement_states_the_channels_and_carries_the_qr_code(world):
    inspection = world.inspection_a2
    inspection.report_phone = "0571-12345678"
    inspection.report_mailbox = "甲县邮政信箱001号"
    inspection.focus = "惠民资金管理使用和基层干部作风"
    inspection.reports_accepted_until = inspection.fieldwork_ends_on
    inspection.save()
    content = announcement_docx(inspection=inspection, report_url=URL, issued_on=datetime.date(2026, 11, 1))
    text = compact(pdf_text(content, ".docx"))
    assert "第二巡察组公告" in text
    assert "0571-12345678" in text and "甲县邮政信箱001号" in text and "惠民资金管理使用" in text
    assert "受理时间" in text and "可匿名" in text and "2026年11月1日" in text
    import docx

    document = docx.Document(io.BytesIO(content))
    assert len(document.inline_shapes) == 1  # the QR code


def test_the_qr_code_is_a_readable_image_of_the_url():
    image = Image.open(io.BytesIO(qr_png(URL)))
    assert image.size[0] == image.size[1] and image.size[0] >= 200


def test_the_notice_names_the_units_and_the_schedule(world):
    content = inspection_notice_docx(inspection=world.inspection_a2, issued_on=datetime.date(2026, 11, 1))
    text = compact(pdf_text(content, ".docx"))
    assert "通知" in text and "城关镇" in text and "东关村" in text
    assert "不得打击报复" in text
