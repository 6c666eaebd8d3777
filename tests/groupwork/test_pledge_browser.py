"""Issue 5, tried as a new inspector would, in headless Chromium: after logging in they are asked to sign their
group's confidentiality pledge; the inspection does not open (404) until they sign; after signing it does, and on a
phone they sign in for the day."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import DESKTOP, PHONE, SHOTS, log_in
from tests.groupwork.conftest import make_team


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_inspector_signs_the_pledge_before_opening_the_inspection(browser, live_server, world):
    team = make_team(world)
    base = live_server.url
    inspection_url = base + reverse("web:inspection_detail", args=[team.inspection.pk])

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = log_in(context, base, team.member.username)
    assert page.url == base + reverse("web:workbench")
    prompt = page.inner_text("#pledges-to-sign")
    assert "请签署保密承诺" in prompt and "第三巡察组" in prompt
    page.screenshot(path=str(SHOTS / "groupwork-workbench-pledge.png"), full_page=True)

    # The inspection is not theirs to open yet.
    response = page.goto(inspection_url)
    assert response is not None and response.status == 404
    assert "甲县城投公司" not in page.content()

    # Back to the workbench: read the pledge and sign it.
    page.goto(base + reverse("web:workbench"))
    page.click("#pledges-to-sign a:has-text('阅读并签署')")
    page.wait_for_load_state()
    assert "严守巡察工作秘密" in page.inner_text("#pledge-text")
    page.screenshot(path=str(SHOTS / "groupwork-pledge.png"), full_page=True)
    page.click("#sign-pledge")  # without the tick: refused, nothing signed
    page.wait_for_load_state()
    assert "请勾选" in page.content()
    page.check("#id_agree")
    page.click("#sign-pledge")
    page.wait_for_load_state()
    assert page.url == base + reverse("web:groupwork_group", args=[team.group.pk])
    assert "您已签署第三巡察组保密承诺" in page.content()

    response = page.goto(inspection_url)
    assert response is not None and response.status == 200
    assert "甲县城投公司" in page.inner_text("h1.page-title")
    page.click(".page-actions a:has-text('组务管理')")
    page.wait_for_load_state()
    assert page.url == base + reverse("web:groupwork_group", args=[team.group.pk])
    context.close()

    # On a phone the same inspector signs in for the day.
    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = log_in(phone_ctx, base, team.member.username)
    assert "请签署保密承诺" not in phone.content()
    phone.goto(base + reverse("web:groupwork_home"))
    phone.click("button:has-text('今日签到')")
    phone.wait_for_load_state()
    assert "今日已于" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(SHOTS / "groupwork-signin-phone.png"), full_page=True)
    phone_ctx.close()
