"""Drive headless Chromium over the real pages: what a user sees on a laptop and on a phone.

The screenshots land in test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser import DESKTOP, PHONE, SHOTS, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _maybe_reverse(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def test_office_pages_on_a_laptop(browser, live_server, world):
    s = Session(browser, live_server.url, DESKTOP)
    try:
        s.login(world.user("office_a").username, shot="desktop-login")
        s.visit(reverse("web:workbench"), "desktop-office-workbench", heading="工作台")
        # The late task of the world (county B's) must not leak; county A's figures show.
        assert "建立公务用车使用登记制度" not in s.page.content()
        s.visit(reverse("web:unit_tree"), "desktop-office-units", heading="单位库")
        assert s.page.locator("details summary", has_text="城关镇").count() == 1
        s.page.locator("details summary", has_text="城关镇").click()
        assert s.page.get_by_role("link", name="东关村").is_visible()
        # Live search through htmx narrows the tree without reloading the page.
        s.page.fill("#unit-search", "城投")
        expect = pytest.importorskip("playwright.sync_api").expect
        expect(s.page.locator("#unit-tree")).not_to_contain_text("甲县财政局")
        expect(s.page.locator("#unit-tree")).to_contain_text("甲县城投公司")
        assert "q=" in s.page.url, "the search is kept in the address, so a reload or a shared link shows it"
        s.visit(reverse("web:round_detail", args=[world.round_a.pk]), "desktop-office-round")
        assert "县委书记专题会议" in s.page.content()
        s.visit(reverse("web:inspection_detail", args=[world.inspection_a2.pk]), "desktop-office-inspection")
        assert s.page.locator(".timeline li").count() == 7
        assert s.page.locator(".timeline li.current").inner_text().strip().startswith("进驻") or \
            s.page.locator(".timeline li.current").count() == 1
        s.visit(reverse("web:stats"), "desktop-office-stats", heading="统计分析")
        s.page.wait_for_selector("#chart-coverage canvas")
        s.page.wait_for_selector("#chart-rounds canvas")
        s.page.screenshot(path=str(SHOTS / "desktop-office-stats.png"), full_page=True)
        assert not s.errors, s.errors
        s.visit(reverse("web:audit_list"), "desktop-office-audit", heading="审计日志")
        s.visit(reverse("web:round_list"), "desktop-office-rounds", heading="巡察轮次")
        s.visit(reverse("web:unit_detail", args=[world.dept_a.pk]), "desktop-office-unit", heading="甲县财政局")
        for name, shot in (("web:problem_list", "desktop-office-problems"), ("web:task_list", "desktop-office-tasks")):
            path = _maybe_reverse(name)
            if path:
                s.visit(path, shot)
    finally:
        s.close()


def test_unit_pages(browser, live_server, world):
    s = Session(browser, live_server.url, DESKTOP)
    try:
        s.login(world.user("unit_a").username)
        s.visit(reverse("web:workbench"), "desktop-unit-workbench")
        assert "制定党组理论学习和党风廉政建设年度计划" in s.page.content()
        # The unit never sees clues.
        assert "违规发放津补贴问题线索" not in s.page.content()
        path = _maybe_reverse("web:unit_portal")
        if path:
            s.visit(path, "desktop-unit-portal")
    finally:
        s.close()


def test_workbench_on_a_phone(browser, live_server, world):
    s = Session(browser, live_server.url, PHONE)
    try:
        s.login(world.user("office_a").username, shot="phone-login")
        s.visit(reverse("web:workbench"), "phone-office-workbench", heading="工作台")
        nav = s.page.locator("#mainnav")
        assert not nav.is_visible(), "the navigation is folded behind the menu button on a phone"
        s.page.click("[data-nav-toggle]")
        assert nav.is_visible()
        s.page.screenshot(path=str(SHOTS / "phone-office-workbench-menu.png"), full_page=False)
        # Nothing spills sideways: the page is as wide as the phone.
        width = s.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
        s.visit(reverse("web:inspection_detail", args=[world.inspection_a1.pk]), "phone-office-inspection")
        width = s.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
    finally:
        s.close()
