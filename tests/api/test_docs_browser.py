"""The interactive API documentation renders in a real browser under the site's strict CSP."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_swagger_ui_renders_without_csp_violations(browser, live_server):
    problems: list[str] = []
    outside: list[str] = []
    page = browser.new_page()
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: r.url.startswith(live_server.url) or outside.append(r.url))
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 30
    assert "Xuncha" in page.locator(".title").first.inner_text()
    page.locator(".btn.authorize").first.click()
    page.wait_for_selector(".auth-container input", timeout=5000)
    assert not [m for m in problems if "Content Security Policy" in m or "Refused" in m], problems
    assert outside == []
