"""Receipt codes for web reports: 16 digits, of which only an Argon2id hash of the secret part is stored.

The first 6 digits are a public lookup prefix (unique among reports) that finds the row; the other 10 are the
secret, checked against `Report.receipt_hash`. A code is shown once to the reporter and never stored whole.
"""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from xuncha.reports.models import Report

LOOKUP_DIGITS = 6
SECRET_DIGITS = 10
CODE_DIGITS = LOOKUP_DIGITS + SECRET_DIGITS

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's recommended parameters
_dummy_hash: str | None = None


def _digits(n: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(n))


def receipt_issue() -> tuple[str, str, str]:
    """A new code: (code, lookup, hash). The lookup prefix is regenerated until no report uses it."""
    while True:
        lookup = _digits(LOOKUP_DIGITS)
        if not Report.objects.filter(receipt_lookup=lookup).exists():
            break
    secret = _digits(SECRET_DIGITS)
    return lookup + secret, lookup, _hasher.hash(secret)


def receipt_normalise(code: str) -> str:
    """The code without spaces, dashes and similar separators (full-width digits are folded too)."""
    text = (code or "").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return re.sub(r"[\s\-‐‑‒–—―_.·/]", "", text)


def receipt_display(code: str) -> str:
    """1234 5678 9012 3456."""
    digits = receipt_normalise(code)
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(_digits(SECRET_DIGITS))
    return _dummy_hash


def _verify(hashed: str, secret: str) -> bool:
    try:
        return _hasher.verify(hashed, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def receipt_find(code: str) -> Report | None:
    """The report a code belongs to, or None. A hash is verified whether or not the prefix exists, so the
    answer takes about as long either way and does not tell which prefixes are in use."""
    digits = receipt_normalise(code)
    well_formed = len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit()
    lookup, secret = digits[:LOOKUP_DIGITS], digits[LOOKUP_DIGITS:]
    report = Report.objects.filter(receipt_lookup=lookup).exclude(receipt_hash="").first() if well_formed else None
    if report is None:
        _verify(_dummy(), secret or "0")
        return None
    return report if _verify(report.receipt_hash, secret) else None
