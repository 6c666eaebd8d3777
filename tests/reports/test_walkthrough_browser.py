"""Issue 4, tried as people would, in headless Chromium.

A citizen scans the QR code printed on the 巡察公告 with a phone, reports anonymously, keeps the receipt and later
reads the group's reply with it. A named reporter's identity stays hidden from the inspector until the office head
approves the inspector's request, and the audit trail shows who asked and who approved.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.browser import DESKTOP, PHONE, SHOTS, log_in
from tests.office import docx_qr_codes
from tests.world import make_office_head
from xuncha.core.models import AuditEvent
from xuncha.reports.models import Report

ANONYMOUS = "城关镇惠民资金公示栏三个月没有更新，补贴发给了谁群众都看不到，希望巡察组查一查。"
NAMED = "城关镇某村会计的亲属承揽了村里的水渠工程，没有公开招标，工程质量很差，今年已经漏水。"
REPLY = "您反映的惠民资金公示问题已交城关镇立行立改，一周内更新公示栏。"
NAME, MOBILE = "王秀英", "13912345678"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_citizen_reports_by_qr_code_and_the_identity_opens_only_after_approval(browser, live_server, world,
                                                                               settings):
    settings.REPORT_MIN_FILL_SECONDS = 0
    inspection = world.inspection_a2
    head, inspector = make_office_head(world), world.user("inspector_a2")
    base = live_server.url

    # The office prints the announcement; its QR code holds the inspection's public report page.
    office_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    office = log_in(office_ctx, base, head.username)
    docx = office_ctx.request.get(base + reverse("web:inspection_announcement_docx", args=[inspection.pk]))
    assert docx.ok
    urls = docx_qr_codes(docx.body())
    assert len(urls) == 1 and urls[0].startswith(base + "/report/")

    # A citizen scans it with a phone and reports anonymously.
    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    phone.goto(urls[0])
    assert "城关镇" in phone.content()
    phone.fill("#id_content", ANONYMOUS)
    phone.click("button.rp-button")
    phone.wait_for_selector("#receipt-code")
    code = phone.inner_text("#receipt-code")
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(SHOTS / "walkthrough-receipt-phone.png"), full_page=True)
    anonymous = Report.objects.get(content=ANONYMOUS)

    # The group answers in the registry …
    group_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    group = log_in(group_ctx, base, inspector.username)
    group.goto(base + reverse("web:registry_detail", args=[anonymous.pk]))
    assert ANONYMOUS in group.content()
    group.fill("textarea[name=text]", REPLY)
    group.click("button:has-text('发送回复')")
    group.wait_for_load_state()

    # … and days later the citizen reads the reply with the receipt code alone.
    later = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    later.goto(base + reverse("report:status"))
    later.fill("#id_code", code)
    later.click("button[type=submit]")
    later.wait_for_load_state()
    assert REPLY in later.content()
    assert later.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    later.screenshot(path=str(SHOTS / "walkthrough-reply-phone.png"), full_page=True)

    # A named report: the inspector reads what happened, not who wrote it.
    phone.goto(urls[0])
    phone.check('input[name="mode"][value="named"]')
    phone.fill("#id_name", NAME)
    phone.fill("#id_phone", MOBILE)
    phone.fill("#id_content", NAMED)
    phone.click("button.rp-button")
    phone.wait_for_selector("#receipt-code")
    named = Report.objects.get(content=NAMED)
    group.goto(base + reverse("web:registry_detail", args=[named.pk]))
    page = group.content()
    assert NAMED in page and NAME not in page and MOBILE not in page
    group.fill("textarea[name=reason]", "需要联系举报人当面核实水渠工程的具体情况")
    group.click("button:has-text('申请查看身份信息')")
    group.wait_for_load_state()
    assert NAME not in group.content()  # asking is not seeing

    # The office head approves on the requests page.
    office.goto(base + reverse("web:identity_requests"))
    assert "需要联系举报人当面核实水渠工程的具体情况" in office.content()
    office.click("button[name=decision][value=approve]")
    office.wait_for_load_state()

    group.goto(base + reverse("web:registry_detail", args=[named.pk]))
    group.click("button:has-text('查看身份信息')")
    group.wait_for_load_state()
    assert NAME in group.content() and MOBILE in group.content()
    group.screenshot(path=str(SHOTS / "walkthrough-identity-approved.png"), full_page=True)

    # The audit trail names who asked, who approved and who looked.
    asked = AuditEvent.objects.get(action="identity_request.create")
    approved = AuditEvent.objects.get(action="identity_request.approve")
    revealed = AuditEvent.objects.get(action="report.identity_reveal")
    assert asked.actor == inspector and approved.actor == head and revealed.actor == inspector
    assert revealed.after["approved_by"] == head.pk
