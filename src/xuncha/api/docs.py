"""The interactive documentation at /api/v1/docs: Swagger UI served from the ninja app's static files.

ninja's template has no inline script or style (the settings travel in a JSON <script> block that is
not executed), so the page runs under the site's strict Content-Security-Policy unchanged; this is
checked in headless Chromium by tests/api/test_docs_browser.py.
"""

from __future__ import annotations

from ninja import Swagger


class LocalSwagger(Swagger):
    """Swagger UI with nothing fetched from outside (no online validator badge)."""

    def __init__(self) -> None:
        super().__init__(settings={"validatorUrl": None, "persistAuthorization": False, "tryItOutEnabled": False})
