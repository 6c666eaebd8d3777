"""The production settings: Argon2, secure cookies, CSP; and the throttled login."""

from __future__ import annotations

import importlib
import os
from unittest import mock


def _production_settings():
    env = {"XUNCHA_PRODUCTION": "1", "XUNCHA_SECRET_KEY": "x" * 60, "XUNCHA_ALLOWED_HOSTS": "xuncha.example.gov.cn"}
    with mock.patch.dict(os.environ, env):
        import xuncha.config.settings as module

        production = importlib.reload(module)
        values = {k: getattr(production, k) for k in dir(production) if k.isupper()}
    importlib.reload(module)
    return values


def test_production_settings_are_hardened():
    s = _production_settings()
    assert s["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert "script-src 'self'" in s["CONTENT_SECURITY_POLICY"] and "unsafe-inline" not in s["CONTENT_SECURITY_POLICY"]


def test_production_refuses_to_start_without_a_secret_key():
    import pytest

    with mock.patch.dict(os.environ, {"XUNCHA_PRODUCTION": "1"}):
        os.environ.pop("XUNCHA_SECRET_KEY", None)
        import xuncha.config.settings as module

        with pytest.raises(RuntimeError, match="XUNCHA_SECRET_KEY"):
            importlib.reload(module)
    importlib.reload(module)


def test_every_response_carries_the_content_security_policy(client):
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
