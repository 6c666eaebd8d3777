"""Issue 4, tried as people would, in headless Chromium.

A citizen scans the QR code printed on the 巡察公告 with a phone, reports anonymously, keeps the receipt and later
reads the group's reply with it. A named reporter's identity stays hidden from the inspector until the office head
approves the inspector's request, and the audit trail shows who asked and who approved.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from tests.world import PASSWORD
from xuncha.core.models import AuditEvent
from xuncha.reports.models import Report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ANONYMOUS = "城关镇惠民资金公示栏三个月没有更新，补贴发给了谁群众都看不到，希望巡察组查一查。"
NAMED = "城关镇某村会计的亲属承揽了村里的水渠工程，没有公开招标，工程质量很差，今年已经漏水。"
REPLY = "您反映的惠民资金公示问题已交城关镇立行立改，一周内更新公示栏。"
NAME, MOBILE = "王秀英", "13912345678"


def _qr_urls(docx: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    urls = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if name.startswith("word/media/"):
                image = Image.open(io.BytesIO(archive.read(name)))
                urls += [code.text for code in zxingcpp.read_barcodes(image)]
    return urls


def _login(context, base: str, username: str):
    page = context.new_page()
    page.goto(base + reverse("web:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_citizen_reports_by_qr_code_and_the_identity_opens_only_after_approval(live_server, world, settings):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.REPORT_MIN_FILL_SECONDS = 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    inspection = world.inspection_a2
    head, inspector = world.user("office_a"), world.user("inspector_a2")
    head.heads_office = True
    head.save(update_fields=["heads_office"])
    base = live_server.url

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # The office prints the announcement; its QR code holds the inspection's public report page.
            office_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            office = _login(office_ctx, base, head.username)
            docx = office_ctx.request.get(base + reverse("web:inspection_announcement_docx", args=[inspection.pk]))
            assert docx.ok
            urls = _qr_urls(docx.body())
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
            group_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            group = _login(group_ctx, base, inspector.username)
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
        finally:
            browser.close()

    # The audit trail names who asked, who approved and who looked.
    asked = AuditEvent.objects.get(action="identity_request.create")
    approved = AuditEvent.objects.get(action="identity_request.approve")
    revealed = AuditEvent.objects.get(action="report.identity_reveal")
    assert asked.actor == inspector and approved.actor == head and revealed.actor == inspector
    assert revealed.after["approved_by"] == head.pk
