"""Issue 5, tried as a new user would, in headless Chromium: the office draws a group for a unit, sees who was
excluded and why, draws with the witnesses' words, checks the proof and downloads the group list to print."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import DESKTOP, PHONE, SHOTS, log_in
from tests.office import docx_paragraphs
from tests.pool.test_draw_web import TIED, build_pool
from xuncha.pool.models import Draw, Talent


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_office_draws_a_group_sees_the_exclusions_and_prints_the_list(browser, live_server, world):
    build_pool(world)
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = log_in(context, base, world.user("office_a").username)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())

    # From the menu: 巡察安排 › 巡察组抽取, then a new draw.
    page.click("summary:has-text('巡察安排')")
    page.click("a:has-text('巡察组抽取')")
    page.wait_for_load_state()
    assert "巡察组抽取" in page.inner_text("h1.page-title")
    page.click("a:has-text('新建抽取')")
    page.select_option("#id_unit", label="甲县财政局")
    assert page.input_value("#id_size") == "5" and page.is_checked("#id_mixed_gender")
    page.screenshot(path=str(SHOTS / "draw-new-desktop.png"), full_page=True)
    page.click("button:has-text('核查人才库并生成种子承诺')")
    page.wait_for_selector("#commitment")

    # Before the draw: the commitment, large, and everyone excluded with the reason.
    draw = Draw.objects.get()
    assert page.get_attribute("#commitment-value", "data-value") == draw.commitment
    assert draw.seed not in page.content()
    excluded = page.inner_text("#excluded")
    for name in TIED:
        assert name in excluded
    assert "病休至年底" in excluded and "丈夫王海" in excluded and "其兄在该局任副局长" in excluded
    page.screenshot(path=str(SHOTS / "draw-committed-desktop.png"), full_page=True)

    # The witnesses give their words; the office draws once.
    page.fill("#id_witness_words", "见证人口令 2718")
    page.click("button:has-text('抽取巡察组')")
    page.wait_for_selector("#group")
    draw.refresh_from_db()
    group = page.inner_text("#group")
    for pick in draw.picked:
        assert Talent.objects.get(pk=pick["id"]).name in group
    assert "组长" in group
    assert page.is_visible("#verify-ok")
    assert draw.seed in page.inner_text("#verification")
    assert "病休至年底" in page.inner_text("#excluded")
    page.screenshot(path=str(SHOTS / "draw-drawn-desktop.png"), full_page=True)

    # The group list, downloaded as the office prints it.
    with page.expect_download() as info:
        page.click("#download-group")
    download = info.value
    assert download.suggested_filename == f"draw-{draw.pk}-group.docx"
    text = docx_paragraphs(open(download.path(), "rb").read())
    assert "巡察组人员名单" in text and "甲县财政局" in text

    # The same page on a phone: nothing wider than the screen.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    small = log_in(phone, base, world.user("office_a").username)
    small.goto(base + reverse("web:draw_detail", args=[draw.pk]))
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small.screenshot(path=str(SHOTS / "draw-drawn-phone.png"), full_page=True)
    small.goto(base + reverse("web:draw_slip", args=[draw.pk]))
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small.screenshot(path=str(SHOTS / "draw-slip-phone.png"), full_page=True)
    assert errors == []
