"""Reporters' identities, encrypted with a key kept outside the database (Fernet: AES-128-CBC + HMAC-SHA256).

The key is settings.IDENTITY_KEY, else the file settings.IDENTITY_KEY_FILE. Outside production a missing file
is created (0600) with a fresh key on first use; in production a missing key is an error, never a silent new
key that would make every stored identity unreadable. Each ciphertext is stored with the key's id (the first
8 hex digits of the SHA-256 of the key), so a rotated or wrong key is detected instead of failing obscurely.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class IdentityKeyError(Exception):
    """The identity key is missing, malformed, or not the key a ciphertext was written with."""


def _validated(key: str, origin: str) -> bytes:
    raw = key.strip().encode()
    try:
        Fernet(raw)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"The identity key from {origin} is not a valid Fernet key (32 bytes, url-safe base64). "
            "Generate one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'"
        ) from exc
    return raw


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    # O_EXCL: two processes starting together cannot both write a key; the loser reads the winner's.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")


def identity_key() -> bytes:
    """The current identity key (bytes, Fernet format)."""
    configured = getattr(settings, "IDENTITY_KEY", "")
    if configured:
        return _validated(configured, "XUNCHA_IDENTITY_KEY")
    path = Path(settings.IDENTITY_KEY_FILE)
    if not path.exists():
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured(
                f"No identity key: set XUNCHA_IDENTITY_KEY or provide the key file {path}. In production the key "
                "is never created automatically, because a new key cannot read identities stored with the old one."
            )
        _create_key_file(path)
    return _validated(path.read_text(), str(path))


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def encrypt_identity(identity: dict) -> tuple[str, str]:
    """(ciphertext, key_id) for a reporter's identity (name, phone, ID number…)."""
    key = identity_key()
    plain = json.dumps(identity, ensure_ascii=False, sort_keys=True).encode()
    return Fernet(key).encrypt(plain).decode("ascii"), key_id_of(key)


def decrypt_identity(ciphertext: str, key_id: str) -> dict:
    """The identity back. Raises IdentityKeyError if the key has been rotated or the ciphertext was altered."""
    key = identity_key()
    if key_id != key_id_of(key):
        raise IdentityKeyError(
            f"This identity was encrypted with key {key_id}, but the configured key is {key_id_of(key)}. "
            "Restore the old key to read it."
        )
    try:
        plain = Fernet(key).decrypt(ciphertext.encode("ascii"))
    except (InvalidToken, ValueError) as exc:
        raise IdentityKeyError("The stored identity cannot be decrypted: it has been altered or damaged.") from exc
    return json.loads(plain)
