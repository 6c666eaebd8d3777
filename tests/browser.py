"""Headless Chromium (Debian's, driven by Playwright) for the tests that use the pages as people do.

The `browser` fixture of tests/conftest.py launches it (and skips when it is not installed: `make browser`).
Screenshots land in test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse

from tests.world import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@contextmanager
def chromium() -> Iterator:
    """A launched headless Chromium; the test is skipped when Chromium or Playwright is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def console_errors(page) -> list[str]:
    """The list the page's console errors and uncaught exceptions are appended to from now on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def log_in(context, base_url: str, username: str):
    """A new page of `context`, logged in through the login form as `username` (of the test world)."""
    page = context.new_page()
    page.goto(base_url + reverse("web:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


class Session:
    """One logged-in browser tab that records console errors and failed requests."""

    def __init__(self, browser, base_url: str, viewport: dict):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.page = self.context.new_page()
        self.base_url = base_url
        self.errors = console_errors(self.page)
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def login(self, username: str, shot: str | None = None) -> None:
        self.page.goto(self.base_url + reverse("web:login"))
        assert "巡察工作平台" in self.page.inner_text("h1")
        if shot:
            self.page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base_url + reverse("web:workbench"))

    def visit(self, path: str, shot: str, *, heading: str | None = None) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
        self.page.wait_for_load_state("networkidle")
        if heading is not None:
            assert heading in self.page.inner_text("h1.page-title")
        self.page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        assert not self.errors, f"console errors on {path}: {self.errors}"

    def close(self) -> None:
        self.context.close()
